"""Edits are operations: the CDOP meeting and campaign edit pages save through
`cdopmeeting_update` and `campaign_update`, which refuse a field they do not offer and keep
the change in the record's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lift.cdop import services
from lift.cdop.models import Campaign, CdopMeeting
from lift.core.models import ChangeLog, Partnership, Person


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
def meeting(partnership: Partnership, coordinator: Person) -> CdopMeeting:
    return services.cdopmeeting_create(
        partnership=partnership, held_on=dt.date(2025, 5, 1), by=coordinator, title="May panel"
    )


@pytest.fixture
def campaign(partnership: Partnership, coordinator: Person) -> Campaign:
    return services.campaign_create(
        partnership=partnership,
        title="Safer sleep",
        kind="campaign",
        audience="public",
        started_on=dt.date(2025, 6, 1),
        by=coordinator,
    )


def test_cdopmeeting_update_saves_a_change(meeting: CdopMeeting, coordinator: Person) -> None:
    services.cdopmeeting_update(
        cdopmeeting=meeting, by=coordinator, held_on=dt.date(2025, 5, 8), location="Room 2"
    )
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.location) == (dt.date(2025, 5, 8), "Room 2")
    assert last_update(meeting).changes["location"] == ["", "Room 2"]


def test_cdopmeeting_update_refuses_a_field_not_offered(
    meeting: CdopMeeting, coordinator: Person, partnership: Partnership
) -> None:
    with pytest.raises(ValidationError, match="cannot be changed here: partnership"):
        services.cdopmeeting_update(
            cdopmeeting=meeting, by=coordinator, title="Renamed", partnership=partnership
        )
    meeting.refresh_from_db()
    assert meeting.title == "May panel"


def test_campaign_update_saves_a_change(campaign: Campaign, coordinator: Person) -> None:
    services.campaign_update(campaign=campaign, by=coordinator, reach=1200, published=True)
    campaign.refresh_from_db()
    assert campaign.reach == 1200 and campaign.published


def test_campaign_update_refuses_a_field_not_offered(
    campaign: Campaign, coordinator: Person, partnership: Partnership
) -> None:
    with pytest.raises(ValidationError, match="cannot be changed here: partnership"):
        services.campaign_update(
            campaign=campaign, by=coordinator, reach=5, partnership=partnership
        )
    campaign.refresh_from_db()
    assert campaign.reach == 0


def test_meeting_edit_page_saves_through_the_service(
    meeting: CdopMeeting, coordinator: Person, client_for: Callable[[Person | None], Client]
) -> None:
    client = client_for(coordinator)
    url = reverse("cdop:cdopmeeting_edit", args=[meeting.pk])
    data = edit_data(client, url, held_on="2025-05-08", change_reason="Moved a week")
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.held_on == dt.date(2025, 5, 8)
    entry = last_update(meeting)
    assert entry.reason == "Moved a week" and entry.actor_id == coordinator.pk


def test_campaign_edit_page_saves_through_the_service(
    campaign: Campaign, coordinator: Person, client_for: Callable[[Person | None], Client]
) -> None:
    client = client_for(coordinator)
    url = reverse("cdop:campaign_edit", args=[campaign.pk])
    data = edit_data(client, url, reach="350", change_reason="Final count")
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.reach == 350
    entry = last_update(campaign)
    assert entry.reason == "Final count" and entry.actor_id == coordinator.pk
