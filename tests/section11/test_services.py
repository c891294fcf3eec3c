"""The Section 11 workflows end to end: open, answer, submit, challenge, moderate, close,
overview report, Board and the six-month follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from lift.core.clocks import clocks_for
from lift.core.models import ChangeLog
from lift.learning.models import Action, Finding, Recommendation
from lift.section11 import selectors, services
from lift.section11.choices import CycleStatus, ReturnStatus
from lift.section11.models import Answer, FollowUp, Section11Return

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def test_opening_creates_one_answer_per_requirement_and_logs_each_return(
    make_framework: Any, make_cycle: Any, agency: Any, other_agency: Any
) -> None:
    fw = make_framework(standards=3, per_standard=4)
    cycle = make_cycle(fw, [agency, other_agency])
    assert cycle.status == CycleStatus.OPEN
    returns = list(cycle.returns.all())
    assert len(returns) == 2
    assert all(r.answers.count() == 12 for r in returns)
    logged = ChangeLog.objects.filter(
        content_type__model="section11return", action="create"
    ).values_list("object_id", flat=True)
    assert {str(r.pk) for r in returns} <= set(logged)
    with pytest.raises(ValidationError, match="already open"):
        services.cycle_open(cycle=cycle, by=None)


def test_answer_rating_must_be_on_the_scale(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any
) -> None:
    cycle = make_cycle(make_framework(), [agency])
    answer = Answer.objects.filter(agency_return__cycle=cycle).first()
    with pytest.raises(ValidationError, match="not on the framework's scale"):
        services.answer_save(answer=answer, by=lead, self_rating="excellent")
    with pytest.raises(ValidationError, match="https://"):
        services.answer_save(
            answer=answer, by=lead, self_rating="fully", evidence_links="javascript:alert(1)"
        )
    services.answer_save(
        answer=answer, by=lead, self_rating="fully", evidence_links="https://example.test/p"
    )
    answer.refresh_from_db()
    assert answer.self_rating == "fully" and answer.links == ["https://example.test/p"]


def test_submit_needs_every_rating_then_the_return_is_read_only(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any
) -> None:
    cycle = make_cycle(make_framework(), [agency])
    ret = cycle.returns.get()
    with pytest.raises(ValidationError, match=r"Not yet rated: 1\.1, 1\.2, 2\.1, 2\.2"):
        services.return_submit(agency_return=ret, by=lead)
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED and ret.submitted_by == lead
    with pytest.raises(ValidationError, match="submitted"):
        services.answer_save(answer=ret.answers.first(), by=lead, self_rating="not-met")


def test_carry_forward_copies_answers_by_urn_and_marks_them_for_review(
    make_framework: Any, make_cycle: Any, agency: Any, other_agency: Any, lead: Any
) -> None:
    fw1 = make_framework()
    old = make_cycle(fw1, [agency, other_agency], name="2013-15", start=dt.date(2013, 9, 1))
    old_ret = old.returns.get(agency=agency)
    rate_all(old_ret, lead, "partially")
    fw2 = make_framework(version=2, per_standard=3)  # a newer version adds requirements
    new = make_cycle(fw2, [agency, other_agency], previous=old, carry_forward=(agency,))
    ret = new.returns.get(agency=agency)
    assert ret.carried_forward_from == old_ret
    carried = ret.answers.filter(needs_review=True)
    assert carried.count() == 4  # the four requirements both versions share
    assert set(carried.values_list("self_rating", flat=True)) == {"partially"}
    assert ret.answers.filter(self_rating="").count() == 2
    assert not new.returns.get(agency=other_agency).answers.filter(needs_review=True).exists()
    for a in ret.answers.filter(self_rating=""):
        services.answer_save(answer=a, by=lead, self_rating="fully")
    with pytest.raises(ValidationError, match="Review every answer carried forward"):
        services.return_submit(agency_return=ret, by=lead)


def _submitted(make_framework: Any, make_cycle: Any, agency: Any, lead: Any, **kw: Any) -> Any:
    cycle = make_cycle(make_framework(), [agency], **kw)
    ret = cycle.returns.get()
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    return cycle, ret


def test_panel_member_cannot_sit_on_their_own_agencys_challenge(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any, make_person: Any
) -> None:
    cycle, ret = _submitted(make_framework, make_cycle, agency, lead)
    panel = services.panel_create(cycle=cycle, name="Panel A")
    services.return_assign_panel(agency_return=ret, panel=panel)
    colleague = make_person("board_member", agency=agency, full_name="Cal Colleague")
    with pytest.raises(ValidationError, match="cannot sit on their own agency's challenge"):
        services.panel_member_add(panel=panel, person=colleague)


def test_assigning_a_return_to_a_panel_with_its_own_agencys_member_is_refused(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any
) -> None:
    cycle, ret = _submitted(make_framework, make_cycle, agency, lead)
    panel = services.panel_create(cycle=cycle, name="Panel A")
    services.panel_member_add(panel=panel, person=lead)  # no returns yet
    with pytest.raises(ValidationError, match="own agency"):
        services.return_assign_panel(agency_return=ret, panel=panel)


def test_challenge_moderation_and_close(
    make_framework: Any,
    make_cycle: Any,
    agency: Any,
    other_agency: Any,
    lead: Any,
    lay: Any,
    chair: Any,
    make_person: Any,
) -> None:
    cycle = make_cycle(make_framework(), [agency, other_agency])
    ret = cycle.returns.get(agency=agency)
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    panel = services.panel_create(cycle=cycle, name="Panel A")
    services.return_assign_panel(agency_return=ret, panel=panel)
    police_lead = make_person("safeguarding_lead", agency=other_agency)
    services.panel_member_add(panel=panel, person=police_lead, is_chair=True)
    with pytest.raises(ValidationError, match="lay member"):
        services.challenge_start(agency_return=ret, by=police_lead)
    services.panel_member_add(panel=panel, person=lay, is_lay=True)
    services.challenge_start(agency_return=ret, by=police_lead)
    standard = cycle.framework.standards.first()
    q = services.question_ask(
        agency_return=ret, standard=standard, question="How do you know?", by=lay
    )
    services.question_respond(question=q, response="Audit in March.", by=lead)
    answers = list(ret.answers.order_by("requirement__order"))
    with pytest.raises(ValidationError, match="not on the framework's scale"):
        services.answer_moderate(answer=answers[0], rating="great", by=lay)
    with pytest.raises(ValidationError, match="Not yet moderated"):
        services.return_moderate(agency_return=ret, conclusion="Good.", by=lay)
    services.answer_moderate(answer=answers[0], rating="partially", note="Thin evidence", by=lay)
    for a in answers[1:]:
        services.answer_moderate(answer=a, rating="fully", by=lay)
    services.return_moderate(agency_return=ret, conclusion="Mostly met.", by=lay)
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.MODERATED
    ov = selectors.overview(cycle)
    assert ov.differences and ov.differences[0]["change"] < 0
    with pytest.raises(ValidationError, match="not moderated"):
        services.cycle_close(cycle=cycle, by=chair)
    services.cycle_close(
        cycle=cycle, by=chair, reason="Police return withdrawn pending restructure."
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    police = Section11Return.objects.get(cycle=cycle, agency=other_agency)
    assert police.status == ReturnStatus.CLOSED and police.unmoderated_reason


def test_return_actions_join_the_learning_chain(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any
) -> None:
    cycle = make_cycle(make_framework(), [agency])
    ret = cycle.returns.get()
    action = services.return_action_add(
        agency_return=ret,
        by=lead,
        title="Refresh the safeguarding policy",
        due_on=dt.date(2016, 3, 1),
        success_measure="Policy reviewed and published",
        owner=lead,
    )
    assert list(Action.objects.from_source(ret)) == [action]
    assert action.owner_agency == agency


@time_machine.travel(dt.date(2016, 6, 1), tick=False)
def test_overview_board_clock_and_follow_up(
    make_framework: Any,
    make_cycle: Any,
    agency: Any,
    lead: Any,
    business_unit: Any,
    chair: Any,
) -> None:
    cycle, ret = _submitted(make_framework, make_cycle, agency, lead)
    services.return_action_add(
        agency_return=ret,
        by=lead,
        title="Train recruiting managers",
        due_on=dt.date(2016, 9, 1),
        success_measure="All panels have a trained member",
    )
    report = services.overview_create(
        cycle=cycle,
        summary="All agencies returned.",
        key_areas="Safer recruitment training\nHearing children's views",
        by=business_unit,
    )
    assert Finding.objects.from_source(cycle).count() == 2
    assert Recommendation.objects.from_source(cycle).count() == 2
    clock = services.overview_present(report=report, board_date=dt.date(2016, 6, 1), by=chair)
    assert clock.due_on == dt.date(2016, 12, 1)
    assert services.follow_up_due(dt.date(2016, 11, 30)) == 0
    assert services.follow_up_due(dt.date(2016, 12, 1)) == 1
    assert services.follow_up_due(dt.date(2016, 12, 2)) == 0  # idempotent
    follow_up = FollowUp.objects.get(report=report)
    outstanding = selectors.outstanding_by_agency(cycle, today=dt.date(2016, 12, 1))
    assert outstanding[0]["agency"] == agency and outstanding[0]["overdue"] == 1
    esc = services.escalation_record(
        follow_up=follow_up,
        agency=agency,
        addressee="Director of Children's Services",
        letter_text="Please tell the Board when the actions will be done.",
        by=chair,
        letter_date=dt.date(2016, 12, 2),
    )
    assert esc.overdue_count == 1
    assert Action.objects.get(source_id=ret.pk).escalated_on == dt.date(2016, 12, 2)
    with time_machine.travel(dt.date(2016, 12, 20), tick=False):
        services.escalation_response_record(
            escalation=esc, response="Done by March.", response_on=dt.date(2016, 12, 20), by=chair
        )
        services.follow_up_present(follow_up=follow_up, board_date=dt.date(2016, 12, 15), by=chair)
    assert clocks_for(report).get().state == "met_late"


def test_the_overview_report_goes_on_a_board_agenda(
    make_framework: Any, make_cycle: Any, agency: Any, lead: Any, business_unit: Any
) -> None:
    from django.utils import timezone

    from lift.governance import services as governance
    from lift.governance.choices import GroupKind
    from lift.governance.models import AgendaItem

    cycle, _ret = _submitted(make_framework, make_cycle, agency, lead)
    report = services.overview_create(
        cycle=cycle, summary="Returned.", key_areas="Supervision", by=business_unit
    )
    board = governance.board_create(
        partnership=cycle.partnership, kind=GroupKind.BOARD, name="The Board", by=business_unit
    )
    meeting = governance.meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=10), by=business_unit
    )
    services.overview_present(
        report=report,
        board_date=timezone.localdate() + dt.timedelta(days=10),
        by=business_unit,
        meeting=meeting,
    )
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.linked_id == report.pk and "overview report" in item.title
    # A corrected Board date restarts the follow-up clock rather than adding another.
    services.overview_present(
        report=report, board_date=timezone.localdate() + dt.timedelta(days=20), by=business_unit
    )
    assert clocks_for(report).count() == 1
