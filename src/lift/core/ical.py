"""iCalendar feeds of due dates: the calendar, one all-day event per due date, and the
download response. Used by the to-do feed (core) and the action deadlines feed (learning)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from .calendar import next_day


def due_calendar(name: str, product: str) -> Calendar:
    """An empty feed named `name` (shown by calendar apps), made by `product`."""
    cal = Calendar()
    cal.add("prodid", f"-//LIFT//{product}//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def page_url(path: str) -> str:
    """The full address of LIFT's page at `path` (calendar apps open it from the event)."""
    return f"{settings.LIFT_BASE_URL.rstrip('/')}{path}"


def add_due_event(
    cal: Calendar,
    *,
    uid: str,
    day: dt.date,
    summary: str,
    description: str,
    url: str,
    category: str,
    stamp: dt.datetime | None = None,
) -> None:
    """An all-day event on `day` linking to `url` (see page_url)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", day)
    end = next_day(day)
    if end is not None:  # a one-day event without it (RFC 5545)
        event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("categories", [category])
    cal.add_component(event)


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
