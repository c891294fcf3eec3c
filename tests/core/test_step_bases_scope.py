"""Every step-view base narrows its form's choices of a related record to the ones the
person may view, and refuses a posted id outside them (issue 18, item 3).

The reviews, CDOP, inspections and voice bases built their forms without `scope_form`: a
choice of a restricted record (here another agency's action, "not found" to a safeguarding
lead) was offered and accepted when posted. Today no form of theirs offers such a choice to
someone who may act (their choices are narrowed by partnership, and the people who act
there read the whole partnership's rows), so this checks the bases themselves with one form
that does. The step pages of reviews and CDOP (as of learning, audits, training, Section 11
and performance) are now core's `StepView`, whose forms are built by `FormMixin.make_form`,
which always applied it (ADR 0007)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import RequestFactory

from lift.core.models import Agency, Partnership, Person
from lift.core.views.steps import StepView
from lift.inspections.views import _Action as InspectionStep
from lift.learning.models import Action
from lift.learning.services import action_create
from lift.voice.views import _Action as VoiceStep

pytestmark = pytest.mark.django_db


class ActionChoiceForm(forms.Form):
    action = forms.ModelChoiceField(queryset=Action.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("files", None)
        super().__init__(*args, **kwargs)


BASES: dict[str, tuple[type, Callable[[Any, Any], forms.BaseForm]]] = {
    "core": (StepView, lambda view, data: view.make_form(data=data)),
    "inspections": (InspectionStep, lambda view, data: view.make(data)),
    "voice": (VoiceStep, lambda view, data: view.make(data)),
}


def _action(agency: Agency, title: str) -> Action:
    return action_create(
        title=title, owner_agency=agency, due_on=dt.date(2026, 3, 1), success_measure="Done"
    )


@pytest.mark.parametrize("base", sorted(BASES))
def test_step_base_offers_and_accepts_only_records_the_person_may_view(
    base: str, partnership: Partnership, agency: Agency, other_agency: Agency, lead: Person
) -> None:
    own = _action(agency, "Audit our referrals")
    other = _action(other_agency, "Police brief their custody sergeants")
    assert not Action.objects.restrict(lead, "view").filter(pk=other.pk).exists()

    cls, make = BASES[base]
    step = type(
        f"{base}Step",
        (cls,),
        {"form_class": ActionChoiceForm, "form_kwargs": lambda self: {}, "initial": dict},
    )
    request = RequestFactory().get("/")
    request.user = lead
    request.partnership = partnership  # type: ignore[attr-defined]
    view = step()
    view.setup(request, pk=own.pk)

    offered = make(view, None)
    assert list(offered.fields["action"].queryset) == [own]  # type: ignore[attr-defined]
    posted = make(view, {"action": str(other.pk)})
    assert not posted.is_valid()
    assert "action" in posted.errors
    assert make(view, {"action": str(own.pk)}).is_valid()
