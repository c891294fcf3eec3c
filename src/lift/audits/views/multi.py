"""The programme, audits and their design: sample, restricted records, team, priorities."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.functional import cached_property

from lift.core.models import Person, RoleAssignment
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
from ..choices import AUDIT_MOVES, AuditStatus, Declaration, ReturnStatus
from ..filters import AuditFilter
from ..forms import (
    AuditForm,
    IdentityForm,
    PersonForm,
    PriorityForm,
    ProgrammeForm,
    SampleCaseEditForm,
    SampleCaseForm,
    StatusForm,
)
from ..models import (
    Assignment,
    Audit,
    AuditProgramme,
    AuditReturn,
    AuditTemplate,
    CaseIdentity,
    SampleCase,
    Workshop,
    YoungPeoplesViews,
)
from ..tables import AUDIT_TABLE, PROGRAMME_TABLE, TEMPLATE_TABLE
from .common import require

# --- programme ------------------------------------------------------------------------------


class AuditListView(ObjectListView):
    model = Audit
    queryset = Audit.objects.select_related("programme").prefetch_related("themes")
    table = AUDIT_TABLE
    filterset_class = AuditFilter
    add_url_name = "audits:audit_add"
    ordering = ("-programme__year", "planned_start", "pk")
    title = "Multi-agency audits"
    intro = (
        "The partnership's programme of thematic multi-agency audits: each agency audits its own "
        "work on a sample of cases, the results are challenged at a workshop and reported."
    )
    template_name = "audits/audit_list.html"

    def extra_context(self) -> dict[str, Any]:
        from ..models import AgencyAuditProgramme

        user = self.request.user
        agency_qs = AgencyAuditProgramme.objects.restrict(user, "view").filter(
            partnership=self.partnership
        )
        return {
            "see_programmes": AuditProgramme.access.allows_any(user, "view", self.partnership),
            "see_agency": AgencyAuditProgramme.access.allows_any(user, "view", self.partnership)
            or agency_qs.exists(),
        }


class ProgrammeListView(ObjectListView):
    model = AuditProgramme
    table = PROGRAMME_TABLE
    add_url_name = "audits:auditprogramme_add"
    title = "Audit programmes"


class ProgrammeCreateView(ObjectCreateView):
    model = AuditProgramme
    form_class = ProgrammeForm
    title = "Add an annual audit programme"

    def save(self, form: forms.BaseForm) -> AuditProgramme:
        d = form.cleaned_data
        return services.programme_create(
            partnership=self.partnership,
            year=d["year"],
            title=d["title"],
            summary=d["summary"],
            approved_on=d["approved_on"],
            by=self.me,
        )


class ProgrammeDetailView(ObjectDetailView):
    model = AuditProgramme
    template_name = "audits/programme_detail.html"
    fields = ["year", "summary", "approved_on"]

    def extra_context(self) -> dict[str, Any]:
        audits = (
            restricted(Audit, self.request, "view")
            .filter(programme=self.object)
            .prefetch_related("themes")
            .order_by("planned_start", "pk")
        )
        return {
            "audits": audits,
            "can_add_audit": Audit.access.allows(self.request.user, "add", self.partnership),
        }


class ProgrammeEditView(ObjectEditView):
    """Correct the programme through `programme_update`."""

    model = AuditProgramme
    form_class = ProgrammeForm

    def save(self, form: forms.BaseForm) -> AuditProgramme:
        return services.programme_update(
            programme=self.object, by=self.me, **{n: form.cleaned_data[n] for n in form.fields}
        )


class ProgrammeHistoryView(ObjectHistoryView):
    model = AuditProgramme


# --- audits -------------------------------------------------------------------------------


class AuditCreateView(ObjectCreateView):
    model = Audit
    form_class = AuditForm
    title = "Add an audit to the programme"

    def save(self, form: forms.BaseForm) -> Audit:
        d = form.cleaned_data
        return services.audit_create(
            programme=d["programme"],
            title=d["title"],
            purpose=d["purpose"],
            themes=list(d["themes"]),
            planned_start=d["planned_start"],
            planned_end=d["planned_end"],
            returns_due_on=d["returns_due_on"],
            template=d["template"],
            agencies=list(d["agencies"]),
            sampling_rule=d["sampling_rule"],
            lead=d["lead"],
            previous_audit=d["previous_audit"],
            by=self.me,
        )


class AuditEditView(ObjectEditView):
    model = Audit
    form_class = AuditForm

    def save(self, form: forms.BaseForm) -> Audit:
        d = dict(form.cleaned_data)
        themes, agencies = d.pop("themes"), d.pop("agencies")
        audit = Audit.objects.get(pk=self.object.pk)
        return services.audit_update(
            audit=audit,
            by=self.me,
            themes=list(themes),
            agencies=list(agencies),
            **d,
        )


class AuditHistoryView(ObjectHistoryView):
    model = Audit


class AuditDetailView(ObjectDetailView):
    model = Audit
    queryset = Audit.objects.select_related(
        "programme",
        "template",
        "lead",
        "previous_audit",
        "views_waiver_approved_by",
        "views_waiver_agreed_by",
    ).prefetch_related("themes", "agencies")
    template_name = "audits/audit_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        a = self.object
        return [
            ("Programme", a.programme),
            ("Status", a.get_status_display()),
            ("Themes", ", ".join(t.name for t in a.themes.all())),
            ("Purpose", a.purpose),
            ("Planned", f"{_d(a.planned_start)} to {_d(a.planned_end)}"),
            ("Returns due", _d(a.returns_due_on)),
            ("Template", a.template),
            ("Participating agencies", ", ".join(sorted(x.name for x in a.agencies.all()))),
            ("Sampling rule", a.sampling_rule),
            ("Lead", a.lead.full_name if a.lead else ""),
            ("Re-audit of", a.previous_audit.title if a.previous_audit else ""),
            ("Completed on", _d(a.completed_on) if a.completed_on else ""),
        ]

    def may(self, action: str) -> bool:
        # From the roles already loaded (see _may), not a query each.
        return self.permissions[action]

    @cached_property
    def permissions(self) -> dict[str, bool]:
        actions = (
            "change",
            "delete",
            "report",
            "record_views",
            "approve_waiver",
            "agree_waiver",
            "complete",
        )
        return {action: _may(self.request, self.object, action) for action in actions}

    def extra_context(self) -> dict[str, Any]:
        a = self.object
        req = self.request
        user = req.user
        # Each case's restricted record (if the user may see it) in the cases' own query.
        identity = restricted(CaseIdentity, req, "view").filter(case=OuterRef("pk"))
        cases = list(
            restricted(SampleCase, req, "view")
            .filter(audit=a)
            .annotate(identity_pk=Subquery(identity.values("pk")[:1]))
            .prefetch_related(
                Prefetch(
                    "returns",
                    queryset=AuditReturn.objects.select_related("agency").order_by("agency__name"),
                )
            )
            .order_by("order")
        )
        identities = {c.pk: c.identity_pk for c in cases if c.identity_pk}  # type: ignore[attr-defined]
        assignments = list(
            restricted(Assignment, req, "view")
            .filter(audit=a)
            .select_related("case", "agency", "auditor", "audit_return")
            .order_by("case__order", "agency__name")
        )
        # The page shows neither the findings' themes nor the recommendations' agencies.
        findings = list(selectors.audit_findings(user, a).prefetch_related(None))
        recommendations = list(selectors.audit_recommendations(user, a).prefetch_related(None))
        may = self.permissions
        team = []
        if may["change"]:
            team = list(
                RoleAssignment.objects.current()
                .filter(
                    role=R.CASE_TEAM,
                    case_type=ContentType.objects.get_for_model(Audit),
                    case_id=a.pk,
                )
                .select_related("person")
            )
        return {
            "cases": cases,
            "identities": identities,
            "assignments": assignments,
            "blocked": [x for x in assignments if x.declaration == Declaration.BLOCKED],
            "may": may,
            "can_add_case": SampleCase.access.allows(user, "add", a.partnership_id, case=a),
            "can_assign": Assignment.access.allows(user, "add", a.partnership_id, case=a),
            "team": team,
            "progress": _progress(a, cases, user),
            "sections": selectors.template_outline(a.template) if a.template else [],
            "views": restricted(YoungPeoplesViews, req, "view").filter(audit=a),
            "workshops": restricted(Workshop, req, "view").filter(audit=a),
            "findings": findings,
            "recommendations": recommendations,
            # No recommendations, no actions; no findings, nothing disseminated: no query.
            "actions": selectors.audit_actions(user, a) if recommendations else [],
            "board_items": services.board_items(a),
            "priorities": selectors.linked_priorities(a),
            "governance": services.governance_available(),
            "can_board": may["report"] and _can_add_agenda_item(req),
            "disseminations": _disseminations(req, findings) if findings else [],
            "reaudits": restricted(Audit, req, "view").filter(previous_audit=a),
            "moves": AUDIT_MOVES.get(a.status, ()),
            "is_closed": a.status in (AuditStatus.COMPLETED, AuditStatus.CANCELLED),
        }


def _progress(audit: Audit, cases: list[SampleCase], user: Any) -> dict[str, int]:
    """Returns by status. Counted from the cases already loaded with their returns when
    the user sees every case of the audit (a partnership-wide reader); otherwise in the
    database, since the page's cases are then only those the user may see."""
    if not SampleCase.access.allows(user, "view", audit.partnership_id):
        return selectors.return_progress(audit)
    counts = Counter(r.status for c in cases for r in c.returns.all())
    return {status: counts.get(status, 0) for status in ReturnStatus.values}


def _may(request: Any, audit: Audit, action: str) -> bool:
    """May the user `action` this audit? The same answer as ``allowed()`` (its policy: the
    partnership's roles, a lead of any participating agency, the audit's case team) from
    the roles already loaded and the agencies the page has fetched, without a query each."""
    access = Audit.access
    if access.allows(request.user, action, audit.partnership_id, case=audit):
        return True
    return any(
        access.allows(request.user, action, audit.partnership_id, agency=agency)
        for agency in audit.agencies.all()
    )


def _disseminations(request: Any, findings: list[Any]) -> Any:
    """The disseminations the reader may view that carried the audit's findings they see."""
    from lift.learning.models import Dissemination

    return (
        restricted(Dissemination, request, "view")
        .filter(findings__in=[f.pk for f in findings])
        .distinct()
        .order_by("-held_on")
    )


def _can_add_agenda_item(request: Any) -> bool:
    if not services.governance_available():
        return False
    from lift.governance.models import AgendaItem

    return AgendaItem.access.allows(request.user, "add", request.partnership)


def _d(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else "Not set"


class AuditStatusView(StepView):
    model = Audit
    permission = "change"
    form_class = StatusForm
    title = "Move the audit on"
    submit_label = "Move"
    success_message = "Status changed."

    def check_step(self) -> None:
        require(bool(AUDIT_MOVES.get(self.object.status)))

    def form_kwargs(self) -> dict[str, Any]:
        moves = AUDIT_MOVES.get(self.object.status, ())
        return {"choices": [(m, AuditStatus(m).label) for m in moves]}

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_status_set(
            audit=self.object,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            by=self.me,
        )
        return str(self.object.get_absolute_url())


class AuditTeamAddView(StepView):
    model = Audit
    permission = "change"
    form_class = PersonForm
    title = "Add someone to the audit team"
    intro = "Members of the audit team see who the sampled children are (each look is logged)."
    submit_label = "Add to the team"
    success_message = "Added to the audit team."

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_team_add(
            audit=self.object,
            person=form.cleaned_data["person"],
            by=self.me,
        )
        return str(self.object.get_absolute_url())


class AuditPriorityView(StepView):
    model = Audit
    permission = "change"
    form_class = PriorityForm
    title = "Link the audit to a business plan priority"
    submit_label = "Link"
    success_message = "Linked to the priority."

    def check_step(self) -> None:
        require(services.governance_available())

    def form_kwargs(self) -> dict[str, Any]:
        from lift.governance.models import Priority

        return {"queryset": restricted(Priority, self.request, "view").select_related("plan")}

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_priority_link(
            audit=self.object,
            priority=form.cleaned_data["priority"],
            by=self.me,
        )
        return str(self.object.get_absolute_url())


# --- the sample ---------------------------------------------------------------------------


class SampleCaseAddView(StepView):
    model = Audit
    permission = "view"
    form_class = SampleCaseForm
    title = "Add a case to the sample"
    intro = (
        "The case reference is what everyone sees. The child's details are a restricted record "
        "seen only by the audit team and by auditors cleared to audit the case."
    )
    submit_label = "Add case"
    success_message = "Case added to the sample."

    def check_step(self) -> None:
        a = self.object
        require(SampleCase.access.allows(self.request.user, "add", a.partnership, case=a))

    def perform(self, form: forms.BaseForm) -> str:
        case = services.sample_case_add(
            audit=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )
        return str(case.get_absolute_url())


class SampleCaseDetailView(ObjectDetailView):
    model = SampleCase
    queryset = SampleCase.objects.select_related("audit")
    template_name = "audits/samplecase_detail.html"
    fields = ["reference", "summary"]

    def extra_context(self) -> dict[str, Any]:
        case = self.object
        return {
            "audit": case.audit,
            "identity": restricted(CaseIdentity, self.request, "view").filter(case=case).first(),
            "returns": restricted(AuditReturn, self.request, "view")
            .filter(case=case)
            .select_related("agency"),
        }


class SampleCaseEditView(ObjectEditView):
    model = SampleCase
    form_class = SampleCaseEditForm

    def save(self, form: forms.BaseForm) -> SampleCase:
        from .. import rules

        case = form.save(commit=False)  # type: ignore[attr-defined]
        rules.NoIdentifiersInText.check(
            {"reference": case.reference, "summary": case.summary},
            services.case_identifiers(case, self.request.user),
        )
        case.full_clean()
        case.save()
        return case


class SampleCaseHistoryView(ObjectHistoryView):
    model = SampleCase


class CaseIdentityDetailView(ObjectDetailView):
    """The restricted record: each read is written to the access log."""

    model = CaseIdentity
    queryset = CaseIdentity.objects.select_related("case__audit")
    restricted_record = True
    template_name = "audits/caseidentity_detail.html"
    fields = ["full_name", "other_names", "date_of_birth", "address", "record_numbers"]

    def tabs(self) -> list[dict[str, Any]]:
        """The history tab only for the audit team (see CaseIdentityHistoryView)."""
        tabs = super().tabs()
        if allowed(self.request, self.object, "change"):
            return tabs
        return [t for t in tabs if t["label"] != "History"]


class CaseIdentityEditView(ObjectEditView):
    """Correct the restricted record through `case_identity_update`."""

    model = CaseIdentity
    form_class = IdentityForm

    def save(self, form: forms.BaseForm) -> CaseIdentity:
        return services.case_identity_update(
            identity=self.object, by=self.me, **{n: form.cleaned_data[n] for n in form.fields}
        )


class CaseIdentityHistoryView(ObjectHistoryView):
    """Only the audit team sees how the restricted record changed (cleared auditors read the
    record as it is now)."""

    model = CaseIdentity
    permission = "change"


# --- templates ----------------------------------------------------------------------------


class TemplateListView(ObjectListView):
    model = AuditTemplate
    table = TEMPLATE_TABLE
    title = "Audit templates"
    intro = "Versioned templates from the reference files: lines of enquiry, questions and scales."
    ordering = ("name", "-version")

    def check_allowed(self) -> None:
        require(self.request.user.is_authenticated)


class TemplateDetailView(ObjectDetailView):
    model = AuditTemplate
    template_name = "audits/template_detail.html"
    fields = ["urn", "version", "kind", "agency_type", "description", "is_current"]

    def extra_context(self) -> dict[str, Any]:
        t = self.object
        return {
            "sections": t.sections.prefetch_related("questions", "grades"),
            "scale": [g for g in t.grades.all() if g.section_id is None],
        }


def people_with_roles(partnership: Any, roles: set[str], agency: Any = None) -> Any:
    qs = Person.objects.filter(
        role_assignments__partnership=partnership,
        role_assignments__role__in=roles,
        role_assignments__case_type__isnull=True,
    )
    if agency is not None:
        qs = qs.filter(role_assignments__agency=agency)
    return qs.distinct().order_by("full_name")
