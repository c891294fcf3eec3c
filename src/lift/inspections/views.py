"""Pages of learning from inspection."""

from __future__ import annotations

from typing import Any, ClassVar, cast

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from lift.core.documents import document_response, render_html
from lift.core.forms import specific_messages
from lift.core.models import Attachment, Person
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    allowed,
    restricted,
    scope_form,
)
from lift.learning.selectors import chain_for

from . import services
from .documents import progress_doc
from .forms import (
    ActionForm,
    InspectionForm,
    JudgementForm,
    PresentForm,
    RecommendationForm,
    ReportFileForm,
)
from .models import Inspection, ProgressReport
from .reference import inspection_reference


def me(request: HttpRequest) -> Person:
    """The signed-in person (every page here is behind sign-in)."""
    return cast(Person, request.user)


class InspectionFilter(django_filters.FilterSet):
    inspectorate = django_filters.ChoiceFilter(choices=(), label="Inspectorate")

    class Meta:
        model = Inspection
        fields = ["inspectorate", "agency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["inspectorate"].extra["choices"] = inspection_reference().choices()


INSPECTION_TABLE = Table(
    [
        Column("title", "Inspection", link=True),
        Column(
            "inspectorate",
            "Inspectorate",
            value=lambda i: i.inspectorate_label(),
            sort="inspectorate",
        ),
        Column(
            "agency",
            "Inspected",
            value=lambda i: i.agency.name if i.agency else "The partnership",
            sort="agency__name",
        ),
        Column("started_on", "Started"),
        Column("published_on", "Published"),
    ]
)


class InspectionListView(ObjectListView):
    model = Inspection
    queryset = Inspection.objects.select_related("agency")
    table = INSPECTION_TABLE
    filterset_class = InspectionFilter
    add_url_name = "inspections:inspection_add"
    title = "Inspections"
    intro = (
        "Inspections of the partnership and its agencies, their action plans and progress "
        "reports to the Board."
    )
    ordering = ("-started_on", "-id")


class InspectionCreateView(ObjectCreateView):
    model = Inspection
    form_class = InspectionForm

    def check_allowed(self) -> None:
        user = self.request.user
        if Inspection.access.allows(user, "add", self.partnership):
            return
        if self.request.method == "POST":
            agency = self.request.POST.get("agency") or ""
            if agency and Inspection.access.allows(
                user, "add", self.partnership, agency=int(agency) if agency.isdigit() else None
            ):
                return
        elif Inspection.access.allows_any(user, "add", self.partnership):
            return
        raise PermissionDenied

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.inspection_create(
            partnership=self.partnership, by=me(self.request), **form.cleaned_data
        )  # type: ignore[arg-type]


class InspectionDetailView(ObjectDetailView):
    model = Inspection
    queryset = Inspection.objects.select_related("agency")
    template_name = "inspections/inspection_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        i = self.object
        return [
            ("Inspectorate", i.inspectorate_label()),
            ("Inspected", i.agency.name if i.agency else "The partnership"),
            ("Dates", f"{i.started_on:%-d %B %Y} to {i.ended_on:%-d %B %Y}"),
            ("Report published", i.published_on or ""),
            ("Summary", i.summary),
            ("Progress reports to the Board", f"Every {i.progress_interval_months} months"),
        ]

    def extra_context(self) -> dict[str, Any]:
        i = self.object
        chain = chain_for(self.request.user, i)
        return {
            "judgements": i.judgements.all(),
            "recommendations": chain.recommendations,
            "actions": chain.actions.select_related(
                "owner_agency", "owner", "recommendation"
            ).order_by("due_on", "pk"),
            "progress_reports": i.progress_reports.all(),
            "files": Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(Inspection), object_id=i.pk
            ),
            "today": timezone.localdate(),
        }


class InspectionEditView(ObjectEditView):
    model = Inspection
    form_class = InspectionForm

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.inspection_update(
            inspection=self.object, by=me(self.request), **form.cleaned_data
        )  # type: ignore[attr-defined]


class InspectionHistoryView(ObjectHistoryView):
    model = Inspection


class _Action(LiftView):
    """A form page acting on one inspection through a service."""

    model: ClassVar[type[models.Model]] = Inspection
    permission = "change"
    form_class: ClassVar[type[forms.Form]]
    submit_label: ClassVar[str] = "Save"

    @cached_property
    def object(self) -> Any:
        try:
            obj = restricted(self.model, self.request, "view").get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist as exc:  # type: ignore[attr-defined]
            raise Http404 from exc
        if not allowed(self.request, obj, self.permission or "view"):
            raise PermissionDenied
        return obj

    def form_kwargs(self) -> dict[str, Any]:
        return {"inspection": self.object}

    def initial(self) -> dict[str, Any]:
        return {}

    def make(self, data: Any = None, files: Any = None) -> forms.Form:
        form = self.form_class(data=data, files=files, initial=self.initial(), **self.form_kwargs())
        # Choices: the partnership's rows the person may view (scope_form).
        return specific_messages(scope_form(form, self.request))  # type: ignore[return-value]

    def page(self, form: forms.Form) -> HttpResponse:
        return render(
            self.request,
            "inspections/form.html",
            {
                "form": form,
                "object": self.object,
                "title": self.title,
                "submit_label": self.submit_label,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.make())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.make(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    target = self.perform(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(target.get_absolute_url())
        return self.page(form)

    def perform(self, form: Any) -> Any:
        raise NotImplementedError


class JudgementAddView(_Action):
    form_class = JudgementForm
    title = "Record a judgement"

    def perform(self, form: Any) -> Any:
        services.judgement_add(inspection=self.object, by=me(self.request), **form.cleaned_data)
        return self.object


class RecommendationAddView(_Action):
    form_class = RecommendationForm
    title = "Add a recommendation"

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def perform(self, form: Any) -> Any:
        services.inspection_recommend(
            inspection=self.object, by=me(self.request), **form.cleaned_data
        )
        return self.object


class ActionAddView(_Action):
    form_class = ActionForm
    title = "Add an action to the action plan"

    def perform(self, form: Any) -> Any:
        services.action_plan_add(by=me(self.request), **form.cleaned_data)
        return self.object


class ReportFileView(_Action):
    form_class = ReportFileForm
    title = "Attach the inspection report"
    submit_label = "Upload"

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def perform(self, form: Any) -> Any:
        services.report_attach(
            inspection=self.object,
            uploaded_file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=me(self.request),
        )
        return self.object


class ProgressReportDetailView(ObjectDetailView):
    """The progress report as a page (generated from the actions' state), or ?format=pdf/docx."""

    model = ProgressReport
    queryset = ProgressReport.objects.select_related("inspection__agency", "meeting")
    template_name = "inspections/progressreport_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "")
        if fmt in ("pdf", "docx"):
            doc = progress_doc(self.object, request.user)
            return document_response(doc, fmt, doc.title)
        return super().get(request, *args, **kwargs)  # type: ignore[return-value]

    def summary(self) -> list[tuple[str, Any]]:
        return []

    def extra_context(self) -> dict[str, Any]:
        return {
            "body": mark_safe(
                render_html(progress_doc(self.object, self.request.user), include_title=False)
            ),
            "can_present": self.object.presented_on is None
            and allowed(self.request, self.object, "present"),
        }


class ProgressReportPresentView(_Action):
    model = ProgressReport
    permission = "present"
    form_class = PresentForm
    title = "Record that the progress report was presented to the Board"
    submit_label = "Record it"

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.object.partnership}

    def initial(self) -> dict[str, Any]:
        return {"presented_on": timezone.localdate()}

    def perform(self, form: Any) -> Any:
        return services.progress_report_present(
            report=self.object, by=me(self.request), **form.cleaned_data
        )


class ProgressReportHistoryView(ObjectHistoryView):
    model = ProgressReport
