"""The learning chain's part of the fictional Harrowmere story.

Harrowmere's Learning and Improvement sub-group read a (fictional) Kingsbrook serious case
review about cumulative neglect, judged that its lessons apply locally, and found the same
pattern in its own neglect audit a year later: neglect recurs. The Board accepted a
recommendation that every agency keep a multi-agency chronology. Social care's training is
done and its impact verified by the Chair; health's is evidenced; the police's completed;
social care's roll-out of the neglect screening tool is overdue by weeks and escalated to
the Chair. Sergeant Owen Penrose, who owned the police's work on the screening tool, left
the force last week with it overdue: his account is deactivated and the step waits for the
police's safeguarding lead. A seven-minute briefing carried the lessons to 180 practitioners. One
recommendation is implemented: after the national study of barriers to learning, every
action now carries an owner, a date and a measure of impact, and the Chair verified it.

Every child, case and review here is invented; the national publications are the seed's
references (titles and dates only).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from lift.core.roles import R
from lift.core.services import person_create, person_update

from . import services
from .choices import ActionStatus, Addressee, FindingKind, LibraryKind, Priority, Response
from .models import Action

S = ActionStatus


def build(ctx: Any) -> None:
    p = ctx.partnership
    a = ctx.agencies
    who = ctx.people
    today = ctx.today

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    services.theme_create(
        partnership=p,
        by=who["bu"],
        name="Private fostering",
        description="Children cared for by someone other than a parent or close relative.",
    )

    # --- the learning library -----------------------------------------------------------
    working_together = services.library_item_create(
        partnership=p,
        by=who["bu"],
        kind=LibraryKind.PUBLICATION,
        title="Working Together to Safeguard Children 2015",
        author="HM Government",
        published_on=dt.date(2015, 3, 1),
        summary="The statutory guidance the partnership's framework of learning and "
        "improvement follows.",
        themes=["multi-agency-working", "thresholds"],
        considered_on=ago(700),
    )
    munro = services.library_item_create(
        partnership=p,
        by=who["bu"],
        kind=LibraryKind.RESEARCH,
        title="The Munro Review of Child Protection: Final Report",
        author="Professor Eileen Munro, Department for Education",
        published_on=dt.date(2011, 5, 1),
        summary="A child-centred system that learns: less compliance, more professional "
        "judgement and feedback on whether help made a difference.",
        themes=["voice-of-the-child", "multi-agency-working"],
        considered_on=ago(650),
    )
    barriers = services.library_item_create(
        partnership=p,
        by=who["bu"],
        kind=LibraryKind.RESEARCH,
        title="A study to investigate the barriers to learning from serious case reviews",
        author="Department for Education",
        published_on=dt.date(2014, 7, 1),
        summary="Why lessons from reviews fail to change practice, and how partnerships can "
        "track learning through to impact.",
        themes=["multi-agency-working"],
        considered_on=ago(640),
    )
    kingsbrook = services.library_item_create(
        partnership=p,
        by=who["lichair"],
        kind=LibraryKind.CASE_REVIEW,
        title="Serious case review: Child K (Kingsbrook SCP, fictional)",
        author="Kingsbrook Safeguarding Children Partnership (fictional)",
        published_on=ago(430),
        summary="A fictional review of a young child whose neglect was seen in episodes by "
        "several agencies but never added up.",
        themes=["neglect", "information-sharing"],
        considered_on=ago(410),
    )

    services.lesson_add(
        item=munro,
        by=who["lichair"],
        title="Ask children what help they want, and record it in their words",
        text="Plans improve when the child's own view is sought and written down.",
        themes=["voice-of-the-child"],
        identified_on=ago(640),
    )
    tracked = services.lesson_add(
        item=barriers,
        by=who["lichair"],
        title="Lessons change practice only when actions are tracked to their impact",
        text="Recommendations without an owner, a date and a measure of impact were not "
        "carried out.",
        themes=["multi-agency-working"],
        identified_on=ago(630),
    )
    services.finding_judge(finding=tracked, by=who["subgroup"], applies=True)
    cumulative = services.lesson_add(
        item=kingsbrook,
        by=who["lichair"],
        title="Cumulative neglect is missed when each agency sees one episode",
        text="No agency kept a chronology, so no one saw the pattern of missed health "
        "appointments, poor school attendance and home conditions.",
        themes=["neglect", "information-sharing"],
        identified_on=ago(405),
    )
    services.finding_judge(
        finding=cumulative,
        by=who["subgroup"],
        applies=True,
        reason="Our own front door data shows repeat neglect referrals closed at first contact.",
    )
    services.lesson_add(
        item=working_together,
        by=who["bu"],
        title="Reviews of cases below the SCR threshold also yield learning",
        text="Learning lessons reviews and audits are part of the framework, not extras.",
        kind=FindingKind.STRENGTH,
        themes=["multi-agency-working"],
        identified_on=ago(700),
    )

    # --- local findings (the audits and reviews areas add theirs) ---------------------------
    audit_neglect = services.finding_create(
        source=None,
        partnership=p,
        title="Chronologies absent in 6 of 10 neglect cases audited",
        text="The multi-agency neglect audit found no chronology on six files; where there "
        "was one, the pattern of concern was recognised sooner.",
        themes=["neglect", "information-sharing"],
        identified_on=ago(12),
        recorded_by=who["lichair"],
    )
    services.finding_create(
        source=None,
        partnership=p,
        title="Police and health share information well at the front door",
        text="Daily meetings between police, health and social care were timely and well recorded.",
        kind=FindingKind.STRENGTH,
        themes=["information-sharing"],
        identified_on=ago(12),
        recorded_by=who["lichair"],
    )
    voice = services.finding_create(
        source=None,
        partnership=p,
        title="Young people's views rarely recorded in child in need plans",
        text="Only three of ten plans recorded what the young person said they wanted.",
        themes=["voice-of-the-child"],
        identified_on=ago(40),
        recorded_by=who["lichair"],
    )

    # --- recommendations -------------------------------------------------------------------
    r1 = services.finding_recommend(
        finding=cumulative,
        by=who["lichair"],
        reference="R1",
        text="Every agency keeps a multi-agency chronology for children where neglect is a "
        "concern, using the partnership template.",
        addressee=Addressee.AGENCIES,
        agencies=[a["social_care"], a["health"], a["police"], a["education"]],
    )
    r1.findings.add(audit_neglect)
    services.recommendation_respond(
        recommendation=r1, by=who["chair"], response=Response.ACCEPTED, today=ago(380)
    )
    r2 = services.recommendation_create(
        source=None,
        partnership=p,
        reference="R2",
        text="Introduce a neglect screening tool across the partnership.",
        findings=[audit_neglect],
        addressee=Addressee.PARTNERSHIP,
        themes=["neglect"],
    )
    services.recommendation_respond(
        recommendation=r2,
        by=who["chair"],
        response=Response.PARTLY,
        reason="Education will use the tool for early help cases only this year.",
        today=ago(10),
    )
    r3 = services.recommendation_create(
        source=None,
        partnership=p,
        reference="R3",
        text="The police send every domestic abuse notification to the child's school "
        "within one working day.",
        addressee=Addressee.AGENCIES,
        agencies=[a["police"]],
        themes=["domestic-abuse", "information-sharing"],
    )
    services.recommendation_respond(
        recommendation=r3,
        by=who["lead_police"],
        response=Response.NOT_ACCEPTED,
        reason="Already met by the daily notification process reviewed last year.",
        today=ago(30),
    )
    r4 = services.recommendation_create(
        source=None,
        partnership=p,
        reference="R4",
        text="Child in need plans record the young person's own words.",
        findings=[voice],
        addressee=Addressee.BOARD,
        themes=["voice-of-the-child"],
    )

    r5 = services.finding_recommend(
        finding=tracked,
        by=who["lichair"],
        reference="R5",
        text="Every action from a review, audit or inspection has an owner, a due date and a "
        "measure of its impact before the sub-group agrees it.",
    )
    services.recommendation_respond(
        recommendation=r5, by=who["chair"], response=Response.ACCEPTED, today=ago(600)
    )

    # --- actions at every status ------------------------------------------------------------
    def action(**kw: Any) -> Action:
        kw.setdefault("partnership", p)
        return services.action_create(**kw)

    def progress(act: Action, by: Any, text: str) -> None:
        services.action_update_add(action=act, by=by, text=text)

    closed = action(
        title="Train social workers to keep the chronology template",
        recommendation=r1,
        owner_agency=a["social_care"],
        owner=who["lead_sc"],
        due_on=ago(200),
        priority=Priority.HIGH,
        success_measure="A re-audit finds a chronology on at least 8 of 10 neglect files.",
        status=S.IN_PROGRESS,
        themes=["neglect"],
    )
    progress(closed, who["lead_sc"], "All four assessment teams trained (62 staff).")
    services.evidence_add(
        action=closed,
        by=who["lead_sc"],
        kind="note",
        description="Training register",
        note="Register of 62 attendees kept by the workforce development team.",
    )
    services.action_transition(action=closed, to=S.COMPLETED, by=who["lead_sc"])
    check = services.impact_check_record(
        action=closed,
        by=who["lichair"],
        method="reaudit",
        measured="Chronology present on neglect files, re-audit of 10 cases.",
        result="9 of 10 files had a current chronology (was 4 of 10).",
        outcome="improved",
        compared_from="Audit a year ago",
        compared_to="Re-audit this quarter",
    )
    services.impact_verify(check=check, by=who["chair"])

    evidenced = action(
        title="Health visitors add a chronology to every neglect record",
        recommendation=r1,
        owner_agency=a["health"],
        owner=who["lead_health"],
        due_on=ago(60),
        success_measure="Chronology present in health visiting records for every child on a "
        "neglect plan.",
        status=S.IN_PROGRESS,
        themes=["neglect"],
    )
    progress(evidenced, who["lead_health"], "Record template changed; staff briefed.")
    services.action_transition(action=evidenced, to=S.COMPLETED, by=who["lead_health"])
    services.evidence_add(
        action=evidenced,
        by=who["lead_health"],
        kind="link",
        description="Updated record-keeping standard (intranet)",
        url="https://intranet.harrowmere-health.example/records/neglect-chronology",
    )
    services.action_transition(action=evidenced, to=S.EVIDENCED, by=who["lead_health"])

    completed = action(
        title="Add a chronology prompt to the police child protection referral",
        recommendation=r1,
        owner_agency=a["police"],
        owner=who["lead_police"],
        due_on=ago(20),
        success_measure="Referrals for neglect carry a summary of previous police contact.",
        status=S.AGREED,
        themes=["neglect", "information-sharing"],
    )
    services.action_transition(action=completed, to=S.IN_PROGRESS, by=who["lead_police"])
    progress(completed, who["lead_police"], "Form changed on the records system.")
    services.action_transition(action=completed, to=S.COMPLETED, by=who["lead_police"])
    # Its impact is checked, but the evidence is not yet on the action: the police lead's
    # step ("Add evidence ... so its impact can be verified"), then the Chair's.
    services.impact_check_record(
        action=completed,
        by=who["lead_police"],
        method="reaudit",
        measured="Re-audit of last month's neglect referrals for a summary of previous contact",
        result="9 of 12 referrals sampled carried the summary",
        outcome="improved",
    )

    escalated = action(
        title="Use the neglect screening tool in every child in need assessment",
        recommendation=r2,
        owner_agency=a["social_care"],
        owner=who["lead_sc"],
        due_on=ago(45),
        priority=Priority.HIGH,
        success_measure="The tool is on file in 9 of 10 assessments audited.",
        status=S.IN_PROGRESS,
        themes=["neglect"],
    )
    progress(escalated, who["lead_sc"], "Pilot in one team; licences for the rest delayed.")
    services.action_escalate(
        action=escalated, today=ago(45 - p.escalation_days - 1), reason="Overdue: escalated."
    )

    overdue = action(
        title="Named nurses cover cumulative neglect in safeguarding supervision",
        recommendation=r2,
        owner_agency=a["health"],
        owner=who["lead_health"],
        due_on=ago(70),
        success_measure="Supervision records show neglect discussed for every child on a plan.",
        status=S.IN_PROGRESS,
        themes=["neglect"],
    )
    services.action_due_change(
        action=overdue,
        by=who["lead_health"],
        due_on=ago(5),
        reason="Named nurse post vacant for two months.",
    )

    # A leaver: the sergeant who owned the police's part of R2 left last week, the action
    # still open and overdue; the business unit deactivated his account.
    leaver = person_create(
        partnership=p,
        email="leaver.police@harrowmere.example",
        full_name="Owen Penrose",
        job_title="Police sergeant, public protection (left)",
        role=R.SUBGROUP_MEMBER,
        agency=a["police"],
    )
    left_behind = action(
        title="Neglect screening prompt on the police domestic visit checklist",
        recommendation=r2,
        owner_agency=a["police"],
        owner=leaver,
        due_on=ago(14),
        success_measure="Every domestic visit record shows the neglect prompt completed.",
        status=S.IN_PROGRESS,
        themes=["neglect"],
    )
    progress(left_behind, leaver, "Draft checklist agreed with the force's records team.")
    person_update(person=leaver, by=who["bu"], is_active=False)

    on_time = action(
        title="Designated safeguarding leads trained on the neglect screening tool",
        recommendation=r2,
        owner_agency=a["education"],
        due_on=ahead(45),
        success_measure="Every school's designated lead has attended (register).",
        status=S.IN_PROGRESS,
        themes=["neglect", "early-help"],
    )
    progress(on_time, who["bu"], "Two of four sessions held; 41 schools attended.")

    agreed = action(
        title="Neglect awareness in the neighbourhood policing briefing",
        recommendation=r2,
        owner_agency=a["police"],
        owner=who["lead_police"],
        due_on=ahead(20),
        success_measure="Briefing delivered to every neighbourhood team.",
        status=S.AGREED,
        themes=["neglect"],
    )
    services.action_due_change(
        action=agreed,
        by=who["lead_police"],
        due_on=ahead(50),
        reason="Briefing cycle moved to the next quarter.",
    )

    action(
        title="Family support workers record the young person's own words in plans",
        recommendation=r4,
        owner_agency=a["voluntary"],
        due_on=ahead(90),
        success_measure="Plans audited quote the young person in 8 of 10 cases.",
        status=S.PROPOSED,
        themes=["voice-of-the-child"],
    )

    not_accepted = action(
        title="Review domestic abuse notifications to schools",
        recommendation=r3,
        owner_agency=a["police"],
        owner=who["lead_police"],
        due_on=ahead(30),
        success_measure="Every notification reaches the school within one working day.",
        status=S.PROPOSED,
        themes=["domestic-abuse"],
    )
    services.action_transition(
        action=not_accepted,
        to=S.NOT_ACCEPTED,
        by=who["chair"],
        reason="The recommendation was not accepted: the process already exists.",
    )

    old = action(
        title="Single-agency neglect audit in health visiting",
        owner_agency=a["health"],
        owner=who["lead_health"],
        due_on=ahead(10),
        success_measure="Audit report to the sub-group.",
        status=S.AGREED,
        themes=["neglect"],
    )
    services.action_transition(
        action=old,
        to=S.SUPERSEDED,
        by=who["lichair"],
        superseded_by=overdue,
        reason="Folded into safeguarding supervision.",
    )

    # R5, implemented: its one action closed with its impact verified.
    template = action(
        title="Add an owner, a due date and an impact measure to the action plan template",
        recommendation=r5,
        owner_agency=a["social_care"],
        owner=who["lichair"],
        due_on=ago(420),
        success_measure="Every action agreed since carries an owner, a date and a measure.",
        status=S.AGREED,
        themes=["multi-agency-working"],
    )
    services.action_transition(action=template, to=S.IN_PROGRESS, by=who["lichair"], today=ago(560))
    services.evidence_add(
        action=template,
        by=who["lichair"],
        kind="note",
        description="Sub-group minutes",
        note="The sub-group agreed the new template; it is the only one on the intranet.",
    )
    services.action_update_add(
        action=template,
        by=who["lichair"],
        text="Template changed and agreed by the sub-group; the tracker refuses an action "
        "without an owner.",
        status=S.COMPLETED,
        today=ago(430),
    )
    template_check = services.impact_check_record(
        action=template,
        by=who["lichair"],
        method="reaudit",
        measured="Re-audit of the action tracker: actions agreed in the six months after the "
        "change that have an owner, a date and a measure of impact.",
        result="All 14 actions agreed since have all three (was 5 of 12 before).",
        outcome="improved",
        compared_from="Six months before the change",
        compared_to="Six months after",
        checked_on=ago(240),
    )
    services.impact_verify(check=template_check, by=who["chair"], today=ago(230))

    # --- dissemination ----------------------------------------------------------------------
    services.dissemination_create(
        partnership=p,
        by=who["trainer"],
        kind="briefing",
        title="Seven-minute briefing: cumulative neglect and chronologies",
        held_on=ago(25),
        audience="Practitioners and managers across the partnership",
        findings=[cumulative, audit_neglect],
        agencies_reached=[
            a["social_care"],
            a["health"],
            a["police"],
            a["education"],
            a["voluntary"],
        ],
        people_reached=180,
        summary="A one-page briefing discussed in team meetings, with three questions to ask.",
    )
    services.dissemination_create(
        partnership=p,
        by=who["bu"],
        kind="newsletter",
        title="Partnership newsletter: what we learned this quarter",
        held_on=ago(10),
        audience="Everyone on the partnership mailing list",
        findings=[tracked, voice],
        agencies_reached=list(a.values()),
        people_reached=950,
    )

    ctx.extra["learning"] = {
        "recommendations": {"R1": r1, "R2": r2, "R3": r3, "R4": r4, "R5": r5},
        "escalated_action": escalated,
        "closed_action": closed,
        "leaver_action": left_behind,
        "recurring_theme": "neglect",
    }
