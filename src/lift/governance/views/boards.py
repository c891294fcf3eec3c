"""Pages of boards and groups and the responsibilities they report against."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lift.core.calendar import FinancialYear
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    allowed,
)

from .. import selectors, services
from ..choices import ReportStatus
from ..filters import BoardFilter
from ..forms import BoardForm, ReportForm
from ..models import Board, Meeting, Membership
from ..responsibilities import catalogue
from .base import ParentMixin


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
    from ..rules import YearFormat

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
