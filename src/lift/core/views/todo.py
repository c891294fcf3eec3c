"""The to-do list's own pages: `/todo/` (filters by kind and by when it is due), its CSV
export, and an iCalendar feed of the due dates.

Calendar apps cannot sign in, so, as for the action deadlines feed (lift.learning.views.
feeds), each person has a secret address, `/todo/calendar/<token>.ics`: the token is the
person's id and the partnership's id signed with the site's secret key (django.core.
signing), so it cannot be guessed or altered, and the feed holds only that person's own
to-do items, read afresh through the same providers as the page (an item done is gone; a
person deactivated or no longer holding a role in the partnership gets nothing). Titles
name the step and record, never a child (records are named by their pseudonyms).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from .. import ical, pending, todo
from ..exports import neutralise
from ..models import Partnership, Person
from .generic import LiftView

SALT = "lift.core.todo-calendar"
WHEN_FILTERS = [(key, label) for key, label in todo.WHEN]


def token_for(person: Any, partnership: Any) -> str:
    return signing.dumps([person.pk, partnership.pk], salt=SALT, compress=True)


def token_url(person: Any, partnership: Any) -> str:
    return reverse("core:todo_calendar_token", args=[token_for(person, partnership)])


def _from_token(token: str) -> tuple[Person, Partnership] | None:
    try:
        person_id, partnership_id = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if person is None or partnership is None:
        return None
    return person, partnership


class TodoFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Kind of step", required=False, widget=forms.CheckboxSelectMultiple
    )
    when = forms.MultipleChoiceField(
        label="When it is due",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=WHEN_FILTERS,
    )

    def __init__(self, *args: Any, kinds: Iterable[todo.Kind] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]  # type: ignore[attr-defined]


def filtered_items(request: HttpRequest, partnership: Any) -> tuple[list[todo.ToDo], Any]:
    """The signed-in person's items, narrowed by the filters in the query string, and the
    bound filter form (shown with its errors when a filter is not one offered)."""
    person = request.user
    form = TodoFilterForm(request.GET or None, kinds=todo.kinds_for(person, partnership))
    items = todo.items_for(person, partnership, cached=True)
    if form.is_bound and form.is_valid():
        items = todo.filter_items(
            items, kinds=form.cleaned_data["kind"], whens=form.cleaned_data["when"]
        )
    return items, form


class PartnershipTodoView(LiftView):
    """A to-do page is about one partnership: someone signed in without one (a superuser
    holding no role) has none to show."""

    permission = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "partnership", None) is None and request.user.is_authenticated:
            raise PermissionDenied("You do not hold a role in any partnership.")
        return super().dispatch(request, *args, **kwargs)


class TodoListView(PartnershipTodoView):
    """Every step the person must take here, with filters, a CSV export and a calendar."""

    title = "My to-do list"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        items, form = filtered_items(request, self.partnership)
        if request.GET.get("export") == "csv" and not form.errors:
            return csv_response(items, f"to-do-{timezone.localdate():%Y-%m-%d}")
        context = {
            "title": self.title,
            "form": form,
            "groups": todo.group_by_when(items),
            "count": len(items),
            "filtered": form.is_bound,
            "calendar_url": reverse("core:todo_calendar"),
            "partnership_todo": pending.may_oversee(request.user, self.partnership),
            "subscribe_url": request.build_absolute_uri(token_url(request.user, self.partnership)),
        }
        return render(request, "core/todo_list.html", context)


CSV_HEADERS = ("Step", "Kind", "Record", "Due", "State", "Link", "Record link", "Details")


def _csv_rows(items: list[todo.ToDo]) -> Iterator[list[str]]:
    base = settings.LIFT_BASE_URL.rstrip("/")
    labels = {k.key: k.label for k in todo.kinds()}
    for item in items:
        subject_url = item.subject_url
        yield [
            item.title,
            labels.get(item.kind, item.kind),
            item.subject_label,
            item.due_on.isoformat() if item.due_on else "",
            item.state_label,
            f"{base}{item.url}",
            f"{base}{subject_url}" if subject_url else "",
            item.hint,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(items: list[todo.ToDo], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(CSV_HEADERS)
        for row in _csv_rows(items):
            yield writer.writerow([neutralise(cell) for cell in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def calendar_for(items: Iterable[todo.ToDo], name: str, partnership: Any) -> bytes:
    """One all-day event on each dated item's due date (undated items have no place in a
    calendar). The UID names the step's page, so an item keeps its event from one refresh
    of the feed to the next and goes when it is done."""
    cal = ical.due_calendar(name, "To-do list")
    stamp = timezone.now()
    for item in items:
        if item.due_on is None:
            continue
        url = ical.page_url(item.url)
        details = [part for part in (item.subject_label, item.hint) if part]
        ical.add_due_event(
            cal,
            uid=f"todo-{partnership.pk}-{item.kind}-{item.url.strip('/')}@lift",
            day=item.due_on,
            summary=item.title,
            description="\n".join([*details, url]),
            url=url,
            category=partnership.short_name,
            stamp=stamp,
        )
    return cal.to_ical()


def ics_response(body: bytes) -> HttpResponse:
    return ical.ics_response(body, "lift-to-do.ics")


class TodoCalendarView(PartnershipTodoView):
    """The signed-in person's to-do due dates in the current partnership."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        items = todo.items_for(request.user, self.partnership, cached=True)
        name = f"LIFT to-do: {self.partnership.short_name}"
        return ics_response(calendar_for(items, name, self.partnership))


@method_decorator(never_cache, name="dispatch")
class TodoCalendarTokenView(LiftView):
    """The same feed at a secret address a calendar app can subscribe to without signing
    in. A bad or altered token is "not found"."""

    public = True

    def get(self, request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = _from_token(token)
        if found is None:
            raise Http404("No such calendar.")
        person, partnership = found
        items = todo.items_for(person, partnership, cached=True)
        name = f"LIFT to-do: {partnership.short_name}"
        return ics_response(calendar_for(items, name, partnership))


todo_calendar_token_view = login_not_required(TodoCalendarTokenView.as_view())
