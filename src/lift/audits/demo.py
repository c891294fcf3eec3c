"""The audits story in the fictional Harrowmere partnership.

The current programme (the financial year the audit below started in, so its story is
over by the time the demo is built) has the seed's six themes. "Children stepped down from a child
protection plan for neglect to a child in need plan" is audited end to end: template,
a sample of six fictional cases, auditors' declarations (one declares involvement and is
replaced), returns from children's social care, police and health, young people's views,
the workshop, the overview report, findings, recommendations and actions, a Board agenda
item and a briefing. It re-audits last year's audit on the same theme, and an action from
last year cites the re-audit in its impact check. The CSE audit is under way (the demo
auditor has work waiting). Children's social care runs its own case audit programme, with
grades by team over two years; the feedback from this year's latest audit of Kwame
Ashcombe's case is still to be given by its auditor, the social care lead. Every date
counts from the day the demo is built, and children's dates of birth from their ages.

Every name here is invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.calendar import add_months, financial_year
from lift.core.demo import DEMO_PASSWORD
from lift.core.roles import R
from lift.core.services import person_create
from lift.learning import services as learning
from lift.learning.choices import ActionStatus, ImpactMethod, ImpactOutcome

from . import services
from .choices import AuditMethod, AuditStatus, Frequency, HowGathered
from .models import Audit, AuditReturn
from .reference import sync_templates, template_by_urn

MA = "urn:lift:audits:template:ma-thematic"
CSC = "urn:lift:audits:template:csc-case-audit"

# Fictional children: (reference, name, age in months when the demo is built, why in the
# sample)
CASES = [
    ("Case MA-01", "Ellis Brackenbury", 82, "Plan ended after 14 months."),
    ("Case MA-02", "Rowan Tillinghast", 41, "Plan ended after 9 months."),
    ("Case MA-03", "Marnie Quayle-Ashby", 110, "Sibling group; eldest child."),
    ("Case MA-04", "Jory Penhallow", 22, "Under five; health visitor lead."),
    ("Case MA-05", "Sable Witheridge", 67, "Re-referred within six months."),
    ("Case MA-06", "Tobin Fairlough", 87, "Plan ended after 18 months."),
]
EARLIER = [
    ("Case EA-01", "Linnet Carrowby", 80),
    ("Case EA-02", "Peregrine Hollin", 36),
    ("Case EA-03", "Wren Stobart", 113),
]
# Grades by case, agency order (social care, police, health), per line of enquiry.
GRADES = {
    "Case MA-01": ("good", "good", "outstanding"),
    "Case MA-02": ("good", "requires-improvement", "good"),
    "Case MA-03": ("requires-improvement", "requires-improvement", "good"),
    "Case MA-04": ("good", "good", "good"),
    "Case MA-05": ("requires-improvement", "inadequate", "requires-improvement"),
    "Case MA-06": ("outstanding", "good", "good"),
}
OTHER_THEMES = [
    (
        "Identification and protection of children at risk of sexual exploitation",
        ["child-sexual-exploitation"],
        AuditStatus.AUDITING,
        "cse",
    ),
    (
        "Adolescents who have experienced abusive relationships with partners of their own age",
        ["adolescent-relationship-abuse"],
        AuditStatus.PLANNED,
        None,
    ),
    (
        "Multi-agency practice with children missing from education",
        ["missing-from-education"],
        AuditStatus.DESIGN,
        None,
    ),
    (
        "The outcomes of early help: was early help helpful?",
        ["early-help"],
        AuditStatus.PLANNED,
        "early_help",
    ),
    ("Understanding and application of thresholds", ["thresholds"], AuditStatus.DEFERRED, None),
]


def _label(start: dt.date) -> str:
    return financial_year(start).label


def _born(today: dt.date, months: int) -> dt.date:
    return add_months(today, -months) - dt.timedelta(days=months % 28)


def _person(ctx: Any, key: str, email: str, name: str, job: str, role: str, agency: str) -> Any:
    person = person_create(
        partnership=ctx.partnership,
        email=email,
        full_name=name,
        job_title=job,
        role=role,
        agency=ctx.agencies[agency],
        password=DEMO_PASSWORD,
    )
    ctx.people[key] = person
    return person


def _answers(section: Any, note: str) -> dict[int, str]:
    return {
        q.pk: ("yes" if q.answer_type == "yes_no_partly" else note) for q in section.questions.all()
    }


def _return(
    audit: Audit, r: AuditReturn, auditor: Any, grade_code: str, strengths: str, improve: str
) -> None:
    template = audit.template
    assert template is not None
    for section in template.sections.all():
        grade = next(g for g in template.scale_for(section) if g.code == grade_code)
        services.return_section_save(
            audit_return=r,
            section=section,
            by=auditor,
            answers=_answers(section, f"{r.case.reference}: seen in {r.agency.name}'s records."),
            grade=grade,
            rationale=f"Graded {grade.label.lower()} on the evidence in the file.",
        )
    services.return_summary_save(
        audit_return=r,
        by=auditor,
        evidence_notes="Chronology, plans, core group minutes and supervision notes read.",
        strengths=strengths,
        areas_for_improvement=improve,
    )
    services.return_submit(audit_return=r, by=auditor)


def _run_audit(
    ctx: Any,
    audit: Audit,
    cases: list[tuple[str, str, int, str]],
    grades: dict[str, tuple[str, str, str]],
    auditors: dict[str, Any],
    leads: dict[str, Any],
    bu: Any,
) -> None:
    keys = ["social_care", "police", "health"]
    services.audit_status_set(audit=audit, status=AuditStatus.DESIGN, by=bu)
    sample = [
        services.sample_case_add(
            audit=audit,
            reference=ref,
            by=bu,
            full_name=name,
            date_of_birth=_born(ctx.today, months),
            summary=why,
        )
        for ref, name, months, why in cases
    ]
    services.audit_status_set(audit=audit, status=AuditStatus.AUDITING, by=bu)
    strengths = {
        "social_care": "Step-down plan agreed with the family and shared with every agency.",
        "police": "Domestic abuse notifications shared with children's social care the same day.",
        "health": "Health visitor kept contact through the step-down and saw the child at home.",
    }
    improve = {
        "social_care": "The first child in need review came later than the plan said.",
        "police": "Officers did not know the child had moved from a protection plan.",
        "health": "GP was not invited to the step-down meeting.",
    }
    for case in sample:
        for i, key in enumerate(keys):
            agency = ctx.agencies[key]
            assignment = services.assignment_create(
                case=case, agency=agency, auditor=auditors[key], by=bu
            )
            services.assignment_declare(assignment=assignment, by=auditors[key], involved=False)
            _return(
                audit,
                assignment.audit_return,
                auditors[key],
                grades[case.reference][i],
                strengths[key],
                improve[key],
            )
            services.return_quality_assure(
                audit_return=assignment.audit_return,
                by=leads[key],
                note="Checked against the file.",
            )


def build(ctx: Any) -> None:
    sync_templates()
    ma, csc = template_by_urn(MA), template_by_urn(CSC)
    today = ctx.today
    # The programme year the re-audit ran in: far enough back that its story (120 days from
    # the year's start) is over.
    this_year = financial_year(ctx.ago(150)).first_day
    last_year = (financial_year(this_year) - 1).first_day
    bu, lichair = ctx.people["bu"], ctx.people["lichair"]
    auditor_sc = ctx.people["auditor"]
    auditor_police = _person(
        ctx,
        "auditor_police",
        "auditor.police@harrowmere.example",
        "Danny Okafor-Reid",
        "Detective sergeant, public protection",
        R.AUDITOR,
        "police",
    )
    auditor_health = _person(
        ctx,
        "auditor_health",
        "auditor.health@harrowmere.example",
        "Morwenna Tregear",
        "Named nurse for safeguarding",
        R.AUDITOR,
        "health",
    )
    auditor_sc2 = _person(
        ctx,
        "auditor_sc2",
        "auditor2.sc@harrowmere.example",
        "Imogen Falstead",
        "Practice consultant",
        R.AUDITOR,
        "social_care",
    )
    auditors = {"social_care": auditor_sc, "police": auditor_police, "health": auditor_health}
    leads = {
        "social_care": ctx.people["lead_sc"],
        "police": ctx.people["lead_police"],
        "health": ctx.people["lead_health"],
    }
    agencies = [ctx.agencies[k] for k in ("social_care", "police", "health")]

    # --- last year: the first step-down audit -----------------------------------------
    earlier_programme = services.programme_create(
        partnership=ctx.partnership,
        year=_label(last_year),
        title="Multi-agency audit programme",
        by=bu,
        approved_on=last_year + dt.timedelta(days=20),
        summary="Approved by the Executive on the Learning and Improvement sub-group's advice.",
    )
    earlier = services.audit_create(
        programme=earlier_programme,
        title="Children stepped down from a child protection plan for neglect (first audit)",
        by=bu,
        lead=lichair,
        themes=["neglect", "step-down"],
        template=ma,
        agencies=agencies,
        planned_start=last_year + dt.timedelta(days=60),
        planned_end=last_year + dt.timedelta(days=150),
        returns_due_on=last_year + dt.timedelta(days=100),
        sampling_rule="Three children whose neglect plans ended in the previous quarter.",
        purpose="How well do agencies keep children safe once a neglect plan ends?",
    )
    _run_audit(
        ctx,
        earlier,
        [(ref, name, months, "Plan ended in the quarter.") for ref, name, months in EARLIER],
        {
            "Case EA-01": ("requires-improvement", "inadequate", "requires-improvement"),
            "Case EA-02": ("requires-improvement", "requires-improvement", "good"),
            "Case EA-03": ("inadequate", "requires-improvement", "requires-improvement"),
        },
        auditors,
        leads,
        bu,
    )
    services.views_record(
        audit=earlier,
        by=bu,
        group_description="Five members of the Youth Forum, aged 14 to 17",
        held_on=last_year + dt.timedelta(days=110),
        how_gathered=HowGathered.YOUTH_FORUM,
        number_of_young_people=5,
        what_they_said='"When the social worker stopped coming nobody told us who to call."',
    )
    services.workshop_record(
        audit=earlier,
        by=bu,
        held_on=last_year + dt.timedelta(days=120),
        attendees="Audit leads from children's social care, police and health.",
        agencies=agencies,
        discussion_notes="Step-down was treated as case closure by several agencies.",
        challenge_notes="Police challenged the view that they are told when plans end: they "
        "are not.",
    )
    services.audit_status_set(audit=earlier, status=AuditStatus.WORKSHOP, by=bu)
    finding = services.audit_finding_add(
        audit=earlier,
        by=bu,
        title="Step-down treated as closure",
        text="Agencies reduced contact as soon as the protection plan ended.",
        kind="improvement",
        themes=["neglect", "step-down"],
        identified_on=last_year + dt.timedelta(days=125),
    )
    rec = services.audit_recommendation_add(
        audit=earlier,
        by=bu,
        reference="R1",
        findings=[finding],
        text="Introduce a multi-agency step-down checklist, shared with every agency.",
    )
    checklist = learning.action_create(
        title="Multi-agency step-down checklist in use",
        owner_agency=ctx.agencies["social_care"],
        due_on=last_year + dt.timedelta(days=240),
        success_measure="Re-audit shows agencies know when plans end and keep contact.",
        recommendation=rec,
        owner=ctx.people["lead_sc"],
        status=ActionStatus.IN_PROGRESS,
        themes=["step-down"],
    )
    services.audit_complete(audit=earlier, by=lichair, on=last_year + dt.timedelta(days=150))

    # --- this year: the programme with the seed's six themes ---------------------------
    programme = services.programme_create(
        partnership=ctx.partnership,
        year=_label(this_year),
        title="Multi-agency audit programme",
        by=bu,
        approved_on=this_year + dt.timedelta(days=15),
        summary="The seed's themes, linked to the business plan's priorities.",
    )
    audit = services.audit_create(
        programme=programme,
        title="Children stepped down from a child protection plan for neglect to a child in "
        "need plan",
        by=bu,
        lead=lichair,
        themes=["neglect", "step-down"],
        template=ma,
        agencies=agencies,
        planned_start=this_year + dt.timedelta(days=30),
        planned_end=this_year + dt.timedelta(days=120),
        returns_due_on=this_year + dt.timedelta(days=70),
        sampling_rule="Six children whose protection plans for neglect ended between January "
        "and March, chosen at random from the list, one in three.",
        purpose="Re-audit: has the step-down checklist changed practice?",
        previous_audit=earlier,
    )
    priorities = ctx.extra.get("priorities") or {}
    if priorities.get("neglect") is not None and services.governance_available():
        services.audit_priority_link(audit=audit, priority=priorities["neglect"], by=bu)
    # One auditor declares previous involvement with MA-03 and is replaced.
    _run_audit(ctx, audit, CASES, GRADES, auditors, leads, bu)
    ma03 = audit.cases.get(reference="Case MA-03")
    blocked = services.assignment_create(
        case=ma03, agency=ctx.agencies["social_care"], auditor=auditor_sc2, by=bu
    )
    services.assignment_declare(
        assignment=blocked,
        by=auditor_sc2,
        involved=True,
        details="I supervised the allocated worker during the protection plan.",
    )
    services.views_record(
        audit=audit,
        by=ctx.people["youth"],
        group_description="Seven young people from the Youth Forum and a children in care "
        "council, aged 12 to 17",
        held_on=this_year + dt.timedelta(days=85),
        how_gathered=HowGathered.FOCUS_GROUP,
        number_of_young_people=7,
        what_they_said="They want to be told in person when a plan ends, by someone they know, "
        'and to have one adult who stays in touch. "A leaflet is not the same as a person."',
    )
    services.workshop_record(
        audit=audit,
        by=bu,
        held_on=this_year + dt.timedelta(days=95),
        attendees="Audit leads and auditors from children's social care, police and health; "
        "the Learning and Improvement sub-group chair.",
        agencies=agencies,
        discussion_notes="The checklist is used in most cases; health and social care now "
        "meet before step-down. Police still hear late.",
        challenge_notes="Health challenged children's social care's 'good' grade on Case MA-03: "
        "agreed to stand, with a note about the late review.",
    )
    services.audit_status_set(audit=audit, status=AuditStatus.WORKSHOP, by=bu)
    services.audit_overview_save(
        audit=audit,
        by=bu,
        summary="Practice after step-down has improved since last year's audit: two thirds of "
        "grades were good or better, against a quarter before. Police notification when plans "
        "end remains the main gap. Young people asked to be told in person when a plan ends.",
    )
    strength = services.audit_finding_add(
        audit=audit,
        by=bu,
        title="Step-down checklist used across agencies",
        text="In five of six cases the checklist was completed and shared before the plan ended.",
        kind="strength",
        themes=["step-down"],
    )
    gap = services.audit_finding_add(
        audit=audit,
        by=bu,
        title="Police not told when plans end",
        text="In four of six cases the police were not told the protection plan had ended.",
        kind="improvement",
        themes=["step-down", "information-sharing"],
    )
    rec1 = services.audit_recommendation_add(
        audit=audit,
        by=bu,
        reference="R1",
        findings=[gap],
        addressee="agencies",
        agencies=[ctx.agencies["social_care"], ctx.agencies["police"]],
        text="Tell the police public protection unit of every plan ending, on the day.",
    )
    rec2 = services.audit_recommendation_add(
        audit=audit,
        by=bu,
        reference="R2",
        findings=[strength],
        text="Tell children and young people in person when their plan ends, and who will "
        "stay in touch.",
    )
    learning.action_create(
        title="Plan-end notification to the police public protection unit",
        owner_agency=ctx.agencies["social_care"],
        recommendation=rec1,
        due_on=today + dt.timedelta(days=60),
        owner=ctx.people["lead_sc"],
        success_measure="Police are told of every plan ending within one working day.",
        status=ActionStatus.AGREED,
    )
    learning.action_create(
        title="Step-down conversation with every child",
        owner_agency=ctx.agencies["social_care"],
        recommendation=rec2,
        due_on=today + dt.timedelta(days=90),
        success_measure="Young people say they knew when their plan ended and who to call.",
    )
    services.audit_complete(audit=audit, by=lichair, on=this_year + dt.timedelta(days=120))
    meeting = ctx.extra.get("next_board_meeting")
    if meeting is not None and services.governance_available():
        services.audit_report_to_board(audit=audit, meeting=meeting, by=bu, presenter=lichair)
    services.audit_dissemination_record(
        audit=audit,
        by=bu,
        kind="briefing",
        title="Seven-minute briefing: after step-down",
        held_on=this_year + dt.timedelta(days=130),
        audience="Practitioners and managers in every partner agency",
        agencies_reached=agencies,
        people_reached=140,
        summary="What the re-audit found, and what changes now.",
    )
    # Last year's checklist action: completed, and its impact checked against the re-audit.
    learning.action_update_add(
        action=checklist,
        by=ctx.people["lead_sc"],
        text="Checklist launched at the practice week and added to the case recording system.",
        status=ActionStatus.COMPLETED,
    )
    learning.impact_check_record(
        action=checklist,
        by=bu,
        method=ImpactMethod.REAUDIT,
        measured="Grades of the step-down re-audit against the first audit, line by line.",
        result="Good or better grades rose from about a quarter to two thirds of returns.",
        outcome=ImpactOutcome.IMPROVED,
        compared_from=_label(last_year),
        compared_to=_label(this_year),
        cites=audit,
    )

    # --- the rest of the programme -------------------------------------------------------
    for i, (title, themes, status, priority) in enumerate(OTHER_THEMES, start=1):
        other = services.audit_create(
            programme=programme,
            title=title,
            by=bu,
            lead=lichair,
            themes=themes,
            template=ma if status != AuditStatus.PLANNED else None,
            agencies=agencies if status != AuditStatus.PLANNED else [],
            planned_start=this_year + dt.timedelta(days=60 * i),
            planned_end=this_year + dt.timedelta(days=60 * i + 90),
            returns_due_on=today + dt.timedelta(days=5 * i),
        )
        if priority and priorities.get(priority) is not None and services.governance_available():
            services.audit_priority_link(audit=other, priority=priorities[priority], by=bu)
        if status == AuditStatus.DESIGN:
            services.audit_status_set(audit=other, status=AuditStatus.DESIGN, by=bu)
        elif status == AuditStatus.DEFERRED:
            services.audit_status_set(
                audit=other,
                status=AuditStatus.DEFERRED,
                by=bu,
                reason="Deferred to next year: the threshold document is being rewritten.",
            )
        elif status == AuditStatus.AUDITING:
            services.audit_status_set(audit=other, status=AuditStatus.DESIGN, by=bu)
            cse1 = services.sample_case_add(
                audit=other,
                reference="Case CSE-01",
                by=bu,
                full_name="Avery Lanyon-Brook",
                summary="Flagged at risk in the spring.",
            )
            cse2 = services.sample_case_add(
                audit=other,
                reference="Case CSE-02",
                by=bu,
                full_name="Noor Ellesmere",
                summary="Missing episodes over the summer.",
            )
            services.audit_status_set(audit=other, status=AuditStatus.AUDITING, by=bu)
            # The demo auditor's waiting work: one declaration, one draft return.
            services.assignment_create(
                case=cse1, agency=ctx.agencies["social_care"], auditor=auditor_sc, by=bu
            )
            second = services.assignment_create(
                case=cse2, agency=ctx.agencies["social_care"], auditor=auditor_sc, by=bu
            )
            services.assignment_declare(assignment=second, by=auditor_sc, involved=False)

    _single_agency(ctx, csc, last_year, this_year, today)
    ctx.extra["audit"] = audit


def _next_round(year_start: dt.date, t_index: int, today: dt.date) -> dt.date | None:
    """The team's next quarterly round after today, or None once the programme's year is over."""
    rounds = [year_start + dt.timedelta(days=91 * q + 20 + t_index) for q in range(4)]
    return next((d for d in rounds if d > today), None)


def _single_agency(
    ctx: Any, csc: Any, last_year: dt.date, this_year: dt.date, today: dt.date
) -> None:
    sc = ctx.agencies["social_care"]
    lead, auditor = ctx.people["lead_sc"], ctx.people["auditor"]
    manager = _person(
        ctx,
        "manager_sc",
        "manager.sc@harrowmere.example",
        "Rhiannon Vosper",
        "Team manager, child in need team A",
        R.LINE_MANAGER,
        "social_care",
    )
    worker = _person(
        ctx,
        "worker_sc",
        "worker.sc@harrowmere.example",
        "Kwame Ashcombe",
        "Social worker",
        R.LEARNER,
        "social_care",
    )
    teams = [
        ("Assessment team", AuditMethod.OFFLINE_QA, auditor),
        ("Child in need team A", AuditMethod.PEER, lead),
        ("Child protection and court team", AuditMethod.PEER, lead),
    ]
    sections = list(csc.sections.all())
    for year_start, base_score in ((last_year, 2), (this_year, 3)):
        programme = services.agency_programme_create(
            agency=sc,
            title="Children's social care case audit programme",
            year=_label(year_start),
            template=csc,
            by=lead,
            share_with_business_unit=True,
            description="Monthly offline audits by quality assurance staff and peer audits by "
            "team managers; findings to the senior management team every quarter.",
        )
        for t_index, (team, method, team_auditor) in enumerate(teams):
            schedule = services.team_schedule_add(
                programme=programme,
                team=team,
                method=method,
                frequency=Frequency.QUARTERLY,
                cases_per_round=2,
                auditor=team_auditor,
                by=lead,
                next_due_on=_next_round(year_start, t_index, today),
            )
            for quarter in range(4):
                audited_on = year_start + dt.timedelta(days=91 * quarter + 20 + t_index)
                if audited_on > today:
                    continue
                for n in range(2):
                    score = max(1, min(4, base_score + (quarter + n + t_index) % 3 - 1))
                    overall = next(
                        g for g in csc.grades.all() if g.section_id is None and g.score == score
                    )
                    grades = {
                        s: next(
                            g
                            for g in csc.scale_for(s)
                            if g.score == max(1, min(4, score + (s.order % 2) - (n % 2)))
                        )
                        for s in sections
                    }
                    is_cin = team == "Child in need team A"
                    case_audit = services.case_audit_record(
                        schedule=schedule,
                        case_reference=f"CSC-{year_start.year}-{t_index}{quarter}{n}",
                        audited_on=audited_on,
                        auditor=team_auditor,
                        by=team_auditor,
                        grades=grades,
                        overall_grade=overall,
                        worker=worker if is_cin and n == 0 else None,
                        manager=manager if is_cin else None,
                        strengths="Child seen alone and their words recorded.",
                        areas_for_improvement="Plan actions lack timescales.",
                    )
                    # This year's latest audit of the worker's case waits for its
                    # feedback (the auditor's step on their to-do list).
                    latest = year_start == this_year and audited_on + dt.timedelta(days=91) > today
                    if is_cin and not (latest and n == 0):
                        services.case_audit_feedback(
                            case_audit=case_audit,
                            by=team_auditor,
                            feedback="Strong direct work; add dates to the plan's actions.",
                            given_on=audited_on + dt.timedelta(days=5),
                        )
                        if quarter < 3 and year_start == last_year:
                            services.case_audit_acknowledge(case_audit=case_audit, by=manager)
                            if case_audit.worker_id:
                                services.case_audit_acknowledge(case_audit=case_audit, by=worker)
        report = services.smt_report_record(
            programme=programme,
            period_start=year_start,
            period_end=min(today, year_start + dt.timedelta(days=180)),
            reported_on=min(today, year_start + dt.timedelta(days=190)),
            by=lead,
            findings="Children are seen and heard; plans still lack clear timescales, and "
            "management oversight is uneven between teams.",
            recommendations="Plan template to require a date for every action.",
            actions_agreed="Practice standards updated; team managers to check in supervision.",
        )
        if year_start == last_year:
            services.smt_report_share(
                report=report,
                by=lead,
                title="Children's social care case audits: plans lack timescales",
                themes=["voice-of-the-child"],
            )
