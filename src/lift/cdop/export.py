"""The per-case export for the National Child Mortality Database, in a documented, stable
format (field list and format version in reference/cdop/ncmd-export.yaml; docs/cdop.md).

JSON: {"format": "lift-cdop-ncmd", "format_version": "1.0", "cases": [{field: value}]}
with dates as ISO 8601 strings, lists as arrays and missing values as null.
CSV: one header row of the field names in file order, then one row per case; lists joined
with "|", missing values empty, booleans "true"/"false", formula characters neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from lift.core.exports import neutralise

from .choices import ReportStatus
from .models import ChildDeath
from .reference import cdop_reference

FORMAT = "lift-cdop-ncmd"


def field_names() -> list[str]:
    return [f.name for f in cdop_reference().export_fields]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def record(case: ChildDeath) -> dict[str, Any]:
    """One case's export record, keys in the documented order."""
    ref = cdop_reference()
    identity = getattr(case, "identity", None)
    analysis = getattr(case, "analysis", None)
    reports = list(case.reports.exclude(status=ReportStatus.WITHDRAWN).select_related("agency"))
    review = case.review_meetings.order_by("held_on").first()
    scores: dict[str, int | None] = {d.code: None for d in ref.domains}
    factors: list[str] = []
    if analysis is not None:
        scores.update({d.domain: d.score for d in analysis.domains.all()})
        factors = sorted(f.code for f in analysis.factor_codes.all())
    category = ref.category(analysis.category) if analysis else None
    values: dict[str, Any] = {
        "case_number": case.reference,
        "partnership": case.partnership.name,
        "notified_on": _iso(case.notified_on),
        "notified_via": case.notified_via,
        "nhs_number": (identity.nhs_number or None) if identity else None,
        "first_name": identity.first_name if identity else None,
        "family_name": (identity.family_name or None) if identity else None,
        "date_of_birth": _iso(identity.date_of_birth) if identity else None,
        "date_of_death": _iso(identity.date_of_death) if identity else None,
        "sex": case.sex,
        "age_band": case.age_band,
        "year_of_death": case.year_of_death,
        "expected": case.expected,
        "joint_agency_response": case.joint_agency_response,
        "jar_criteria": list(case.jar_criteria or []),
        "jar_started_on": _iso(case.jar_started_on),
        "jar_completed_on": _iso(case.jar_completed_on),
        "reporting_forms_requested": len(reports),
        "reporting_forms_received": sum(r.status == ReportStatus.RECEIVED for r in reports),
        "reporting_agencies": sorted(
            r.agency.name for r in reports if r.status == ReportStatus.RECEIVED
        ),
        "review_meeting_on": _iso(review.held_on) if review else None,
        "panel_meeting_on": _iso(analysis.meeting.held_on)
        if analysis and analysis.meeting
        else None,
        "category": analysis.category if analysis else None,
        "category_number": category.number if category else None,
        "score_child": scores.get("child"),
        "score_social": scores.get("social"),
        "score_physical": scores.get("physical"),
        "score_service": scores.get("service"),
        "factors": factors,
        "modifiable": analysis.modifiable if analysis else None,
        "analysis_completed_on": _iso(analysis.completed_on) if analysis else None,
    }
    names = field_names()
    missing = set(names) - set(values)
    if missing:  # the field list and this builder must agree
        raise RuntimeError(f"NCMD export has no value for {sorted(missing)}")
    return {name: values[name] for name in names}


def as_json(cases: Iterable[ChildDeath]) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "format_version": cdop_reference().export_format_version,
            "cases": [record(c) for c in cases],
        },
        indent=2,
        ensure_ascii=False,
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(str(v) for v in value)
    return neutralise(str(value))


def as_csv(cases: Iterable[ChildDeath]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = field_names()
    writer.writerow(["format_version", *names])
    version = cdop_reference().export_format_version
    for case in cases:
        row = record(case)
        writer.writerow([version, *[_cell(row[n]) for n in names]])
    return out.getvalue()
