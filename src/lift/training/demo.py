"""Training's part of the fictional Harrowmere story.

The Training sub-group drafted the financial year's multi-agency training programme from
the business plan priorities and last year's needs assessment; the Executive approved it
before the year began. A
dozen courses run across levels and formats. Ben Ogundipe, a health visitor, booked
"Working Together" (his team leader Claire Dunn approved it), attended, answered the
before/after questions and the feedback form, and three months later he and Claire sent
evidence of how his practice changed; Claire's answer became a finding in the learning
chain. Consanguinity awareness was added in-year after a CDOP concern; Ben went to its
latest session and has yet to give his feedback and answer its after-course questions, and
Claire has a colleague's booking on the next one to approve. The neglect toolkit's
train-the-trainer course has been cascaded by three agencies. The next Working Together is
full with a waiting list. Agencies have recorded their own safeguarding training and made
returns to the needs assessment for the programme's next year.

The programme is the financial year Ben's course fell in (about 200 days before the demo is
built); the year's past sessions all fall within it (moved a little earlier if the year
ended since), and every year label is the programme's dates' financial year.

Every person, place and organisation here is invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lift.core.calendar import financial_year
from lift.core.models import Person
from lift.core.roles import Role
from lift.core.services import person_create
from lift.learning.models import Finding

from . import services
from .choices import FollowUpRole
from .models import Booking, Course, FollowUp, TrainingSession

PRE = [
    {"recognise": 2, "procedures": 2, "share": 3, "escalate": 2},
    {"recognise": 3, "procedures": 2, "share": 2, "escalate": 2},
    {"recognise": 2, "procedures": 3, "share": 3, "escalate": 3},
    {"recognise": 3, "procedures": 3, "share": 3, "escalate": 2},
]
POST = [
    {"recognise": 4, "procedures": 4, "share": 4, "escalate": 4},
    {"recognise": 4, "procedures": 3, "share": 4, "escalate": 3},
    {"recognise": 5, "procedures": 4, "share": 4, "escalate": 4},
    {"recognise": 4, "procedures": 4, "share": 5, "escalate": 3},
]
REACTION: list[dict[str, Any]] = [
    {
        "overall": 5,
        "outcomes_met": 4,
        "trainer": 5,
        "relevance": 5,
        "most_useful": "Case studies worked through with colleagues from other agencies.",
    },
    {"overall": 4, "outcomes_met": 4, "trainer": 4, "relevance": 5},
    {
        "overall": 4,
        "outcomes_met": 3,
        "trainer": 5,
        "relevance": 4,
        "improve": "More time on the escalation policy.",
    },
]

STAFF = [
    ("health", "Aisha Rahman", "School nurse"),
    ("health", "Owen Pritchard", "Midwife"),
    ("social_care", "Grace Mensah", "Social worker"),
    ("social_care", "Daniel Hughes", "Family support worker"),
    ("police", "Kerry Lawson", "Detective constable"),
    ("police", "Imran Qureshi", "Police constable"),
    ("education", "Sophie Turner", "Designated safeguarding lead, Millbrook Primary"),
    ("education", "Marcus Bell", "Head of year, Harrowmere Academy"),
    ("voluntary", "Lena Novak", "Family support volunteer co-ordinator"),
    ("yjs", "Patrick Doyle", "Youth justice officer"),
    ("probation", "Ruth Okafor", "Probation officer"),
    ("icb", "Hannah Frost", "Designated nurse"),
]


def build(ctx: Any) -> None:
    p = ctx.partnership
    a = ctx.agencies
    who = ctx.people
    bu, trainer, learner, manager = who["bu"], who["trainer"], who["learner"], who["manager"]
    today = ctx.today
    year = financial_year(today - dt.timedelta(days=200))
    # The year's story (sessions 200 to 40 days ago) moves back if the year has ended since.
    shift = max(0, (today - dt.timedelta(days=40) - year.last_day).days)

    def ago(days: int) -> dt.date:
        """A day of the programme year's story, `days` before today (or before the year's
        end)."""
        return today - dt.timedelta(days=days + shift)

    def ahead(days: int) -> dt.date:
        return today + dt.timedelta(days=days)

    conf = services.training_settings(p)
    conf.requires_manager_approval = True
    conf.non_attendance_charge = Decimal("50.00")
    conf.follow_up_sample_percent = 50
    conf.full_clean()
    conf.save()

    staff: list[Person] = []
    for n, (agency_key, name, job) in enumerate(STAFF, start=1):
        staff.append(
            person_create(
                partnership=p,
                email=f"staff{n:02d}@harrowmere.example",
                full_name=name,
                role=Role.LEARNER,
                job_title=job,
                agency=a[agency_key],
                line_manager=manager if agency_key == "health" else None,
            )
        )

    # --- the programme ------------------------------------------------------------------
    programme = services.programme_create(
        partnership=p,
        year=year.label,
        title="Multi-agency safeguarding training programme",
        summary=(
            "Designed to support the business plan priorities for the year, and flexible "
            "enough to respond to practice audits, policy changes and emerging concerns."
        ),
        starts_on=year.first_day,
        ends_on=year.last_day,
        themes=["multi-agency-working"],
    )
    priorities = ctx.extra.get("priorities") or {}
    for priority in priorities.values():
        services.programme_link_priority(programme=programme, priority=priority)
    if not priorities:
        services.programme_link_priority(
            programme=programme, title="Tackle neglect earlier", themes=["neglect"]
        )
    services.programme_approve(
        programme=programme,
        by=bu,
        approved_on=year.first_day - dt.timedelta(days=15),
        body="LSCB Executive",
        reference="Executive meeting, minute 5: programme approved",
    )

    neglect_finding = Finding.objects.filter(partnership=p, themes__code="neglect").first()

    def course(
        title: str, level: int, fmt: str, outcomes: str, themes: list[str], **kw: Any
    ) -> Course:
        kw.setdefault("trainer_kind", "external")
        kw.setdefault("change_reason", "other")
        kw.setdefault("change_description", f"Confirmed in the published programme: {title}.")
        return services.course_create(
            partnership=p,
            programme=programme,
            title=title,
            level=level,
            format=fmt,
            learning_outcomes=outcomes,
            themes=themes,
            by=bu,
            **kw,
        )

    wt = course(
        "Working Together: core multi-agency safeguarding",
        2,
        "course",
        "Explain the local thresholds for help and protection\n"
        "Share information lawfully and in time\n"
        "Escalate a concern when you disagree with a decision",
        ["multi-agency-working", "thresholds", "information-sharing"],
        summary="The partnership's core level 2 course for everyone who works with children.",
        trainer_name="Jo Whitfield, independent trainer (fictional)",
        duration_hours=Decimal("6"),
        cost=Decimal("900"),
    )
    neglect = course(
        "Neglect: recognising cumulative harm",
        2,
        "workshop",
        "Recognise the signs of cumulative neglect\nUse the neglect screening tool\n"
        "Keep a multi-agency chronology",
        ["neglect"],
        findings=[neglect_finding] if neglect_finding else [],
        trainer_kind="internal",
        trainer_agency=a["social_care"],
        trainer_name="Ruth Adebayo, Head of Quality Assurance",
    )
    cse = course(
        "Child sexual exploitation: spotting the signs",
        2,
        "briefing",
        "Recognise indicators of exploitation\nKnow the referral route and the CSE panel",
        ["child-sexual-exploitation"],
        trainer_kind="internal",
        trainer_agency=a["police"],
        trainer_name="Harrowmere and Vale Police exploitation team",
        duration_hours=Decimal("2"),
    )
    ttt = course(
        "Neglect toolkit: train the trainer",
        2,
        "train_the_trainer",
        "Deliver the neglect toolkit briefing in your agency\nUse the cascade materials",
        ["neglect"],
        trainer_name="Jo Whitfield, independent trainer (fictional)",
        cost=Decimal("1200"),
    )
    elearn = course(
        "Safeguarding essentials (e-learning)",
        1,
        "e_learning",
        "Know what abuse and neglect look like\nKnow who to tell in your agency",
        ["early-help"],
        paid_by="employing_agency",
        duration_hours=Decimal("1.5"),
        summary="Level 1 induction: the employing agency's duty; offered to partners free.",
    )
    course(
        "Domestic abuse and its impact on children",
        2,
        "course",
        "Understand the impact of domestic abuse on children\nUse the risk assessment checklist",
        ["domestic-abuse"],
        cost=Decimal("750"),
    )
    course(
        "Hearing the voice of the child",
        2,
        "workshop",
        "Record the child's wishes and feelings\nShow how they changed the plan",
        ["voice-of-the-child"],
        trainer_kind="internal",
        trainer_agency=a["health"],
        trainer_name="Sam Kowalski, named nurse",
    )
    course(
        "Early help: assessment and the team around the family",
        2,
        "workshop",
        "Start an early help assessment\nLead a team around the family meeting",
        ["early-help", "step-down"],
        trainer_kind="internal",
        trainer_agency=a["social_care"],
        trainer_name="Early help hub",
    )
    chairing = course(
        "Chairing child protection conferences and core groups (specialist)",
        3,
        "course",
        "Chair a core group well\nChallenge drift in a child protection plan",
        ["thresholds", "multi-agency-working"],
        paid_by="requesting_agencies",
        cost=Decimal("2400"),
        public=False,
    )
    course(
        "Development day: learning from reviews",
        2,
        "development_day",
        "Apply the lessons of recent reviews to your practice",
        ["multi-agency-working", "neglect"],
        trainer_kind="internal",
        trainer_agency=a["social_care"],
        trainer_name="The business unit",
    )
    online = course(
        "Keeping children safe online: conference",
        2,
        "conference",
        "Understand online risks to children\nKnow the tools to help parents",
        ["online-safety"],
        cost=Decimal("1500"),
    )
    consanguinity = services.course_create(
        partnership=p,
        programme=programme,
        title="Consanguinity awareness",
        level=2,
        format="briefing",
        learning_outcomes="Understand the genetic risks of consanguineous relationships\n"
        "Talk with families and faith groups sensitively",
        themes=["consanguinity"],
        trainer_kind="internal",
        trainer_agency=a["health"],
        trainer_name="CDOP co-ordinator and genetic counsellor",
        duration_hours=Decimal("2"),
        by=bu,
        change_reason="emerging",
        change_description="Added after the CDOP reported a cluster of deaths linked to "
        "consanguinity; delivered with faith and community groups.",
    )
    services.commission_add(
        course=chairing,
        requesting_agency=a["social_care"],
        funding_agreed=Decimal("2400"),
        agreed_on=ago(60),
        invoice_reference="HCS-TR-0415",
    )

    # --- past sessions with attendance and evaluations -----------------------------------
    def past_session(
        c: Course, days_ago: int, venue: str, people: list[Person], unanswered: Person | None = None
    ) -> TrainingSession:
        """A session held `days_ago`, its register taken and its questionnaires answered (by
        everyone who attended but `unanswered`, who has yet to answer the after-course ones)."""
        session = services.session_create(
            course=c, starts_on=ago(days_ago), capacity=20, venue=venue, trainer=trainer
        )
        booked_on = session.starts_on - dt.timedelta(days=21)
        bookings = [
            services.booking_create(session=session, learner=x, by=trainer, today=booked_on)
            for x in people
        ]
        for i, b in enumerate(bookings):
            services.evaluation_submit(
                booking=b, kind="pre", respondent=b.learner, answers=PRE[i % 4], today=booked_on
            )
        marks = {b.pk: ("no_show" if i == 3 else "attended") for i, b in enumerate(bookings)}
        services.register_mark(session=session, marks=marks, by=trainer, today=session.starts_on)
        for i, b in enumerate(bookings):
            if marks[b.pk] != "attended" or b.learner == unanswered:
                continue
            services.evaluation_submit(
                booking=b,
                kind="post",
                respondent=b.learner,
                answers=POST[i % 4],
                today=session.starts_on,
            )
            services.evaluation_submit(
                booking=b,
                kind="reaction",
                respondent=b.learner,
                answers=REACTION[i % 3],
                today=session.starts_on,
            )
        return session

    room = "Harrowmere Civic Centre, Training Room 2"
    wt_past = services.session_create(
        course=wt, starts_on=ago(200), ends_on=ago(199), capacity=24, venue=room, trainer=trainer
    )
    ben = services.booking_create(session=wt_past, learner=learner, by=learner, today=ago(230))
    services.booking_approve(booking=ben, by=manager, approve=True, today=ago(229))
    services.evaluation_submit(
        booking=ben, kind="pre", respondent=learner, answers=PRE[0], today=ago(210)
    )
    others = [
        services.booking_create(session=wt_past, learner=x, by=trainer, today=ago(225))
        for x in staff[:7]
    ]
    marks = {ben.pk: "attended", **{b.pk: "attended" for b in others}}
    marks[others[4].pk] = "no_show"
    marks[others[5].pk] = "partial"
    for i, b in enumerate(others):
        if marks[b.pk] == "attended":
            services.evaluation_submit(
                booking=b,
                kind="pre",
                respondent=b.learner,
                answers=PRE[(i + 1) % 4],
                today=ago(205),
            )
    services.register_mark(session=wt_past, marks=marks, by=trainer, today=ago(199))
    services.evaluation_submit(
        booking=ben, kind="post", respondent=learner, answers=POST[0], today=ago(199)
    )
    services.evaluation_submit(
        booking=ben, kind="reaction", respondent=learner, answers=REACTION[0], today=ago(199)
    )
    for i, b in enumerate(others):
        if marks[b.pk] == "attended":
            services.evaluation_submit(
                booking=b,
                kind="post",
                respondent=b.learner,
                answers=POST[(i + 1) % 4],
                today=ago(199),
            )
            services.evaluation_submit(
                booking=b,
                kind="reaction",
                respondent=b.learner,
                answers=REACTION[(i + 1) % 3],
                today=ago(199),
            )

    past_session(neglect, 150, room, staff[2:8])
    past_session(cse, 120, "Harrowmere and Vale Police Station, Conference Room", staff[4:10])
    past_session(ttt, 180, room, staff[0:2] + staff[6:9])
    past_session(elearn, 90, "Online (e-learning)", staff[8:12])
    # Ben attended the latest session too and has yet to answer its after-course questions.
    past_session(
        consanguinity,
        40,
        "Harrowmere Community Centre",
        staff[0:2] + staff[8:10] + [learner],
        unanswered=learner,
    )

    # --- the three-month impact follow-up ------------------------------------------------
    services.follow_ups_due(today)
    for role in (FollowUpRole.PARTICIPANT, FollowUpRole.MANAGER):
        if not FollowUp.objects.filter(booking=ben, role=role).exists():
            services.follow_up_send(booking=ben, role=role, today=ago(105))
    mine = FollowUp.objects.get(booking=ben, role=FollowUpRole.PARTICIPANT)
    services.follow_up_answer(
        follow_up=mine,
        respondent=learner,
        today=ago(100),
        answers={
            "applied": "yes",
            "example": "At a home visit I saw signs of a younger sibling being left alone. I "
            "shared my concern with the school nurse and children's social care the same day "
            "instead of waiting for the next review, using the thresholds document.",
            "difference": "An early help assessment started within the week.",
            "shared": "yes",
            "gaps": "GP surgeries still do not always reply to information requests in time.",
            "confidence_now": 4,
        },
    )
    theirs = FollowUp.objects.get(booking=ben, role=FollowUpRole.MANAGER)
    manager_answer = services.follow_up_answer(
        follow_up=theirs,
        respondent=manager,
        today=ago(98),
        answers={
            "observed": "clear",
            "evidence": "In supervision Ben brought two cases where he escalated under the "
            "escalation policy; a file audit found his chronologies complete.",
            "team": "yes",
            "gaps": "Health visitors need a quicker route to GP information.",
            "quality": 4,
        },
    )
    services.evaluation_to_finding(
        evaluation=manager_answer,
        by=bu,
        title="Working Together training led to earlier information sharing by health visitors",
        kind="strength",
        text="Three months after the course, a line manager evidenced through supervision and a "
        "file audit that the health visitor shared concerns the same day and kept complete "
        "chronologies. A gap remains: GP surgeries are slow to reply to information requests.",
        themes=["information-sharing", "multi-agency-working"],
    )
    # The manager always has one follow-up still to answer (the sample is seeded by the
    # session's id, which differs between databases): the earliest attended booking of one
    # of their team, other than Ben's, is asked of them if the sample did not.
    if not FollowUp.objects.filter(
        partnership=p, role=FollowUpRole.MANAGER, respondent=manager, status="sent"
    ).exists():
        team_booking = (
            Booking.objects.filter(
                session__partnership=p,
                learner__line_manager=manager,
                attendance="attended",
                session__ends_on__lte=ago(90),
            )
            .exclude(pk=ben.pk)
            .exclude(follow_ups__role=FollowUpRole.MANAGER)
            .order_by("session__ends_on", "pk")
            .first()
        )
        assert team_booking is not None, "the demo manager's team attended no past session"
        services.follow_up_send(booking=team_booking, role=FollowUpRole.MANAGER, today=ago(20))
    answered = (
        FollowUp.objects.filter(partnership=p, status="sent")
        .exclude(booking=ben)
        .exclude(respondent=manager)
        .order_by("pk")
    )
    for f in answered[:3]:
        services.follow_up_answer(
            follow_up=f,
            respondent=f.respondent,
            today=ago(95),
            answers=(
                {
                    "applied": "yes",
                    "example": "I used the escalation policy when a strategy "
                    "discussion was not held; one was held the next day.",
                    "shared": "no",
                    "confidence_now": 4,
                }
                if f.role == FollowUpRole.PARTICIPANT
                else {
                    "observed": "some",
                    "evidence": "Better referrals seen in case audit.",
                    "team": "yes",
                    "quality": 3,
                }
            ),
        )

    # --- upcoming sessions; one full, with a waiting list --------------------------------
    full = services.session_create(
        course=wt, starts_on=ahead(21), capacity=6, venue=room, trainer=trainer
    )
    for x in staff[6:12]:
        services.booking_create(session=full, learner=x, by=trainer, today=today)
    for x in staff[:2]:
        services.booking_create(session=full, learner=x, by=x, today=today)  # waiting list
    upcoming_neglect = services.session_create(
        course=neglect, starts_on=ahead(14), capacity=16, venue=room, trainer=trainer
    )
    booking = services.booking_create(
        session=upcoming_neglect, learner=learner, by=learner, today=today
    )
    services.booking_approve(booking=booking, by=manager, approve=True, today=today)
    services.session_create(
        course=cse,
        starts_on=ahead(35),
        capacity=40,
        online_url="https://meet.example.test/cse",
        start_time=dt.time(13, 30),
        end_time=dt.time(15, 30),
    )
    services.session_create(
        course=online,
        starts_on=ahead(50),
        capacity=120,
        venue="Harrowmere Conference Centre (fictional)",
    )
    services.session_create(
        course=chairing, starts_on=ahead(60), ends_on=ahead(61), capacity=12, venue=room
    )
    pending = services.session_create(
        course=consanguinity,
        starts_on=ahead(28),
        capacity=30,
        venue="Harrowmere Community Centre",
    )
    services.booking_create(session=pending, learner=staff[0], by=staff[0], today=today)

    # --- cascade, single-agency register, needs assessment --------------------------------
    for agency_key, days, fmt, by_whom, n in [
        ("health", 150, "briefing", "Named nurse, Harrowmere Community Health Trust", 28),
        ("health", 95, "team_meeting", "Health visiting team leader", 12),
        ("education", 110, "bite_sized", "Designated safeguarding lead, Millbrook Primary", 35),
    ]:
        services.cascade_record(
            course=ttt,
            agency=a[agency_key],
            delivered_on=ago(days),
            format=fmt,
            delivered_by=by_whom,
            attendees=n,
        )
    for agency_key, title, level, n in [
        ("health", "Safeguarding children level 1 induction", 1, 64),
        ("health", "Intercollegiate level 3 update", 3, 41),
        ("police", "Vulnerability and safeguarding induction", 1, 37),
        ("education", "Annual safeguarding update for all school staff", 1, 410),
        ("social_care", "Child protection procedures refresher", 2, 52),
    ]:
        services.agency_training_record(
            agency=a[agency_key],
            title=title,
            level=level,
            period_start=programme.starts_on,
            period_end=min(programme.ends_on, today),
            number_trained=n,
        )
    needs = services.needs_assessment_create(
        partnership=p,
        year=(ctx.year + 1).label,  # informs next year's programme
        title="Multi-agency training needs assessment",
        opens_on=ctx.ago(30),
        closes_on=ahead(15),
        themes=["neglect", "child-sexual-exploitation", "online-safety", "early-help"],
    )
    for agency_key, lead_key, themes, l2, l3, gaps in [
        (
            "social_care",
            "lead_sc",
            ["neglect", "voice-of-the-child"],
            60,
            12,
            "Drift in child protection plans; chronologies incomplete.",
        ),
        (
            "police",
            "lead_police",
            ["child-sexual-exploitation", "online-safety"],
            45,
            6,
            "Recognising online grooming; joint visits with social care.",
        ),
        (
            "health",
            "lead_health",
            ["neglect", "information-sharing"],
            80,
            20,
            "Information sharing with GPs; recognising neglect in older children.",
        ),
    ]:
        services.needs_return_submit(
            assessment=needs,
            agency=a[agency_key],
            by=who[lead_key],
            themes=themes,
            staff_level2=l2,
            staff_level3=l3,
            today=ctx.ago(10),
            answers={
                "practice_gaps": gaps,
                "single_agency": "Induction and annual updates.",
                "format": "classroom",
                "trainers": "yes",
            },
        )
    ctx.extra["training"] = {"programme": programme, "full_session": full, "ben": ben}
    # Governance: the courses serve the business plan priorities.
    if priorities:
        from lift.governance.services import priority_link_add

        for key, c in [("neglect", neglect), ("neglect", ttt), ("cse", cse), ("voice", wt)]:
            if key in priorities:
                priority_link_add(priority=priorities[key], linked=c, by=bu)
    assert Booking.objects.filter(session=full, status="waitlisted").count() == 2
