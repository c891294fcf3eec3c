"""Pages of meetings (the list, a meeting, its status and attendance) and the forward plan."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    allowed,
)
from lift.learning.models import Action

from .. import rules, selectors, services
from ..choices import MEETING_COLOURS, MeetingStatus
from ..filters import MeetingFilter
from ..forms import AttendanceForm, MeetingEditForm, MeetingForm, MeetingStatusForm
from ..models import Decision, Meeting
from .base import ParentMixin


class MeetingListView(ObjectListView):
    model = Meeting
    filterset_class = MeetingFilter
    add_url_name = "governance:meeting_add"
    queryset = Meeting.objects.select_related("board")
    table = Table(
        [
            Column("__str__", "Meeting", sort=None, link=True),
            Column("board", "Group", sort="board__name"),
            Column("starts_at", "Starts"),
            Column("location", "Where"),
            Column("status", "Status"),
        ]
    )
    ordering = ("-starts_at",)

    def extra_context(self) -> dict[str, Any]:
        return {
            "side_links": [
                {"label": "Forward plan", "url": reverse("governance:forward_plan")},
                {"label": "Subscribe in your calendar", "url": reverse("governance:calendar")},
                {"label": "All agenda items", "url": reverse("governance:agendaitem_list")},
                {"label": "All decisions", "url": reverse("governance:decision_list")},
            ]
        }

    template_name = "governance/meeting_list.html"


class MeetingDetailView(ObjectDetailView):
    model = Meeting
    template_name = "governance/meeting_detail.html"
    queryset = Meeting.objects.select_related("board")
    fields = ["board", "starts_at", "ends_at", "location", "online_link", "status", "notes"]

    def extra_context(self) -> dict[str, Any]:
        meeting = self.object
        user = self.request.user
        items = list(meeting.items.select_related("presenter", "linked_type"))
        links = {lv.link.pk: lv for lv in selectors.visible_links(user, items)}
        papers = selectors.papers_of(user, items)
        decisions = list(meeting.decisions.select_related("agenda_item"))
        actions: dict[int, list[Action]] = defaultdict(list)
        for action in Action.objects.restrict(user, "view").filter(
            source_type=ContentType.objects.get_for_model(Decision),
            source_id__in=[d.pk for d in decisions],
        ):
            actions[action.source_id].append(action)  # type: ignore[index]
        can_change = allowed(self.request, meeting, "change")
        return {
            "agenda": [
                {"item": i, "link": links.get(i.pk), "papers": papers.get(i.pk, [])} for i in items
            ],
            "decisions": [{"decision": d, "actions": actions.get(d.pk, [])} for d in decisions],
            "summary_attendance": selectors.attendance_summary(meeting),
            "attendance": selectors.attendance_rows(meeting),
            "status_colour": MEETING_COLOURS[MeetingStatus(meeting.status)],
            "can_manage": can_change,
            "status_form": MeetingStatusForm(initial={"status": meeting.status}),
            "can_create_actions": Decision.access.allows(user, "create_actions", self.partnership),
            "pack": selectors.board_pack_summary(user, meeting),
            "can_publish_pack": allowed(self.request, meeting, "publish_pack"),
            "papers_deadline": rules.papers_deadline(meeting.starts_at),
        }


class MeetingCreateView(ObjectCreateView):
    model = Meeting
    form_class = MeetingForm
    title = "Plan a meeting"

    def save(self, form: forms.BaseForm) -> Any:
        return services.meeting_create(by=self.request.user, **form.cleaned_data)  # type: ignore[arg-type]


class MeetingEditView(ObjectEditView):
    model = Meeting
    form_class = MeetingEditForm


class MeetingDeleteView(ObjectDeleteView):
    model = Meeting
    success_url_name = "governance:meeting_list"


class MeetingHistoryView(ObjectHistoryView):
    model = Meeting


class MeetingStatusView(ParentMixin):
    """Move a meeting on (papers sent, held, minutes approved, cancelled)."""

    permission = "change"
    parent_model = Meeting

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.parent
        form = MeetingStatusForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_status_set(
                    meeting=meeting,
                    status=form.cleaned_data["status"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"The meeting is now {meeting.get_status_display()}.")
        else:
            messages.error(request, "Choose a status.")
        return HttpResponseRedirect(meeting.get_absolute_url())


class MeetingAttendanceView(ParentMixin):
    """Record attendance and apologies for every member."""

    permission = "change"
    parent_model = Meeting

    def render_form(self, form: AttendanceForm) -> HttpResponse:
        rows = [
            {
                "row": row,
                "status": form[f"status_{row['person'].pk}"],
                "deputy": form[f"deputy_{row['person'].pk}"],
            }
            for row in form.rows
        ]
        return render(
            self.request,
            "governance/attendance_form.html",
            {"title": "Record attendance", "meeting": self.parent, "form": form, "rows": rows},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(AttendanceForm(rows=selectors.attendance_rows(self.parent)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.parent
        form = AttendanceForm(request.POST, rows=selectors.attendance_rows(meeting))
        if form.is_valid():
            try:
                with transaction.atomic():
                    for row in form.rows:
                        person = row["person"]
                        status = form.cleaned_data.get(f"status_{person.pk}")
                        if not status:
                            continue
                        services.attendance_record(
                            meeting=meeting,
                            person=person,
                            status=status,
                            deputy=form.cleaned_data.get(f"deputy_{person.pk}", ""),
                            by=request.user,  # type: ignore[arg-type]
                        )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Attendance saved.")
                return HttpResponseRedirect(meeting.get_absolute_url() + "#attendance")
        return self.render_form(form)


class ForwardPlanView(LiftView):
    """Future meetings by group with their planned items, and items ready for a meeting."""

    permission = "view"
    title = "Forward plan"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not Meeting.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        groups = selectors.forward_plan(request.user, self.partnership)
        return render(
            request, "governance/forward_plan.html", {"title": self.title, "groups": groups}
        )
