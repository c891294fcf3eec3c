"""iCalendar files for booking e-mails: one event per day of a session."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Booking, TrainingSession


def _uid(session: TrainingSession, day_index: int) -> str:
    return f"lift-training-session-{session.pk}-day-{day_index + 1}@lift"


def session_calendar(
    session: TrainingSession, *, booking: Booking | None = None, cancel: bool = False
) -> bytes:
    """The session's days as calendar events (METHOD:CANCEL to remove them)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//LIFT//Training sessions//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    location = session.venue or session.online_url
    base_url = settings.LIFT_BASE_URL.rstrip("/")
    description = [session.course.summary or session.course.title]
    if session.online_url:
        description.append(f"Join online: {session.online_url}")
    description.append(f"Details in LIFT: {base_url}{session.get_absolute_url()}")
    stamp = dt.datetime.now(tz=dt.UTC)
    for n, day in enumerate(session.days()):
        event = Event()
        event.add("uid", _uid(session, n))
        event.add("dtstamp", stamp)
        event.add("sequence", 1 if cancel else 0)
        title = session.course.title
        if len(session.days()) > 1:
            title = f"{title} (day {n + 1} of {len(session.days())})"
        event.add("summary", title)
        event.add("dtstart", dt.datetime.combine(day, session.start_time, tzinfo=tz))
        event.add("dtend", dt.datetime.combine(day, session.end_time, tzinfo=tz))
        if location:
            event["location"] = vText(location)
        event.add("description", "\n".join(description))
        event.add("status", "CANCELLED" if cancel else "CONFIRMED")
        if booking is not None:
            attendee = vCalAddress(f"mailto:{booking.learner.email}")
            attendee.params["cn"] = vText(booking.learner.full_name)
            event.add("attendee", attendee)
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
