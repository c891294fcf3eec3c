"""Reads of the audits area, always given the reading user. Aggregates are computed in the
database; free text going into reports is checked against the sample's identifiers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import TruncQuarter

from lift.core.models import Partnership
from lift.learning.models import Finding, Recommendation
from lift.learning.selectors import chain_for

from . import rules
from .choices import REPORTED_RETURNS, Declaration, ReturnStatus
from .models import (
    AgencyAuditProgramme,
    Assignment,
    Audit,
    AuditReturn,
    AuditTemplate,
    CaseAudit,
    CaseAuditGrade,
    ReturnGrade,
    TemplateGrade,
    TemplateSection,
)
from .services import audit_identifiers


def my_assignments(user: Any, partnership: Partnership | None) -> QuerySet[Assignment]:
    """The user's own assignments (awaiting declaration or with a return still to send)."""
    qs = Assignment.objects.filter(auditor=user.pk)
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    return qs.select_related("audit", "case", "agency", "audit_return").order_by("due_on", "pk")


def my_open_assignments(user: Any, partnership: Partnership | None) -> QuerySet[Assignment]:
    return (
        my_assignments(user, partnership)
        .exclude(declaration=Declaration.BLOCKED)
        .filter(audit_return__status=ReturnStatus.DRAFT)
    )


# --- the overview report -----------------------------------------------------------------


@dataclass
class Distribution:
    """Counts of each grade, by line of enquiry and by agency within it."""

    grades: list[TemplateGrade]
    sections: list[TemplateSection]
    by_section: dict[int, dict[int, int]] = field(default_factory=dict)  # section -> grade -> n
    by_agency: dict[int, dict[str, dict[int, int]]] = field(default_factory=dict)
    average: dict[int, float | None] = field(default_factory=dict)  # section -> mean score


def grade_distribution(audit: Audit) -> Distribution:
    """Grade counts of the audit's reported returns (submitted or quality-assured), by line of
    enquiry and by agency: two grouped queries however many returns there are."""
    sections = list(TemplateSection.objects.filter(template_id=audit.template_id).order_by("order"))
    grades = list(
        TemplateGrade.objects.filter(template_id=audit.template_id, section__isnull=True).order_by(
            "-score"
        )
    )
    dist = Distribution(grades=grades, sections=sections)
    base = ReturnGrade.objects.filter(
        audit_return__audit=audit, audit_return__status__in=REPORTED_RETURNS
    ).order_by()
    for row in base.values("section_id", "grade_id", "audit_return__agency__name").annotate(
        n=Count("id")
    ):
        sec, grade, agency = row["section_id"], row["grade_id"], row["audit_return__agency__name"]
        dist.by_section.setdefault(sec, defaultdict(int))[grade] += row["n"]
        dist.by_agency.setdefault(sec, {}).setdefault(agency, defaultdict(int))[grade] += row["n"]
    for mean in base.values("section_id").annotate(avg=Avg("grade__score")):
        dist.average[mean["section_id"]] = round(float(mean["avg"]), 2) if mean["avg"] else None
    return dist


def section_scores(audit: Audit) -> dict[str, dict[str, Any]]:
    """Per line-of-enquiry code: mean score, number of grades and the share graded good or
    better (score >= 3 on the four-point scale), from the database."""
    out: dict[str, dict[str, Any]] = {}
    base = ReturnGrade.objects.filter(
        audit_return__audit=audit, audit_return__status__in=REPORTED_RETURNS
    ).order_by()
    for row in base.values("section__code", "section__title").annotate(
        avg=Avg("grade__score"), n=Count("id")
    ):
        out[row["section__code"]] = {
            "title": row["section__title"],
            "average": round(float(row["avg"]), 2) if row["avg"] is not None else None,
            "count": row["n"],
            "good_or_better": 0,
        }
    for row in base.filter(grade__score__gte=3).values("section__code").annotate(n=Count("id")):
        out[row["section__code"]]["good_or_better"] = row["n"]
    return out


def reaudit_comparison(audit: Audit) -> dict[str, Any] | None:
    """How grades moved between the earlier audit and this re-audit, line by line (matched by
    line-of-enquiry code). None when the audit re-audits nothing."""
    previous = audit.previous_audit
    if previous is None:
        return None
    before = section_scores(previous)
    after = section_scores(audit)
    rows = []
    for code in list(dict.fromkeys([*before, *after])):
        b, a = before.get(code), after.get(code)
        title = (a or b or {}).get("title", code)
        b_avg = b["average"] if b else None
        a_avg = a["average"] if a else None
        rows.append(
            {
                "code": code,
                "title": title,
                "before": b_avg,
                "after": a_avg,
                "change": round(a_avg - b_avg, 2)
                if a_avg is not None and b_avg is not None
                else None,
                "before_good_share": _share(b),
                "after_good_share": _share(a),
            }
        )
    return {"previous": previous, "audit": audit, "rows": rows}


def _share(scores: dict[str, Any] | None) -> float | None:
    if not scores or not scores["count"]:
        return None
    return round(100 * scores["good_or_better"] / scores["count"], 1)


def impact_comparison(source: Any) -> dict[str, Any] | None:
    """For the learning chain: what an impact check citing `source` (a re-audit) shows. The
    same dict as `reaudit_comparison`, or None when the source is not a re-audit."""
    if not isinstance(source, Audit):
        return None
    return reaudit_comparison(source)


@dataclass
class ReportText:
    """Free text for the report, by case reference and agency, identifiers removed."""

    case: str
    agency: str
    text: str


def report_texts(audit: Audit) -> dict[str, list[ReportText]]:
    identifiers = audit_identifiers(audit)
    out: dict[str, list[ReportText]] = {"strengths": [], "areas_for_improvement": []}
    returns = (
        AuditReturn.objects.filter(audit=audit, status__in=REPORTED_RETURNS)
        .select_related("case", "agency")
        .order_by("case__order", "agency__name")
    )
    for r in returns:
        for key in out:
            text = getattr(r, key).strip()
            if text:
                out[key].append(
                    ReportText(r.case.reference, r.agency.name, rules.redact(text, identifiers))
                )
    return out


@dataclass(frozen=True)
class SectionOutline:
    """A template's line of enquiry as the audit page lists it."""

    title: str
    description: str
    focus: str
    questions: int


# A template version's rows are written once, when the version is loaded from reference/
# (audits.reference.sync_templates), and never changed, so its outline is kept per version.
OUTLINE_CACHE_SECONDS = 24 * 3600


def template_outline(template: AuditTemplate) -> list[SectionOutline]:
    """The template's lines of enquiry with their question counts: one query, then from
    the cache (keyed on the template row and its version) until the version changes."""
    stamp = template.updated_at.timestamp() if template.updated_at else 0
    key = f"audits:template-outline:{template.pk}:{template.urn}:{template.version}:{stamp}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    outline = [
        SectionOutline(s.title, s.description, s.get_focus_display(), s.n_questions)
        for s in TemplateSection.objects.filter(template=template)
        .annotate(n_questions=Count("questions"))
        .order_by("order", "pk")
    ]
    cache.set(key, outline, OUTLINE_CACHE_SECONDS)
    return outline


def return_progress(audit: Audit) -> dict[str, int]:
    counts = dict(
        AuditReturn.objects.filter(audit=audit)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return {s: counts.get(s, 0) for s in ReturnStatus.values}


def audit_findings(user: Any, audit: Audit) -> QuerySet[Finding]:
    """The audit's findings that `user` may view."""
    return chain_for(user, audit).findings.prefetch_related("themes").order_by("kind", "id")


def audit_recommendations(user: Any, audit: Audit) -> QuerySet[Recommendation]:
    """The audit's recommendations that `user` may view."""
    return (
        chain_for(user, audit)
        .recommendations.prefetch_related("agencies")
        .order_by("reference", "id")
    )


def audit_actions(user: Any, audit: Audit) -> QuerySet[Any]:
    """The actions of the audit's learning chain that `user` may view."""
    return chain_for(user, audit).actions.select_related("owner_agency").order_by("due_on", "pk")


def linked_priorities(audit: Audit) -> list[Any]:
    from .services import governance_available

    if not governance_available():
        return []
    from lift.governance.models import PriorityLink

    return [
        link.priority
        for link in PriorityLink.objects.filter(
            linked_type=ContentType.objects.get_for_model(Audit), linked_id=audit.pk
        ).select_related("priority__plan")
    ]


# --- single-agency summary ---------------------------------------------------------------


def agency_summary(programme: AgencyAuditProgramme) -> dict[str, Any]:
    """Overall grades over time (by quarter) and by team, counted in the database."""
    grades = list(
        TemplateGrade.objects.filter(
            template_id=programme.template_id, section__isnull=True
        ).order_by("-score")
    )
    audits = CaseAudit.objects.filter(programme=programme, overall_grade__isnull=False).order_by()
    by_quarter: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        audits.annotate(quarter=TruncQuarter("audited_on"))
        .values("quarter", "overall_grade_id")
        .annotate(n=Count("id"))
    ):
        by_quarter[row["quarter"]][row["overall_grade_id"]] += row["n"]
    by_team: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for team in audits.values("schedule__team", "overall_grade_id").annotate(n=Count("id")):
        by_team[team["schedule__team"]][team["overall_grade_id"]] += team["n"]
    quarter_avg = {
        row["quarter"]: round(float(row["avg"]), 2)
        for row in audits.annotate(quarter=TruncQuarter("audited_on"))
        .values("quarter")
        .annotate(avg=Avg("overall_grade__score"))
    }
    domain_avg = list(
        CaseAuditGrade.objects.filter(case_audit__programme=programme)
        .order_by()
        .values("section__title", "section__order")
        .annotate(avg=Avg("grade__score"), n=Count("id"))
        .order_by("section__order")
    )
    quarters = sorted(by_quarter)
    return {
        "grades": grades,
        "quarters": [
            {
                "label": _quarter_label(q),
                "counts": [by_quarter[q].get(g.pk, 0) for g in grades],
                "average": quarter_avg.get(q),
            }
            for q in quarters
        ],
        "teams": [
            {"team": team, "counts": [counts.get(g.pk, 0) for g in grades]}
            for team, counts in sorted(by_team.items())
        ],
        "domains": [
            {"title": d["section__title"], "average": round(float(d["avg"]), 2), "count": d["n"]}
            for d in domain_avg
        ],
        "total": sum(sum(c.values()) for c in by_team.values()),
    }


def _quarter_label(value: Any) -> str:
    d = value.date() if hasattr(value, "date") else value
    return f"{d.year} Q{(d.month - 1) // 3 + 1}"
