"""Edits are operations: each audits edit page saves through its `<noun>_update` service,
which refuses a field it does not offer and keeps the change in the record's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lift.audits import services
from lift.audits.models import AgencyAuditProgramme, AuditTemplate
from lift.core.models import ChangeLog, Person
from tests.factories import person_with_role

from .conftest import World


def edit_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """The edit form as the page offers it (its saved values and version), with changes."""
    page = client.get(url)
    assert page.status_code == 200
    data: dict[str, Any] = {"_version": page.context["version"]}
    for name in page.context["form"].fields:
        value = page.context["form"][name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def last_update(obj: Any) -> ChangeLog:
    entry = ChangeLog.objects.filter(object_id=str(obj.pk), action="update").order_by("-pk").first()
    assert entry is not None
    return entry


@pytest.fixture
def agency_programme(world: World, csc_template: AuditTemplate) -> tuple[Any, Person]:
    lead = person_with_role("safeguarding_lead", world.partnership, agency=world.social_care)
    programme = services.agency_programme_create(
        agency=world.social_care,
        title="CSC audits",
        year="2015/16",
        template=csc_template,
        by=lead,
    )
    return programme, lead


# --- the services --------------------------------------------------------------------------


def test_programme_update_saves_a_change(world: World) -> None:
    services.programme_update(
        programme=world.programme,
        by=world.bu,
        title="Audit programme 2015/16",
        approved_on=dt.date(2015, 4, 20),
    )
    world.programme.refresh_from_db()
    assert world.programme.title == "Audit programme 2015/16"
    assert world.programme.approved_on == dt.date(2015, 4, 20)
    assert last_update(world.programme).changes["title"] == [
        "Audit programme",
        "Audit programme 2015/16",
    ]


def test_programme_update_refuses_a_field_not_offered(world: World) -> None:
    with pytest.raises(ValidationError, match="cannot be changed here: partnership"):
        services.programme_update(
            programme=world.programme,
            by=world.bu,
            title="Renamed",
            partnership=world.partnership,
        )
    world.programme.refresh_from_db()
    assert world.programme.title == "Audit programme"


def test_case_identity_update_saves_a_change(world: World) -> None:
    identity = world.case1.identity
    services.case_identity_update(identity=identity, by=world.bu, address="4 Mill Lane")
    identity.refresh_from_db()
    assert identity.address == "4 Mill Lane"
    assert "address" in last_update(identity).restricted_fields


def test_case_identity_update_refuses_a_field_not_offered(world: World) -> None:
    identity = world.case1.identity
    with pytest.raises(ValidationError, match="cannot be changed here: case"):
        services.case_identity_update(
            identity=identity, by=world.bu, full_name="Someone Else", case=world.case2
        )
    identity.refresh_from_db()
    assert identity.case_id == world.case1.pk and identity.full_name != "Someone Else"


def test_agency_programme_update_saves_a_change(agency_programme: tuple[Any, Person]) -> None:
    programme, lead = agency_programme
    services.agency_programme_update(
        programme=programme, by=lead, share_with_business_unit=True, year="2016/17"
    )
    programme.refresh_from_db()
    assert programme.share_with_business_unit and programme.year == "2016/17"


def test_agency_programme_update_refuses_a_field_not_offered(
    world: World, agency_programme: tuple[Any, Person]
) -> None:
    programme, lead = agency_programme
    with pytest.raises(ValidationError, match="cannot be changed here: agency"):
        services.agency_programme_update(
            programme=programme, by=lead, title="Police audits", agency=world.police
        )
    saved = AgencyAuditProgramme.objects.get(pk=programme.pk)
    assert saved.agency_id == world.social_care.pk and saved.title == "CSC audits"


# --- through the pages ---------------------------------------------------------------------


def test_programme_edit_page_saves_through_the_service(
    world: World, client_for: Callable[[Person | None], Client]
) -> None:
    client = client_for(world.bu)
    url = reverse("audits:auditprogramme_edit", args=[world.programme.pk])
    data = edit_data(client, url, title="Thematic audits", change_reason="Board's name for it")
    assert client.post(url, data).status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.title == "Thematic audits"
    entry = last_update(world.programme)
    assert entry.reason == "Board's name for it" and entry.actor_id == world.bu.pk


def test_case_identity_edit_page_saves_through_the_service(
    world: World, client_for: Callable[[Person | None], Client]
) -> None:
    identity = world.case1.identity
    client = client_for(world.bu)
    url = reverse("audits:caseidentity_edit", args=[identity.pk])
    data = edit_data(client, url, address="4 Mill Lane", change_reason="Moved in May")
    assert client.post(url, data).status_code == 302
    identity.refresh_from_db()
    assert identity.address == "4 Mill Lane"
    entry = last_update(identity)
    assert entry.reason == "Moved in May" and "address" in entry.restricted_fields


def test_agency_programme_edit_page_saves_through_the_service(
    agency_programme: tuple[Any, Person], client_for: Callable[[Person | None], Client]
) -> None:
    programme, lead = agency_programme
    client = client_for(lead)
    url = reverse("audits:agencyauditprogramme_edit", args=[programme.pk])
    data = edit_data(client, url, share_with_business_unit="on", change_reason="Share it")
    assert client.post(url, data).status_code == 302
    programme.refresh_from_db()
    assert programme.share_with_business_unit
    entry = last_update(programme)
    assert entry.reason == "Share it" and entry.actor_id == lead.pk
