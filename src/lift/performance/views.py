"""Pages of the performance dataset: the dataset, indicators and their values, imports,
scrutiny focus areas with commissioned analysis, the Board pack and impact evidence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from lift.core.charts import cached_svg
from lift.core.documents import Chart, render_html
from lift.core.imports import RowError
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    FormMixin,
    LiftView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    allowed,
    restricted,
)
from lift.core.views.steps import StepView
from lift.governance.models import Meeting
from lift.learning.choices import ActionStatus
from lift.learning.models import Action, Finding, ImpactCheck
from lift.learning.selectors import chain_for

from . import rules, selectors, services
from .choices import RAG_COLOURS, Direction, Rag, Unit
from .filters import (
    AnalysisRequestFilter,
    IndicatorFilter,
    IndicatorValueFilter,
    ScrutinyFocusFilter,
)
from .forms import (
    AnalysisRequestForm,
    AnalysisResponseForm,
    DatasetFilterForm,
    FocusActionForm,
    FocusEditForm,
    FocusForm,
    ImpactForm,
    ImportForm,
    IndicatorEditForm,
    IndicatorForm,
    RedefineForm,
    ValueEditForm,
    ValueForm,
)
from .models import AnalysisRequest, Indicator, IndicatorValue, IndicatorVersion, ScrutinyFocus
from .sparkline import describe, sparkline

DIRECTION_SYMBOLS = {
    Direction.BETTER: "Improving",
    Direction.WORSE: "Getting worse",
    Direction.SAME: "No change",
    Direction.UP: "Up",
    Direction.DOWN: "Down",
    Direction.UNKNOWN: "Not enough data",
}
DATASET_PAGE = 50


# --- the dataset ----------------------------------------------------------------------------


class DatasetView(LiftView):
    """Every indicator's latest value, RAG, direction of travel, comparators and trend."""

    permission = "view"
    template_name = "performance/dataset.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not Indicator.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        form = DatasetFilterForm(request.GET or None, partnership=self.partnership)
        filters: dict[str, Any] = {}
        if form.is_bound and form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items() if v}
        qs = selectors.dataset_queryset(request.user, self.partnership, **filters)
        counts = selectors.rag_counts(qs)
        total = sum(counts.values())
        counted: Any = _Counted(qs, total)
        page = Paginator(counted, DATASET_PAGE).get_page(request.GET.get("page"))
        rows = [selectors.row_for(ind) for ind in page.object_list]
        for row in rows:
            unit = Unit(row.indicator.unit).label.lower()
            row.svg = sparkline(row.spark, label=describe(row.spark, unit))  # type: ignore[attr-defined]
            row.rag_colour = RAG_COLOURS[row.rag]  # type: ignore[attr-defined]
        return render(
            request,
            self.template_name,
            {
                "title": "Performance dataset",
                "form": form,
                "page_obj": page,
                "rows": rows,
                "counts": counts,
                "total": total,
                "can_add": Indicator.access.allows(request.user, "add", self.partnership),
                "can_import": IndicatorValue.access.allows_any(
                    request.user, "add", self.partnership
                ),
            },
        )


class _Counted:
    """A queryset whose length is already known (from the RAG counts), so the paginator
    does not count it again."""

    def __init__(self, qs: Any, total: int) -> None:
        self.qs, self.total = qs, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: Any) -> Any:
        return self.qs[key]


# --- indicators -------------------------------------------------------------------------------


class IndicatorListView(ObjectListView):
    model = Indicator
    queryset = Indicator.objects.select_related("owner_agency")
    filterset_class = IndicatorFilter
    add_url_name = "performance:indicator_add"
    ordering = ("code",)
    title = "Indicators"
    table = Table(
        [
            Column("code", "Code", link=True),
            Column("title", "Indicator"),
            Column("owner_agency.name", "Agency"),
            Column("unit", "Unit"),
            Column("polarity", "Polarity"),
            Column("frequency", "Frequency"),
            Column("target", "Target", numeric=True),
        ]
    )


class IndicatorCreateView(ObjectCreateView):
    model = Indicator
    form_class = IndicatorForm
    title = "Add an indicator"

    def save(self, form: forms.BaseForm) -> Indicator:
        data = dict(form.cleaned_data)
        themes = data.pop("themes", [])
        return services.indicator_create(partnership=self.partnership, themes=themes, **data)


class IndicatorDetailView(ObjectDetailView):
    """An indicator's page: a fixed number of queries whatever its number of values,
    definitions, focus areas and linked learning; the chart (drawn by matplotlib, the
    expensive part) is cached until the indicator's data version changes."""

    model = Indicator
    queryset = Indicator.objects.select_related("owner_agency", "partnership")
    template_name = "performance/indicator_detail.html"

    def extra_tabs(self) -> list[dict[str, Any]]:
        return []

    def may(self, action: str) -> bool:
        # The indicator was fetched through restrict(), and its grants are partnership-wide,
        # so the role check needs no query (the generic view asks the database per action).
        ind: Indicator = self.object
        return Indicator.access.allows(self.request.user, action, ind.partnership_id)

    def summary(self) -> list[tuple[str, Any]]:
        return []  # the template lays out its own details

    def extra_context(self) -> dict[str, Any]:
        ind: Indicator = self.object
        user = self.request.user
        values = selectors.series(ind)
        versions = list(IndicatorVersion.objects.filter(indicator=ind).order_by("number"))
        shown = [v for v in values if not v.is_suppressed]
        numbers = [v.value for v in shown]
        limits = rules.spc_limits(numbers)
        signals = rules.spc_signals(numbers, limits)
        signal_by_pk = {shown[i].pk: names for i, names in signals.items()}
        chart_html = indicator_chart_html(ind, values, versions, limits) if values else ""
        number_of = {version.pk: version.number for version in versions}
        value_rows = [
            {
                "value": v,
                "shown": "Suppressed"
                if v.is_suppressed
                else selectors.format_value(v.value, ind.unit),
                "signals": signal_by_pk.get(v.pk, []),
                "version": number_of.get(v.version_id, ""),
                "rag": rules.rag(
                    None if v.is_suppressed else v.value, ind.target, ind.tolerance, ind.polarity
                ),
            }
            for v in reversed(values)
        ]
        focus_areas = list(
            ind.focus_areas.select_related("meeting", "meeting__board").order_by(
                "-meeting__starts_at"
            )
        )
        focus_ids = [f.pk for f in focus_areas]
        checks = list(
            ImpactCheck.objects.restrict(user, "view")
            .filter(**_source_filter(ind))
            .select_related("action", "action__owner_agency")
        )
        linked_actions = list(
            Action.objects.restrict(user, "view")
            .filter(_sourced_by(ind) | _sourced_by_many(ScrutinyFocus, focus_ids))
            .select_related("owner_agency")
        )
        linked_findings = list(
            Finding.objects.restrict(user, "view").filter(
                _sourced_by(ind) | _sourced_by_many(ScrutinyFocus, focus_ids)
            )
        )
        latest = values[-1] if values else None
        return {
            "versions": versions,
            "chart_html": chart_html,
            "value_rows": value_rows,
            "limits": limits,
            "rule_names": [r.name for r in rules.SPC_RULES],
            "latest": latest,
            "rag": Rag(ind.latest_rag),
            "direction": Direction(ind.latest_direction),
            "impact_checks": checks,
            "linked_actions": linked_actions,
            "linked_findings": linked_findings,
            "focus_areas": focus_areas,
            "can_enter": IndicatorValue.access.allows(
                user, "add", ind.partnership_id, agency=ind.owner_agency_id
            ),
            "can_redefine": Indicator.access.allows(user, "change", ind.partnership_id),
            "rag_colours": RAG_COLOURS,
        }


CHART_CACHE_SECONDS = 7 * 24 * 3600


def indicator_chart_html(
    ind: Indicator,
    values: list[IndicatorValue],
    versions: list[IndicatorVersion],
    limits: rules.Limits | None,
) -> str:
    """The time series chart with its data table, cached under the indicator's data
    version (moved on by every change to its values, definitions or settings) and the
    time of its last save, so a stale chart is never shown."""
    stamp = ind.updated_at.timestamp() if ind.updated_at else 0
    return cached_svg(
        f"performance:indicator-chart:{ind.pk}",
        f"{ind.data_version}:{stamp}:{len(values)}",
        lambda: _draw_indicator_chart(ind, values, versions, limits),
        timeout=CHART_CACHE_SECONDS,
    )


def _draw_indicator_chart(
    ind: Indicator,
    values: list[IndicatorValue],
    versions: list[IndicatorVersion],
    limits: rules.Limits | None,
) -> str:
    categories = [v.period_label for v in values]
    series: dict[str, list[float | None]] = {}
    for version in versions:
        label = f"Definition {version.number}" if len(versions) > 1 else ind.title[:60] or "Value"
        series[label] = [
            None if (v.version_id != version.pk or v.is_suppressed) else float(v.value)
            for v in values
        ]
    if ind.target is not None:
        series["Target"] = [float(ind.target)] * len(values)
    for name, label in (
        ("national", "National"),
        ("regional", ind.regional_label),
        ("neighbours", "Statistical neighbours"),
    ):
        if any(getattr(v, name) is not None for v in values):
            series[label] = [
                float(getattr(v, name)) if getattr(v, name) is not None else None for v in values
            ]
    if limits is not None:
        series["Mean"] = [round(limits.mean, 2)] * len(values)
        series["Upper control limit"] = [round(limits.upper, 2)] * len(values)
        series["Lower control limit"] = [round(max(limits.lower, 0), 2)] * len(values)
    chart = Chart(
        kind="line",
        title=f"{ind.title} over time",
        categories=categories,
        series=series,
        y_label=Unit(ind.unit).label,
        period=f"{categories[0]} to {categories[-1]}" if len(categories) > 1 else "",
        source=f"LIFT, {ind.partnership.name} performance dataset ({ind.source.rstrip('.')})"
        if ind.source
        else f"LIFT, {ind.partnership.name} performance dataset",
    )
    return render_html_fragment(chart)


def render_html_fragment(chart: Chart) -> str:
    from lift.core.documents import Doc

    return render_html(Doc(title=chart.title, sections=[chart], toc=False), include_title=False)


def _source_filter(obj: Any) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    return {"source_type": ContentType.objects.get_for_model(obj), "source_id": obj.pk}


def _sourced_by(obj: Any) -> Any:
    from django.db.models import Q

    return Q(**_source_filter(obj))


def _sourced_by_many(model: type, ids: list[int]) -> Any:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    if not ids:
        return Q(pk__in=[])
    return Q(source_type=ContentType.objects.get_for_model(model), source_id__in=ids)


class IndicatorEditView(ObjectEditView):
    model = Indicator
    form_class = IndicatorEditForm

    def save(self, form: forms.BaseForm) -> Indicator:
        data = dict(form.cleaned_data)
        reason = data.pop("change_reason", "")
        return services.indicator_update(indicator=self.object, reason=reason, **data)


class IndicatorHistoryView(ObjectHistoryView):
    model = Indicator


class IndicatorRedefineView(StepView):
    """A new definition: a new version, with the reason; earlier values keep theirs."""

    model = Indicator
    permission = "change"
    form_class = RedefineForm
    title = "Change the definition"
    success_message = "The new definition is recorded."

    def perform(self, form: forms.BaseForm) -> None:
        services.indicator_redefine(indicator=self.object, **form.cleaned_data)


class ValueCreateView(StepView):
    """The owner agency (or the business unit) enters a period's value."""

    model = Indicator
    permission = "view"
    form_class = ValueForm
    title = "Enter a value"
    success_message = "Value recorded."

    def check_step(self) -> None:
        ind = self.object
        if not IndicatorValue.access.allows(
            self.request.user, "add", ind.partnership_id, agency=ind.owner_agency_id
        ):
            raise PermissionDenied

    def form_kwargs(self) -> dict[str, Any]:
        return {"indicator": self.object}

    def perform(self, form: forms.BaseForm) -> None:
        data = dict(form.cleaned_data)
        services.value_enter(
            indicator=self.object, period_start=data.pop("period"), by=self.me, **data
        )


# --- values -------------------------------------------------------------------------------------


class ValueListView(ObjectListView):
    model = IndicatorValue
    queryset = IndicatorValue.objects.select_related("indicator", "indicator__owner_agency")
    filterset_class = IndicatorValueFilter
    ordering = ("indicator__code", "-period_start")
    title = "Values"
    table = Table(
        [
            Column("indicator.code", "Indicator", link=True, sort="indicator__code"),
            Column("period_label", "Period", sort="period_start"),
            Column(
                "value",
                "Value",
                numeric=True,
                value=lambda v: "Suppressed" if v.is_suppressed else v.value,
            ),
            Column("national", "National", numeric=True),
            Column("regional", "Regional", numeric=True),
            Column("neighbours", "Statistical neighbours", numeric=True),
        ]
    )


class ValueDetailView(ObjectDetailView):
    model = IndicatorValue
    queryset = IndicatorValue.objects.select_related("indicator", "version")

    def summary(self) -> list[tuple[str, Any]]:
        v: IndicatorValue = self.object
        ind = v.indicator
        shown = (
            "Suppressed (small number)"
            if v.is_suppressed
            else selectors.format_value(v.value, ind.unit)
        )
        rows: list[tuple[str, Any]] = [
            ("Indicator", str(ind)),
            ("Period", v.period_label),
            ("Value", shown),
            ("Definition", f"Definition {v.version.number}"),
        ]
        if not v.is_suppressed:
            rows += [("Numerator", v.numerator or ""), ("Denominator", v.denominator or "")]
        rows += [
            ("National", v.national or ""),
            (f"Regional ({ind.regional_label})", v.regional or ""),
            ("Statistical neighbours", v.neighbours or ""),
            ("Commentary", v.commentary),
            ("Due", ind.due_on(v.period_start).strftime("%-d %B %Y")),
        ]
        return rows


class ValueEditView(ObjectEditView):
    model = IndicatorValue
    form_class = ValueEditForm
    title = "Revise a value"

    def save(self, form: forms.BaseForm) -> IndicatorValue:
        data = dict(form.cleaned_data)
        reason = data.pop("change_reason")
        return services.value_revise(
            row=self.model._default_manager.get(pk=self.object.pk),
            by=self.me,
            reason=reason,
            **data,
        )


class ValueHistoryView(ObjectHistoryView):
    model = IndicatorValue


class ImportView(FormMixin):
    """Import a file of values: all or nothing, with problems shown per row."""

    permission = "add"
    form_class = ImportForm
    template_name = "performance/import.html"
    title = "Import values"

    def check(self) -> None:
        if not IndicatorValue.access.allows_any(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def page(self, form: forms.BaseForm, errors: list[RowError] | None = None) -> HttpResponseBase:
        return self.render_form(
            form,
            errors=errors or [],
            columns=services.IMPORT_SPEC.column_names(),
            cancel_url=reverse("performance:dataset"),
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check()
        return self.page(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.check()
        form = self.make_form(data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.page(form)
        result, created = services.values_import(
            partnership=self.partnership, file=form.cleaned_data["file"], by=self.me
        )
        if result.errors:
            form.add_error("file", "The file was not imported: fix the problems listed.")
            return self.page(form, result.errors)
        messages.success(request, f"{created} value{'s' if created != 1 else ''} imported.")
        return HttpResponseRedirect(reverse("performance:dataset"))


# --- scrutiny focus -----------------------------------------------------------------------------


class FocusListView(ObjectListView):
    model = ScrutinyFocus
    queryset = ScrutinyFocus.objects.select_related("meeting", "meeting__board")
    filterset_class = ScrutinyFocusFilter
    add_url_name = "performance:scrutinyfocus_add"
    ordering = ("-meeting__starts_at",)
    title = "Scrutiny focus areas"
    intro = "The area the Executive chose for each Board meeting's particular scrutiny."
    table = Table(
        [
            Column("title", "Focus area", link=True),
            Column("meeting", "Meeting", sort="meeting__starts_at"),
            Column("question", "Question", sort=None),
        ]
    )


class FocusCreateView(ObjectCreateView):
    model = ScrutinyFocus
    form_class = FocusForm
    title = "Record a focus area"

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        form.fields["meeting"].queryset = restricted(  # type: ignore[attr-defined]
            Meeting, self.request, "view"
        ).select_related("board")
        return form

    def save(self, form: forms.BaseForm) -> ScrutinyFocus:
        data = form.cleaned_data
        return services.focus_create(
            meeting=data["meeting"],
            title=data["title"],
            question=data["question"],
            indicators=data["indicators"],
        )


class FocusDetailView(ObjectDetailView):
    model = ScrutinyFocus
    queryset = ScrutinyFocus.objects.select_related("meeting", "meeting__board")
    template_name = "performance/focus_detail.html"

    def extra_context(self) -> dict[str, Any]:
        focus: ScrutinyFocus = self.object
        can_change = allowed(self.request, focus, "change")
        chain = chain_for(self.request.user, focus)
        return {
            "indicators": selectors.with_latest(focus.indicators.all()),
            "requests": focus.requests.select_related("agency", "owner"),
            "actions": chain.actions.select_related("owner_agency"),
            "findings": chain.findings,
            "can_commission": can_change,
            "can_act": can_change,
            "meeting": focus.meeting,
        }

    def summary(self) -> list[tuple[str, Any]]:
        f = self.object
        return [
            ("Meeting", str(f.meeting)),
            ("Question", f.question),
            ("Presentation", f.presentation),
            ("The Board's challenge", f.challenge),
            ("Conclusions", f.conclusions),
        ]


class FocusEditView(ObjectEditView):
    model = ScrutinyFocus
    form_class = FocusEditForm
    title = "Record the scrutiny"


class FocusHistoryView(ObjectHistoryView):
    model = ScrutinyFocus


class AnalysisCommissionView(StepView):
    model = ScrutinyFocus
    permission = "change"
    form_class = AnalysisRequestForm
    title = "Commission analysis"
    success_message = "Analysis commissioned."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: forms.BaseForm) -> None:
        services.analysis_request_create(focus=self.object, **form.cleaned_data)


class FocusActionView(StepView):
    model = ScrutinyFocus
    permission = "change"
    form_class = FocusActionForm
    title = "Agree an action from the scrutiny"
    success_message = "Action recorded."

    def form_kwargs(self) -> dict[str, Any]:
        return {"partnership": self.partnership}

    def perform(self, form: forms.BaseForm) -> None:
        services.focus_action(focus=self.object, **form.cleaned_data)


class AnalysisListView(ObjectListView):
    model = AnalysisRequest
    queryset = AnalysisRequest.objects.select_related("agency", "focus")
    filterset_class = AnalysisRequestFilter
    ordering = ("due_on",)
    title = "Commissioned analysis"
    table = Table(
        [
            Column("focus.title", "Focus area", link=True, sort="focus__title"),
            Column("agency.name", "Agency"),
            Column("due_on", "Due"),
            Column("status", "Status"),
        ]
    )


class AnalysisDetailView(ObjectDetailView):
    model = AnalysisRequest
    queryset = AnalysisRequest.objects.select_related("agency", "focus", "owner")
    fields = ["focus", "agency", "owner", "request", "due_on", "status", "response", "received_on"]


class AnalysisRespondView(StepView):
    """The agency sends its analysis."""

    model = AnalysisRequest
    permission = "change"
    form_class = AnalysisResponseForm
    title = "Send the analysis"
    success_message = "Analysis recorded."

    def initial(self) -> dict[str, Any]:
        return {"response": self.object.response}

    def perform(self, form: forms.BaseForm) -> None:
        services.analysis_respond(request=self.object, **form.cleaned_data)


class AnalysisHistoryView(ObjectHistoryView):
    model = AnalysisRequest


# --- impact evidence ----------------------------------------------------------------------------


class IndicatorImpactView(StepView):
    """Cite this indicator's movement between two periods as a completed action's impact."""

    model = Indicator
    permission = "view"
    form_class = ImpactForm
    title = "Cite as impact evidence"
    success_message = "Impact check recorded."

    def actions(self) -> Any:
        return (
            Action.objects.restrict(self.request.user, "change")
            .filter(
                partnership=self.partnership,
                status__in=[ActionStatus.COMPLETED, ActionStatus.EVIDENCED],
            )
            .select_related("owner_agency")
        )

    def check_step(self) -> None:
        if not self.actions().exists():
            raise PermissionDenied

    def form_kwargs(self) -> dict[str, Any]:
        values = selectors.series(self.object)
        choices = [(v.period_start.isoformat(), v.period_label) for v in values]
        return {"actions": self.actions(), "period_choices": choices}

    def perform(self, form: forms.BaseForm) -> None:
        data = form.cleaned_data
        services.impact_check_from_indicator(
            action=data["action"],
            indicator=self.object,
            period_from=dt.date.fromisoformat(data["period_from"]),
            period_to=dt.date.fromisoformat(data["period_to"]),
            by=self.me,
        )
