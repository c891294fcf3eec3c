"""The public review pages (/public/reviews/): chosen by ?partnership=<slug> like the rest of
the public site, each partnership's published reports only, never an unpublished or
removed one, and cacheable (public, max-age=300) for signed-out visitors. Every child and
name here is fictional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from lift.core.models import Agency, Partnership, Person
from lift.reviews import services
from lift.reviews.choices import DecisionOutcome, LetterKind, PublicationDecision
from lift.reviews.models import Letter, Publication, Review
from lift.reviews.reference import reference
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

LIST = "/public/reviews/"
PUBLIC = "public, max-age=300"


def _review(
    partnership: Partnership,
    pseudonym: str,
    report: str,
    *,
    decision: str = PublicationDecision.PUBLISH,
    publish: bool = True,
) -> Review:
    """A completed review with a publication decision, published unless told not to."""
    bu = person_with_role("business_unit", partnership)
    chair = person_with_role("chair", partnership)
    agency, _ = Agency.objects.get_or_create(
        partnership=partnership, name=f"{partnership.short_name} Children's Services"
    )
    incident = services.incident_create(
        partnership=partnership,
        by=bu,
        pseudonym=pseudonym,
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary=f"{pseudonym} was admitted to hospital with injuries.",
        agencies=[agency],
    )
    services.decision_record(
        incident=incident,
        by=chair,
        decided_on=dt.date(2025, 5, 20),
        outcome=DecisionOutcome.STATUTORY,
        reasons="The criteria are met.",
        criteria_reasons={
            c.key: "Considered." for c in reference().for_regime(incident.regime).at("review")
        },
    )
    review = Review.objects.get(incident=incident)
    review.report_text = report
    review.save()
    services.review_complete(review=review, completed_on=dt.date(2025, 5, 22), by=bu)
    publication = services.publication_decide(
        review=review,
        by=bu,
        answers={q.key: "Considered." for q in reference().questions},
        decision=decision,
        decided_on=dt.date(2025, 5, 22),
        planned_on=dt.date(2025, 6, 1),
        public_summary=f"What {pseudonym}'s review found.",
    )
    if decision == PublicationDecision.PUBLISH:
        letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
        services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 22), by=bu)
        if publish:
            services.publication_publish(
                publication=publication, published_on=dt.date(2025, 6, 2), by=bu
            )
    review.refresh_from_db()
    return review


@pytest.fixture
def ours(partnership: Partnership) -> Review:
    return _review(partnership, "Child A", "Harrowmere lessons: Child A's agencies.")


@pytest.fixture
def theirs(other_partnership: Partnership) -> Review:
    return _review(other_partnership, "Child K", "Elsewhere lessons: Child K's agencies.")


def _anonymous() -> Client:
    return Client()


def test_each_partnership_sees_only_its_own_published_reviews(
    ours: Review, theirs: Review, partnership: Partnership, other_partnership: Partnership
) -> None:
    client = _anonymous()
    here = client.get(LIST, {"partnership": partnership.slug})
    assert here.status_code == 200
    assert ours.title.encode() in here.content and b"Child A" in here.content
    assert theirs.title.encode() not in here.content and b"Child K" not in here.content
    assert b"Elsewhere" not in here.content
    there = client.get(LIST, {"partnership": other_partnership.slug})
    assert theirs.title.encode() in there.content and b"Child A" not in there.content
    assert client.get(LIST, {"partnership": "no-such-partnership"}).status_code == 404


def test_without_a_partnership_the_list_asks_which(
    ours: Review, theirs: Review, partnership: Partnership, other_partnership: Partnership
) -> None:
    page = _anonymous().get(LIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"?partnership={partnership.slug}" in body
    assert f"?partnership={other_partnership.slug}" in body
    # No report of either partnership is listed until one is chosen.
    assert ours.title not in body and theirs.title not in body
    assert page["Cache-Control"] == PUBLIC


def test_with_one_partnership_it_is_implied(ours: Review) -> None:
    page = _anonymous().get(LIST)
    assert page.status_code == 200 and ours.title.encode() in page.content


def test_detail_belongs_to_its_partnership(
    ours: Review, theirs: Review, partnership: Partnership, other_partnership: Partnership
) -> None:
    client = _anonymous()
    url = f"{LIST}{ours.slug}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Harrowmere lessons" in page.content
    # The back link returns to this partnership's list.
    assert f"{LIST}?partnership={partnership.slug}".encode() in page.content
    assert client.get(url, {"partnership": partnership.slug}).status_code == 200
    assert client.get(url, {"partnership": other_partnership.slug}).status_code == 404
    assert client.get(f"{LIST}{theirs.slug}/", {"partnership": partnership.slug}).status_code == 404


def test_public_pages_are_cacheable_for_signed_out_visitors_only(
    ours: Review,
    partnership: Partnership,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    client = _anonymous()
    for url in (LIST, f"{LIST}?partnership={partnership.slug}", f"{LIST}{ours.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == PUBLIC, url
        signed_in = client_for(business_unit).get(url)
        assert signed_in.status_code == 200, url
        assert signed_in["Cache-Control"] == "private, no-cache", url


def test_unpublished_and_removed_reviews_never_show(partnership: Partnership, ours: Review) -> None:
    decided = _review(partnership, "Child D", "Not yet published: Child D.", publish=False)
    declined = _review(
        partnership,
        "Child E",
        "Not to be published: Child E.",
        decision=PublicationDecision.NOT_PUBLISH,
    )
    assert decided.status != "published" and not decided.slug
    assert declined.publication.decision == PublicationDecision.NOT_PUBLISH
    client = _anonymous()
    listing = client.get(LIST, {"partnership": partnership.slug}).content
    for text in (b"Child D", b"Child E", b"Not yet published", b"Not to be published"):
        assert text not in listing
    assert ours.title.encode() in listing
    # Taken down after the 12-month minimum: gone from the list, and its page is a 404.
    with time_machine.travel(dt.datetime(2026, 6, 10, 10, 0), tick=False):
        services.publication_remove(
            publication=Publication.objects.get(review=ours),
            removed_on=dt.date(2026, 6, 10),
            reason="Twelve months have passed; the family asked for it to come down.",
            by=person_with_role("business_unit", partnership),
        )
    listing = client.get(LIST, {"partnership": partnership.slug}).content
    assert ours.title.encode() not in listing and b"Harrowmere lessons" not in listing
    assert client.get(f"{LIST}{ours.slug}/").status_code == 404
