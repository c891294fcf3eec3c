"""Cascade sessions, the single-agency training register (and its import), the needs
assessment, settings, the dashboard and the annual report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from lift.core.charts import cached_svg
from lift.core.documents import document_request, document_response, render_html
from lift.core.models import Agency
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
    restricted,
    scope_form,
)
from lift.core.views.steps import StepView

from .. import reports, services
from ..choices import NeedsStatus
from ..filters import AgencyTrainingFilter, CascadeFilter
from ..forms import (
    AgencyTrainingForm,
    CascadeForm,
    ImportForm,
    NeedsAssessmentForm,
    NeedsCloseForm,
    TrainingSettingsForm,
    needs_return_form_class,
)
from ..imports import import_agency_training
from ..models import (
    AgencyTraining,
    CascadeSession,
    Course,
    NeedsAssessment,
    NeedsReturn,
    Programme,
    TrainingSettings,
)
from ..tables import AGENCY_TRAINING_TABLE, CASCADE_TABLE, NEEDS_TABLE
from .common import AgencyCreateView


def agencies_for(request: HttpRequest, model: Any, action: str = "add") -> Any:
    agencies = Agency.objects.filter(partnership=request.partnership, is_active=True)  # type: ignore[attr-defined]
    return agencies.filter(
        pk__in=[
            a.pk
            for a in agencies
            if model.access.allows(request.user, action, request.partnership, agency=a)  # type: ignore[attr-defined]
        ]
    )


# --- cascade ---------------------------------------------------------------------------


class CascadeListView(ObjectListView):
    model = CascadeSession
    queryset = CascadeSession.objects.select_related("course", "agency")
    table = CASCADE_TABLE
    filterset_class = CascadeFilter
    ordering = ("-delivered_on", "-pk")
    add_url_name = "training:cascadesession_add"
    title = "Cascade training"
    intro = "Briefings and workshops agencies ran themselves with train-the-trainer materials."

    def can_add(self) -> bool:
        return CascadeSession.access.allows_any(self.request.user, "add", self.partnership)


class CascadeDetailView(ObjectDetailView):
    model = CascadeSession


class CascadeCreateView(AgencyCreateView):
    model = CascadeSession
    form_class = CascadeForm

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        form.fields["course"].queryset = Course.objects.filter(  # type: ignore[attr-defined]
            partnership=self.partnership, format="train_the_trainer"
        )
        return scope_form(form, self.request)  # the courses the person may view

    def save(self, form: forms.BaseForm) -> CascadeSession:
        d = form.cleaned_data
        return services.cascade_record(
            course=d["course"],
            agency=d["agency"],
            delivered_on=d["delivered_on"],
            format=d["format"],
            delivered_by=d["delivered_by"],
            attendees=d["attendees"],
            notes=d["notes"],
        )


class CascadeEditView(ObjectEditView):
    model = CascadeSession
    form_class = CascadeForm

    def save(self, form: forms.BaseForm) -> CascadeSession:
        return services.cascade_update(
            cascade=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class CascadeDeleteView(ObjectDeleteView):
    model = CascadeSession
    success_url_name = "training:cascadesession_list"


class CascadeHistoryView(ObjectHistoryView):
    model = CascadeSession


# --- single-agency training register ---------------------------------------------------


class AgencyTrainingListView(ObjectListView):
    model = AgencyTraining
    queryset = AgencyTraining.objects.select_related("agency")
    table = AGENCY_TRAINING_TABLE
    filterset_class = AgencyTrainingFilter
    ordering = ("-period_end", "agency__name")
    add_url_name = "training:agencytraining_add"
    title = "Single-agency training register"
    intro = "Safeguarding training partner agencies provide themselves."
    template_name = "training/agencytraining_list.html"

    def can_add(self) -> bool:
        return AgencyTraining.access.allows_any(self.request.user, "add", self.partnership)


class AgencyTrainingDetailView(ObjectDetailView):
    model = AgencyTraining
    fields = ["agency", "title", "level", "period_start", "period_end", "number_trained", "notes"]

    def summary(self) -> list[tuple[str, Any]]:
        themes = ", ".join(t.name for t in self.object.themes.all())
        return [*super().summary(), ("Themes", themes)]


class AgencyTrainingCreateView(AgencyCreateView):
    model = AgencyTraining
    form_class = AgencyTrainingForm

    def save(self, form: forms.BaseForm) -> AgencyTraining:
        d = form.cleaned_data
        return services.agency_training_record(
            agency=d["agency"],
            title=d["title"],
            level=d["level"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            number_trained=d["number_trained"],
            themes=list(d["themes"]),
            notes=d["notes"],
        )


class AgencyTrainingEditView(ObjectEditView):
    model = AgencyTraining
    form_class = AgencyTrainingForm

    def save(self, form: forms.BaseForm) -> AgencyTraining:
        return services.agency_training_update(
            agency_training=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class AgencyTrainingDeleteView(ObjectDeleteView):
    model = AgencyTraining
    success_url_name = "training:agencytraining_list"


class AgencyTrainingHistoryView(ObjectHistoryView):
    model = AgencyTraining


class AgencyTrainingImportView(LiftView):
    """Import register entries from CSV or Excel: all or nothing, errors by line."""

    permission = "add"
    template_name = "training/import.html"

    def check(self) -> Any:
        if not AgencyTraining.access.allows_any(self.request.user, "add", self.partnership):
            raise PermissionDenied
        return agencies_for(self.request, AgencyTraining)

    def page(self, form: forms.Form, errors: list[Any] | None = None) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"title": "Import single-agency training", "form": form, "import_errors": errors or []},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check()
        return self.page(ImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        agencies = self.check()
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(form)
        result, created = import_agency_training(
            partnership=self.partnership,
            uploaded=form.cleaned_data["file"],
            agencies=list(agencies),
        )
        if not result.ok:
            return self.page(form, [tuple(e) for e in result.errors])
        messages.success(request, f"Imported {len(created)} entries.")
        return HttpResponseRedirect(reverse("training:agencytraining_list"))


# --- needs assessment ------------------------------------------------------------------


class NeedsListView(ObjectListView):
    model = NeedsAssessment
    table = NEEDS_TABLE
    ordering = ("-opens_on",)
    add_url_name = "training:needsassessment_add"
    title = "Training needs assessments"


class NeedsDetailView(ObjectDetailView):
    model = NeedsAssessment
    template_name = "training/needs_detail.html"
    fields = ["year", "title", "opens_on", "closes_on", "status", "informs"]

    def extra_context(self) -> dict[str, Any]:
        a = self.object
        returns = list(
            NeedsReturn.objects.restrict(self.request.user, "view")
            .filter(assessment=a)
            .select_related("agency", "assessment__question_set")
            .prefetch_related("themes")
        )
        demand: dict[str, int] = {}
        for r in returns:
            for t in r.themes.all():
                demand[t.name] = demand.get(t.name, 0) + 1
        return {
            "returns": returns,
            "demand": sorted(demand.items(), key=lambda kv: (-kv[1], kv[0])),
            "themes": list(a.themes.all()),
            "can_return": a.status == NeedsStatus.OPEN
            and NeedsReturn.access.allows_any(self.request.user, "add", self.partnership),
            "can_close": a.status == NeedsStatus.OPEN and allowed(self.request, a, "change"),
        }


class NeedsCreateView(ObjectCreateView):
    model = NeedsAssessment
    form_class = NeedsAssessmentForm

    def save(self, form: forms.BaseForm) -> NeedsAssessment:
        d = form.cleaned_data
        return services.needs_assessment_create(
            partnership=self.partnership,
            year=d["year"],
            title=d["title"],
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            themes=list(d["themes"]),
        )


class NeedsEditView(ObjectEditView):
    model = NeedsAssessment
    form_class = NeedsAssessmentForm

    def save(self, form: forms.BaseForm) -> NeedsAssessment:
        return services.needs_assessment_update(
            needs_assessment=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class NeedsHistoryView(ObjectHistoryView):
    model = NeedsAssessment


class NeedsReturnAddView(StepView):
    model = NeedsAssessment
    permission = "view"
    title = "Make your agency's return"
    submit_label = "Send the return"
    success_message = "Thank you: the return is recorded."

    def check_step(self) -> None:
        if self.object.status != NeedsStatus.OPEN:
            raise Http404("This assessment is closed.")
        if not NeedsReturn.access.allows_any(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def get_form_class(self) -> type[forms.BaseForm]:
        # The base narrows the themes to the partnership's, and to those the person may view.
        agencies = agencies_for(self.request, NeedsReturn)
        return needs_return_form_class(self.object.question_set, agencies)

    def perform(self, form: forms.BaseForm) -> None:
        d = dict(form.cleaned_data)
        agency = d.pop("agency")
        themes = list(d.pop("themes"))
        level2, level3 = d.pop("staff_level2"), d.pop("staff_level3")
        services.needs_return_submit(
            assessment=self.object,
            agency=agency,
            by=self.me,
            answers=d,
            themes=themes,
            staff_level2=level2,
            staff_level3=level3,
        )


class NeedsCloseView(StepView):
    model = NeedsAssessment
    permission = "change"
    form_class = NeedsCloseForm
    title = "Close the needs assessment"
    intro = "The themes agencies asked for are added to the programme it informs."
    submit_label = "Close the assessment"
    success_message = "The assessment is closed."

    def check_step(self) -> None:
        if self.object.status != NeedsStatus.OPEN:
            raise Http404("Already closed.")

    def perform(self, form: forms.BaseForm) -> None:
        services.needs_assessment_close(
            assessment=self.object, informs=form.cleaned_data["informs"]
        )


# --- settings, dashboard, report ------------------------------------------------------


class SettingsView(ObjectEditView):
    """The partnership's training settings (created with the defaults on first visit)."""

    model = TrainingSettings
    form_class = TrainingSettingsForm
    title = "Training settings"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        partnership = getattr(request, "partnership", None)
        if partnership is not None and request.user.is_authenticated:
            self.kwargs = {**kwargs, "pk": services.training_settings(partnership).pk}
            kwargs = self.kwargs
        return super().dispatch(request, *args, **kwargs)

    def save(self, form: forms.BaseForm) -> TrainingSettings:
        return services.training_settings_update(
            training_settings=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


def _programme(request: HttpRequest) -> Programme | None:
    qs = restricted(Programme, request, "view")
    wanted = request.GET.get("programme", "")
    if wanted.isdigit():
        found = qs.filter(pk=int(wanted)).first()
        if found is None:
            raise Http404("No programme found.")
        return found
    today = timezone.localdate()
    return qs.filter(starts_on__lte=today).order_by("-starts_on").first() or qs.first()


class DashboardView(LiftView):
    """The training dashboard: the annual report's figures, on a page."""

    permission = "view"
    template_name = "training/dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not AgencyTraining.access.allows(request.user, "view", self.partnership):
            raise PermissionDenied
        programme = _programme(request)
        partnership = self.partnership
        # Counting the figures and drawing the charts happen once per version of the data
        # (one query), not on every request.
        html = _report_html(partnership, programme)
        return render(
            request,
            self.template_name,
            {
                "title": "Training dashboard",
                "programme": programme,
                "programmes": restricted(Programme, request, "view").order_by("-starts_on"),
                "report_html": mark_safe(html),
            },
        )


def _report_html(partnership: Any, programme: Programme | None) -> str:
    """The annual report as a page fragment, counted and drawn once per version of the
    training data (one query), shared by the dashboard and the report's own page."""
    return cached_svg(
        f"training:dashboard:{partnership.pk}:{programme.pk if programme else 0}",
        reports.dashboard_version(partnership, programme),
        lambda: render_html(reports.annual_report(partnership, programme), include_title=False),
    )


class AnnualReportView(LiftView):
    """The annual training report for the Board: a page that opens at once (drawn once per
    version of the data), its PDF or Word download (?format=pdf|docx|html, rendered once
    per content), or the PDF built in the background (POST)."""

    permission = "view"

    def check(self, request: HttpRequest) -> Programme | None:
        if not AgencyTraining.access.allows(request.user, "view", self.partnership):
            raise PermissionDenied
        return _programme(request)

    def get(self, request: HttpRequest) -> HttpResponse:
        fmt = request.GET.get("format", "")
        if fmt not in {"", "pdf", "docx", "html"}:
            raise Http404("Unknown format.")
        programme = self.check(request)
        if fmt:
            doc = reports.annual_report(self.partnership, programme)
            return document_response(doc, fmt, doc.title, cached=True)
        return render(
            request,
            "training/annual_report.html",
            {
                "title": "Annual training report",
                "programme": programme,
                "report_html": mark_safe(_report_html(self.partnership, programme)),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        programme = self.check(request)
        fmt = request.POST.get("format", "pdf")
        if programme is None or fmt not in ("pdf", "docx"):
            raise Http404
        generated = document_request(
            kind="training_annual_report", subject=programme, fmt=fmt, user=request.user
        )
        return HttpResponseRedirect(reverse("core:document_status", args=[generated.pk]))
