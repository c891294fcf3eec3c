"""iCalendar feeds of a person's action deadlines.

`/actions/calendar.ics` is for the signed-in person. Calendar apps cannot sign in, so each
person also has a secret address, `/actions/calendar/<token>.ics`: the token is the
person's id signed with the site's secret key (django.core.signing), so it cannot be
guessed or altered, and the feed it opens holds only that person's own actions. Titles
name the action and agency only, never a child.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from lift.core import ical
from lift.core.models import Person
from lift.core.views.generic import LiftView

from .. import selectors
from ..models import Action

SALT = "lift.learning.action-calendar"


def token_for(person: Any) -> str:
    return signing.dumps(person.pk, salt=SALT, compress=True)


def person_for(token: str) -> Person | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk, is_active=True).first()


def token_url(person: Any) -> str:
    return reverse("learning:action_calendar_token", args=[token_for(person)])


def calendar_for(actions: Iterable[Action], name: str) -> bytes:
    cal = ical.due_calendar(name, "Action deadlines")
    stamp = timezone.now()
    for action in actions:
        url = ical.page_url(action.get_absolute_url())
        ical.add_due_event(
            cal,
            uid=f"action-{action.pk}@lift",
            day=action.due_on,
            summary=f"Action due: {action.title}",
            description=(
                f"{action.owner_agency.name}. Status: {action.get_status_display()}. {url}"
            ),
            url=url,
            category=action.partnership.short_name,
            stamp=stamp,
        )
    return cal.to_ical()


def ics_response(body: bytes) -> HttpResponse:
    return ical.ics_response(body, "lift-actions.ics")


class ActionCalendarView(LiftView):
    """The signed-in person's action deadlines."""

    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actions = selectors.calendar_actions(request.user)
        return ics_response(calendar_for(actions, "My LIFT actions"))


@method_decorator(never_cache, name="dispatch")
class ActionCalendarTokenView(LiftView):
    """The same feed at a secret address a calendar app can subscribe to without signing
    in. A bad or altered token is "not found"."""

    public = True

    def get(self, request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        person = person_for(token)
        if person is None:
            raise Http404("No such calendar.")
        actions = selectors.calendar_actions(person)
        return ics_response(calendar_for(actions, f"LIFT actions: {person}"))


calendar_token_view = login_not_required(ActionCalendarTokenView.as_view())
