"""Pages of boards, meetings and the business plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from icalendar import Calendar, Event

from lift.core.calendar import FinancialYear, end_after
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
    restricted,
    scope_form,
)
from lift.learning.models import Action

from . import rules, selectors, services
from .choices import MEETING_COLOURS, REPORT_COLOURS, MeetingStatus, ReportStatus
from .filters import (
    AgendaItemFilter,
    BoardFilter,
    BusinessPlanFilter,
    DecisionFilter,
    MeetingFilter,
    MembershipFilter,
    PriorityFilter,
)
from .forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    AttendanceForm,
    BoardForm,
    BusinessPlanForm,
    DecisionActionForm,
    DecisionForm,
    MeetingEditForm,
    MeetingForm,
    MeetingStatusForm,
    MembershipEditForm,
    MembershipForm,
    PaperForm,
    PaperLateForm,
    PaperReplaceForm,
    PriorityForm,
    PriorityLinkForm,
    ReportForm,
)
from .models import (
    AgendaItem,
    Board,
    BoardPack,
    BusinessPlan,
    CalendarFeed,
    Decision,
    Meeting,
    Membership,
    Paper,
    Priority,
    PriorityLink,
)
from .responsibilities import catalogue


class ParentMixin(LiftView):
    """A page under a parent record (a meeting's agenda, a plan's priorities): the parent
    comes from `restrict(user, parent_action)`, so a parent out of scope is a 404."""

    parent_model: ClassVar[type[models.Model]]
    parent_action: ClassVar[str] = "change"
    parent_kwarg: ClassVar[str] = "pk"

    @property
    def parent(self) -> Any:
        if not hasattr(self, "_parent"):
            qs = restricted(self.parent_model, self.request, "view")
            try:
                parent = qs.get(pk=self.kwargs[self.parent_kwarg])
            except ObjectDoesNotExist as exc:
                raise Http404 from exc
            if not allowed(self.request, parent, self.parent_action):
                raise PermissionDenied
            self._parent = parent
        return self._parent


# --- Boards -------------------------------------------------------------------------------


class BoardListView(ObjectListView):
    model = Board
    title = "Boards and groups"
    intro = "The Board, its Executive and sub-groups, and the partner boards it works with."
    filterset_class = BoardFilter
    add_url_name = "governance:board_add"
    queryset = Board.objects.select_related("chair", "reports_to")
    table = Table(
        [
            Column("name", "Name", link=True),
            Column("kind", "Kind"),
            Column("chair", "Chair", sort="chair__full_name"),
            Column("reports_to", "Reports to", sort="reports_to__name"),
            Column("member_count", "Members", numeric=True),
            Column("is_active", "Active"),
        ]
    )
    ordering = ("kind", "name")

    def get_queryset(self) -> models.QuerySet:
        today = timezone.localdate()
        current = Q(memberships__starts_on__lte=today) & (
            Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
        )
        counts = Board.objects.filter(pk=models.OuterRef("pk")).annotate(
            n=Count("memberships__person", filter=current, distinct=True)
        )
        return super().get_queryset().annotate(member_count=models.Subquery(counts.values("n")[:1]))


class BoardDetailView(ObjectDetailView):
    model = Board
    template_name = "governance/board_detail.html"
    fields = [
        "kind",
        "short_name",
        "purpose",
        "chair",
        "reports_to",
        "quorum",
        "meets_every_months",
        "is_active",
    ]

    def extra_tabs(self) -> list[dict[str, Any]]:
        if not self.object.responsibility_set:
            return []
        url = reverse("governance:board_responsibilities", args=[self.object.pk])
        return [{"label": "Responsibilities", "url": url}]

    def extra_context(self) -> dict[str, Any]:
        board = self.object
        user = self.request.user
        year = selectors.current_year()
        return {
            "members": board.current_memberships().select_related("person", "agency"),
            "can_manage_members": Membership.access.allows(user, "add", self.partnership),
            "meetings": selectors.meetings_upcoming(user, partnership=self.partnership).filter(
                board=board
            )[:5],
            "can_add_meeting": Meeting.access.allows(user, "add", self.partnership),
            "joint_of": board.joint_of.all(),
            "reporting_groups": board.reporting_groups.filter(is_active=True),
            "year": year,
            "checklist": selectors.responsibility_checklist(board, year),
            "terms_file": board.terms_file,
        }


BOARD_FIELDS = [
    "kind",
    "name",
    "short_name",
    "purpose",
    "terms_of_reference",
    "reports_to",
    "responsibility_set",
    "quorum",
    "meets_every_months",
    "is_active",
]


class BoardCreateView(ObjectCreateView):
    model = Board
    form_class = BoardForm
    title = "Add a board or group"

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        fields = {k: data[k] for k in BOARD_FIELDS if k != "is_active"}
        board = services.board_create(
            partnership=self.partnership,
            by=self.request.user,  # type: ignore[arg-type]
            joint_of=data["joint_of"],
            **fields,
        )
        if data.get("terms_upload"):
            services.board_terms_attach(
                board=board,
                uploaded_file=data["terms_upload"],
                by=self.request.user,  # type: ignore[arg-type]
            )
        return board


class BoardEditView(ObjectEditView):
    model = Board
    form_class = BoardForm

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        board = Board.objects.get(pk=self.object.pk)
        board = services.board_update(
            board=board,
            by=self.request.user,  # type: ignore[arg-type]
            joint_of=data["joint_of"],
            **{k: data[k] for k in BOARD_FIELDS},
        )
        if data.get("terms_upload"):
            services.board_terms_attach(
                board=board,
                uploaded_file=data["terms_upload"],
                by=self.request.user,  # type: ignore[arg-type]
            )
        return board


class BoardDeleteView(ObjectDeleteView):
    model = Board
    success_url_name = "governance:board_list"


class BoardHistoryView(ObjectHistoryView):
    model = Board


def _year_param(request: HttpRequest) -> str:
    from .rules import YearFormat

    year = request.GET.get("year", "")
    return year if YearFormat.holds(year) else selectors.current_year()


class BoardResponsibilitiesView(BoardDetailView):
    """The group's responsibilities from the framework, with this year's status of each."""

    template_name = "governance/board_responsibilities.html"

    def extra_context(self) -> dict[str, Any]:
        board = self.object
        if not board.responsibility_set:
            raise Http404("This group reports against no responsibilities.")
        year = _year_param(self.request)
        shown = FinancialYear.parse(year)
        years = [(shown + n).label for n in range(-2, 2)]
        rows = selectors.responsibility_checklist(board, year)
        counts = {s.label: sum(1 for r in rows if r["status"] == s) for s in ReportStatus}
        return {
            "year": year,
            "years": years,
            "rows": rows,
            "counts": counts,
            "set": catalogue().get(board.responsibility_set),
            "can_report": allowed(self.request, board, "report"),
        }


class ResponsibilityReportView(ParentMixin):
    """Report this year's status against one responsibility."""

    permission = "report"
    parent_model = Board
    parent_action = "report"

    def item(self) -> Any:
        found = catalogue().get(self.parent.responsibility_set)
        item = found.item(self.kwargs["code"]) if found else None
        if item is None:
            raise Http404
        return item

    def render_form(self, form: forms.Form, year: str) -> HttpResponse:
        return render(
            self.request,
            "governance/report_form.html",
            {
                "title": f"Report for {year}",
                "form": form,
                "board": self.parent,
                "item": self.item(),
                "year": year,
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year = _year_param(request)
        item = self.item()
        report = self.parent.reports.filter(responsibility=item.code, year=year).first()
        initial = (
            {"status": report.status, "note": report.note, "evidence_url": report.evidence_url}
            if report
            else {"status": ReportStatus.NOT_STARTED}
        )
        return self.render_form(ReportForm(initial=initial), year)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        year = _year_param(request)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.responsibility_report(
                    board=self.parent,
                    code=self.item().code,
                    year=year,
                    by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Report saved.")
                url = reverse("governance:board_responsibilities", args=[self.parent.pk])
                return HttpResponseRedirect(f"{url}?year={year}")
        return self.render_form(form, year)


# --- Members ------------------------------------------------------------------------------


class MembershipListView(ObjectListView):
    model = Membership
    title = "Members of boards and groups"
    filterset_class = MembershipFilter
    add_url_name = "governance:membership_add"
    queryset = Membership.objects.select_related("board", "person", "agency")
    table = Table(
        [
            Column("person", "Member", sort="person__full_name", link=True),
            Column("board", "Group", sort="board__name"),
            Column("role", "Role"),
            Column("agency", "Agency", sort="agency__name"),
            Column("starts_on", "From"),
            Column("ends_on", "Until"),
        ]
    )
    ordering = ("board__name", "person__full_name")


class MembershipDetailView(ObjectDetailView):
    model = Membership
    fields = ["board", "person", "role", "agency", "starts_on", "ends_on"]


class MembershipCreateView(ObjectCreateView):
    model = Membership
    form_class = MembershipForm
    title = "Add a member"

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.membership_add(by=self.request.user, **data)  # type: ignore[arg-type]

    def success_url(self, obj: Any) -> str:
        return obj.board.get_absolute_url()


class MembershipEditView(ObjectEditView):
    model = Membership
    form_class = MembershipEditForm

    def save(self, form: forms.BaseForm) -> Any:
        membership = Membership.objects.get(pk=self.object.pk)
        return services.membership_update(
            membership=membership,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )


class MembershipDeleteView(ObjectDeleteView):
    model = Membership
    success_url_name = "governance:membership_list"


class MembershipHistoryView(ObjectHistoryView):
    model = Membership


# --- Meetings -----------------------------------------------------------------------------


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


# --- Agenda items -------------------------------------------------------------------------


class AgendaItemListView(ObjectListView):
    model = AgendaItem
    title = "Agenda items"
    filterset_class = AgendaItemFilter
    queryset = AgendaItem.objects.select_related("meeting__board", "presenter", "linked_type")
    table = Table(
        [
            Column("title", "Item", link=True),
            Column("meeting", "Meeting", sort="meeting__starts_at"),
            Column("purpose", "Purpose"),
            Column("presenter", "Presenter", sort="presenter__full_name"),
            Column("linked_type.name", "Linked to", sort=None),
        ]
    )
    ordering = ("-meeting__starts_at", "order")


class AgendaItemCreateView(ParentMixin, ObjectCreateView):
    model = AgendaItem
    parent_model = Meeting
    form_class = AgendaItemForm
    title = "Add an agenda item"

    def form_kwargs(self) -> dict[str, Any]:
        return {"request": self.request}

    def check_allowed(self) -> None:
        super().check_allowed()
        _ = self.parent

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        return super().render_form(form, cancel_url=self.parent.get_absolute_url(), **extra)

    def save(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.agenda_item_add(
            meeting=self.parent,
            title=data["title"],
            purpose=data["purpose"],
            presenter=data.get("presenter"),
            order=data.get("order"),
            linked=form.linked_object,  # type: ignore[attr-defined]
            by=self.request.user,  # type: ignore[arg-type]
        )

    def success_url(self, obj: Any) -> str:
        return obj.meeting.get_absolute_url()


class AgendaItemDetailView(ObjectDetailView):
    model = AgendaItem
    template_name = "governance/agendaitem_detail.html"
    queryset = AgendaItem.objects.select_related("meeting__board", "presenter")
    fields = ["meeting", "order", "purpose", "presenter", "minutes"]

    def extra_context(self) -> dict[str, Any]:
        item = self.object
        return {
            "link": selectors.visible_links(self.request.user, [item])[0],
            "papers": [
                {"paper": p, "versions": list(p.versions.all()), "late_form": PaperLateForm()}
                for p in Paper.objects.restrict(self.request.user, "view")
                .filter(item=item)
                .select_related("file")
                .prefetch_related("versions__file")
            ],
            "paper_form": PaperForm(),
            "papers_deadline": rules.papers_deadline(item.meeting.starts_at),
            "decisions": item.decisions.all(),
        }


class AgendaItemEditView(ObjectEditView):
    model = AgendaItem
    form_class = AgendaItemEditForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"request": self.request}

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        instance = kwargs.get("instance")
        if instance is not None and instance.linked_type_id and not form.is_bound:
            target = instance.linked
            url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
            form.initial["link"] = url
        return form

    def save(self, form: forms.BaseForm) -> Any:
        item = form.save(commit=False)  # type: ignore[attr-defined]
        if item.order is None:
            item.order = self.object.order
        item.full_clean()
        item.save()
        return services.agenda_item_link(
            item=item,
            linked=form.linked_object,  # type: ignore[attr-defined]
            by=self.request.user,  # type: ignore[arg-type]
        )


class AgendaItemDeleteView(ObjectDeleteView):
    model = AgendaItem
    success_url_name = "governance:meeting_list"


class AgendaItemHistoryView(ObjectHistoryView):
    model = AgendaItem


class PaperAddView(ParentMixin):
    """Add a paper to an agenda item."""

    permission = "change"
    parent_model = AgendaItem

    def page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "governance/paper_form.html",
            {
                "title": "Add a paper",
                "form": form,
                "item": self.parent,
                "action": reverse("governance:agendaitem_papers", args=[self.parent.pk]),
                "button": "Add paper",
                "deadline": rules.papers_deadline(self.parent.meeting.starts_at),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(PaperForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item = self.parent
        form = PaperForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.paper_add(
                    item=item,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Paper added.")
                return HttpResponseRedirect(item.get_absolute_url() + "#papers")
        return self.page(form, status=400)


class PaperReplaceView(ParentMixin):
    """Upload a new version of a paper; the older versions are kept."""

    permission = "change"
    parent_model = Paper

    def page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        paper = self.parent
        return render(
            self.request,
            "governance/paper_form.html",
            {
                "title": f"Replace “{paper.title}”",
                "form": form,
                "item": paper.item,
                "paper": paper,
                "action": reverse("governance:paper_replace", args=[paper.pk]),
                "button": "Upload new version",
                "deadline": rules.papers_deadline(paper.item.meeting.starts_at),
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.page(PaperReplaceForm(initial={"title": self.parent.title}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        form = PaperReplaceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                paper = services.paper_replace(
                    paper=paper,
                    uploaded_file=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, f"Version {paper.version} uploaded.")
                return HttpResponseRedirect(paper.get_absolute_url())
        return self.page(form, status=400)


class PaperLateView(ParentMixin):
    """Mark a paper late, or not (POST only)."""

    permission = "change"
    parent_model = Paper

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        form = PaperLateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose whether the paper is late.")
            return HttpResponseRedirect(paper.get_absolute_url())
        try:
            paper = services.paper_mark_late(
                paper=paper,
                late=form.cleaned_data["late"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Marked late." if paper.late else "No longer marked late.")
        return HttpResponseRedirect(paper.get_absolute_url())


class PaperMoveView(ParentMixin):
    """Move a paper up or down among its item's papers (POST only)."""

    permission = "change"
    parent_model = Paper

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        direction = request.POST.get("direction")
        if direction not in ("up", "down"):
            messages.error(request, "Choose whether to move the paper up or down.")
            return HttpResponseRedirect(paper.get_absolute_url())
        try:
            paper = services.paper_move(
                paper=paper,
                up=direction == "up",
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{paper.title}” moved {direction}.")
        return HttpResponseRedirect(paper.item.get_absolute_url() + "#papers")


class PaperWithdrawView(ParentMixin):
    """Withdraw a paper: ask, then remove it and its versions (POST to confirm)."""

    permission = "delete"
    parent_model = Paper
    parent_action = "delete"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        return render(
            request,
            "governance/paper_withdraw.html",
            {"title": f"Withdraw “{paper.title}”", "paper": paper, "item": paper.item},
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        paper = self.parent
        item = paper.item
        try:
            services.paper_withdraw(paper=paper, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"“{paper.title}” withdrawn.")
        return HttpResponseRedirect(item.get_absolute_url() + "#papers")


class BoardPackPublishView(ParentMixin):
    """Build the meeting's Board pack from its papers and publish it (POST only)."""

    permission = "publish_pack"
    parent_model = Meeting
    parent_action = "publish_pack"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        meeting = self.parent
        try:
            pack = services.board_pack_publish(meeting=meeting, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Board pack version {pack.number} is being made. Members can download it "
                "here when it is ready.",
            )
        return HttpResponseRedirect(meeting.get_absolute_url() + "#board-pack")


class BoardPackDownloadView(LiftView):
    """The published Board pack, the same file for every member who may see the meeting."""

    permission = "view"

    def get(self, request: HttpRequest, pk: int, fmt: str, *args: Any, **kwargs: Any) -> Any:
        from django.http import FileResponse

        from lift.core.documents import CONTENT_TYPES
        from lift.core.models.documents import DocumentStatus

        if fmt not in ("pdf", "docx"):
            raise Http404
        pack = (
            restricted(BoardPack, request, "view")
            .select_related("pdf", "docx", "meeting")
            .filter(pk=pk)
            .first()
        )
        if pack is None:
            raise Http404
        document = pack.pdf if fmt == "pdf" else pack.docx
        if document.status != DocumentStatus.READY or not document.file:
            raise Http404("The Board pack is still being made.")
        from lift.core.storage import open_for_download

        response = FileResponse(
            open_for_download(document.file),
            as_attachment=True,
            filename=document.filename or f"board-pack.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Decisions ----------------------------------------------------------------------------


class DecisionListView(ObjectListView):
    model = Decision
    filterset_class = DecisionFilter
    queryset = Decision.objects.select_related("meeting__board")
    table = Table(
        [
            Column("__str__", "Decision", sort=None, link=True),
            Column("meeting", "Meeting", sort="meeting__starts_at"),
            Column("decided_by", "Decided by"),
        ]
    )
    ordering = ("-meeting__starts_at", "id")


class DecisionCreateView(ParentMixin, ObjectCreateView):
    model = Decision
    parent_model = Meeting
    form_class = DecisionForm
    title = "Record a decision"

    def form_kwargs(self) -> dict[str, Any]:
        return {"meeting": self.parent}

    def check_allowed(self) -> None:
        super().check_allowed()
        _ = self.parent

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        return super().render_form(form, cancel_url=self.parent.get_absolute_url(), **extra)

    def save(self, form: forms.BaseForm) -> Any:
        return services.decision_record(
            meeting=self.parent,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )

    def success_url(self, obj: Any) -> str:
        return obj.meeting.get_absolute_url() + "#decisions"


class DecisionDetailView(ObjectDetailView):
    model = Decision
    template_name = "governance/decision_detail.html"
    queryset = Decision.objects.select_related("meeting__board", "agenda_item")
    fields = ["meeting", "agenda_item", "text", "decided_by"]

    def extra_context(self) -> dict[str, Any]:
        decision = self.object
        actions = Action.objects.restrict(self.request.user, "view").filter(
            source_type=ContentType.objects.get_for_model(Decision), source_id=decision.pk
        )
        return {
            "actions": actions.select_related("owner_agency"),
            "can_create_actions": allowed(self.request, decision, "create_actions"),
        }


class DecisionEditView(ObjectEditView):
    model = Decision
    form_class = DecisionForm


class DecisionDeleteView(ObjectDeleteView):
    model = Decision
    success_url_name = "governance:decision_list"


class DecisionHistoryView(ObjectHistoryView):
    model = Decision


class DecisionActionCreateView(ParentMixin):
    """Create a learning chain action from a decision."""

    permission = "create_actions"
    parent_model = Decision
    parent_action = "create_actions"

    def render_form(self, form: forms.Form) -> HttpResponse:
        return render(
            self.request,
            "core/object_form.html",
            {
                "title": "Create an action from this decision",
                "form": form,
                "object": self.parent,
            },
        )

    def make_form(self, **kwargs: Any) -> DecisionActionForm:
        form = DecisionActionForm(**kwargs)
        scope_form(form, self.request)
        return form

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form(initial={"title": self.parent.text[:250]}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(data=request.POST)
        if form.is_valid():
            try:
                services.decision_action_create(
                    decision=self.parent,
                    by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Action created in the learning chain.")
                return HttpResponseRedirect(self.parent.get_absolute_url())
        return self.render_form(form)


# --- Business plan ------------------------------------------------------------------------


class BusinessPlanListView(ObjectListView):
    model = BusinessPlan
    title = "Business plans"
    filterset_class = BusinessPlanFilter
    add_url_name = "governance:businessplan_add"
    queryset = BusinessPlan.objects.select_related("approved_by").annotate(
        priority_count=Count("priorities")
    )
    table = Table(
        [
            Column("year", "Year", link=True),
            Column("title", "Title"),
            Column("priority_count", "Priorities", numeric=True),
            Column("approved_by", "Approved by", sort="approved_by__name"),
            Column("approved_on", "Approved on"),
        ]
    )
    ordering = ("-year",)


class BusinessPlanDetailView(ObjectDetailView):
    model = BusinessPlan
    template_name = "governance/businessplan_detail.html"
    fields = ["year", "summary", "approved_by", "approved_on"]

    def extra_context(self) -> dict[str, Any]:
        priorities = list(
            self.object.priorities.select_related("lead", "lead_agency").prefetch_related("themes")
        )
        progress = selectors.plan_progress(priorities)
        return {
            "priorities": [{"priority": p, "progress": progress[p.pk]} for p in priorities],
            "totals": selectors.plan_totals(progress),
            "can_add_priority": allowed(self.request, self.object, "change"),
        }


class BusinessPlanCreateView(ObjectCreateView):
    model = BusinessPlan
    form_class = BusinessPlanForm
    title = "Start a business plan"

    def save(self, form: forms.BaseForm) -> Any:
        return services.business_plan_create(
            partnership=self.partnership,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )


class BusinessPlanEditView(ObjectEditView):
    model = BusinessPlan
    form_class = BusinessPlanForm


class BusinessPlanDeleteView(ObjectDeleteView):
    model = BusinessPlan
    success_url_name = "governance:businessplan_list"


class BusinessPlanHistoryView(ObjectHistoryView):
    model = BusinessPlan


class PriorityListView(ObjectListView):
    model = Priority
    filterset_class = PriorityFilter
    queryset = Priority.objects.select_related("plan", "lead", "lead_agency")
    table = Table(
        [
            Column("title", "Priority", link=True),
            Column("plan.year", "Plan", sort="plan__year"),
            Column("lead", "Lead", sort="lead__full_name"),
            Column("lead_agency", "Lead agency", sort="lead_agency__name"),
            Column("success_measures", "Success measures", sort=None),
        ]
    )
    ordering = ("-plan__year", "order")


class PriorityCreateView(ParentMixin, ObjectCreateView):
    model = Priority
    parent_model = BusinessPlan
    form_class = PriorityForm
    title = "Add a priority"

    def check_allowed(self) -> None:
        super().check_allowed()
        _ = self.parent

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        return super().render_form(form, cancel_url=self.parent.get_absolute_url(), **extra)

    def save(self, form: forms.BaseForm) -> Any:
        return services.priority_create(
            plan=self.parent,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )


class PriorityDetailView(ObjectDetailView):
    model = Priority
    template_name = "governance/priority_detail.html"
    queryset = Priority.objects.select_related("plan", "lead", "lead_agency")
    fields = ["plan", "description", "lead", "lead_agency", "success_measures"]

    def extra_context(self) -> dict[str, Any]:
        priority = self.object
        links = list(priority.links.select_related("linked_type"))
        return {
            "themes": priority.themes.all(),
            "links": selectors.visible_links(self.request.user, links),
            "progress": selectors.plan_progress([priority])[priority.pk],
            "can_link": allowed(self.request, priority, "change"),
        }


class PriorityEditView(ObjectEditView):
    model = Priority
    form_class = PriorityForm

    def save(self, form: forms.BaseForm) -> Any:
        priority = form.save(commit=False)  # type: ignore[attr-defined]
        if priority.order is None:
            priority.order = self.object.order
        priority.full_clean()
        priority.save()
        form.save_m2m()  # type: ignore[attr-defined]
        return priority


class PriorityDeleteView(ObjectDeleteView):
    model = Priority
    success_url_name = "governance:businessplan_list"


class PriorityHistoryView(ObjectHistoryView):
    model = Priority


class PriorityLinkAddView(ParentMixin):
    """Link a record that serves the priority."""

    permission = "change"
    parent_model = Priority

    def render_form(self, form: forms.Form) -> HttpResponse:
        return render(
            self.request,
            "core/object_form.html",
            {
                "title": "Link a record to this priority",
                "form": form,
                "object": self.parent,
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(PriorityLinkForm(request=request))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PriorityLinkForm(request.POST, request=request)
        if form.is_valid():
            try:
                services.priority_link_add(
                    priority=self.parent,
                    linked=form.linked_object,  # type: ignore[arg-type]
                    note=form.cleaned_data["note"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Linked.")
                return HttpResponseRedirect(self.parent.get_absolute_url())
        return self.render_form(form)


class PriorityLinkRemoveView(ParentMixin):
    """Remove a link from a priority (POST only)."""

    permission = "delete"
    parent_model = PriorityLink
    parent_action = "delete"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        link = self.parent
        priority = link.priority
        services.priority_link_remove(link=link, by=request.user)  # type: ignore[arg-type]
        messages.success(request, "Link removed.")
        return HttpResponseRedirect(priority.get_absolute_url())


__all__ = ["REPORT_COLOURS"]
