"""A small fictional world for the security tests, built once per test module.

The quick demo stories (governance, learning, reviews, inspections, voice, reports) are built
as the permission matrix builds them; the areas whose demo stories take minutes (audits,
section11, cdop, training, performance) get one or two records of each model with a detail
page instead, made with the areas' own services, in Harrowmere. Kingsbrook gets one person
per role and an agency of its own, and nothing else: every Harrowmere record is out of scope
for every Kingsbrook person.

Every name and place here is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.test import Client

from lift.core import demo, history
from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import AGENCY_ROLES, Role
from lift.core.services import role_assign

from ..factories import AgencyFactory, person_with_role

FAST_DEMOS = ("governance", "learning", "reviews", "inspections", "voice", "reports")
SLOW_APPS = ("audits", "section11", "cdop", "training", "performance")
ROLES = [r for r in Role if r != Role.CASE_TEAM]
# Fictional restricted identifiers made here: none may reach anyone outside the case team.
CDOP_CHILD = ("Perpetua", "Vantongeren")
CDOP_NHS = "943 476 5919"
AUDIT_CHILD = "Ottoline Wrenfield-Hask"


class World:
    """Harrowmere (home) with records of every area, Kingsbrook (away) with people only."""

    def __init__(self) -> None:
        ctx = demo.build_core()
        for app in FAST_DEMOS:
            import_module(f"lift.{app}.demo").build(ctx)
        self.ctx = ctx
        self.home: Partnership = ctx.partnership
        self.away: Partnership = ctx.other_partnership
        RoleAssignment.objects.filter(partnership=self.away).delete()
        self.home_agency: Agency = ctx.agencies["social_care"]
        self.second_agency: Agency = ctx.agencies["police"]
        away_agency: Any = AgencyFactory(partnership=self.away, name="Kingsbrook Family Help")
        self.away_agency: Agency = away_agency
        self.home_people: dict[str, Person] = {}
        self.away_people: dict[str, Person] = {}
        # Home people of agency roles act for social care; `police_people` for the police.
        self.police_people: dict[str, Person] = {}
        for role in ROLES:
            agency_role = role in AGENCY_ROLES
            self.home_people[role] = person_with_role(
                role, self.home, agency=self.home_agency if agency_role else None
            )
            self.away_people[role] = person_with_role(
                role, self.away, agency=away_agency if agency_role else None
            )
            if agency_role:
                self.police_people[role] = person_with_role(
                    role, self.home, agency=self.second_agency
                )
        self.records: dict[str, models.Model] = {}
        bu = self.home_people[Role.BUSINESS_UNIT]
        self._audits(bu)
        self._section11(bu)
        self._cdop()
        self._training(bu)
        self._performance(bu)

    # --- audits ---------------------------------------------------------------------------
    def _audits(self, bu: Person) -> None:
        from lift.audits import services
        from lift.audits.choices import AuditMethod, AuditStatus, Frequency, HowGathered
        from lift.audits.reference import sync_templates, template_by_urn

        sync_templates()
        ma = template_by_urn("urn:lift:audits:template:ma-thematic")
        csc = template_by_urn("urn:lift:audits:template:csc-case-audit")
        sc, police = self.home_agency, self.second_agency
        auditor_sc = self.home_people[Role.AUDITOR]
        auditor_police = self.police_people[Role.AUDITOR]
        programme = services.programme_create(
            partnership=self.home, year="2015/16", title="Audit programme", by=bu
        )
        audit = services.audit_create(
            programme=programme,
            title="Step-down from child protection plans for neglect",
            by=bu,
            themes=["neglect"],
            planned_start=dt.date(2015, 9, 1),
            planned_end=dt.date(2015, 12, 31),
            returns_due_on=dt.date(2015, 10, 30),
            template=ma,
            agencies=[sc, police],
            sampling_rule="Every child stepped down in April to June 2015.",
        )
        services.audit_status_set(audit=audit, status=AuditStatus.DESIGN, by=bu)
        case = services.sample_case_add(
            audit=audit, reference="Case SX-01", by=bu, full_name=AUDIT_CHILD
        )
        services.audit_status_set(audit=audit, status=AuditStatus.AUDITING, by=bu)
        a_sc = services.assignment_create(case=case, agency=sc, auditor=auditor_sc, by=bu)
        services.assignment_declare(assignment=a_sc, by=auditor_sc, involved=False)
        a_po = services.assignment_create(case=case, agency=police, auditor=auditor_police, by=bu)
        services.assignment_declare(assignment=a_po, by=auditor_police, involved=False)
        views = services.views_record(
            audit=audit,
            by=bu,
            group_description="Four members of the Youth Forum",
            held_on=dt.date(2015, 11, 2),
            how_gathered=HowGathered.YOUTH_FORUM,
            number_of_young_people=4,
            what_they_said="Tell us in person when a plan ends.",
        )
        workshop = services.workshop_record(
            audit=audit,
            by=bu,
            held_on=dt.date(2015, 11, 20),
            attendees="Audit leads of social care and police.",
            agencies=[sc, police],
        )
        lead_sc = self.home_people[Role.SAFEGUARDING_LEAD]
        agency_programme = services.agency_programme_create(
            agency=sc,
            title="Social care case audit programme",
            year="2015/16",
            template=csc,
            by=lead_sc,
            share_with_business_unit=True,
        )
        schedule = services.team_schedule_add(
            programme=agency_programme,
            team="Assessment team",
            method=AuditMethod.OFFLINE_QA,
            frequency=Frequency.QUARTERLY,
            auditor=auditor_sc,
            by=lead_sc,
        )
        overall = next(g for g in csc.grades.all() if g.section_id is None and g.score == 3)
        grades = {s: next(iter(csc.scale_for(s))) for s in csc.sections.all()}
        case_audit = services.case_audit_record(
            schedule=schedule,
            case_reference="CSC-2015-01",
            audited_on=dt.date(2015, 10, 1),
            auditor=auditor_sc,
            by=auditor_sc,
            grades=grades,
            overall_grade=overall,
        )
        smt = services.smt_report_record(
            programme=agency_programme,
            period_start=dt.date(2015, 7, 1),
            period_end=dt.date(2015, 9, 30),
            reported_on=dt.date(2015, 10, 15),
            findings="Plans lack timescales.",
            by=lead_sc,
        )
        a_sc.refresh_from_db()
        a_po.refresh_from_db()
        self.records.update(
            audit_programme=programme,
            audit=audit,
            audit_template=ma,
            sample_case=case,
            case_identity=case.identity,
            assignment=a_sc,
            audit_return=a_sc.audit_return,
            audit_return_police=a_po.audit_return,
            young_peoples_views=views,
            workshop=workshop,
            agency_programme=agency_programme,
            team_schedule=schedule,
            case_audit=case_audit,
            smt_report=smt,
        )

    # --- section 11 -----------------------------------------------------------------------
    def _section11(self, bu: Person) -> None:
        from lift.section11 import services
        from lift.section11.models import Answer, Framework, Section11Return

        framework = (
            Framework.objects.filter(urn="urn:lift:section11:pan-london", partnership=None)
            .order_by("-version")
            .first()
        )
        assert framework is not None
        cycle = services.cycle_create(
            partnership=self.home,
            name="2015-17",
            framework=framework,
            agencies=[self.home_agency, self.second_agency],
            starts_on=dt.date(2015, 9, 1),
            deadline=dt.date(2015, 12, 18),
            challenge_starts_on=dt.date(2016, 1, 11),
            challenge_ends_on=dt.date(2016, 2, 26),
            by=bu,
        )
        services.cycle_open(cycle=cycle, by=bu, today=dt.date(2015, 9, 1))
        panel = services.panel_create(cycle=cycle, name="Panel A", meets_on=dt.date(2016, 1, 11))
        lay = self.home_people[Role.LAY_MEMBER]
        member = services.panel_member_add(panel=panel, person=lay, is_lay=True, is_chair=True)
        ret = Section11Return.objects.get(cycle=cycle, agency=self.home_agency)
        ret_police = Section11Return.objects.get(cycle=cycle, agency=self.second_agency)
        lead_sc = self.home_people[Role.SAFEGUARDING_LEAD]
        action = services.return_action_add(
            agency_return=ret,
            by=lead_sc,
            title="Refresh the safer recruitment policy",
            due_on=dt.date(2016, 3, 31),
            success_measure="Policy approved",
        )
        police_action = services.return_action_add(
            agency_return=ret_police,
            by=self.police_people[Role.SAFEGUARDING_LEAD],
            title="Train custody staff in the voice of the child",
            due_on=dt.date(2016, 3, 31),
            success_measure="Every custody sergeant trained",
        )
        # The police return goes to peer challenge: every answer rated (directly: the
        # ratings are not what is tested), submitted, assigned to the panel, a question asked.
        Answer.objects.filter(agency_return=ret_police).update(self_rating="fully")
        lead_police = self.police_people[Role.SAFEGUARDING_LEAD]
        services.return_submit(agency_return=ret_police, by=lead_police, today=dt.date(2015, 12, 1))
        services.return_assign_panel(agency_return=ret_police, panel=panel, by=bu)
        services.challenge_start(agency_return=ret_police, by=lay)
        standard = framework.standards.order_by("pk").first()
        assert standard is not None
        question = services.question_ask(
            agency_return=ret_police,
            standard=standard,
            question="How do you know the policy is used?",
            by=lay,
        )
        self.records.update(
            challenge_question=question,
            framework=framework,
            cycle=cycle,
            panel=panel,
            panel_member=member,
            section11_return=ret,
            section11_return_police=ret_police,
            section11_action=action,
            section11_action_police=police_action,
        )

    # --- child death review ---------------------------------------------------------------
    def _cdop(self) -> None:
        from lift.cdop import services

        coordinator = self.home_people[Role.CDOP_COORDINATOR]
        death = dt.date(2025, 3, 10)
        case = services.childdeath_notify(
            partnership=self.home,
            by=coordinator,
            notifier_name="Dr Imelda Farrowby",
            notifier_email="imelda.farrowby@example.test",
            first_name=CDOP_CHILD[0],
            family_name=CDOP_CHILD[1],
            date_of_birth=dt.date(2024, 11, 2),
            date_of_death=death,
            nhs_number=CDOP_NHS,
            expected="unexpected",
            jar_criteria=["sudden-no-apparent-cause"],
            jar_started_on=death,
            notified_on=dt.date(2025, 3, 11),
        )
        report, _token = services.agency_report_request(
            case=case,
            agency=self.home_agency,
            contact_name="Rhiannon Tolliver",
            contact_email="rhiannon.tolliver@example.test",
            by=coordinator,
            today=dt.date(2025, 3, 12),
        )
        report_police, _token = services.agency_report_request(
            case=case,
            agency=self.second_agency,
            contact_name="Dev Pennock",
            contact_email="dev.pennock@example.test",
            by=coordinator,
            today=dt.date(2025, 3, 12),
        )
        meeting = services.cdopmeeting_create(
            partnership=self.home, held_on=dt.date(2025, 6, 4), by=coordinator, title="Panel"
        )
        review = services.review_meeting_record(
            case=case,
            held_on=dt.date(2025, 5, 1),
            attendees="GP, health visitor, police",
            summary="Unsafe sleeping arrangements discussed.",
            by=coordinator,
        )
        analysis = services.analysis_record(
            case=case,
            by=coordinator,
            category="sudden-unexpected-unexplained",
            modifiable="identified",
            scores={"child": 1, "social": 2, "physical": 1, "service": 0},
            factors=["unsafe-sleeping"],
            modifiable_factors=["unsafe-sleeping"],
            learning_points="Safer sleep advice was not repeated.",
        )
        referral = services.cdop_referral_create(
            case=case, kind="chair", reasons="Possible neglect.", by=coordinator
        )
        campaign = services.campaign_create(
            partnership=self.home,
            title="Safer sleep week",
            kind="campaign",
            audience="public",
            started_on=dt.date(2025, 7, 1),
            by=coordinator,
        )
        # A case team member: a safeguarding lead of another partnership agency on the panel.
        self.cdop_team = person_with_role(
            Role.SAFEGUARDING_LEAD, self.home, agency=self.second_agency
        )
        role_assign(partnership=self.home, person=self.cdop_team, role="case_team", case=case)
        self.records.update(
            child_death=case,
            child_death_identity=case.identity,
            agency_report=report,
            agency_report_police=report_police,
            cdop_meeting=meeting,
            review_meeting=review,
            cdop_analysis=analysis,
            cdop_referral=referral,
            campaign=campaign,
        )

    # --- training -------------------------------------------------------------------------
    def _training(self, bu: Person) -> None:
        from lift.training import services
        from lift.training.demo import POST, PRE
        from lift.training.models import FollowUp

        programme = services.programme_create(
            partnership=self.home,
            year="2025/26",
            title="Multi-agency training programme",
            starts_on=dt.date(2025, 4, 1),
            ends_on=dt.date(2026, 3, 31),
            themes=["neglect"],
        )
        course = services.course_create(
            partnership=self.home,
            programme=programme,
            title="Neglect: recognising cumulative harm",
            level=2,
            format="course",
            learning_outcomes="Recognise cumulative harm",
            trainer_kind="external",
            trainer_name="A. Trainer (fictional)",
            themes=["neglect"],
        )
        session = services.session_create(
            course=course,
            starts_on=dt.date(2025, 6, 10),
            capacity=10,
            venue="Harrowmere Civic Centre (fictional)",
        )
        learner = self.home_people[Role.LEARNER]
        trainer = self.home_people[Role.TRAINER]
        booking = services.booking_create(
            session=session, learner=learner, by=learner, today=dt.date(2025, 5, 1)
        )
        booking.refresh_from_db()
        if booking.status == "pending_approval":
            services.booking_approve(booking=booking, by=bu, approve=True)
        services.evaluation_submit(
            booking=booking,
            kind="pre",
            respondent=learner,
            answers=PRE[0],
            today=dt.date(2025, 5, 2),
        )
        services.register_mark(
            session=session,
            marks={booking.pk: "attended"},
            by=trainer,
            today=dt.date(2025, 6, 10),
        )
        evaluation = services.evaluation_submit(
            booking=booking,
            kind="post",
            respondent=learner,
            answers=POST[0],
            today=dt.date(2025, 6, 10),
        )
        follow_up = services.follow_up_send(
            booking=booking, role="participant", today=dt.date(2025, 9, 10)
        )
        ttt = services.course_create(
            partnership=self.home,
            programme=programme,
            title="Neglect toolkit: train the trainer",
            level=2,
            format="train_the_trainer",
            learning_outcomes="Deliver the neglect toolkit briefing",
            trainer_kind="external",
            trainer_name="B. Trainer (fictional)",
            themes=["neglect"],
        )
        cascade = services.cascade_record(
            course=ttt,
            agency=self.home_agency,
            delivered_on=dt.date(2025, 7, 1),
            format="team_meeting",
            delivered_by="Team manager",
            attendees=12,
        )
        agency_training = services.agency_training_record(
            agency=self.home_agency,
            title="Single-agency neglect update",
            level=1,
            period_start=dt.date(2025, 4, 1),
            period_end=dt.date(2025, 6, 30),
            number_trained=40,
        )
        needs = services.needs_assessment_create(
            partnership=self.home,
            year="2025/26",
            title="Training needs 2025/26",
            opens_on=dt.date(2025, 1, 6),
            closes_on=dt.date(2025, 2, 28),
        )
        assert FollowUp.objects.filter(pk=follow_up.pk).exists()
        booking.refresh_from_db()
        self.records.update(
            training_programme=programme,
            course=course,
            training_session=session,
            booking=booking,
            evaluation=evaluation,
            follow_up=follow_up,
            cascade_session=cascade,
            agency_training=agency_training,
            needs_assessment=needs,
        )

    # --- performance ----------------------------------------------------------------------
    def _performance(self, bu: Person) -> None:
        from lift.performance import services

        indicator = services.indicator_create(
            partnership=self.home,
            owner_agency=self.home_agency,
            code="pbv14",
            title="Post-birth visits within 14 days",
            unit="percent",
            polarity="higher",
            frequency="monthly",
            definition="Births visited by a health visitor within 14 days of birth.",
            numerator="Births visited within 14 days",
            denominator="Births notified",
            source="Fictional health visiting records",
            effective_from=dt.date(2014, 4, 1),
            target=Decimal(90),
            tolerance=Decimal(5),
        )
        value = services.value_enter(
            indicator=indicator, period_start=dt.date(2014, 4, 1), value=Decimal(84), by=None
        )
        meeting = self.ctx.extra["next_board_meeting"]
        focus = services.focus_create(
            meeting=meeting,
            title="Post-birth visits",
            question="Why are visits late?",
            indicators=[indicator],
        )
        request = services.analysis_request_create(
            focus=focus,
            agency=self.home_agency,
            request="Explain the late visits.",
            due_on=dt.date(2030, 1, 1),
        )
        self.records.update(
            indicator=indicator,
            indicator_value=value,
            scrutiny_focus=focus,
            analysis_request=request,
            board_meeting=meeting,
        )


def module_world(django_db_blocker: Any) -> Iterator[World]:
    """Build the world in an outer transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with history.acting(source="command", reason="Security tests"):
                yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client_for(person: Person | None) -> Client:
    client = Client(raise_request_exception=False)
    if person is not None:
        client.force_login(person)
    return client


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def may(user: Person | AnonymousUser, obj: models.Model, action: str = "view") -> bool:
    """What the model's declared `Access` says: is `obj` among the rows `user` may `action`?"""
    model = type(obj)
    return bool(model.objects.restrict(user, action).filter(pk=obj.pk).exists())  # type: ignore[attr-defined]
