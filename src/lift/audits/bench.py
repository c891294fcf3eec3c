"""Synthetic audit data for the benchmark (`lift bench-data`): per partnership one
programme of `scale.count("audits")` thematic multi-agency audits on the current
multi-agency template, each with a sample of cases, one return per case and participating
agency (answers to every question and a grade per line of enquiry once submitted), and the
auditor assignments behind them. The benchmark's auditor holds some of the assignments of
the first partnership so "my audit work" has something to show.

Inserted in bulk (no history, no signals, no restricted identities), fictional throughout:
"Bench audit 12", cases "Case B-012-3".
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lift.core.bench.data import BenchContext, Scale, pick, row_factory
from lift.core.calendar import financial_year

CASES_PER_AUDIT = 6
AGENCIES_PER_AUDIT = 4
TOPICS = [
    "neglect in families with younger children",
    "children missing from education",
    "domestic abuse and the voice of the child",
    "child exploitation outside the home",
    "step-down from child protection plans",
    "pre-birth assessments",
]
# Audit statuses by weight: most of a programme is finished or under way.
STATUS_MIX = [
    ("completed", 40),
    ("auditing", 20),
    ("workshop", 15),
    ("design", 10),
    ("planned", 10),
    ("deferred", 5),
]
ANSWERS = ["yes", "partly", "no"]


def generate_audits(ctx: BenchContext, scale: Scale, rng: random.Random) -> None:
    from .models import (
        Assignment,
        Audit,
        AuditProgramme,
        AuditReturn,
        AuditTemplate,
        ReturnAnswer,
        ReturnGrade,
        SampleCase,
        TemplateGrade,
        TemplateQuestion,
        TemplateSection,
    )

    new_answer, new_grade = row_factory(ReturnAnswer), row_factory(ReturnGrade)
    template = (
        AuditTemplate.objects.filter(kind="multi_agency", is_current=True).order_by("pk").first()
    )
    if template is None:
        ctx.progress("audits: no multi-agency template loaded; nothing generated")
        return
    sections = list(TemplateSection.objects.filter(template=template).order_by("order", "pk"))
    questions = list(
        TemplateQuestion.objects.filter(section__template=template).order_by("section", "order")
    )
    # The grading scale for a section: its own if it has one, else the template's.
    scale_of: dict[int | None, list[Any]] = {}
    for grade in TemplateGrade.objects.filter(template=template).order_by("-score"):
        scale_of.setdefault(grade.section_id, []).append(grade)
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
    n_audits = scale.count("audits", 2)
    start = ctx.today - dt.timedelta(days=365)
    for bp in ctx.partnerships:
        if len(bp.agency_ids) < 2:
            continue
        managers = bp.by_role.get("subgroup_chair") or bp.person_ids
        auditors_by_agency: dict[int, list[int]] = {}
        for person_id in bp.by_role.get("auditor", []):
            agency_id = bp.agency_of.get(person_id)
            if agency_id is not None:
                auditors_by_agency.setdefault(agency_id, []).append(person_id)
        programme = ctx.insert(
            AuditProgramme,
            [
                AuditProgramme(
                    partnership_id=bp.pk,
                    year=financial_year(start).label,
                    title="Multi-agency audit programme",
                    summary="Thematic audits agreed by the Learning and Improvement sub-group.",
                    approved_on=start - dt.timedelta(days=14),
                )
            ],
        )[0]
        plans: list[tuple[str, list[int]]] = []
        audits = []
        for n in range(1, n_audits + 1):
            status = rng.choices(statuses, weights)[0]
            begins = ctx.day(rng, -360, -20)
            ends = begins + dt.timedelta(days=rng.randint(60, 120))
            agencies = rng.sample(bp.agency_ids, min(AGENCIES_PER_AUDIT, len(bp.agency_ids)))
            plans.append((status, agencies))
            audits.append(
                Audit(
                    partnership_id=bp.pk,
                    programme_id=programme.pk,
                    title=f"Bench audit {n}: {pick(rng, TOPICS)}",
                    purpose="To learn how well agencies work together for these children.",
                    status=status,
                    planned_start=begins,
                    planned_end=ends,
                    returns_due_on=begins + dt.timedelta(days=30),
                    template_id=template.pk,
                    sampling_rule="Every third case in the period.",
                    lead_id=pick(rng, managers),
                    overview_summary=(
                        "Agencies knew the children well; information sharing at the front "
                        "door was slower than it should be."
                        if status == "completed"
                        else ""
                    ),
                    completed_on=ends if status == "completed" else None,
                )
            )
        audits = ctx.insert(Audit, audits)
        through: Any = Audit.agencies.through
        ctx.insert(
            through,
            (
                through(audit_id=audit.pk, agency_id=agency_id)
                for audit, (_, agencies) in zip(audits, plans, strict=True)
                for agency_id in agencies
            ),
        )
        cases = ctx.insert(
            SampleCase,
            (
                SampleCase(
                    partnership_id=bp.pk,
                    audit_id=audit.pk,
                    reference=f"Case B-{n:03d}-{k}",
                    summary="A fictional sampled case.",
                    order=k,
                )
                for n, (audit, (status, _)) in enumerate(zip(audits, plans, strict=True), 1)
                if status not in ("planned", "design", "deferred")
                for k in range(1, CASES_PER_AUDIT + 1)
            ),
        )
        plan_of = {audit.pk: plan for audit, plan in zip(audits, plans, strict=True)}
        due_of = {audit.pk: audit.returns_due_on for audit in audits}
        returns = []
        for case in cases:
            status, agencies = plan_of[case.audit_id]
            for agency_id in agencies:
                if status in ("completed", "workshop"):
                    state = "quality_assured" if rng.random() < 0.7 else "submitted"
                else:
                    state = pick(rng, ["draft", "draft", "submitted"])
                submitted = due_of[case.audit_id] if state != "draft" else None
                returns.append(
                    AuditReturn(
                        partnership_id=bp.pk,
                        audit_id=case.audit_id,
                        case_id=case.pk,
                        agency_id=agency_id,
                        status=state,
                        due_on=due_of[case.audit_id],
                        evidence_notes="Records, plans and supervision notes for the case."
                        if submitted
                        else "",
                        strengths="Timely visits; the child was seen alone." if submitted else "",
                        areas_for_improvement="Chronology not kept up to date."
                        if submitted
                        else "",
                        submitted_on=submitted,
                        quality_assured_on=submitted if state == "quality_assured" else None,
                    )
                )
        returns = ctx.insert(AuditReturn, returns)
        bench_auditor = ctx.people.get("auditor") if bp.index == 1 else None
        bench_agency = bp.agency_of.get(bench_auditor) if bench_auditor else None
        assignments = []
        for i, ret in enumerate(returns):
            pool = auditors_by_agency.get(ret.agency_id) or bp.by_role.get("auditor") or []
            mine = bench_auditor and ret.agency_id == bench_agency and i % 3 == 0
            auditor = bench_auditor if mine else None
            auditor = auditor or (pick(rng, pool) if pool else None)
            if auditor is None:
                continue
            assignments.append(
                Assignment(
                    partnership_id=bp.pk,
                    audit_id=ret.audit_id,
                    case_id=ret.case_id,
                    agency_id=ret.agency_id,
                    auditor_id=auditor,
                    audit_return_id=ret.pk,
                    declaration="cleared"
                    if ret.status != "draft" or rng.random() < 0.6
                    else "awaiting",
                    due_on=ret.due_on,
                )
            )
        ctx.insert(Assignment, assignments)
        answered = [ret for ret in returns if ret.status != "draft"]
        ctx.insert(
            ReturnAnswer,
            (
                new_answer(
                    partnership_id=bp.pk,
                    audit_return_id=ret.pk,
                    question_id=question.pk,
                    answer=pick(rng, ANSWERS)
                    if question.answer_type == "yes_no_partly"
                    else "Seen in the case records; see the evidence notes.",
                )
                for ret in answered
                for question in questions
            ),
        )
        ctx.insert(
            ReturnGrade,
            (
                new_grade(
                    partnership_id=bp.pk,
                    audit_return_id=ret.pk,
                    section_id=section.pk,
                    grade_id=pick(rng, grades).pk,
                    rationale="Judged against the scale's descriptors.",
                )
                for ret in answered
                for section in sections
                if (grades := scale_of.get(section.pk) or scale_of.get(None))
            ),
        )


def register() -> None:
    from lift.core.bench import register_generator

    register_generator("audits", generate_audits, order=70, weight=3)
