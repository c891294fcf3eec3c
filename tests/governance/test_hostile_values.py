"""Issue 17: a control character in a title made the XLSX export answer 500 for everyone, and
a meeting in the year 9999 did the same to the calendar feed. Refused on the way in (every
form built by the shared machinery, the meeting dates) and made harmless on the way out."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from lift.governance.models import Meeting
from lift.learning.models import Action

from .conftest import World, make_action

pytestmark = pytest.mark.django_db

FAR = timezone.make_aware(dt.datetime(9999, 12, 31, 22, 30))


def test_xlsx_export_survives_a_stored_control_character(
    world: World, business_unit: Any, client_for: Any
) -> None:
    # as an old record would hold it (stored before the forms refused it)
    Meeting.objects.filter(pk=world.upcoming.pk).update(title="Bell\x07 and \x01start\x1b[0m")
    response = client_for(business_unit).get(reverse("governance:meeting_list") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    titles = [c for c in cells if "and" in c and "start" in c]
    assert titles and all("\x01" not in t and "\x07" not in t for t in titles)


def test_calendar_feed_survives_a_meeting_in_9999(
    world: World, business_unit: Any, client_for: Any
) -> None:
    Meeting.objects.filter(pk=world.upcoming.pk).update(starts_at=FAR, ends_at=None)
    response = client_for(business_unit).get(reverse("governance:calendar_ics"))
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert {str(e["summary"]) for e in cal.walk("VEVENT")} >= {"L&I sub-group"}


def test_action_feed_survives_a_deadline_in_9999(
    world: World, partnership: Any, agency: Any, business_unit: Any, client_for: Any
) -> None:
    action = make_action(partnership, agency, due_days=30)
    Action.objects.filter(pk=action.pk).update(owner=business_unit, due_on=dt.date(9999, 12, 31))
    response = client_for(business_unit).get(reverse("learning:action_calendar"))
    assert response.status_code == 200
    Calendar.from_ical(response.content)


def _meeting_form(world: World, **data: str) -> dict[str, str]:
    base = {
        "board": str(world.board.pk),
        "title": "Extra meeting",
        "starts_at": "2030-05-01T10:00",
        "ends_at": "",
        "location": "",
        "online_link": "",
        "notes": "Line one\nline two\twith a tab.",
    }
    base.update(data)
    return base


def test_meeting_form_refuses_control_characters(
    world: World, business_unit: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    url = reverse("governance:meeting_add")
    response = c.post(url, _meeting_form(world, title="Extra\x01meeting"))
    assert response.status_code == 200
    assert "Remove the control characters from title" in response.content.decode()
    response = c.post(url, _meeting_form(world, notes="Bell\x07"))
    assert "Remove the control characters from notes" in response.content.decode()
    assert not Meeting.objects.filter(title__startswith="Extra").exists()
    # tabs and new lines in a multi-line box are fine
    assert c.post(url, _meeting_form(world)).status_code == 302
    assert Meeting.objects.get(title="Extra meeting").notes == "Line one\nline two\twith a tab."


def test_meeting_form_refuses_the_year_9999(
    world: World, business_unit: Any, client_for: Any
) -> None:
    c = client_for(business_unit)
    url = reverse("governance:meeting_add")
    response = c.post(url, _meeting_form(world, starts_at="9999-12-31T10:00"))
    assert response.status_code == 200
    assert "between 1900 and 2100" in response.content.decode()
    response = c.post(url, _meeting_form(world, ends_at="9999-12-31T12:00"))
    assert response.status_code == 200
    assert not Meeting.objects.filter(title="Extra meeting").exists()


def test_api_refuses_a_meeting_in_9999(world: World, business_unit: Any) -> None:
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(business_unit)
    data = {"board": world.board.pk, "title": "Far", "starts_at": "9999-12-31T10:00:00Z"}
    response = c.post("/api/v1/meetings/", data, format="json")
    assert response.status_code == 400, response.content
    assert "starts_at" in response.json()["errors"]
    data["starts_at"] = "2030-05-01T10:00:00Z"
    assert c.post("/api/v1/meetings/", data, format="json").status_code == 201
