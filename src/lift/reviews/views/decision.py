"""The Chair's decision: one question per page, then "check your answers" (a statutory
decision). Answers are kept in the session until the Chair confirms them.

Each question and the check page are steps on the incident (core's `StepView`): only the
Chair may decide (`decide`; someone who may see the incident but not decide is refused),
and once the decision is recorded the steps are no longer there to take (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.functional import cached_property

from lift.core.reference import regime
from lift.core.views.generic import ObjectMixin
from lift.core.views.steps import StepView

from .. import forms as f
from .. import rules, services
from ..choices import DecisionOutcome
from ..models import Decision, Incident
from ..reference import reference


def _key(incident: Incident) -> str:
    return f"reviews:decision:{incident.pk}"


class DecisionWizard(ObjectMixin):
    """Base: the incident (only the Chair may decide, once) and the stored answers."""

    model = Incident
    permission = "decide"

    def check_step(self) -> None:
        if Decision.objects.filter(incident=self.object).exists():
            raise Http404("The decision is already recorded.")

    @cached_property
    def wording(self) -> Any:
        return regime(self.object.partnership.regime).wording

    @cached_property
    def criteria(self) -> Any:
        return reference().for_regime(self.object.regime).at("review")

    @cached_property
    def answers(self) -> dict[str, Any]:
        return self.request.session.get(_key(self.object), {})

    def save_answers(self) -> None:
        self.request.session[_key(self.object)] = self.answers

    def steps(self) -> list[str]:
        steps = ["date", "outcome", "reasons", *[f"criterion-{c.key}" for c in self.criteria]]
        if self.answers.get("outcome") in (
            DecisionOutcome.NO_REVIEW,
            DecisionOutcome.SINGLE_AGENCY,
        ):
            steps.append("referral")
        return steps

    def url(self, step: str) -> str:
        if step == "check":
            return reverse("reviews:decision_check", args=[self.object.pk])
        return reverse("reviews:decision_step", args=[self.object.pk, step])

    def first_unanswered(self) -> str:
        for step in self.steps():
            if self._value(step) in (None, ""):
                return step
        return "check"

    def _value(self, step: str) -> Any:
        if step == "date":
            return self.answers.get("decided_on")
        if step == "outcome":
            return self.answers.get("outcome")
        if step == "reasons":
            return self.answers.get("reasons")
        if step == "referral":
            return self.answers.get("refer")
        if step.startswith("criterion-"):
            return self.answers.get("criteria", {}).get(step.removeprefix("criterion-"))
        raise Http404


class DecisionStartView(DecisionWizard):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _ = self.object
        self.check_step()
        return HttpResponseRedirect(self.url(self.first_unanswered()))


HEADINGS = {
    "date": "When was the decision made?",
    "outcome": "What is the decision?",
    "reasons": "Why was this decision made?",
    "referral": "Refer for a learning lessons review?",
}


class DecisionStepView(DecisionWizard, StepView):
    """One question; its answer goes into the session and the Chair goes on to the next
    unanswered one (or back to the check page, when changing an answer)."""

    template_name = "reviews/decision_step.html"
    success_message = ""

    @property
    def step(self) -> str:
        return str(self.kwargs["step"])

    def check_step(self) -> None:
        super().check_step()
        if self.step not in self.steps():
            raise Http404

    def criterion(self) -> Any:
        key = self.step.removeprefix("criterion-")
        found = next((c for c in self.criteria if c.key == key), None)
        if found is None:
            raise Http404
        return found

    def get_form_class(self) -> type[forms.BaseForm]:
        forms_by_step: dict[str, type[forms.BaseForm]] = {
            "date": f.DecisionDateForm,
            "outcome": f.DecisionOutcomeForm,
            "reasons": f.DecisionReasonsForm,
            "referral": f.DecisionReferralForm,
        }
        return forms_by_step.get(self.step, f.CriterionReasonForm)

    def form_kwargs(self) -> dict[str, Any]:
        if self.step == "outcome":
            return {"wording": self.wording}
        if self.step.startswith("criterion-"):
            return {"criterion_label": self.criterion().label}
        return {}

    def initial(self) -> dict[str, Any]:
        a = self.answers
        step = self.step
        if step == "date":
            return {"decided_on": a.get("decided_on")}
        if step == "outcome":
            return {"outcome": a.get("outcome")}
        if step == "reasons":
            return {"reasons": a.get("reasons")}
        if step == "referral":
            value = a.get("refer")
            return {"refer": None if value is None else ("yes" if value else "no")}
        return {"reason": a.get("criteria", {}).get(self.criterion().key)}

    def store(self, form: forms.BaseForm) -> None:
        data = form.cleaned_data
        step = self.step
        if step == "date":
            decided_on: dt.date = data["decided_on"]
            rules.decision_not_backdated(self.object, decided_on)
            self.answers["decided_on"] = decided_on.isoformat()
        elif step == "outcome":
            self.answers["outcome"] = data["outcome"]
        elif step == "reasons":
            self.answers["reasons"] = data["reasons"]
        elif step == "referral":
            self.answers["refer"] = bool(data["refer"])
        else:
            self.answers.setdefault("criteria", {})[step.removeprefix("criterion-")] = data[
                "reason"
            ]

    def perform(self, form: forms.BaseForm) -> str:
        """Keep the answer; the next page's URL."""
        self.store(form)
        self.save_answers()
        if self.request.GET.get("change") and self.first_unanswered() == "check":
            return self.url("check")
        steps = self.steps()
        index = steps.index(self.step)
        following = steps[index + 1] if index + 1 < len(steps) else "check"
        if self.first_unanswered() == "check" and following == "check":
            return self.url("check")
        return self.url(following)

    def get_title(self) -> str:
        index = self.steps().index(self.step)
        return HEADINGS.get(self.step, f"Criterion {index - 2} of {len(self.criteria)}")

    def extra_context(self) -> dict[str, Any]:
        steps = self.steps()
        index = steps.index(self.step)
        return {
            "back_url": self.url(steps[index - 1]) if index else self.object.get_absolute_url(),
            "step_number": index + 1,
            "step_count": len(steps),
            "wording": self.wording,
        }


class DecisionCheckView(DecisionWizard, StepView):
    """Check your answers, then record the decision (`decision_record`)."""

    template_name = "reviews/decision_check.html"
    title = "Check your answers before recording the decision"
    success_message = "The decision is recorded and the letter to the national panel is ready."

    def unanswered(self) -> HttpResponseBase | None:
        """Back to the first question not yet answered, if there is one."""
        _ = self.object
        self.check_step()
        first = self.first_unanswered()
        return None if first == "check" else HttpResponseRedirect(self.url(first))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.unanswered() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.unanswered() or super().post(request, *args, **kwargs)

    def rows(self) -> list[dict[str, Any]]:
        a = self.answers
        outcome_field: Any = f.DecisionOutcomeForm(wording=self.wording).fields["outcome"]
        outcome_labels = dict(outcome_field.choices)
        rows = [
            {
                "label": "Date of the decision",
                "value": dt.date.fromisoformat(a["decided_on"]).strftime("%-d %B %Y"),
                "step": "date",
            },
            {
                "label": "Decision",
                "value": outcome_labels.get(a["outcome"], a["outcome"]),
                "step": "outcome",
            },
            {"label": "Reasons", "value": a["reasons"], "step": "reasons"},
        ]
        for c in self.criteria:
            rows.append(
                {
                    "label": c.label,
                    "value": a.get("criteria", {}).get(c.key, ""),
                    "step": f"criterion-{c.key}",
                }
            )
        if "referral" in self.steps():
            rows.append(
                {
                    "label": "Refer for a learning lessons review",
                    "value": "Yes" if a.get("refer") else "No",
                    "step": "referral",
                }
            )
        for row in rows:
            row["url"] = self.url(row["step"]) + "?change=1"
        return rows

    def extra_context(self) -> dict[str, Any]:
        return {
            "rows": self.rows(),
            "wording": self.wording,
            "back_url": self.url(self.steps()[-1]),
        }

    def perform(self, form: forms.BaseForm) -> Incident:
        a = self.answers
        services.decision_record(
            incident=self.object,
            by=self.me,
            decided_on=dt.date.fromisoformat(a["decided_on"]),
            outcome=a["outcome"],
            reasons=a["reasons"],
            criteria_reasons=a.get("criteria", {}),
            refer_for_learning_review=bool(a.get("refer")),
        )
        self.request.session.pop(_key(self.object), None)
        return self.object
