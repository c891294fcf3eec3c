"""The action tracker, an action's page and each step of its workflow on a page of its own."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

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

from .. import rules, selectors, services
from ..choices import LIVE_STATUSES, ActionStatus
from ..filters import ActionFilter
from ..forms import (
    ActionEditForm,
    ActionForm,
    ActionUpdateForm,
    DueDateForm,
    EvidenceForm,
    ImpactCheckForm,
    TransitionForm,
    VerifyForm,
)
from ..models import Action, ImpactCheck, Recommendation
from ..tables import ACTION_TABLE
from . import feeds
from .common import source_of

# The words on each move's button and page.
MOVE_LABELS = {
    ActionStatus.AGREED: "Agree the action",
    ActionStatus.IN_PROGRESS: "Start work",
    ActionStatus.COMPLETED: "Mark as completed",
    ActionStatus.EVIDENCED: "Mark as evidenced",
    ActionStatus.NOT_ACCEPTED: "Record as not accepted",
    ActionStatus.SUPERSEDED: "Record as superseded",
}
REOPEN_LABEL = "Reopen (back to in progress)"


def move_label(from_status: str, to: str) -> str:
    if (from_status, to) in rules.REOPENING:
        return REOPEN_LABEL
    return MOVE_LABELS.get(ActionStatus(to), str(ActionStatus(to).label))


def reason_required(from_status: str, to: str) -> bool:
    return to == ActionStatus.NOT_ACCEPTED or (from_status, to) in rules.REOPENING


class ActionListView(ObjectListView):
    """The tracker: every action the user may see, across every source."""

    model = Action
    queryset = Action.objects.select_related("owner_agency", "owner").prefetch_related("themes")
    table = ACTION_TABLE
    filterset_class = ActionFilter
    add_url_name = "learning:action_add"
    template_name = "learning/action_list.html"
    title = "Action tracker"
    intro = "Every action from every source of learning, with who owns it and when it is due."
    show_counts: ClassVar[bool] = True

    def get_filterset(self, qs: Any) -> Any:
        self._filterset = super().get_filterset(qs)
        self._base = qs
        return self._filterset

    def filtered(self) -> Any:
        fs = self._filterset
        if fs is not None and (fs.is_bound is False or fs.is_valid()):
            return fs.qs
        return self._base

    def extra_context(self) -> dict[str, Any]:
        context: dict[str, Any] = {
            "calendar_url": reverse("learning:action_calendar"),
            "subscribe_url": self.request.build_absolute_uri(feeds.token_url(self.request.user)),
            "sees_overdue": Action.access.allows_any(self.request.user, "verify", self.partnership),
        }
        if self.show_counts:
            context["counts"] = selectors.action_counts(self.filtered())
        return context


class ActionOursView(ActionListView):
    """ "Our agency's actions" for a safeguarding lead (and any the user owns)."""

    title = "Our agency's actions"
    intro = "Actions your agency owns, and any you own yourself."

    def get_queryset(self) -> Any:
        return selectors.our_actions(self.request.user, self.partnership)


class ActionOverdueView(ActionListView):
    """For the Chair (and the Board and business unit): overdue and escalated actions
    across every agency."""

    title = "Overdue and escalated actions"
    intro = "Actions past their due date, and those escalated to the Chair, across agencies."
    ordering = ("escalated_on", "due_on", "pk")

    def check_allowed(self) -> None:
        if not Action.access.allows_any(self.request.user, rules.VERIFY, self.partnership):
            raise PermissionDenied

    def get_queryset(self) -> Any:
        return selectors.overdue_and_escalated(self.request.user, self.partnership)


class ActionDetailView(ObjectDetailView):
    model = Action
    template_name = "learning/action_detail.html"
    fields = [
        "description",
        "owner_agency",
        "owner",
        "priority",
        "success_measure",
        "due_on",
        "original_due_on",
        "completed_on",
        "closed_on",
        "escalated_on",
        "status_reason",
        "superseded_by",
    ]

    def summary(self) -> list[tuple[str, Any]]:
        rows = super().summary()
        action = self.object
        rows.insert(0, ("Status", action.get_status_display()))
        rows.append(("Themes", ", ".join(t.name for t in action.themes.all())))
        return rows

    def extra_context(self) -> dict[str, Any]:
        action = self.object
        can_change = allowed(self.request, action, "change")
        can_verify = allowed(self.request, action, rules.VERIFY)
        live = action.status not in (
            ActionStatus.CLOSED,
            ActionStatus.NOT_ACCEPTED,
            ActionStatus.SUPERSEDED,
        )
        moves = []
        if can_change:
            moves = [
                {
                    "label": move_label(action.status, to),
                    "url": reverse("learning:action_move", args=[action.pk, to]),
                    "warning": to in (ActionStatus.NOT_ACCEPTED, ActionStatus.SUPERSEDED),
                }
                for to in rules.allowed_moves(action.status)
                if to != ActionStatus.CLOSED
            ]
        checks = list(action.impact_checks.select_related("verified_by"))
        return {
            "source": source_of(action),
            "updates": action.updates.select_related("author"),
            "evidence": action.evidence.select_related("attachment", "added_by"),
            "checks": [
                {
                    "check": c,
                    "verify_url": reverse("learning:impact_verify", args=[action.pk, c.pk])
                    if can_verify and c.verified_on is None and action.status != ActionStatus.CLOSED
                    else None,
                }
                for c in checks
            ],
            "moves": moves,
            "live": live,
            "can_update": can_change and live,
            "can_record_impact": can_change
            and action.status in (ActionStatus.COMPLETED, ActionStatus.EVIDENCED),
            "is_overdue": action.status in LIVE_STATUSES and action.due_on < timezone.localdate(),
        }


class ActionCreateView(ObjectCreateView):
    model = Action
    form_class = ActionForm
    title = "Add an action"

    def initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        rec = self.request.GET.get("recommendation", "")
        if rec.isdigit():
            found = restricted(Recommendation, self.request, "view").filter(pk=rec).first()
            if found is not None:
                initial["recommendation"] = found.pk
                initial["themes"] = [t.pk for t in found.themes.all()]
        return initial

    def save(self, form: forms.BaseForm) -> Action:
        data = form.cleaned_data
        return services.action_create(
            title=data["title"],
            description=data["description"],
            recommendation=data["recommendation"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_on=data["due_on"],
            priority=data["priority"],
            success_measure=data["success_measure"],
            status=data["status"],
            themes=list(data["themes"]),
            partnership=self.partnership,
        )


class ActionEditView(ObjectEditView):
    model = Action
    form_class = ActionEditForm


class ActionHistoryView(ObjectHistoryView):
    model = Action


class ActionStepView(StepView):
    """A step of an action's workflow (core's StepView does the work): the action, on the
    learning step template, which can list the action's evidence."""

    model = Action
    template_name = "learning/action_step.html"


class ActionMoveView(ActionStepView):
    """Move an action to another status (every move but closing, which is verifying)."""

    form_class = TransitionForm

    submit_label = "Confirm"

    @cached_property
    def to(self) -> str:
        to = self.kwargs["to"]
        if to not in ActionStatus.values or to == ActionStatus.CLOSED:
            raise Http404("No such move.")
        return str(to)

    def get_title(self) -> str:
        return move_label(self.object.status, self.to)

    def check_step(self) -> None:
        _ = self.to

    def extra_context(self) -> dict[str, Any]:
        context: dict[str, Any] = {}
        if self.to not in rules.TRANSITIONS.get(self.object.status, frozenset()):
            try:
                rules.ActionTransitionAllowed.check(self.object, self.to)
            except ValidationError as exc:
                context["blocked"] = exc.messages
        context["intro"] = (
            f"{self.object.title} is {self.object.get_status_display().lower()}. "
            f"It will be {ActionStatus(self.to).label.lower()}."
        )
        return context

    def form_kwargs(self) -> dict[str, Any]:
        return {
            "to": self.to,
            "action": self.object,
            "reason_required": reason_required(self.object.status, self.to),
        }

    def perform(self, form: forms.BaseForm) -> None:
        services.action_transition(
            action=self.object,
            to=self.to,
            by=self.me,
            reason=form.cleaned_data.get("reason", ""),
            superseded_by=form.cleaned_data.get("superseded_by"),
        )

    def done_message(self, result: Any) -> str:
        return f"The action is now {ActionStatus(self.to).label.lower()}."


class ActionUpdateAddView(ActionStepView):
    title = "Add a progress update"
    form_class = ActionUpdateForm
    submit_label = "Add update"
    success_message = "Update added."

    def perform(self, form: forms.BaseForm) -> None:
        services.action_update_add(
            action=self.object,
            by=self.me,
            text=form.cleaned_data["text"],
        )


class ActionDueDateView(ActionStepView):
    title = "Change the due date"
    form_class = DueDateForm
    intro = "The original due date is kept. The reason goes in the action's history."
    success_message = "Due date changed."

    def perform(self, form: forms.BaseForm) -> None:
        services.action_due_change(
            action=self.object,
            by=self.me,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        )


class EvidenceAddView(ActionStepView):
    title = "Add evidence"
    form_class = EvidenceForm
    intro = "Evidence shows the action was done: upload a file, give a link or write a note."
    submit_label = "Add evidence"
    success_message = "Evidence added."

    def perform(self, form: forms.BaseForm) -> None:
        data = form.cleaned_data
        services.evidence_add(
            action=self.object,
            by=self.me,
            kind=data["kind"],
            description=data["description"],
            url=data.get("url") or "",
            note=data.get("note") or "",
            uploaded_file=data.get("uploaded_file") or None,
        )


class ImpactCheckAddView(ActionStepView):
    title = "Record an impact check"
    form_class = ImpactCheckForm
    intro = "What was measured to see whether practice changed, and what it showed."
    submit_label = "Record impact check"
    success_message = "Impact check recorded."

    def initial(self) -> dict[str, Any]:
        return {"checked_on": timezone.localdate()}

    def perform(self, form: forms.BaseForm) -> None:
        data = form.cleaned_data
        services.impact_check_record(
            action=self.object,
            by=self.me,
            method=data["method"],
            measured=data["measured"],
            result=data["result"],
            outcome=data["outcome"],
            compared_from=data["compared_from"],
            compared_to=data["compared_to"],
            checked_on=data["checked_on"],
        )


class ImpactVerifyView(ActionStepView):
    """Only the Board, the Chair or the business unit verify impact; it closes the action."""

    permission = rules.VERIFY
    title = "Verify impact"
    form_class = VerifyForm
    submit_label = "Verify impact and close the action"
    success_message = "Impact verified. The action is closed."

    @cached_property
    def check(self) -> ImpactCheck:
        try:
            return self.object.impact_checks.get(pk=self.kwargs["check"])
        except ImpactCheck.DoesNotExist as exc:
            raise Http404("No such impact check.") from exc

    def check_step(self) -> None:
        _ = self.check

    def summary(self) -> list[tuple[str, Any]]:
        check = self.check
        return [
            ("Method", check.get_method_display()),
            ("What was measured", check.measured),
            ("Result", check.result),
            ("Outcome", check.get_outcome_display()),
            ("Compared", " to ".join(p for p in (check.compared_from, check.compared_to) if p)),
        ]

    def extra_context(self) -> dict[str, Any]:
        context: dict[str, Any] = {}
        # Each piece of evidence, linked, so the Chair can open it before verifying.
        context["evidence"] = list(
            self.object.evidence.select_related("attachment", "added_by").order_by("created_at")
        )
        context["show_evidence"] = True
        return context

    def perform(self, form: forms.BaseForm) -> None:
        services.impact_verify(check=self.check, by=self.me)
