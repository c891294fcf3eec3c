"""Single-agency case audits: the agency's programme, team schedules, case audits with
feedback, reports to senior management and the agency-level summary."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from lift.core.access import assignments_for
from lift.core.documents import Chart, Doc, DocTable, Heading, Para, render_html
from lift.core.models import Agency
from lift.core.roles import R
from lift.core.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
    restricted,
)
from lift.core.views.steps import StepView

from .. import selectors, services
from ..choices import CaseAuditStatus
from ..filters import AgencyProgrammeFilter
from ..forms import (
    AgencyProgrammeForm,
    CaseAuditForm,
    FeedbackForm,
    ScheduleForm,
    ShareForm,
    SmtReportForm,
)
from ..models import (
    AgencyAuditProgramme,
    CaseAudit,
    SeniorManagementReport,
    TeamSchedule,
)
from ..tables import AGENCY_PROGRAMME_TABLE
from .common import require
from .multi import people_with_roles


def managed_agencies(request: Any) -> Any:
    """Agencies where the user may add a programme (their safeguarding lead role)."""
    ids = {
        a.agency_id
        for a in assignments_for(request.user)
        if a.role == R.SAFEGUARDING_LEAD and a.agency_id and a.case_type_id is None
    }
    qs = Agency.objects.filter(partnership=request.partnership)
    return qs if request.user.is_superuser else qs.filter(pk__in=ids)


class AgencyProgrammeListView(ObjectListView):
    model = AgencyAuditProgramme
    queryset = AgencyAuditProgramme.objects.select_related("agency", "template")
    table = AGENCY_PROGRAMME_TABLE
    filterset_class = AgencyProgrammeFilter
    add_url_name = "audits:agencyauditprogramme_add"
    ordering = ("-year", "agency__name")
    title = "Single-agency case audits"
    intro = (
        "Agencies' own programmes of case audits. Each is seen only by the agency, and by the "
        "business unit when the agency chooses to share it."
    )

    def check_allowed(self) -> None:
        qs = AgencyAuditProgramme.objects.restrict(self.request.user, "view").filter(
            partnership=self.partnership
        )
        if not (
            AgencyAuditProgramme.access.allows_any(self.request.user, "view", self.partnership)
            or qs.exists()
        ):
            raise PermissionDenied

    def can_add(self) -> bool:
        return managed_agencies(self.request).exists()


class AgencyProgrammeCreateView(ObjectCreateView):
    model = AgencyAuditProgramme
    form_class = AgencyProgrammeForm
    title = "Add a single-agency audit programme"

    def check_allowed(self) -> None:
        require(managed_agencies(self.request).exists())

    def form_kwargs(self) -> dict[str, Any]:
        return {"agencies": managed_agencies(self.request)}

    def save(self, form: forms.BaseForm) -> AgencyAuditProgramme:
        d = form.cleaned_data
        return services.agency_programme_create(
            agency=d["agency"],
            title=d["title"],
            year=d["year"],
            template=d["template"],
            description=d["description"],
            share_with_business_unit=d["share_with_business_unit"],
            by=self.me,
        )


def summary_doc(programme: AgencyAuditProgramme) -> Doc:
    """Grades over time and by team (aggregated in the database), as chart and table."""
    s = selectors.agency_summary(programme)
    labels = [g.label for g in s["grades"]]
    blocks: list[Any] = []
    if not s["total"]:
        return Doc(title="Summary", sections=[Para("No case audits recorded yet.")], toc=False)
    blocks += [
        Heading("Overall grades over time", 2),
        Chart(
            "stacked",
            "Case audits by overall grade, each quarter",
            [q["label"] for q in s["quarters"]],
            {
                label: [float(q["counts"][i]) for q in s["quarters"]]
                for i, label in enumerate(labels)
            },
            y_label="Case audits",
            source=f"LIFT, case audits in the programme “{programme.title}”",
            period=f"{s['quarters'][0]['label']} to {s['quarters'][-1]['label']}"
            if s["quarters"]
            else "",
        ),
        DocTable(
            "Average overall score each quarter (4 is the best)",
            ["Quarter", "Average score", "Case audits"],
            [[q["label"], q["average"], sum(q["counts"])] for q in s["quarters"]],
            numeric=(1, 2),
        ),
        Heading("Overall grades by team", 2),
        DocTable(
            "Case audits by team and overall grade",
            ["Team", *labels],
            [[t["team"], *t["counts"]] for t in s["teams"]],
            numeric=tuple(range(1, len(labels) + 1)),
        ),
        Heading("Average score by domain", 2),
        DocTable(
            "Average score by domain",
            ["Domain", "Average score", "Grades"],
            [[d["title"], d["average"], d["count"]] for d in s["domains"]],
            numeric=(1, 2),
        ),
    ]
    return Doc(title="Summary", sections=blocks, toc=False)


class AgencyProgrammeDetailView(ObjectDetailView):
    model = AgencyAuditProgramme
    queryset = AgencyAuditProgramme.objects.select_related("agency", "template")
    template_name = "audits/agencyprogramme_detail.html"
    fields = ["agency", "year", "template", "description", "share_with_business_unit"]

    def extra_context(self) -> dict[str, Any]:
        p = self.object
        req = self.request
        case_audits = (
            restricted(CaseAudit, req, "view")
            .filter(programme=p)
            .select_related("schedule", "overall_grade", "auditor")
            .order_by("-audited_on", "-pk")[:25]
        )
        return {
            "schedules": restricted(TeamSchedule, req, "view")
            .filter(programme=p)
            .select_related("auditor"),
            "case_audits": case_audits,
            "reports": restricted(SeniorManagementReport, req, "view").filter(programme=p),
            "summary_html": render_html(summary_doc(p), include_title=False),
            "can_manage": allowed(req, p, "change"),
            "can_audit": CaseAudit.access.allows(
                req.user, "add", self.partnership, agency=p.agency_id
            ),
        }


class AgencyProgrammeEditView(ObjectEditView):
    """Correct the agency's programme through `agency_programme_update`."""

    model = AgencyAuditProgramme
    fields = ["title", "year", "description", "share_with_business_unit"]

    def save(self, form: forms.BaseForm) -> AgencyAuditProgramme:
        return services.agency_programme_update(
            programme=self.object, by=self.me, **{n: form.cleaned_data[n] for n in form.fields}
        )


class AgencyProgrammeHistoryView(ObjectHistoryView):
    model = AgencyAuditProgramme


class ScheduleAddView(StepView):
    model = AgencyAuditProgramme
    permission = "change"
    form_class = ScheduleForm
    title = "Add a team to the audit schedule"
    submit_label = "Add team"
    success_message = "Team added to the schedule."

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        p = self.object
        form.fields["auditor"].queryset = people_with_roles(  # type: ignore[attr-defined]
            p.partnership, {R.AUDITOR, R.SAFEGUARDING_LEAD}, agency=p.agency
        )
        return form

    def perform(self, form: forms.BaseForm) -> str:
        services.team_schedule_add(
            programme=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )
        return str(self.object.get_absolute_url())


class CaseAuditAddView(StepView):
    model = TeamSchedule
    permission = "view"
    queryset = TeamSchedule.objects.select_related("programme__template", "programme__agency")
    form_class = CaseAuditForm
    title = "Record a case audit"
    intro = "Grade every domain of the agency's template, and the case overall."
    submit_label = "Save case audit"
    success_message = "Case audit recorded."

    def check_step(self) -> None:
        p = self.object.programme
        require(
            CaseAudit.access.allows(self.request.user, "add", p.partnership, agency=p.agency_id)
        )

    def form_kwargs(self) -> dict[str, Any]:
        p = self.object.programme
        people = people_with_roles(
            p.partnership,
            {R.AUDITOR, R.SAFEGUARDING_LEAD, R.LINE_MANAGER, R.LEARNER},
            agency=p.agency,
        )
        return {"template": p.template, "people": people}

    def initial(self) -> dict[str, Any]:
        return {"auditor": self.request.user.pk}

    def perform(self, form: forms.BaseForm) -> str:
        assert isinstance(form, CaseAuditForm)
        d = form.cleaned_data
        case_audit = services.case_audit_record(
            schedule=self.object,
            case_reference=d["case_reference"],
            audited_on=d["audited_on"],
            auditor=d["auditor"],
            worker=d["worker"],
            manager=d["manager"],
            grades=form.grades(),
            overall_grade=form.overall[d["overall_grade"]],
            strengths=d["strengths"],
            areas_for_improvement=d["areas_for_improvement"],
            by=self.me,
        )
        return str(case_audit.get_absolute_url())


class CaseAuditDetailView(ObjectDetailView):
    model = CaseAudit
    queryset = CaseAudit.objects.select_related(
        "programme__agency", "schedule", "auditor", "worker", "manager", "overall_grade"
    )
    template_name = "audits/caseaudit_detail.html"
    fields = [
        "case_reference",
        "audited_on",
        "schedule",
        "auditor",
        "worker",
        "manager",
        "overall_grade",
        "strengths",
        "areas_for_improvement",
        "status",
        "feedback",
        "feedback_given_on",
        "worker_acknowledged_on",
        "manager_acknowledged_on",
    ]

    def extra_context(self) -> dict[str, Any]:
        c = self.object
        me = self.request.user.pk
        needs_ack = c.feedback_given_on is not None and (
            (me == c.worker_id and c.worker_acknowledged_on is None)
            or (me == c.manager_id and c.manager_acknowledged_on is None)
        )
        return {
            "grades": c.grades.select_related("section", "grade").order_by("section__order"),
            "can_feedback": c.status == CaseAuditStatus.COMPLETED
            and allowed(self.request, c, "feedback"),
            "can_acknowledge": needs_ack,
            "programme_url": c.programme.get_absolute_url()
            if restricted(AgencyAuditProgramme, self.request, "view")
            .filter(pk=c.programme_id)
            .exists()
            else None,
        }


class CaseAuditHistoryView(ObjectHistoryView):
    model = CaseAudit


class CaseAuditFeedbackView(StepView):
    model = CaseAudit
    permission = "feedback"
    form_class = FeedbackForm
    title = "Record the feedback given"
    submit_label = "Save feedback"
    success_message = "Feedback recorded; the worker and manager are asked to acknowledge it."

    def perform(self, form: forms.BaseForm) -> str:
        services.case_audit_feedback(
            case_audit=self.object,
            feedback=form.cleaned_data["feedback"],
            given_on=form.cleaned_data["given_on"],
            by=self.me,
        )
        return str(self.object.get_absolute_url())


class CaseAuditAcknowledgeView(StepView):
    model = CaseAudit
    permission = "acknowledge"
    title = "Acknowledge the feedback"
    submit_label = "I have received this feedback"
    success_message = "Thank you: acknowledged."

    def check_step(self) -> None:
        c = self.object
        if self.request.user.pk not in (c.worker_id, c.manager_id):
            raise Http404

    def summary(self) -> list[tuple[str, Any]]:
        return [("Feedback", self.object.feedback)]

    def perform(self, form: forms.BaseForm) -> str:
        services.case_audit_acknowledge(case_audit=self.object, by=self.me)
        return str(self.object.get_absolute_url())


class SmtReportAddView(StepView):
    model = AgencyAuditProgramme
    permission = "change"
    form_class = SmtReportForm
    title = "Record a report to the senior management team"
    submit_label = "Save report"
    success_message = "Report recorded."

    def perform(self, form: forms.BaseForm) -> str:
        report = services.smt_report_record(
            programme=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )
        return str(report.get_absolute_url())


class SmtReportDetailView(ObjectDetailView):
    model = SeniorManagementReport
    queryset = SeniorManagementReport.objects.select_related("programme__agency")
    template_name = "audits/smtreport_detail.html"
    fields = [
        "programme",
        "period_start",
        "period_end",
        "reported_on",
        "findings",
        "recommendations",
        "actions_agreed",
        "shared_on",
    ]

    def extra_context(self) -> dict[str, Any]:
        r = self.object
        return {"can_share": r.shared_on is None and allowed(self.request, r, "share")}


class SmtReportHistoryView(ObjectHistoryView):
    model = SeniorManagementReport


class SmtReportShareView(StepView):
    model = SeniorManagementReport
    permission = "share"
    form_class = ShareForm
    title = "Share these findings with the partnership"
    intro = (
        "The findings become a lesson in the partnership's learning chain, readable across the "
        "partnership. The case audits themselves stay with your agency."
    )
    submit_label = "Share findings"
    success_message = "Findings shared with the partnership."

    def check_step(self) -> None:
        require(self.object.shared_on is None)

    def perform(self, form: forms.BaseForm) -> str:
        finding = services.smt_report_share(
            report=self.object,
            by=self.me,
            title=form.cleaned_data["title"],
            themes=list(form.cleaned_data["themes"]),
        )
        return str(finding.get_absolute_url())
