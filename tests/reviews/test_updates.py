"""Edits are operations: the restricted record, the rapid review and a letter template are
changed through their `<noun>_update` services (the edit pages call them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lift.core.clocks import clocks_for
from lift.core.models import Agency, ChangeLog, Partnership, Person
from lift.reviews import services
from lift.reviews.choices import LetterKind
from lift.reviews.models import ChildIdentity, LetterTemplate, RapidReview
from tests.factories import PartnershipFactory, person_with_role


def last_change(obj: object) -> ChangeLog:
    return ChangeLog.objects.filter(
        object_id=str(obj.pk),  # type: ignore[attr-defined]
        content_type__model=type(obj).__name__.lower(),
        action="update",
    ).first()  # type: ignore[return-value]


@pytest.fixture
def rapid_review(db: None) -> tuple[RapidReview, Person]:
    current = PartnershipFactory(slug="kb-updates", regime="current")
    bu = person_with_role("business_unit", current)
    agency = Agency.objects.create(partnership=current, name="KB CSC", agency_type="social_care")
    incident = services.incident_create(
        partnership=current,
        by=bu,
        pseudonym="Child K",
        incident_type="death",
        incident_on=dt.date(2025, 5, 20),
        became_aware_on=dt.date(2025, 5, 20),
        notified_on=dt.date(2025, 5, 21),
        agencies=[agency],
    )
    return services.rapid_review_start(incident=incident, by=bu), bu


# --- the restricted record ------------------------------------------------------------------


def test_identity_update_saves_a_change(identity: ChildIdentity, business_unit: Person) -> None:
    services.identity_update(identity=identity, by=business_unit, address="2 Fenwick Row")
    identity.refresh_from_db()
    assert identity.address == "2 Fenwick Row"
    assert "address" in last_change(identity).changes


def test_identity_update_refuses_a_field_not_offered(
    identity: ChildIdentity, business_unit: Person
) -> None:
    with pytest.raises(ValidationError, match="cannot be changed here: incident"):
        services.identity_update(
            identity=identity, by=business_unit, incident=None, address="2 Fenwick Row"
        )
    identity.refresh_from_db()
    assert identity.address.startswith("14 Larkspur Close")


def test_identity_edit_page_saves_through_the_service(
    identity: ChildIdentity, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    url = f"/restricted-records/{identity.pk}/edit/"
    page = c.get(url)
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        postcode="HM4 8AB",
        change_reason="The postcode was mistyped.",
        _version=page.context["version"],
    )
    data["is_subject"] = "on"
    response = c.post(url, data)
    assert response.status_code == 302
    identity.refresh_from_db()
    assert identity.postcode == "HM4 8AB"
    entry = last_change(identity)
    assert entry.reason == "The postcode was mistyped."
    assert entry.actor_id == business_unit.pk


# --- the rapid review -----------------------------------------------------------------------


def test_rapid_review_update_saves_a_change_and_leaves_the_clock(
    rapid_review: tuple[RapidReview, Person],
) -> None:
    rr, bu = rapid_review
    clock = clocks_for(rr.incident, rule="rapid-review").get()
    services.rapid_review_update(
        rapid_review=rr, by=bu, meeting_on=dt.date(2025, 5, 30), facts="What happened."
    )
    rr.refresh_from_db()
    assert (rr.meeting_on, rr.facts) == (dt.date(2025, 5, 30), "What happened.")
    # No clock counts from the meeting: the rapid review clock counts from the notification.
    after = clocks_for(rr.incident, rule="rapid-review").get()
    assert (after.due_on, after.state) == (clock.due_on, clock.state)


def test_rapid_review_update_refuses_a_field_not_offered(
    rapid_review: tuple[RapidReview, Person],
) -> None:
    rr, bu = rapid_review
    with pytest.raises(ValidationError, match="sent_to_panel_on"):
        services.rapid_review_update(
            rapid_review=rr, by=bu, facts="What happened.", sent_to_panel_on=dt.date(2025, 6, 1)
        )
    rr.refresh_from_db()
    assert (rr.facts, rr.sent_to_panel_on) == ("", None)


def test_rapid_review_update_keeps_the_rules(rapid_review: tuple[RapidReview, Person]) -> None:
    rr, bu = rapid_review
    with pytest.raises(ValidationError, match="before the notification"):
        services.rapid_review_update(rapid_review=rr, by=bu, meeting_on=dt.date(2025, 5, 20))
    rr.refresh_from_db()
    assert rr.meeting_on is None


def test_rapid_review_edit_page_saves_through_the_service(
    rapid_review: tuple[RapidReview, Person], client_for: Callable[[Person], Client]
) -> None:
    rr, bu = rapid_review
    c = client_for(bu)
    url = f"/rapid-reviews/{rr.pk}/edit/"
    page = c.get(url)
    response = c.post(
        url,
        {
            "meeting_on": "2025-05-29",
            "facts": "The facts.",
            "immediate_actions": "",
            "learning": "",
            "recommendation": "",
            "recommendation_reasons": "",
            "change_reason": "The meeting was on Thursday.",
            "_version": page.context["version"],
        },
    )
    assert response.status_code == 302
    rr.refresh_from_db()
    assert (rr.meeting_on, rr.facts) == (dt.date(2025, 5, 29), "The facts.")
    entry = last_change(rr)
    assert entry.reason == "The meeting was on Thursday." and entry.actor_id == bu.pk


# --- letter templates -----------------------------------------------------------------------


def test_lettertemplate_update_saves_a_change(
    partnership: Partnership, business_unit: Person
) -> None:
    template = services.lettertemplate_for(partnership, LetterKind.INITIATION_NO)
    services.lettertemplate_update(template=template, by=business_unit, subject="Our decision")
    template.refresh_from_db()
    assert template.subject == "Our decision"


def test_lettertemplate_update_refuses_a_field_not_offered(
    partnership: Partnership, business_unit: Person
) -> None:
    template = services.lettertemplate_for(partnership, LetterKind.INITIATION_NO)
    subject = template.subject
    with pytest.raises(ValidationError, match="key"):
        services.lettertemplate_update(
            template=template, by=business_unit, subject="Our decision", key="other"
        )
    template = LetterTemplate.objects.get(pk=template.pk)
    assert template.subject == subject


def test_lettertemplate_edit_page_saves_through_the_service(
    partnership: Partnership, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    template = services.lettertemplate_for(partnership, LetterKind.INITIATION_NO)
    c = client_for(business_unit)
    url = f"/letter-templates/{template.pk}/edit/"
    page = c.get(url)
    response = c.post(
        url,
        {
            "name": template.name,
            "subject": "Our decision",
            "body": template.body,
            "change_reason": "Shorter subject.",
            "_version": page.context["version"],
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Our decision"
    entry = last_change(template)
    assert entry.reason == "Shorter subject." and entry.actor_id == business_unit.pk
