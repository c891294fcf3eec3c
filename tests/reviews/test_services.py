"""Workflows: incident, decision, letters, rapid review, review, publication, referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lift.core.clocks import clocks_for
from lift.core.models import Agency, ChangeLog, Partnership, Person, RoleAssignment
from lift.learning.models import Action, Finding
from lift.learning.services import action_create, finding_create
from lift.reviews import services
from lift.reviews.choices import (
    DecisionOutcome,
    LetterKind,
    PublicationDecision,
    ReferralDecision,
    ReviewKind,
    ReviewStatus,
)
from lift.reviews.models import ChildIdentity, Decision, Incident, Letter, Referral, Review
from lift.reviews.reference import reference
from tests.factories import PartnershipFactory, person_with_role
from tests.reviews.conftest import attach_notification


def reasons_for(regime: str) -> dict[str, str]:
    return {c.key: f"Considered: {c.key}" for c in reference().for_regime(regime).at("review")}


def decide(incident: Incident, chair: Person, outcome: str = DecisionOutcome.STATUTORY, **kw):  # type: ignore[no-untyped-def]
    return services.decision_record(
        incident=incident,
        by=chair,
        decided_on=kw.pop("decided_on", dt.date(2025, 5, 20)),
        outcome=outcome,
        reasons="The criteria are met.",
        criteria_reasons=reasons_for(incident.regime),
        **kw,
    )


# --- incidents and clocks ---------------------------------------------------------------


def test_incident_gets_reference_team_and_clocks(incident: Incident, business_unit: Person) -> None:
    assert incident.reference == "SI-2025-001"
    assert incident.regime == "lscb-2015"
    assert RoleAssignment.objects.filter(
        person=business_unit, role="case_team", case_id=incident.pk
    ).exists()
    notification = clocks_for(incident, rule="notification").get()
    assert notification.state == "met"
    decision_clock = clocks_for(incident, rule="chair-decision").get()
    assert decision_clock.due_on == dt.date(2025, 6, 2)  # one month from 2 May


def test_only_business_unit_or_la_lead_records_an_incident(
    partnership: Partnership, make_person: Callable[..., Person], other_agency: Agency
) -> None:
    police_lead = make_person("safeguarding_lead", agency=other_agency)
    with pytest.raises(ValidationError, match="business unit"):
        services.incident_create(
            partnership=partnership,
            by=police_lead,
            pseudonym="Child Z",
            incident_type="death",
            incident_on=dt.date(2025, 5, 1),
            became_aware_on=dt.date(2025, 5, 1),
        )


def test_la_lead_may_record(partnership: Partnership, lead: Person) -> None:
    incident = services.incident_create(
        partnership=partnership,
        by=lead,
        pseudonym="Child Y",
        incident_type="death",
        incident_on=dt.date(2025, 5, 1),
        became_aware_on=dt.date(2025, 5, 1),
    )
    assert incident.recorded_by == lead


@pytest.mark.parametrize(
    ("aware", "due"),
    [
        (dt.date(2024, 12, 23), dt.date(2025, 1, 2)),  # Christmas, Boxing Day, New Year's Day
        (dt.date(2025, 4, 17), dt.date(2025, 4, 28)),  # Good Friday and Easter Monday
    ],
)
def test_notification_clock_skips_bank_holidays(
    partnership: Partnership, business_unit: Person, aware: dt.date, due: dt.date
) -> None:
    incident = services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child H",
        incident_type="serious_harm",
        incident_on=aware,
        became_aware_on=aware,
    )
    clock = clocks_for(incident, rule="notification").get()
    assert clock.due_on == due
    assert clock.state == "overdue"


def test_rapid_review_clock_current_regime_around_easter_and_may_day(
    business_unit: Person,
) -> None:
    current = PartnershipFactory(slug="kingsbrook-test", regime="current")
    agency = Agency.objects.create(
        partnership=current, name="KB social care", agency_type="social_care"
    )
    with time_machine.travel(dt.datetime(2025, 4, 16, 12, 0), tick=False):
        bu = person_with_role("business_unit", current)
        incident = services.incident_create(
            partnership=current,
            by=bu,
            pseudonym="Child K",
            incident_type="death",
            incident_on=dt.date(2025, 4, 14),
            became_aware_on=dt.date(2025, 4, 14),
            notified_on=dt.date(2025, 4, 16),
            agencies=[agency],
        )
        rr = services.rapid_review_start(incident=incident, by=bu)
    clock = clocks_for(incident, rule="rapid-review").get()
    assert clock.due_on == dt.date(2025, 5, 12)
    assert not clocks_for(incident, rule="chair-decision").exists()
    assert rr.incident.requests.get().kind == "rapid_review_return"
    with time_machine.travel(dt.datetime(2025, 5, 9, 12, 0), tick=False):
        rr.recommendation = "local"
        rr.save()
        services.rapid_review_send(rapid_review=rr, sent_on=dt.date(2025, 5, 9), by=bu)
    clock.refresh_from_db()
    assert clock.state == "met"
    letter = Letter.objects.get(incident=incident, kind=LetterKind.RAPID_REVIEW)
    assert letter.sent_on == dt.date(2025, 5, 9)
    assert "Child Safeguarding Practice Review Panel" in letter.body


def test_rapid_review_needs_notification_and_regime(
    incident: Incident, business_unit: Person
) -> None:
    with pytest.raises(ValidationError, match="no rapid review"):
        services.rapid_review_start(incident=incident, by=business_unit)


def test_incident_dates_in_order(partnership: Partnership, business_unit: Person) -> None:
    with pytest.raises(ValidationError):
        services.incident_create(
            partnership=partnership,
            by=business_unit,
            pseudonym="Child Q",
            incident_type="death",
            incident_on=dt.date(2025, 5, 10),
            became_aware_on=dt.date(2025, 5, 1),
        )


# --- restricted record ------------------------------------------------------------------


def test_identity_only_by_case_team(incident: Incident, chair: Person) -> None:
    with pytest.raises(ValidationError, match="case team"):
        services.identity_create(
            incident=incident, by=chair, pseudonym="Child A", full_name="X Y", is_subject=True
        )


def test_identity_history_is_restricted(identity: ChildIdentity) -> None:
    entry = ChangeLog.objects.filter(
        object_id=str(identity.pk), content_type__model="childidentity"
    ).get()
    assert "full_name" in entry.restricted_fields
    assert "Jayden" not in entry.object_repr


def test_sibling_needs_relationship(incident: Incident, business_unit: Person) -> None:
    with pytest.raises(ValidationError, match="related"):
        services.identity_create(
            incident=incident, by=business_unit, pseudonym="Sibling B", full_name="Marnie Oakhollow"
        )
    sibling = services.identity_create(
        incident=incident,
        by=business_unit,
        pseudonym="Sibling B",
        full_name="Marnie Oakhollow",
        relationship="sibling",
    )
    assert not sibling.is_subject


def test_case_team_add_and_remove(
    incident: Incident, business_unit: Person, board_member: Person
) -> None:
    member = services.case_team_add(
        incident=incident, person=board_member, team_role="Panel member", by=business_unit
    )
    assert ChildIdentity.access.allows(board_member, "view", incident.partnership, case=incident)
    services.case_team_remove(member=member, by=business_unit, reason="Left the panel")
    board_member = Person.objects.get(pk=board_member.pk)
    assert not ChildIdentity.access.allows(
        board_member, "view", incident.partnership, case=incident
    )


# --- the decision -----------------------------------------------------------------------


def test_only_the_chair_decides(incident: Incident, business_unit: Person) -> None:
    with pytest.raises(ValidationError, match="Only the Chair"):
        decide(incident, business_unit)


def test_decision_not_backdated(incident: Incident, chair: Person) -> None:
    with pytest.raises(ValidationError, match="before the incident"):
        decide(incident, chair, decided_on=dt.date(2025, 4, 1))


def test_decision_needs_a_reason_for_each_criterion(incident: Incident, chair: Person) -> None:
    with pytest.raises(ValidationError, match="each criterion"):
        services.decision_record(
            incident=incident,
            by=chair,
            decided_on=dt.date(2025, 5, 20),
            outcome="statutory",
            reasons="x",
            criteria_reasons={"scr-death": "n/a"},
        )


def test_yes_decision_opens_review_and_letter(incident: Incident, chair: Person) -> None:
    decide(incident, chair)
    review = Review.objects.get(incident=incident)
    assert review.kind == ReviewKind.STATUTORY and review.title == "SCR: Child A"
    assert clocks_for(review, rule="scr-completion").get().due_on == dt.date(2025, 11, 20)
    assert clocks_for(incident, rule="chair-decision").get().state == "met"
    letter = Letter.objects.get(incident=incident)
    assert letter.kind == LetterKind.INITIATION_YES
    assert "will be published" in letter.body and "Ofsted" in letter.recipients
    assert "Child A" in letter.subject


def test_no_decision_letter_due_in_14_days_and_referral(incident: Incident, chair: Person) -> None:
    decision = decide(
        incident, chair, outcome=DecisionOutcome.NO_REVIEW, refer_for_learning_review=True
    )
    letter = Letter.objects.get(incident=incident)
    assert letter.kind == LetterKind.INITIATION_NO
    assert letter.due_on == dt.date(2025, 6, 3)
    assert "Serious Incident Notification is attached" in letter.body
    referral = Referral.objects.get(incident=incident)
    assert referral.source == decision and referral.source_kind == "chair"
    assert not Review.objects.filter(incident=incident).exists()


def test_letter_cannot_be_sent_without_date(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    letter = Letter.objects.get(incident=incident)
    with pytest.raises(ValidationError, match="date the letter was sent"):
        services.letter_mark_sent(letter=letter, sent_on=None, by=business_unit)
    attach_notification(letter, business_unit)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    letter.refresh_from_db()
    assert letter.panel_meeting_month == dt.date(2025, 6, 1)
    decision = Decision.objects.get(incident=incident)
    assert clocks_for(decision, rule="panel-no-decision").get().state == "met"


def test_letter_template_sandbox(partnership: Partnership, business_unit: Person) -> None:
    template = services.lettertemplate_for(partnership, LetterKind.INITIATION_YES)
    for bad in [
        "{% include 'base.html' %}",
        "{{ settings.SECRET_KEY }}",
        "{{ pseudonym.upper }}",
        "{% load static %}",
    ]:
        template.body = bad
        with pytest.raises(ValidationError):
            template.full_clean()
    template.body = "Dear panel, {{ pseudonym|upper }} <b>"
    template.full_clean()


def test_letter_escapes_and_keeps_exact_text(incident: Incident, business_unit: Person) -> None:
    incident.pseudonym = "Child <A> & 'B'"
    incident.save()
    template = services.lettertemplate_for(incident.partnership, LetterKind.INITIATION_NO)
    template.subject = "About {{ pseudonym }}"
    template.save()
    letter = services.letter_generate(
        incident=incident, kind=LetterKind.INITIATION_NO, by=business_unit
    )
    assert letter.subject == "About Child <A> & 'B'"


# --- the review ---------------------------------------------------------------------------


def test_reviewer_with_involvement_needs_chair_override(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    decide(incident, chair)
    review = Review.objects.get(incident=incident)
    reviewer = services.reviewer_add(
        review=review,
        name="Morag Fenwick",
        why_chosen="Experienced author",
        by=business_unit,
        declared_involvement=True,
        involvement_details="Managed the health team in 2019",
    )
    with pytest.raises(ValidationError, match="override"):
        services.reviewer_appoint(
            reviewer=reviewer, appointed_on=dt.date(2025, 5, 25), by=business_unit
        )
    with pytest.raises(ValidationError, match="Only the Chair"):
        services.reviewer_override(reviewer=reviewer, reason="No other", by=business_unit)
    services.reviewer_override(
        reviewer=reviewer, reason="Involvement was minor and historic", by=chair
    )
    services.reviewer_appoint(
        reviewer=reviewer, appointed_on=dt.date(2025, 5, 25), by=business_unit
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS


def test_imr_requests_and_states(
    incident: Incident, chair: Person, business_unit: Person, agency: Agency
) -> None:
    decide(incident, chair)
    review = Review.objects.get(incident=incident)
    req = services.agency_request_create(
        incident=incident,
        review=review,
        agency=agency,
        kind="imr",
        requested_on=dt.date(2025, 5, 21),
        due_on=dt.date(2025, 6, 20),
        by=business_unit,
    )
    assert req.state == "requested"
    with pytest.raises(ValidationError):
        services.agency_request_quality_assure(
            request=req, on=dt.date(2025, 5, 30), by=business_unit
        )
    services.agency_request_receive(request=req, received_on=dt.date(2025, 5, 28), by=business_unit)
    services.agency_request_quality_assure(request=req, on=dt.date(2025, 5, 30), by=business_unit)
    assert req.state == "quality_assured"


def _completed_review(
    incident: Incident, chair: Person, business_unit: Person, text: str
) -> Review:
    decide(incident, chair)
    review = Review.objects.get(incident=incident)
    review.report_text = text
    review.save()
    return services.review_complete(
        review=review, completed_on=dt.date(2025, 5, 26), by=business_unit
    )


def test_learning_chain_from_review(
    incident: Incident, chair: Person, business_unit: Person, agency: Agency
) -> None:
    review = _completed_review(incident, chair, business_unit, "Report.")
    finding = finding_create(
        source=review, title="Information sharing", text="Agencies did not share."
    )
    action_create(
        title="Audit referrals",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="Audit done",
        source=review,
    )
    assert Finding.objects.from_source(review).get() == finding
    assert Action.objects.from_source(review).count() == 1


def test_publication_guard_blocks_then_publishes(
    incident: Incident, identity: ChildIdentity, chair: Person, business_unit: Person
) -> None:
    review = _completed_review(incident, chair, business_unit, "Child A (Jayden) was harmed.")
    answers = {q.key: "Considered." for q in reference().questions}
    publication = services.publication_decide(
        review=review,
        by=business_unit,
        answers=answers,
        decision=PublicationDecision.PUBLISH,
        decided_on=dt.date(2025, 5, 26),
        planned_on=dt.date(2025, 6, 20),
    )
    letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
    assert letter.due_on == dt.date(2025, 6, 13)
    with pytest.raises(ValidationError) as exc:
        services.publication_publish(
            publication=publication, published_on=dt.date(2025, 6, 2), by=business_unit
        )
    message = " ".join(exc.value.messages)
    assert "line 1, character 10" in message and "Jayden" not in message
    review.report_text = "Child A was harmed."
    review.save()
    with pytest.raises(ValidationError, match="Send the report"):
        services.publication_publish(
            publication=publication, published_on=dt.date(2025, 6, 2), by=business_unit
        )
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 26), by=business_unit)
    publication.refresh_from_db()
    assert publication.sent_to_panel_on == dt.date(2025, 5, 26)
    services.publication_publish(
        publication=publication, published_on=dt.date(2025, 6, 2), by=business_unit
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.slug
    period = clocks_for(publication, rule="publication-period").get()
    assert period.due_on == dt.date(2026, 6, 2)
    with pytest.raises(ValidationError, match="12 months"):
        services.publication_remove(
            publication=publication, removed_on=dt.date(2025, 12, 1), reason="x", by=business_unit
        )


def test_publication_notice_must_be_kept(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    review = _completed_review(incident, chair, business_unit, "Child A was harmed.")
    answers = {q.key: "Considered." for q in reference().questions}
    publication = services.publication_decide(
        review=review,
        by=business_unit,
        answers=answers,
        decision=PublicationDecision.PUBLISH,
        decided_on=dt.date(2025, 5, 27),
        planned_on=dt.date(2025, 6, 20),
    )
    letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_YES)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 30), by=business_unit)
    with pytest.raises(ValidationError, match="on or after 6 June 2025"):
        services.publication_publish(
            publication=publication, published_on=dt.date(2025, 6, 2), by=business_unit
        )


def test_not_publishing_tells_the_panel_question_by_question(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    review = _completed_review(incident, chair, business_unit, "Report.")
    answers = {q.key: f"Answer {i}" for i, q in enumerate(reference().questions)}
    services.publication_decide(
        review=review,
        by=business_unit,
        answers=answers,
        decision=PublicationDecision.NOT_PUBLISH,
        decided_on=dt.date(2025, 5, 27),
    )
    letter = Letter.objects.get(incident=incident, kind=LetterKind.PUBLICATION_NO)
    for i, q in enumerate(reference().questions):
        assert f"{q.label}: Answer {i}" in letter.body
    with pytest.raises(ValidationError, match="every question"):
        services.publication_decide(
            review=Review.objects.create(
                partnership=incident.partnership,
                kind="single_agency",
                title="x",
                pseudonym="x",
                decided_on=dt.date(2025, 5, 1),
                completed_on=dt.date(2025, 5, 2),
            ),
            by=business_unit,
            answers={},
            decision="publish",
            decided_on=dt.date(2025, 5, 27),
        )


# --- referrals and joint DHR ------------------------------------------------------------


def test_referral_register_and_decision(
    partnership: Partnership, make_person: Callable[..., Person], lead: Person
) -> None:
    referral = services.referral_create(
        partnership=partnership,
        source_kind="agency",
        referrer=lead,
        reasons="Missed opportunities",
        by=lead,
        pseudonym="Child F",
    )
    assert referral.reference == "LLR-2025-001" and referral.referrer_agency == lead.agency
    with pytest.raises(ValidationError, match="sub-group chair"):
        services.referral_decide(
            referral=referral, by=lead, decision="accepted", reasons="x", methodology="scie-systems"
        )
    lichair = make_person("subgroup_chair")
    services.referral_decide(
        referral=referral,
        by=lichair,
        decision=ReferralDecision.ACCEPTED,
        reasons="Lessons likely",
        methodology="scie-systems",
    )
    referral.refresh_from_db()
    assert referral.review is not None and referral.review.kind == ReviewKind.LEARNING_LESSONS
    assert referral.review.methodology == "scie-systems"


def test_joint_dhr(incident: Incident, chair: Person, business_unit: Person) -> None:
    decide(incident, chair)
    dhr = services.joint_dhr_record(
        incident=incident,
        by=business_unit,
        cspb_chair="Olu Marchetti",
        decided_on=dt.date(2025, 5, 21),
        panels="joint",
        reports="joint",
        executive_reporting_on=dt.date(2025, 9, 10),
    )
    assert Review.objects.get(incident=incident).joint_dhr
    from lift.reviews.selectors import forward_plan_items

    items = forward_plan_items(incident.partnership)
    assert any(i["group_kind"] == "joint" and "Child A" in i["title"] for i in items)
    assert dhr.cspb_chair == "Olu Marchetti"
