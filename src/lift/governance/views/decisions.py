"""Pages of decisions and the learning chain actions made from them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
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
    scope_form,
)
from lift.learning.models import Action

from .. import services
from ..filters import DecisionFilter
from ..forms import DecisionActionForm, DecisionForm
from ..models import Decision, Meeting
from .base import ParentMixin


class DecisionListView(ObjectListView):
    model = Decision
    filterset_class = DecisionFilter
    queryset = Decision.objects.select_related("meeting__board")
    table = Table(
        [
            Column("__str__", "Decision", sort=None, link=True),
            Column("meeting", "Meeting", sort="meeting__starts_at"),
            Column("decided_by", "Decided by"),
        ]
    )
    ordering = ("-meeting__starts_at", "id")


class DecisionCreateView(ParentMixin, ObjectCreateView):
    model = Decision
    parent_model = Meeting
    form_class = DecisionForm
    title = "Record a decision"

    def form_kwargs(self) -> dict[str, Any]:
        return {"meeting": self.parent}

    def check_allowed(self) -> None:
        super().check_allowed()
        _ = self.parent

    def render_form(self, form: forms.BaseForm, **extra: Any) -> HttpResponseBase:
        return super().render_form(form, cancel_url=self.parent.get_absolute_url(), **extra)

    def save(self, form: forms.BaseForm) -> Any:
        return services.decision_record(
            meeting=self.parent,
            by=self.request.user,  # type: ignore[arg-type]
            **form.cleaned_data,
        )

    def success_url(self, obj: Any) -> str:
        return obj.meeting.get_absolute_url() + "#decisions"


class DecisionDetailView(ObjectDetailView):
    model = Decision
    template_name = "governance/decision_detail.html"
    queryset = Decision.objects.select_related("meeting__board", "agenda_item")
    fields = ["meeting", "agenda_item", "text", "decided_by"]

    def extra_context(self) -> dict[str, Any]:
        decision = self.object
        actions = Action.objects.restrict(self.request.user, "view").filter(
            source_type=ContentType.objects.get_for_model(Decision), source_id=decision.pk
        )
        return {
            "actions": actions.select_related("owner_agency"),
            "can_create_actions": allowed(self.request, decision, "create_actions"),
        }


class DecisionEditView(ObjectEditView):
    model = Decision
    form_class = DecisionForm


class DecisionDeleteView(ObjectDeleteView):
    model = Decision
    success_url_name = "governance:decision_list"


class DecisionHistoryView(ObjectHistoryView):
    model = Decision


class DecisionActionCreateView(ParentMixin):
    """Create a learning chain action from a decision."""

    permission = "create_actions"
    parent_model = Decision
    parent_action = "create_actions"

    def render_form(self, form: forms.Form) -> HttpResponse:
        return render(
            self.request,
            "core/object_form.html",
            {
                "title": "Create an action from this decision",
                "form": form,
                "object": self.parent,
            },
        )

    def make_form(self, **kwargs: Any) -> DecisionActionForm:
        form = DecisionActionForm(**kwargs)
        scope_form(form, self.request)
        return form

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.make_form(initial={"title": self.parent.text[:250]}))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form(data=request.POST)
        if form.is_valid():
            try:
                services.decision_action_create(
                    decision=self.parent,
                    by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Action created in the learning chain.")
                return HttpResponseRedirect(self.parent.get_absolute_url())
        return self.render_form(form)
