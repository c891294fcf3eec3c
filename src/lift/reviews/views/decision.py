"""The Chair's decision: one question per page, then "check your answers" (a statutory
decision). Answers are kept in the session until the Chair confirms them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from lift.core.reference import regime
from lift.core.views.generic import LiftView, add_validation_errors

from .. import forms as f
from .. import rules, services
from ..choices import DecisionOutcome
from ..models import Decision, Incident
from ..reference import reference
from .base import ConfirmForm, MeMixin, get_visible


def _key(incident: Incident) -> str:
    return f"reviews:decision:{incident.pk}"


class DecisionWizard(MeMixin, LiftView):
    """Base: the incident (only the Chair may decide, once) and the stored answers."""

    permission = "decide"

    def setup_wizard(self, request: HttpRequest, pk: int) -> None:
        self.incident: Incident = get_visible(Incident, request, pk, "decide")
        if Decision.objects.filter(incident=self.incident).exists():
            raise Http404("The decision is already recorded.")
        self.wording = regime(self.incident.partnership.regime).wording
        self.criteria = reference().for_regime(self.incident.regime).at("review")
        self.answers: dict[str, Any] = request.session.get(_key(self.incident), {})

    def save_answers(self) -> None:
        self.request.session[_key(self.incident)] = self.answers

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
            return reverse("reviews:decision_check", args=[self.incident.pk])
        return reverse("reviews:decision_step", args=[self.incident.pk, step])

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
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.setup_wizard(request, pk)
        return HttpResponseRedirect(self.url(self.first_unanswered()))


class DecisionStepView(DecisionWizard):
    template_name = "reviews/decision_step.html"

    def form_for(self, step: str, data: Any = None) -> forms.Form:
        if step == "date":
            initial = {"decided_on": self.answers.get("decided_on")}
            return f.DecisionDateForm(data, initial=initial)
        if step == "outcome":
            return f.DecisionOutcomeForm(
                data, initial={"outcome": self.answers.get("outcome")}, wording=self.wording
            )
        if step == "reasons":
            return f.DecisionReasonsForm(data, initial={"reasons": self.answers.get("reasons")})
        if step == "referral":
            value = self.answers.get("refer")
            return f.DecisionReferralForm(
                data, initial={"refer": None if value is None else ("yes" if value else "no")}
            )
        key = step.removeprefix("criterion-")
        criterion = next((c for c in self.criteria if c.key == key), None)
        if criterion is None:
            raise Http404
        return f.CriterionReasonForm(
            data,
            initial={"reason": self.answers.get("criteria", {}).get(key)},
            criterion_label=criterion.label,
        )

    def store(self, step: str, form: forms.Form) -> None:
        data = form.cleaned_data
        if step == "date":
            decided_on: dt.date = data["decided_on"]
            rules.decision_not_backdated(self.incident, decided_on)
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

    def render_step(self, step: str, form: forms.Form) -> HttpResponse:
        steps = self.steps()
        index = steps.index(step)
        back = self.url(steps[index - 1]) if index else self.incident.get_absolute_url()
        heading = {
            "date": "When was the decision made?",
            "outcome": "What is the decision?",
            "reasons": "Why was this decision made?",
            "referral": "Refer for a learning lessons review?",
        }.get(step, f"Criterion {index - 2} of {len(self.criteria)}")
        return render(
            self.request,
            self.template_name,
            {
                "object": self.incident,
                "form": form,
                "title": heading,
                "back_url": back,
                "step_number": index + 1,
                "step_count": len(steps),
                "wording": self.wording,
            },
        )

    def get(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        self.setup_wizard(request, pk)
        if step not in self.steps():
            raise Http404
        return self.render_step(step, self.form_for(step))

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        self.setup_wizard(request, pk)
        if step not in self.steps():
            raise Http404
        form = self.form_for(step, request.POST)
        if form.is_valid():
            try:
                self.store(step, form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                self.save_answers()
                if request.GET.get("change") and self.first_unanswered() == "check":
                    return HttpResponseRedirect(self.url("check"))
                steps = self.steps()
                index = steps.index(step)
                following = steps[index + 1] if index + 1 < len(steps) else "check"
                if self.first_unanswered() == "check" and following == "check":
                    return HttpResponseRedirect(self.url("check"))
                return HttpResponseRedirect(self.url(following))
        return self.render_step(step, form)


class DecisionCheckView(DecisionWizard):
    template_name = "reviews/decision_check.html"

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

    def render_check(self, form: forms.Form) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "object": self.incident,
                "form": form,
                "title": "Check your answers before recording the decision",
                "rows": self.rows(),
                "wording": self.wording,
                "back_url": self.url(self.steps()[-1]),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.setup_wizard(request, pk)
        if self.first_unanswered() != "check":
            return HttpResponseRedirect(self.url(self.first_unanswered()))
        return self.render_check(ConfirmForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.setup_wizard(request, pk)
        if self.first_unanswered() != "check":
            return HttpResponseRedirect(self.url(self.first_unanswered()))
        form = ConfirmForm(request.POST)
        a = self.answers
        try:
            with transaction.atomic():
                services.decision_record(
                    incident=self.incident,
                    by=self.me,
                    decided_on=dt.date.fromisoformat(a["decided_on"]),
                    outcome=a["outcome"],
                    reasons=a["reasons"],
                    criteria_reasons=a.get("criteria", {}),
                    refer_for_learning_review=bool(a.get("refer")),
                )
        except ValidationError as exc:
            form.is_valid()
            add_validation_errors(form, exc)
            return self.render_check(form)
        request.session.pop(_key(self.incident), None)
        messages.success(
            request, "The decision is recorded and the letter to the national panel is ready."
        )
        return HttpResponseRedirect(self.incident.get_absolute_url())
