"""The overview report (page, PDF, DOCX), presenting it to the Board, the six-month
follow-up and the Chair's escalation letters."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from lift.core.charts import cached_svg, data_version
from lift.core.documents import document_response, render_html
from lift.core.views.generic import ObjectMixin, allowed
from lift.core.views.steps import ConfirmForm, StepView

from .. import documents, selectors, services
from ..forms import (
    BoardDateForm,
    EscalationForm,
    EscalationResponseForm,
    OverviewForm,
    PresentForm,
)
from ..models import Cycle, Escalation, FollowUp, OverviewReport
from .common import FORMATS

CYCLE_QS = Cycle.objects.select_related("framework", "framework__scale", "partnership")


def _cached_html(doc: Any) -> SafeString:
    """The report's HTML, drawn once per content: the key is a hash of the document itself
    (every figure, label and sentence), so any change to the data gives a new key and a
    stale chart can never be shown. Drawing the two charts is most of the page's time."""
    html = cached_svg(
        "section11:report-html",
        data_version(doc),
        lambda: str(render_html(doc, include_title=False)),
        timeout=60 * 60 * 24,
    )
    return mark_safe(html)  # render_html output: escaped when built


def _report_of(cycle: Cycle) -> OverviewReport | None:
    return OverviewReport.objects.filter(cycle=cycle).first()


class _CycleReports(ObjectMixin):
    """Reports are for those who read across agencies (OverviewReport's view policy)."""

    model = Cycle
    queryset = CYCLE_QS
    permission = "view"

    def check_reader(self) -> None:
        if not OverviewReport.access.allows_any(self.request.user, "view", self.partnership):
            raise PermissionDenied


class CycleReportView(_CycleReports):
    """The overview report page (and its PDF and Word). The heat map and the report body
    are drawn once per version of the figures (selectors.report_version: one aggregate
    query) and kept in the cache, so a 40-agency x 120-requirement cycle costs about the
    same as a small one; any saved answer, return, report or cycle change is a new version."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        cycle = self.object
        self.check_reader()
        report = _report_of(cycle)
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            doc = documents.overview_doc(cycle, report, selectors.overview(cycle))
            return document_response(doc, fmt, f"section-11-overview-{cycle.name}")
        version = selectors.report_version(cycle, report)

        def draw() -> str:
            ov = selectors.overview(cycle)
            doc = documents.overview_doc(cycle, report, ov)
            return render_to_string(
                "section11/_report_body.html",
                {"ov": ov, "heat_rows": ov.heat_rows(), "doc_html": _cached_html(doc)},
            )

        body = cached_svg(
            f"section11:report-body:{cycle.pk}", data_version(version), draw, timeout=60 * 60 * 24
        )
        clock = services.follow_up_clock(report) if report and report.board_date else None
        context = {
            "title": f"Section 11 overview report {cycle.name}",
            "object": cycle,
            "report": report,
            "body": mark_safe(body),  # rendered by our template from escaped values
            "clock": clock,
            "can_write": report is None and allowed(request, cycle, "change"),
            "can_present": report is not None and allowed(request, cycle, "present"),
        }
        return render(request, "section11/report.html", context)


class OverviewWriteView(StepView):
    model = Cycle
    queryset = CYCLE_QS
    permission = "change"
    form_class = OverviewForm
    title = "Write the overview report"
    submit_label = "Save the report"
    success_message = "Overview report saved; its key areas are in the learning chain."

    def perform(self, form: forms.BaseForm) -> str:
        services.overview_create(cycle=self.object, by=self.me, **form.cleaned_data)
        return reverse("section11:cycle_report", args=[self.object.pk])


def _meetings(request: HttpRequest) -> list[tuple[str, str]]:
    """Upcoming Board meetings the user may add agenda items to (if governance is there)."""
    from django.apps import apps

    if not apps.is_installed("lift.governance"):
        return []
    from lift.core.views.generic import restricted
    from lift.governance.models import Meeting

    qs = restricted(Meeting, request, "change").filter(starts_at__gte=timezone.now())[:20]
    return [(str(m.pk), str(m)) for m in qs]


class OverviewPresentView(StepView):
    model = Cycle
    queryset = CYCLE_QS
    permission = "present"
    form_class = PresentForm
    title = "The overview report goes to the Board"
    intro = (
        "Six months after this date, the agencies' outstanding actions are reported "
        "to the Board, and the Chair pursues any that are overdue."
    )
    submit_label = "Record the Board date"
    success_message = "Board date recorded; the six-month follow-up clock is running."

    def form_kwargs(self) -> dict[str, Any]:
        return {"meetings": _meetings(self.request)}

    def perform(self, form: forms.BaseForm) -> str:
        report = _report_of(self.object)
        if report is None:
            raise Http404("Write the overview report first.")
        meeting = None
        meeting_id = form.cleaned_data.get("meeting")
        if meeting_id:
            from lift.core.views.generic import restricted
            from lift.governance.models import Meeting

            meeting = restricted(Meeting, self.request, "change").filter(pk=meeting_id).first()
        services.overview_present(
            report=report,
            board_date=form.cleaned_data["board_date"],
            by=self.me,
            meeting=meeting,
        )
        return reverse("section11:cycle_report", args=[self.object.pk])


class FollowUpView(_CycleReports):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        cycle = self.object
        self.check_reader()
        report = _report_of(cycle)
        follow_up = FollowUp.objects.filter(report=report).first() if report else None
        today = timezone.localdate()
        fmt = request.GET.get("format", "")
        if follow_up is not None and fmt in FORMATS:
            doc = documents.follow_up_doc(follow_up, today)
            return document_response(doc, fmt, f"section-11-follow-up-{cycle.name}")
        grouped = selectors.outstanding_by_agency(cycle, today=today)
        context = {
            "title": f"Section 11 six-month follow-up {cycle.name}",
            "object": cycle,
            "report": report,
            "follow_up": follow_up,
            "clock": services.follow_up_clock(report) if report else None,
            "grouped": grouped,
            "escalations": (follow_up.escalations.select_related("agency") if follow_up else []),
            "can_act": allowed(request, cycle, "present"),
        }
        return render(request, "section11/follow_up.html", context)


class FollowUpGenerateView(StepView):
    model = Cycle
    queryset = CYCLE_QS
    permission = "present"
    form_class: ClassVar[type[forms.BaseForm] | None] = ConfirmForm
    title = "Generate the six-month follow-up"
    submit_label = "Generate the report"
    success_message = "Follow-up report generated."

    def perform(self, form: forms.BaseForm) -> str:
        report = _report_of(self.object)
        if report is None:
            raise Http404
        services.follow_up_generate(report=report, by=self.me)
        return reverse("section11:cycle_follow_up", args=[self.object.pk])


class FollowUpPresentView(FollowUpGenerateView):
    form_class = BoardDateForm
    title = "The follow-up goes to the Board"
    submit_label = "Record the Board date"
    success_message = "Recorded: the follow-up clock is met."

    def perform(self, form: forms.BaseForm) -> str:
        report = _report_of(self.object)
        follow_up = FollowUp.objects.filter(report=report).first() if report else None
        if follow_up is None:
            raise Http404
        services.follow_up_present(
            follow_up=follow_up, board_date=form.cleaned_data["board_date"], by=self.me
        )
        return reverse("section11:cycle_follow_up", args=[self.object.pk])


class EscalationCreateView(FollowUpGenerateView):
    form_class = EscalationForm
    title = "Write to an agency's senior management"
    submit_label = "Record the letter"
    success_message = "Letter recorded; download it as PDF or Word from its page."

    def follow_up(self) -> FollowUp:
        report = _report_of(self.object)
        follow_up = FollowUp.objects.filter(report=report).first() if report else None
        if follow_up is None:
            raise Http404("Generate the follow-up first.")
        return follow_up

    def form_kwargs(self) -> dict[str, Any]:
        grouped = selectors.outstanding_by_agency(self.object)
        return {"agencies": [g["agency"] for g in grouped if g["overdue"]]}

    def initial(self) -> dict[str, Any]:
        return {
            "agency": self.request.GET.get("agency", ""),
            "letter_text": (
                "The Board received the Section 11 overview report six months ago. Your "
                "agency's action plan still has overdue actions. Please tell the Board, by "
                "return, when each will be completed and what is preventing progress."
            ),
        }

    def perform(self, form: forms.BaseForm) -> str:
        esc = services.escalation_record(
            follow_up=self.follow_up(), by=self.me, **form.cleaned_data
        )
        return esc.get_absolute_url()


class EscalationDetailView(ObjectMixin):
    model = Escalation
    queryset = Escalation.objects.select_related(
        "agency", "follow_up__report__cycle", "sent_by", "partnership"
    )
    permission = "view"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        esc = self.object
        fmt = request.GET.get("format", "")
        doc = documents.letter_doc(esc)
        if fmt in FORMATS:
            return document_response(doc, fmt, f"section-11-letter-{esc.agency.name}")
        context = {
            "title": str(esc),
            "object": esc,
            "doc_html": mark_safe(render_html(doc, include_title=False)),
            "can_change": allowed(request, esc, "change"),
        }
        return render(request, "section11/escalation_detail.html", context)


class EscalationResponseView(StepView):
    model = Escalation
    permission = "change"
    form_class = EscalationResponseForm
    title = "Record the agency's response"
    submit_label = "Save the response"
    success_message = "Response recorded."

    def initial(self) -> dict[str, Any]:
        return {"response": self.object.response, "response_on": self.object.response_on}

    def perform(self, form: forms.BaseForm) -> str:
        services.escalation_response_record(escalation=self.object, by=self.me, **form.cleaned_data)
        return str(self.object.get_absolute_url())
