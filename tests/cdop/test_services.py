"""Services of the child death review area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lift.cdop import services
from lift.cdop.choices import CaseStatus, ReferralStatus, ReportStatus
from lift.cdop.models import AgencyReport, ChildDeath, ChildDeathIdentity
from lift.core.access import forget_assignments
from lift.core.models import ChangeLog, Notification, OutboundEmail
from lift.learning.models import Action, Recommendation

from .conftest import analysis_kwargs

pytestmark = pytest.mark.django_db


def test_notify_numbers_case_and_keeps_identifiers_in_restricted_record(case, coordinator):
    assert case.reference == "CDOP-2025-001"
    assert case.age_band == "infant" and case.year_of_death == 2025
    assert case.joint_agency_response is True
    identity = ChildDeathIdentity.objects.get(case=case)
    assert identity.first_name == "Amelie" and identity.nhs_number == "4857773456"
    assert not hasattr(case, "first_name")


def test_notify_alerts_coordinator_without_identifiers(
    case, coordinator, django_capture_on_commit_callbacks
):
    alert = Notification.objects.get(person=coordinator)
    assert case.reference in alert.title
    for text in (alert.title, alert.body):
        assert "Amelie" not in text and "Testcase" not in text and "4857773456" not in text
    ack = OutboundEmail.objects.get(key=f"cdop:notified:{case.pk}:ack")
    assert ack.to == "nadia@example.test"
    assert case.reference in ack.body and "Amelie" not in ack.body


def test_identity_history_is_restricted(case):
    entry = ChangeLog.objects.filter(object_repr__contains="Restricted record").first()
    assert entry is not None
    assert "first_name" in entry.restricted_fields
    assert "Amelie" not in entry.object_repr


def test_second_case_in_year_gets_next_number(partnership, coordinator, case):
    other = services.childdeath_notify(
        partnership=partnership,
        by=coordinator,
        notifier_name="Ward sister",
        first_name="Ben",
        date_of_death=dt.date(2025, 4, 1),
        expected="expected",
        notified_on=dt.date(2025, 4, 2),
    )
    assert other.reference == "CDOP-2025-002"
    assert other.joint_agency_response is False


def test_expected_death_with_jar_criterion_refused(partnership, coordinator):
    with pytest.raises(ValidationError):
        services.childdeath_notify(
            partnership=partnership,
            by=coordinator,
            notifier_name="X",
            first_name="Y",
            date_of_death=dt.date(2025, 1, 1),
            expected="expected",
            jar_criteria=["external-causes"],
        )


def test_unknown_jar_criterion_refused(partnership, coordinator):
    with pytest.raises(ValidationError):
        services.childdeath_notify(
            partnership=partnership,
            by=coordinator,
            notifier_name="X",
            first_name="Y",
            date_of_death=dt.date(2025, 1, 1),
            expected="unexpected",
            jar_criteria=["aliens"],
        )


def test_agency_report_link_hashed_single_use(case, agency, coordinator):
    report, token = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    assert token not in report.token_hash and len(report.token_hash) == 64
    assert services.report_for_token(token) == report
    case.refresh_from_db()
    assert case.status == CaseStatus.GATHERING
    link_mail = OutboundEmail.objects.get(to="sam@example.test")
    assert token in link_mail.body and "Amelie" not in link_mail.body
    services.agency_report_submit(
        token=token, answers={"involvement": "Health visiting."}, completed_by="Sam, HV"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED and report.token_used_at is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.READY
    with pytest.raises(ValidationError):
        services.agency_report_submit(
            token=token, answers={"involvement": "Again"}, completed_by="Sam"
        )


def test_agency_report_refuses_oversized_answer_and_unknown_question(case, agency, coordinator):
    _report, token = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    with pytest.raises(ValidationError):
        services.agency_report_submit(
            token=token, answers={"involvement": "x" * 4001}, completed_by="S"
        )
    with pytest.raises(ValidationError):
        services.agency_report_submit(token=token, answers={"nope": "x"}, completed_by="S")


def test_resend_invalidates_old_link(case, agency, coordinator):
    report, old = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    _report, new = services.agency_report_resend(report=report, by=coordinator)
    assert services.report_for_token(old) is None
    assert services.report_for_token(new) == report


def test_same_agency_cannot_be_asked_twice(case, agency, coordinator):
    services.agency_report_request(
        case=case, agency=agency, contact_name="Sam", contact_email="s@example.test", by=coordinator
    )
    with pytest.raises(ValidationError):
        services.agency_report_request(
            case=case,
            agency=agency,
            contact_name="Sam",
            contact_email="s@example.test",
            by=coordinator,
        )


def test_reminders_once_then_overdue_alert(case, agency, coordinator):
    report, _ = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
        today=dt.date(2025, 3, 12),
        due_on=dt.date(2025, 3, 28),
    )
    assert services.report_reminders(dt.date(2025, 3, 26)) == 1
    assert services.report_reminders(dt.date(2025, 3, 27)) == 0
    assert services.report_reminders(dt.date(2025, 3, 31)) == 1
    assert services.report_reminders(dt.date(2025, 4, 1)) == 0
    assert (
        Notification.objects.filter(key__contains=f"cdop:report:{report.pk}:overdue").count() == 1
    )


def test_analysis_records_domains_and_factors(case, coordinator):
    analysis = services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    assert {d.domain: d.score for d in analysis.domains.all()} == {
        "child": 1,
        "social": 2,
        "physical": 1,
        "service": 0,
    }
    assert sorted(f.code for f in analysis.factor_codes.all()) == [
        "parental-smoking",
        "unsafe-sleeping",
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEWED
    again = services.analysis_record(
        case=case, by=coordinator, **analysis_kwargs(factors=["unsafe-sleeping"])
    )
    assert again.pk == analysis.pk and again.factor_codes.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"category": "misadventure"},
        {"scores": {"child": 3, "social": 2, "physical": 1, "service": 0}},
        {"scores": {"child": 1, "social": 2, "physical": 1}},
        {"scores": {"child": -1, "social": 2, "physical": 1, "service": 0}},
        {"modifiable": "maybe"},
        {"factors": ["not-a-factor"], "modifiable_factors": []},
        {
            "modifiable": "identified",
            "scores": {"child": 1, "social": 1, "physical": 1, "service": 0},
        },
    ],
)
def test_analysis_refuses_values_outside_lists(case, coordinator, bad):
    with pytest.raises(ValidationError):
        services.analysis_record(case=case, by=coordinator, **analysis_kwargs(**bad))


def test_recommendation_becomes_learning_chain_action(case, coordinator, agency):
    analysis = services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    rec, action = services.analysis_recommend(
        analysis=analysis,
        text="Repeat safer sleep advice at every health visitor contact.",
        agencies=[agency],
        action_title="Safer sleep at every contact",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 30),
        success_measure="Audit shows advice recorded at 90% of contacts.",
        by=coordinator,
    )
    assert list(Recommendation.objects.from_source(analysis)) == [rec]
    assert action is not None and action.recommendation == rec
    assert Action.objects.get(pk=action.pk).source == analysis


def test_learning_lessons_referral_reaches_reviews(case, coordinator):
    from lift.reviews.models import Referral

    referral = services.cdop_referral_create(
        case=case,
        kind="learning_lessons",
        reasons="Multi-agency learning on safer sleep.",
        by=coordinator,
    )
    assert referral.status == ReferralStatus.SENT
    made = Referral.objects.get(pk=referral.reviews_referral_id)
    assert made.source_kind == "cdop" and made.pseudonym == case.reference


def test_chair_referral_alerts_chair_and_awaits_decision(case, coordinator, chair):
    referral = services.cdop_referral_create(
        case=case, kind="chair", reasons="Possible neglect: consider an SCR.", by=coordinator
    )
    assert referral.status == ReferralStatus.AWAITING_CHAIR
    assert Notification.objects.filter(person=chair, key__startswith="cdop:referral").exists()
    services.cdop_referral_chair_decide(
        referral=referral, outcome="Rapid review convened.", by=chair
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CHAIR_DECIDED


def test_meeting_member_joins_panel_of_listed_cases(case, coordinator, make_person, partnership):
    member = make_person("board_member", full_name="Mo Member")
    meeting = services.cdopmeeting_create(
        partnership=partnership, held_on=dt.date(2025, 5, 1), by=coordinator
    )
    services.meeting_member_add(meeting=meeting, person=member, by=coordinator)
    assert not ChildDeathIdentity.objects.restrict(member, "view").exists()
    services.meeting_case_add(meeting=meeting, case=case, by=coordinator)
    forget_assignments(member)  # a new request loads the roles afresh
    assert ChildDeathIdentity.objects.restrict(member, "view").count() == 1
    assert AgencyReport.objects.restrict(member, "view").count() == 0


def test_campaign_factor_must_be_known(partnership, coordinator):
    with pytest.raises(ValidationError):
        services.campaign_create(
            partnership=partnership,
            title="X",
            kind="campaign",
            audience="public",
            started_on=dt.date(2025, 1, 1),
            factor="nonsense",
            by=coordinator,
        )


def test_identity_readable_by_coordinator_and_panel_only(
    case, coordinator, panel_member, business_unit, chair
):
    assert ChildDeathIdentity.objects.restrict(coordinator, "view").count() == 1
    assert ChildDeathIdentity.objects.restrict(panel_member, "view").count() == 1
    assert ChildDeathIdentity.objects.restrict(business_unit, "view").count() == 0
    assert ChildDeathIdentity.objects.restrict(chair, "view").count() == 0
    assert ChildDeath.objects.restrict(chair, "view").count() == 1


def test_mail_outbox_never_holds_identifiers(
    case, agency, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agency_report_request(
            case=case,
            agency=agency,
            contact_name="Sam",
            contact_email="sam@example.test",
            by=coordinator,
        )
    for message in mail.outbox:
        assert "Amelie" not in message.body and "Testcase" not in message.body
    assert ChildDeath.objects.count() == 1
