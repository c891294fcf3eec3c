"""Reads of the child death review area, always for a requesting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lift.core.access import has_role
from lift.core.roles import R

from .choices import ReportStatus
from .models import AgencyReport, ChildDeath
from .reference import cdop_reference


def is_coordinator(user: Any, partnership: Any) -> bool:
    return has_role(user, partnership, {R.CDOP_COORDINATOR})


def reports_for(user: Any, case: ChildDeath) -> QuerySet[AgencyReport]:
    """The case's reporting forms the user may read (coordinator and panel only)."""
    return (
        AgencyReport.objects.restrict(user, "view")
        .filter(case=case)
        .select_related("agency")
        .order_by("agency__name")
    )


def comparison(reports: list[AgencyReport]) -> list[dict[str, Any]]:
    """The received forms side by side: one table per question, a row per agency, so what
    several agencies know is compared, not retyped."""
    received = [r for r in reports if r.status == ReportStatus.RECEIVED]
    if not received:
        return []
    ref = cdop_reference()
    questions = [(q.code, q.label) for q in ref.questions]
    for sup in ref.supplementary:
        if any(sup.code in r.supplementary for r in received):
            questions += [
                (f"{sup.code}.{q.code}", f"{sup.label}: {q.label}") for q in sup.questions
            ]
    out = []
    for key, label in questions:
        rows = [(r.agency.name, r.answers.get(key, "")) for r in received]
        if any(text for _, text in rows):
            out.append({"label": label, "rows": rows})
    return out


def outstanding_reports(user: Any, partnership: Any) -> QuerySet[AgencyReport]:
    return (
        AgencyReport.objects.restrict(user, "view")
        .filter(partnership=partnership, status=ReportStatus.REQUESTED)
        .select_related("case", "agency")
        .order_by("due_on", "pk")
    )
