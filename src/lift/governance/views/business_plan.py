"""Pages of business plans, their priorities and the records linked to a priority."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render

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
from ..filters import BusinessPlanFilter, PriorityFilter
from ..forms import BusinessPlanForm, PriorityForm, PriorityLinkForm
from ..models import BusinessPlan, Priority, PriorityLink
from .base import ParentMixin


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
