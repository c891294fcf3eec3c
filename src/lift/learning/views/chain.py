"""Findings, recommendations and themes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property

from lift.core.exports import csv_response, xlsx_response
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView

from .. import selectors, services
from ..choices import Addressee
from ..filters import FindingFilter, RecommendationFilter, ThemeFilter
from ..forms import (
    FindingForm,
    JudgeForm,
    RecommendationForm,
    RecommendFromFindingForm,
    RespondForm,
    ThemeForm,
)
from ..models import Finding, LibraryItem, Recommendation, Theme
from ..tables import FINDING_TABLE, RECOMMENDATION_TABLE, RECURRING_TABLE, THEME_TABLE
from .common import source_of

# --- findings ---------------------------------------------------------------------------


class FindingListView(ObjectListView):
    model = Finding
    queryset = Finding.objects.select_related("source_type").prefetch_related("themes", "source")
    table = FINDING_TABLE
    filterset_class = FindingFilter
    add_url_name = "learning:finding_add"
    title = "Findings"
    intro = "Lessons learned from every source: strengths and areas for improvement."


class FindingDetailView(ObjectDetailView):
    model = Finding
    template_name = "learning/finding_detail.html"
    fields = ["text", "kind", "identified_on", "applies_locally", "recorded_by"]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        rows.append(("Themes", ", ".join(t.name for t in self.object.themes.all())))
        return rows

    def extra_context(self) -> dict[str, Any]:
        finding = self.object
        from_library = finding.source_type_id is not None and (
            finding.source_type_id == ContentType.objects.get_for_model(LibraryItem).pk
        )
        return {
            "source": source_of(finding),
            "reach": selectors.finding_reach(self.request.user, finding),
            "recommendations": Recommendation.objects.with_status()
            .restrict(self.request.user, "view")
            .filter(findings=finding),
            "from_library": from_library,
            "can_judge": allowed(self.request, finding, "judge"),
            "can_recommend": Recommendation.access.allows(
                self.request.user, "add", self.partnership
            )
            and (not from_library or finding.applies_locally is True),
        }


class FindingCreateView(ObjectCreateView):
    model = Finding
    form_class = FindingForm
    title = "Add a finding"

    def save(self, form: forms.BaseForm) -> Finding:
        data = form.cleaned_data
        return services.finding_create(
            source=None,
            partnership=self.partnership,
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            identified_on=data["identified_on"],
            themes=list(data["themes"]),
            recorded_by=self.me,
        )


class FindingEditView(ObjectEditView):
    model = Finding
    form_class = FindingForm


class FindingHistoryView(ObjectHistoryView):
    model = Finding


class FindingStepView(StepView):
    """A step on a finding (judging it, turning it into a recommendation)."""

    model = Finding


class FindingJudgeView(FindingStepView):
    """The L&I sub-group marks whether a lesson from elsewhere applies locally."""

    permission = "judge"
    title = "Does this lesson apply locally?"
    form_class = JudgeForm
    success_message = "Recorded."

    def perform(self, form: forms.BaseForm) -> str:
        services.finding_judge(
            finding=self.object,
            by=self.me,
            applies=form.cleaned_data["applies"],
            reason=form.cleaned_data["reason"],
        )
        return str(self.object.get_absolute_url())


class FindingRecommendView(FindingStepView):
    """Turn a lesson into a recommendation."""

    permission = "view"
    title = "Turn this lesson into a recommendation"
    form_class = RecommendFromFindingForm
    submit_label = "Add recommendation"
    success_message = "Recommendation added."

    def check_step(self) -> None:
        if not Recommendation.access.allows(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def initial(self) -> dict[str, Any]:
        return {"addressee": Addressee.PARTNERSHIP}

    def perform(self, form: forms.BaseForm) -> str:
        data = form.cleaned_data
        rec = services.finding_recommend(
            finding=self.object,
            by=self.me,
            text=data["text"],
            addressee=data["addressee"],
            agencies=list(data["agencies"]),
            reference=data["reference"],
        )
        return str(rec.get_absolute_url())


# --- recommendations --------------------------------------------------------------------


class RecommendationListView(ObjectListView):
    model = Recommendation
    queryset = (
        Recommendation.objects.prefetch_related("agencies")
        .with_status()
        .annotate(action_count=Count("actions", distinct=True))
    )
    table = RECOMMENDATION_TABLE
    filterset_class = RecommendationFilter
    add_url_name = "learning:recommendation_add"
    title = "Recommendations"
    intro = "What should change, to whom it is addressed, and the response."


class RecommendationDetailView(ObjectDetailView):
    model = Recommendation
    queryset = Recommendation.objects.with_status()
    template_name = "learning/recommendation_detail.html"
    fields = [
        "reference",
        "text",
        "addressee",
        "status",
        "response",
        "response_reason",
        "responded_on",
    ]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        rec = self.object
        rows.insert(3, ("Agencies", ", ".join(a.name for a in rec.agencies.all())))
        rows.append(("Themes", ", ".join(t.name for t in rec.themes.all())))
        return rows

    def extra_context(self) -> dict[str, Any]:
        rec = self.object
        return {
            "source": source_of(rec),
            "findings": Finding.objects.restrict(self.request.user, "view").filter(
                recommendations=rec
            ),
            "actions": selectors.actions_visible(self.request.user, self.partnership)
            .filter(recommendation=rec)
            .select_related("owner_agency"),
            "can_respond": allowed(self.request, rec, "respond"),
            "can_add_action": Recommendation.access.allows(
                self.request.user, "add", self.partnership
            ),
            "add_action_url": f"{reverse('learning:action_add')}?recommendation={rec.pk}",
        }


class RecommendationCreateView(ObjectCreateView):
    model = Recommendation
    form_class = RecommendationForm
    title = "Add a recommendation"

    def save(self, form: forms.BaseForm) -> Recommendation:
        data = form.cleaned_data
        return services.recommendation_create(
            source=None,
            partnership=self.partnership,
            text=data["text"],
            reference=data["reference"],
            addressee=data["addressee"],
            agencies=list(data["agencies"]),
            findings=list(data["findings"]),
            themes=list(data["themes"]),
        )


class RecommendationEditView(ObjectEditView):
    model = Recommendation
    form_class = RecommendationForm

    def save(self, form: forms.BaseForm) -> Recommendation:
        from .. import rules

        data = form.cleaned_data
        rules.RecommendationAgenciesNamed.check(
            data["addressee"], data["agencies"], self.partnership.pk
        )
        return super().save(form)  # type: ignore[return-value]


class RecommendationHistoryView(ObjectHistoryView):
    model = Recommendation


class RecommendationRespondView(StepView):
    """Accept, partly accept or not accept a recommendation (with reasons)."""

    model = Recommendation
    permission = "respond"
    form_class = RespondForm
    title = "Respond to the recommendation"
    submit_label = "Record response"
    success_message = "Response recorded."

    def initial(self) -> dict[str, Any]:
        if self.object.response == "pending":
            return {}
        return {"response": self.object.response, "reason": self.object.response_reason}

    def perform(self, form: forms.BaseForm) -> None:
        services.recommendation_respond(
            recommendation=self.object,
            by=self.me,
            response=form.cleaned_data["response"],
            reason=form.cleaned_data["reason"],
        )


# --- themes -----------------------------------------------------------------------------


class ThemeObjectMixin(ObjectMixin):
    """Shared themes have no partnership: look them up among the shared and our own."""

    model = Theme

    @cached_property
    def object(self) -> Any:
        qs = Theme.objects.restrict(self.request.user, self.permission or "view")
        qs = qs.for_partnership(self.partnership)
        try:
            return qs.get(pk=self.kwargs["pk"])
        except (Theme.DoesNotExist, ValueError) as exc:
            raise Http404("No theme found.") from exc


class ThemeListView(ObjectListView):
    model = Theme
    table = THEME_TABLE
    filterset_class = ThemeFilter
    add_url_name = "learning:theme_add"
    title = "Themes"
    intro = (
        "The shared taxonomy of safeguarding themes, and themes this partnership has added. "
        "Findings, recommendations and actions are tagged with them."
    )
    template_name = "learning/theme_list.html"

    def get_queryset(self) -> Any:
        return selectors.themes_for(self.request.user, self.partnership)


class ThemeDetailView(ThemeObjectMixin, ObjectDetailView):
    fields = ["name", "code", "description", "urn", "version", "is_active"]

    def extra_context(self) -> dict[str, Any]:
        return {}


class ThemeCreateView(ObjectCreateView):
    model = Theme
    form_class = ThemeForm
    title = "Add a theme"

    def make_form(self, **kwargs: Any) -> forms.BaseForm:
        form = super().make_form(**kwargs)
        form.fields["code"].required = False
        form.fields["code"].help_text = "Leave empty to make one from the name."
        return form

    def save(self, form: forms.BaseForm) -> Theme:
        data = form.cleaned_data
        return services.theme_create(
            partnership=self.partnership,
            by=self.me,
            name=data["name"],
            code=data.get("code") or "",
            description=data["description"],
        )


class ThemeEditView(ThemeObjectMixin, ObjectEditView):
    form_class = ThemeForm


class ThemeHistoryView(ThemeObjectMixin, ObjectHistoryView):
    pass


class RecurringThemesView(LiftView):
    """Themes in findings from more than one source area or more than one year."""

    permission = "view"
    title = "Recurring themes"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not Finding.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        rows = selectors.recurring_themes(request.user, self.partnership)
        export = request.GET.get("export")
        if export == "csv":
            return csv_response(RECURRING_TABLE, rows, "recurring-themes")
        if export == "xlsx":
            return xlsx_response(RECURRING_TABLE, rows, "recurring-themes", self.title)
        return render(
            request,
            "learning/recurring_themes.html",
            {
                "title": self.title,
                "rows": rows,
                "findings_url": reverse("learning:finding_list"),
            },
        )
