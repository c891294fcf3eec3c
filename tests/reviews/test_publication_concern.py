"""Alerting the panel that publication may not be possible (the seed's publication chart:
"If at any time during the course of the SCR the LSCB comes to a view that publication of
the report may not be possible, the LSCB should alert the panel to its concerns")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lift.core.models import Person
from lift.reviews import services
from lift.reviews.choices import LetterKind, PublicationDecision, ReviewKind
from lift.reviews.models import ChildIdentity, Incident, Letter, PublicationConcern, Review
from lift.reviews.reference import reference
from tests.reviews.test_services import decide

pytestmark = pytest.mark.django_db

CONCERN = "Child A's sibling is a witness in criminal proceedings that will not end this year."


@pytest.fixture
def review(incident: Incident, chair: Person) -> Review:
    decide(incident, chair)
    return Review.objects.get(incident=incident)


def test_a_concern_is_recorded_and_the_panel_letter_drafted(
    review: Review, business_unit: Person
) -> None:
    record = services.publication_concern_raise(
        review=review, concern=CONCERN, raised_on=dt.date(2025, 5, 30), by=business_unit
    )
    letter = record.letter
    assert letter is not None and letter.kind == LetterKind.PUBLICATION_CONCERN
    assert letter.sent_on is None and letter.review == review  # a draft, to edit and send
    assert CONCERN in letter.body and "30 May 2025" in letter.body
    assert "may not be possible" in letter.body
    assert PublicationConcern.objects.get(review=review) == record
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 30), by=business_unit)
    # Another concern later: a second letter.
    again = services.publication_concern_raise(
        review=review,
        concern="Legal advice is awaited.",
        raised_on=dt.date(2025, 6, 2),
        by=business_unit,
    )
    assert again.letter != letter and "Legal advice is awaited." in again.letter.body


def test_bad_concerns_are_refused_and_nothing_is_kept(
    review: Review, identity: ChildIdentity, business_unit: Person
) -> None:
    cases = [
        ({"concern": "  "}, "Say why publication may not be possible"),
        ({"raised_on": dt.date(2025, 6, 3)}, "cannot be in the future"),
        ({"raised_on": dt.date(2025, 5, 1)}, "before the review was decided on"),
        ({"concern": "Jayden's family objects."}, "identifier"),
    ]
    for change, message in cases:
        kwargs = {"concern": CONCERN, "raised_on": dt.date(2025, 5, 30), **change}
        with pytest.raises(ValidationError) as exc:
            services.publication_concern_raise(review=review, by=business_unit, **kwargs)
        text = " ".join(exc.value.messages)
        assert message in text and "Jayden" not in text
    assert not PublicationConcern.objects.exists()
    assert not Letter.objects.filter(kind=LetterKind.PUBLICATION_CONCERN).exists()


def test_no_concern_once_the_board_has_decided_or_without_an_incident(
    review: Review, business_unit: Person, partnership: object
) -> None:
    review.completed_on = dt.date(2025, 5, 26)
    review.save()
    services.publication_decide(
        review=review,
        by=business_unit,
        answers={q.key: "Considered." for q in reference().questions},
        decision=PublicationDecision.NOT_PUBLISH,
        decided_on=dt.date(2025, 5, 27),
    )
    with pytest.raises(ValidationError, match="already decided on publication"):
        services.publication_concern_raise(
            review=review, concern=CONCERN, raised_on=dt.date(2025, 5, 30), by=business_unit
        )
    lessons = Review.objects.create(
        partnership=review.partnership,
        kind=ReviewKind.LEARNING_LESSONS,
        title="Learning lessons",
        pseudonym="Child Q",
        decided_on=dt.date(2025, 5, 1),
    )
    with pytest.raises(ValidationError, match="no serious incident"):
        services.publication_concern_raise(
            review=lessons, concern=CONCERN, raised_on=dt.date(2025, 5, 30), by=business_unit
        )


def test_the_page_and_the_api(
    review: Review,
    business_unit: Person,
    lead: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/reviews/{review.pk}/publication-concern/"
    bu = client_for(business_unit)
    assert (
        "Tell the panel publication may not be possible"
        in bu.get(review.get_absolute_url()).content.decode()
    )
    assert bu.get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(lead).get(url).status_code == 403  # sees the review, may not act
    empty = bu.post(url, {"concern": "", "raised_on": "2025-05-30"})
    assert empty.status_code == 200 and "govuk-error-summary" in empty.content.decode()
    made = bu.post(url, {"concern": CONCERN, "raised_on": "2025-05-30"})
    record = PublicationConcern.objects.get()
    assert made.status_code == 302 and made["Location"] == record.letter.get_absolute_url()
    page = bu.get(review.get_absolute_url()).content.decode()
    assert "Publication concerns" in page and "(draft)" in page

    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(business_unit)
    answer = api.post(
        f"/api/v1/reviews/{review.pk}/publication-concern/",
        {"concern": "Legal advice is awaited.", "raised_on": "2025-06-02"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["kind"] == LetterKind.PUBLICATION_CONCERN
    assert "Legal advice is awaited." in answer.json()["body"]
    refused = api.post(
        f"/api/v1/reviews/{review.pk}/publication-concern/",
        {"concern": "", "raised_on": "2025-06-02"},
        format="json",
    )
    assert refused.status_code == 400
    other = APIClient()
    other.force_authenticate(lead)
    seen_not_theirs = other.post(
        f"/api/v1/reviews/{review.pk}/publication-concern/",
        {"concern": CONCERN, "raised_on": "2025-06-02"},
        format="json",
    )
    assert seen_not_theirs.status_code == 403  # the lead reads the review (FoundThenChecked)
    assert PublicationConcern.objects.count() == 2
