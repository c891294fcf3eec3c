"""The audits kinds of to-do: an auditor's assignment (declare, then complete and submit the
return), the feedback from a single-agency case audit (its auditor) and its acknowledgement
(the worker and the manager). Each appears for its person while the step is to be done, for
nobody else, and is gone once done through its service; one query a kind however many rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lift.audits import services
from lift.audits import todo as kinds
from lift.audits.models import AuditTemplate, CaseAudit, TeamSchedule
from lift.core import todo
from lift.core.access import assignments_for
from lift.core.models import Notification, Partnership, Person
from tests.factories import person_with_role

from .conftest import CHILD_NAME, World, answer_everything

pytestmark = pytest.mark.django_db


def _unread(key: str) -> bool:
    """Is the notification that asked for the step still unread (shown on "My work")?"""
    return Notification.objects.filter(key=key, read_at__isnull=True).exists()


def _items(kind: str, person: Person, partnership: Partnership) -> list[todo.ToDo]:
    return todo.items_for(person, partnership, only=[kind])


@pytest.fixture
def schedule(world: World, csc_template: AuditTemplate) -> TeamSchedule:
    lead = person_with_role("safeguarding_lead", world.partnership, agency=world.social_care)
    programme = services.agency_programme_create(
        agency=world.social_care, title="CSC audits", year="2015/16", template=csc_template, by=lead
    )
    return services.team_schedule_add(
        programme=programme,
        team="Assessment team",
        method="offline_qa",
        frequency="monthly",
        by=lead,
    )


def _case_audit(
    schedule: TeamSchedule, auditor: Person, n: int = 1, **people: Person | None
) -> CaseAudit:
    template = schedule.programme.template
    return services.case_audit_record(
        schedule=schedule,
        case_reference=f"CSC-{n}",
        audited_on=dt.date(2015, 6, n),
        auditor=auditor,
        by=auditor,
        grades={s: template.scale_for(s)[1] for s in template.sections.all()},
        overall_grade=template.grades.filter(section__isnull=True).first(),
        **people,
    )


def test_kinds_are_registered() -> None:
    keys = {k.key for k in todo.kinds()}
    assert {kinds.ASSIGNMENT, kinds.CASE_AUDIT_FEEDBACK, kinds.CASE_AUDIT_ACKNOWLEDGE} <= keys


def test_assignment_asks_for_the_declaration_then_the_return_until_submitted(
    world: World, other_partnership: Partnership, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        x = services.assignment_create(
            case=w.case1, agency=w.police, auditor=w.auditor_police, by=w.bu
        )
        # a second assignment: its notification stays when the first's is done
        other = services.assignment_create(
            case=w.case2, agency=w.police, auditor=w.auditor_police, by=w.bu
        )
    asked = f"audit-assignment:{x.pk}"
    assert _unread(asked)
    item, _other = _items(kinds.ASSIGNMENT, w.auditor_police, w.partnership)
    assert item.url == f"/audits/assignments/{x.pk}/declare/"
    assert item.title == "Declare any previous involvement with Case MA-01 (Testshire Police)"
    assert item.due_on == dt.date(2015, 10, 30) and item.subject == x
    assert CHILD_NAME not in item.title + item.hint
    # not another auditor (same agency or not), the business unit, the lead, elsewhere
    other_police = person_with_role("auditor", w.partnership, agency=w.police)
    for person in (other_police, w.auditor_sc, w.bu, w.lead_police, w.subgroup_chair):
        assert _items(kinds.ASSIGNMENT, person, w.partnership) == []
    assert _items(kinds.ASSIGNMENT, w.auditor_police, other_partnership) == []

    services.assignment_declare(assignment=x, by=w.auditor_police, involved=False)
    item, _other = _items(kinds.ASSIGNMENT, w.auditor_police, w.partnership)
    assert item.title.startswith("Complete and submit the audit return for Case MA-01")
    assert item.url == x.audit_return.get_absolute_url()
    assert _unread(asked)  # declared, but the return is still to do

    answer_everything(x.audit_return, w.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=w.auditor_police)
    left = _items(kinds.ASSIGNMENT, w.auditor_police, w.partnership)
    assert [i.subject for i in left] == [other]
    assert not _unread(asked) and _unread(f"audit-assignment:{other.pk}")
    # sent back: the return is a draft again, so the step is back
    services.return_send_back(audit_return=x.audit_return, by=w.bu, reason="Grade line 2 again")
    assert len(_items(kinds.ASSIGNMENT, w.auditor_police, w.partnership)) == 2
    services.return_submit(audit_return=x.audit_return, by=w.auditor_police)
    sent_back = f"audit-return:{x.audit_return.pk}:sent-back:"
    assert not Notification.objects.filter(key__startswith=sent_back, read_at__isnull=True).exists()


def test_declared_involvement_ends_the_assignment(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = world
    with django_capture_on_commit_callbacks(execute=True):
        x = services.assignment_create(
            case=w.case1, agency=w.health, auditor=w.auditor_health, by=w.bu
        )
    services.assignment_declare(
        assignment=x, by=w.auditor_health, involved=True, details="I was the health visitor."
    )
    assert _items(kinds.ASSIGNMENT, w.auditor_health, w.partnership) == []
    assert not _unread(f"audit-assignment:{x.pk}")


def test_a_cancelled_audit_asks_for_nothing(world: World) -> None:
    w = world
    services.assignment_create(case=w.case1, agency=w.health, auditor=w.auditor_health, by=w.bu)
    services.audit_status_set(audit=w.audit, status="cancelled", by=w.bu, reason="Merged")
    assert _items(kinds.ASSIGNMENT, w.auditor_health, w.partnership) == []


def test_case_audit_feedback_is_the_auditors_then_acknowledged_by_worker_and_manager(
    world: World,
    schedule: TeamSchedule,
    other_partnership: Partnership,
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world
    worker = person_with_role("learner", w.partnership, agency=w.social_care)
    manager = person_with_role("line_manager", w.partnership, agency=w.social_care)
    c = _case_audit(schedule, w.auditor_sc, worker=worker, manager=manager)
    _case_audit(schedule, w.auditor_sc, n=2)  # names nobody: no feedback to give

    (item,) = _items(kinds.CASE_AUDIT_FEEDBACK, w.auditor_sc, w.partnership)
    assert item.url == f"/audits/agency/case-audits/{c.pk}/feedback/" and item.subject == c
    assert "CSC-1" in item.title
    for person in (w.other_auditor, w.auditor_police, worker, manager, w.bu):
        assert _items(kinds.CASE_AUDIT_FEEDBACK, person, w.partnership) == []
    assert _items(kinds.CASE_AUDIT_FEEDBACK, w.auditor_sc, other_partnership) == []
    for person in (worker, manager):
        assert _items(kinds.CASE_AUDIT_ACKNOWLEDGE, person, w.partnership) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.case_audit_feedback(case_audit=c, feedback="Good direct work.", by=w.auditor_sc)
    assert _items(kinds.CASE_AUDIT_FEEDBACK, w.auditor_sc, w.partnership) == []
    for person in (worker, manager):
        (ack,) = _items(kinds.CASE_AUDIT_ACKNOWLEDGE, person, w.partnership)
        assert ack.url == f"/audits/agency/case-audits/{c.pk}/acknowledge/"
    for person in (w.auditor_sc, w.other_auditor, w.bu):
        assert _items(kinds.CASE_AUDIT_ACKNOWLEDGE, person, w.partnership) == []
    assert _items(kinds.CASE_AUDIT_ACKNOWLEDGE, worker, other_partnership) == []

    c = services.case_audit_acknowledge(case_audit=c, by=worker)
    assert _items(kinds.CASE_AUDIT_ACKNOWLEDGE, worker, w.partnership) == []
    assert len(_items(kinds.CASE_AUDIT_ACKNOWLEDGE, manager, w.partnership)) == 1
    assert not _unread(f"case-audit:{c.pk}:feedback:{worker.pk}")
    assert _unread(f"case-audit:{c.pk}:feedback:{manager.pk}")
    services.case_audit_acknowledge(case_audit=c, by=manager)
    assert _items(kinds.CASE_AUDIT_ACKNOWLEDGE, manager, w.partnership) == []
    assert not _unread(f"case-audit:{c.pk}:feedback:{manager.pk}")


def test_each_provider_reads_in_one_query_however_many_rows(
    world: World, schedule: TeamSchedule, django_assert_max_num_queries: Any
) -> None:
    w = world
    worker = person_with_role("learner", w.partnership, agency=w.social_care)
    made = 0
    for size in (1, 4):
        while made < size:
            made += 1
            case = services.sample_case_add(
                audit=w.audit, reference=f"Case MA-{made + 10}", by=w.bu, full_name="A Child"
            )
            x = services.assignment_create(
                case=case, agency=w.police, auditor=w.auditor_police, by=w.bu
            )
            if made % 2:
                services.assignment_declare(assignment=x, by=w.auditor_police, involved=False)
            _case_audit(schedule, w.auditor_sc, n=made, worker=worker)
            given = _case_audit(schedule, w.other_auditor, n=made + 10, worker=worker)
            services.case_audit_feedback(case_audit=given, feedback="Noted.", by=w.other_auditor)
        for kind, person in (
            (kinds.ASSIGNMENT, w.auditor_police),
            (kinds.CASE_AUDIT_FEEDBACK, w.auditor_sc),
            (kinds.CASE_AUDIT_ACKNOWLEDGE, worker),
        ):
            assignments_for(person)  # loaded once per request, before any provider
            with django_assert_max_num_queries(1):
                shown = [
                    (i.title, i.url, i.hint, i.subject_label)
                    for i in _items(kind, person, w.partnership)
                ]
            assert len(shown) == size, kind


def test_people_without_the_auditor_role_cost_no_query(
    world: World, django_assert_max_num_queries: Any
) -> None:
    w = world
    services.assignment_create(case=w.case1, agency=w.police, auditor=w.auditor_police, by=w.bu)
    assignments_for(w.lead_police)
    with django_assert_max_num_queries(0):
        assert list(kinds.assignments(w.lead_police, w.partnership)) == []
