"""Young people's views, the workshop, completion, the overview report (page, PDF, DOCX),
findings and recommendations into the learning chain, the Board and dissemination."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lift.core.documents import document_response, render_html
from lift.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectMixin,
    restricted,
)
from lift.core.views.steps import StepView
from lift.learning.models import Dissemination, Finding, Recommendation

from .. import rules, selectors, services
from ..choices import AuditStatus
from ..forms import (
    BoardForm,
    DisseminationForm,
    FindingForm,
    OverviewForm,
    RecommendationForm,
    ViewsForm,
    WaiverForm,
    WorkshopForm,
)
from ..models import Audit, Workshop, YoungPeoplesViews
from ..report import build_overview
from .common import require


def _back(audit: Audit) -> str:
    return str(audit.get_absolute_url())


class ViewsAddView(StepView):
    model = Audit
    permission = "record_views"
    form_class = ViewsForm
    title = "Record young people's views"
    intro = (
        "Every multi-agency audit seeks the views of a group of children and young people on "
        "its theme. Do not include names or anything else that could identify a child."
    )
    submit_label = "Save views"
    success_message = "Young people's views recorded."

    def perform(self, form: forms.BaseForm) -> str:
        views = services.views_record(
            audit=self.object,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )
        return str(views.get_absolute_url())


class ViewsDetailView(ObjectDetailView):
    model = YoungPeoplesViews
    template_name = "audits/views_detail.html"
    fields = [
        "group_description",
        "held_on",
        "how_gathered",
        "number_of_young_people",
        "what_they_said",
    ]

    def extra_context(self) -> dict[str, Any]:
        v = self.object
        return {"audit": v.audit, "consultation": v.consultation}


class ViewsEditView(ObjectEditView):
    model = YoungPeoplesViews
    fields = [
        "group_description",
        "held_on",
        "how_gathered",
        "number_of_young_people",
        "what_they_said",
    ]

    def save(self, form: forms.BaseForm) -> Any:
        v = form.save(commit=False)  # type: ignore[attr-defined]
        rules.NoIdentifiersInText.check(
            {"group_description": v.group_description, "what_they_said": v.what_they_said},
            services.audit_identifiers(v.audit, self.request.user),
        )
        v.full_clean()
        v.save()
        return v


class ViewsHistoryView(ObjectHistoryView):
    model = YoungPeoplesViews


class WaiverView(StepView):
    model = Audit
    permission = "record_views"
    form_class = WaiverForm
    title = "Record why young people's views were not sought"
    submit_label = "Save reason"
    success_message = (
        "Reason recorded. The sub-group chair must approve it, then the Chair agree to it."
    )

    def initial(self) -> dict[str, Any]:
        return {"reason": self.object.views_waiver_reason}

    def perform(self, form: forms.BaseForm) -> str:
        services.views_waiver_request(
            audit=self.object,
            reason=form.cleaned_data["reason"],
            by=self.me,
        )
        return _back(self.object)


class WaiverApproveView(StepView):
    model = Audit
    permission = "approve_waiver"
    title = "Approve completing the audit without young people's views"
    submit_label = "Approve"
    success_message = "Approved."

    def check_step(self) -> None:
        a = self.object
        if not a.views_waiver_reason or a.views_waiver_approved_by_id:
            raise Http404

    def summary(self) -> list[tuple[str, Any]]:
        return [("Reason", self.object.views_waiver_reason)]

    def perform(self, form: forms.BaseForm) -> str:
        services.views_waiver_approve(audit=self.object, by=self.me)
        return _back(self.object)


class WaiverAgreeView(StepView):
    model = Audit
    permission = "agree_waiver"
    title = "Agree to completing the audit without young people's views"
    intro = (
        "Young people's views are part of every multi-agency audit. The sub-group chair has "
        "approved the reason below; the audit can be completed without their views only "
        "once you agree."
    )
    submit_label = "Agree"
    success_message = "Agreed."

    def check_step(self) -> None:
        a = self.object
        if not (a.views_waiver_reason and a.views_waiver_approved_by_id) or (
            a.views_waiver_agreed_by_id
        ):
            raise Http404

    def summary(self) -> list[tuple[str, Any]]:
        a = self.object
        approved = f"{a.views_waiver_approved_by} on {a.views_waiver_approved_on:%-d %B %Y}"
        return [("Reason", a.views_waiver_reason), ("Approved by the sub-group chair", approved)]

    def perform(self, form: forms.BaseForm) -> str:
        services.views_waiver_agree(audit=self.object, by=self.me)
        return _back(self.object)


class WorkshopAddView(StepView):
    model = Audit
    permission = "change"
    form_class = WorkshopForm
    title = "Record the workshop"
    intro = "The workshop brings the agencies' returns together for discussion and challenge."
    submit_label = "Save workshop"
    success_message = "Workshop recorded."

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        w = services.workshop_record(
            audit=self.object,
            by=self.me,
            held_on=d["held_on"],
            attendees=d["attendees"],
            agencies=list(d["agencies"]),
            discussion_notes=d["discussion_notes"],
            challenge_notes=d["challenge_notes"],
        )
        return str(w.get_absolute_url())


class WorkshopDetailView(ObjectDetailView):
    model = Workshop
    template_name = "audits/workshop_detail.html"
    fields = ["held_on", "attendees", "discussion_notes", "challenge_notes"]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        rows.insert(2, ("Agencies", ", ".join(a.name for a in self.object.agencies.all())))
        return rows


class WorkshopEditView(ObjectEditView):
    model = Workshop
    fields = ["held_on", "attendees", "agencies", "discussion_notes", "challenge_notes"]

    def save(self, form: forms.BaseForm) -> Any:
        w = form.save(commit=False)  # type: ignore[attr-defined]
        rules.NoIdentifiersInText.check(
            {"discussion_notes": w.discussion_notes, "challenge_notes": w.challenge_notes},
            services.audit_identifiers(w.audit, self.request.user),
        )
        w.full_clean()
        w.save()
        form.save_m2m()  # type: ignore[attr-defined]
        return w


class WorkshopHistoryView(ObjectHistoryView):
    model = Workshop


class AuditCompleteView(StepView):
    model = Audit
    permission = "complete"
    title = "Complete the audit"
    intro = (
        "An audit is complete when every return is in, the workshop has been held and young "
        "people's views are recorded (or a reason for their absence approved by the sub-group "
        "chair)."
    )
    submit_label = "Complete the audit"
    success_message = "Audit completed."

    def check_step(self) -> None:
        require(self.object.status not in (AuditStatus.COMPLETED, AuditStatus.CANCELLED))

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_complete(audit=self.object, by=self.me)
        return _back(self.object)


# --- the overview report ------------------------------------------------------------------


class ReportView(ObjectMixin):
    """The overview report as a page (with PDF and Word downloads)."""

    model = Audit
    permission = "report"
    queryset = Audit.objects.select_related("programme", "template", "partnership")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        audit = self.object
        doc = build_overview(audit, request.user)
        return render(
            request,
            "audits/report.html",
            {
                "view": self,
                "title": doc.title,
                "object": audit,
                "body": render_html(doc, include_title=False),
                "can_edit_summary": audit.status != AuditStatus.CANCELLED and self.may("change"),
            },
        )


class ReportDownloadView(ObjectMixin):
    model = Audit
    permission = "report"
    queryset = Audit.objects.select_related("programme", "template", "partnership")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = self.kwargs["fmt"]
        if fmt not in ("pdf", "docx"):
            raise Http404
        doc = build_overview(self.object, request.user)
        return document_response(doc, fmt, f"audit-overview-{self.object.title}")


class OverviewSummaryView(StepView):
    model = Audit
    permission = "change"
    form_class = OverviewForm
    title = "Write the overview report's summary"
    submit_label = "Save summary"
    success_message = "Summary saved."

    def initial(self) -> dict[str, Any]:
        return {"summary": self.object.overview_summary}

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_overview_save(
            audit=self.object,
            summary=form.cleaned_data["summary"],
            by=self.me,
        )
        return f"{self.object.get_absolute_url()}report/"


# --- learning chain, Board, dissemination ----------------------------------------------------


class FindingAddView(StepView):
    model = Audit
    permission = "change"
    form_class = FindingForm
    title = "Add a finding of this audit"
    intro = "The finding goes into the partnership's learning chain with this audit as its source."
    submit_label = "Add finding"
    success_message = "Finding added."

    def check_step(self) -> None:
        require(Finding.access.allows(self.request.user, "add", self.partnership))

    def initial(self) -> dict[str, Any]:
        return {"kind": "improvement", "themes": list(self.object.themes.all())}

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        services.audit_finding_add(
            audit=self.object,
            by=self.me,
            title=d["title"],
            text=d["text"],
            kind=d["kind"],
            themes=list(d["themes"]),
        )
        return _back(self.object)


class RecommendationAddView(StepView):
    model = Audit
    permission = "change"
    form_class = RecommendationForm
    title = "Add a recommendation of this audit"
    submit_label = "Add recommendation"
    success_message = "Recommendation added."

    def check_step(self) -> None:
        require(Recommendation.access.allows(self.request.user, "add", self.partnership))

    def form_kwargs(self) -> dict[str, Any]:
        return {"findings": selectors.audit_findings(self.request.user, self.object)}

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        services.audit_recommendation_add(
            audit=self.object,
            by=self.me,
            reference=d["reference"],
            text=d["text"],
            findings=list(d["findings"]),
            addressee=d["addressee"],
            agencies=list(d["agencies"]),
            themes=list(self.object.themes.all()),
        )
        return _back(self.object)


class BoardView(StepView):
    model = Audit
    permission = "report"
    form_class = BoardForm
    title = "Take the overview report to a meeting"
    intro = "Adds an item to the meeting's agenda, linked to this audit."
    submit_label = "Add to the agenda"
    success_message = "Added to the meeting's agenda."

    def check_step(self) -> None:
        require(services.governance_available())
        from lift.governance.models import AgendaItem

        require(AgendaItem.access.allows(self.request.user, "add", self.partnership))

    def form_kwargs(self) -> dict[str, Any]:
        from lift.governance.models import Meeting

        meetings = (
            restricted(Meeting, self.request, "view")
            .filter(starts_at__date__gte=timezone.localdate())
            .exclude(status="cancelled")
            .select_related("board")
            .order_by("starts_at")
        )
        return {"meetings": meetings}

    def perform(self, form: forms.BaseForm) -> str:
        services.audit_report_to_board(
            audit=self.object,
            meeting=form.cleaned_data["meeting"],
            by=self.me,
        )
        return _back(self.object)


class DisseminationAddView(StepView):
    model = Audit
    permission = "change"
    form_class = DisseminationForm
    title = "Record how the audit's findings were disseminated"
    submit_label = "Save"
    success_message = "Dissemination recorded."

    def check_step(self) -> None:
        require(Dissemination.access.allows(self.request.user, "add", self.partnership))

    def perform(self, form: forms.BaseForm) -> str:
        d = form.cleaned_data
        services.audit_dissemination_record(
            audit=self.object,
            by=self.me,
            kind=d["kind"],
            title=d["title"],
            held_on=d["held_on"],
            audience=d["audience"],
            agencies_reached=list(d["agencies_reached"]),
            people_reached=d["people_reached"],
            summary=d["summary"],
        )
        return _back(self.object)
