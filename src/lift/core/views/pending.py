"""The partnership's to-do list, `/todo/partnership/`: every step waiting for anyone in the
partnership, by agency and person, oldest due date first, for the business unit and the
Chair (anyone else: 403), with filters (kind, when due, agency) and "Chase" (one step, or
those ticked): a reminder e-mail to the owner, at most once a day, logged on the record
(lift.core.pending)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from .. import pending, todo
from ..models import Agency
from ..reference import escalation
from .todo import PartnershipTodoView, TodoFilterForm


class PendingFilterForm(TodoFilterForm):
    """The to-do list's filters (kind of step, when due), every kind offered, and the
    owner's agency."""

    agency = forms.ChoiceField(label="Agency", required=False)

    def __init__(self, *args: Any, agencies: Iterable[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, kinds=pending.shared_kinds(), **kwargs)
        self.fields["agency"].choices = [  # type: ignore[attr-defined]
            ("", "All agencies"),
            *[(str(a.pk), a.name) for a in agencies],
            (pending.NO_AGENCY, pending.NO_AGENCY_LABEL),
        ]

    def agency_ids(self) -> list[int | None]:
        value = self.cleaned_data.get("agency") or ""
        if not value:
            return []
        return [None] if value == pending.NO_AGENCY else [int(value)]


def check_overseer(request: HttpRequest) -> None:
    if not pending.may_oversee(request.user, getattr(request, "partnership", None)):
        raise PermissionDenied("Only the business unit and the Chair see the partnership's list.")


def filter_form(data: Any, partnership: Any) -> PendingFilterForm:
    agencies = Agency.objects.filter(partnership=partnership, is_active=True).order_by("name")
    return PendingFilterForm(data or None, agencies=agencies)


def filtered_pending(
    form: PendingFilterForm, partnership: Any
) -> tuple[list[pending.Pending], bool]:
    """The partnership's pending steps narrowed by a bound, valid filter form (kinds and
    agency narrow what is read; when-due narrows what is shown). (items, filtered)."""
    if form.is_bound and not form.is_valid():
        return [], True
    data = form.cleaned_data if form.is_bound else {}
    items = pending.pending_items(
        partnership,
        kinds=data.get("kind") or (),
        agency_ids=form.agency_ids() if form.is_bound else (),
        cached=True,
    )
    whens = set(data.get("when") or ())
    if whens:
        today = timezone.localdate()
        items = [p for p in items if todo.when(p.item, today) in whens]
    return items, form.is_bound


# Steps a page: a partnership's list runs to thousands (the most overdue come first).
PAGE_SIZE = 50


class PartnershipPendingView(PartnershipTodoView):
    """Everything waiting across the partnership, and chasing it."""

    title = "The partnership's to-do list"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_overseer(request)
        form = filter_form(request.GET, self.partnership)
        items, filtered = filtered_pending(form, self.partnership)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "title": self.title,
            "form": form,
            "groups": pending.group_by_agency(list(page.object_list)),
            "page_obj": page,
            "count": len(items),
            "filtered": filtered,
            "escalation": escalation(),
        }
        return render(request, "core/todo_partnership.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        check_overseer(request)
        one = request.POST.get("chase")
        ids = [one] if one else request.POST.getlist("item")
        try:
            result = pending.todo_chase(by=request.user, partnership=self.partnership, ids=ids)
        except pending.ChaseRefused as refused:
            messages.error(request, str(refused))
        else:
            for message in result.messages:
                if result.sent and message == result.messages[0]:
                    messages.success(request, message)
                else:
                    messages.info(request, message)
        query = request.GET.urlencode()
        return HttpResponseRedirect(request.path + (f"?{query}" if query else ""))
