"""Meetings in a calendar app: the iCalendar file, the subscription page and the secret address."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from icalendar import Calendar, Event

from lift.core.calendar import end_after
from lift.core.views.generic import LiftView

from .. import selectors, services
from ..choices import MeetingStatus
from ..models import CalendarFeed


def _calendar(meetings: Any, name: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//LIFT//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for m in meetings:
        event = Event()
        event.add("uid", f"meeting-{m.pk}@lift")
        event.add("summary", str(m.title or m.board.name))
        event.add("dtstart", m.starts_at)
        event.add("dtend", m.ends_at or end_after(m.starts_at, dt.timedelta(hours=2)))
        event.add("dtstamp", m.updated_at)
        if m.location:
            event.add("location", m.location)
        if m.online_link:
            event.add("url", m.online_link)
        if m.status == MeetingStatus.CANCELLED:
            event.add("status", "CANCELLED")
        event.add("description", f"{m.board.name}: {m.get_status_display()}")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


class CalendarIcsView(LiftView):
    """The signed-in person's meetings as an iCalendar file."""

    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meetings = selectors.calendar_meetings(request.user, self.partnership)
        return _calendar(meetings, f"{self.partnership.short_name} meetings")


class CalendarView(LiftView):
    """How to subscribe: the person's secret calendar address, and a way to change it."""

    permission = "view"
    title = "Subscribe to your meetings"

    def page(self, feed: CalendarFeed) -> HttpResponse:
        url = self.request.build_absolute_uri(
            reverse("governance:calendar_public", args=[feed.token])
        )
        return render(
            self.request,
            "governance/calendar.html",
            {
                "title": self.title,
                "feed_url": url,
                "download_url": reverse("governance:calendar_ics"),
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        feed = services.calendar_feed_get(person=request.user, partnership=self.partnership)  # type: ignore[arg-type]
        return self.page(feed)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        services.calendar_feed_reset(person=request.user, partnership=self.partnership)  # type: ignore[arg-type]
        messages.success(request, "Your calendar address has changed. The old one no longer works.")
        return HttpResponseRedirect(reverse("governance:calendar"))


@method_decorator(login_not_required, name="dispatch")
class PublicCalendarIcsView(LiftView):
    """A calendar app's subscription: the secret address stands in for signing in."""

    public = True

    def get(self, request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        feed = (
            CalendarFeed.objects.select_related("person", "partnership")
            .filter(token=token, person__is_active=True)
            .first()
        )
        if feed is None:
            raise Http404
        meetings = selectors.calendar_meetings(feed.person, feed.partnership)
        return _calendar(meetings, f"{feed.partnership.short_name} meetings")
