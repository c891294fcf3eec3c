"""The Section 11 kinds of to-do: complete and submit the return (the agency's lead), answer
the panel's questions (the lead), and the panel members' steps (start the challenge, then
moderate and conclude). Each appears for its person while the step is to be done, for nobody
else, and is gone once done through its service; one query a kind however many rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lift.core import todo
from lift.core.access import assignments_for
from lift.core.models import Agency, Partnership, Person
from lift.section11 import services
from lift.section11 import todo as kinds
from lift.section11.models import Cycle, Panel, Section11Return

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def _items(kind: str, person: Person, partnership: Partnership) -> list[todo.ToDo]:
    return todo.items_for(person, partnership, only=[kind])


@pytest.fixture
def other_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Ola Otherlead")


@pytest.fixture
def panellist(make_person: Callable[..., Person], third_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=third_agency, full_name="Pam Panellist")


def _under_challenge(
    cycle: Cycle, agency: Agency, lead: Person, panellist: Person, lay: Person, name: str = "A"
) -> tuple[Section11Return, Panel]:
    ret = cycle.returns.get(agency=agency)
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    panel = services.panel_create(cycle=cycle, name=f"Panel {name}")
    services.return_assign_panel(agency_return=ret, panel=panel)
    services.panel_member_add(panel=panel, person=panellist, is_chair=True)
    services.panel_member_add(panel=panel, person=lay, is_lay=True)
    services.challenge_start(agency_return=ret, by=panellist)
    ret.refresh_from_db()
    return ret, panel


def test_kinds_are_registered() -> None:
    assert {kinds.RETURN, kinds.QUESTION, kinds.PANEL} <= {k.key for k in todo.kinds()}


def test_the_leads_return_until_submitted(
    make_framework: Any,
    make_cycle: Callable[..., Cycle],
    agency: Agency,
    other_agency: Agency,
    lead: Person,
    other_lead: Person,
    make_person: Callable[..., Person],
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    cycle = make_cycle(make_framework(), [agency, other_agency])
    ret = cycle.returns.get(agency=agency)
    partnership = cycle.partnership

    (item,) = _items(kinds.RETURN, lead, partnership)
    assert item.subject == ret and item.url == f"/section11/returns/{ret.pk}/"
    assert item.title == (
        "Complete and submit the Section 11 return for Harrowmere Children's Services, 2015-17"
    )
    assert item.due_on == cycle.deadline and item.hint == "0 of 4 requirements answered."
    (theirs,) = _items(kinds.RETURN, other_lead, partnership)
    assert theirs.subject == cycle.returns.get(agency=other_agency)
    # a practitioner of the agency, the business unit, the Chair: not theirs to submit
    practitioner = make_person("auditor", agency=agency)
    chair = make_person("chair")
    for person in (practitioner, business_unit, chair):
        assert _items(kinds.RETURN, person, partnership) == []
    assert _items(kinds.RETURN, lead, other_partnership) == []

    rate_all(ret, lead)
    (item,) = _items(kinds.RETURN, lead, partnership)
    assert item.url == f"/section11/returns/{ret.pk}/submit/"
    assert item.hint == "4 of 4 requirements answered."
    services.return_submit(agency_return=ret, by=lead)
    assert _items(kinds.RETURN, lead, partnership) == []
    # sent back to the agency: the step is back
    services.return_reopen(agency_return=ret, by=business_unit, reason="Evidence missing")
    assert len(_items(kinds.RETURN, lead, partnership)) == 1


def test_no_return_to_submit_before_the_cycle_opens(
    make_framework: Any, make_cycle: Callable[..., Cycle], agency: Agency, lead: Person
) -> None:
    cycle = make_cycle(make_framework(), [agency], open_=False)
    assert _items(kinds.RETURN, lead, cycle.partnership) == []


def test_panel_steps_and_the_leads_answers(
    make_framework: Any,
    make_cycle: Callable[..., Cycle],
    agency: Agency,
    other_agency: Agency,
    lead: Person,
    other_lead: Person,
    panellist: Person,
    lay: Person,
    chair: Person,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    cycle = make_cycle(make_framework(), [agency, other_agency])
    partnership = cycle.partnership
    ret = cycle.returns.get(agency=agency)
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    panel = services.panel_create(cycle=cycle, name="Panel A")
    services.return_assign_panel(agency_return=ret, panel=panel)
    services.panel_member_add(panel=panel, person=panellist, is_chair=True)
    services.panel_member_add(panel=panel, person=lay, is_lay=True)

    for member in (panellist, lay):
        (item,) = _items(kinds.PANEL, member, partnership)
        assert item.title == (
            "Start the peer challenge of the Section 11 return for Harrowmere Children's "
            "Services, 2015-17"
        )
        assert item.url == f"/section11/returns/{ret.pk}/challenge/"
        assert item.due_on == cycle.challenge_ends_on and item.subject == ret
    # the Chair and business unit may challenge any return, but it is the panel's step
    for person in (chair, business_unit, lead, other_lead):
        assert _items(kinds.PANEL, person, partnership) == []
    assert _items(kinds.PANEL, panellist, other_partnership) == []

    services.challenge_start(agency_return=ret, by=panellist)
    (item,) = _items(kinds.PANEL, lay, partnership)
    assert item.title.startswith("Moderate the ratings and record the conclusion")

    standard = cycle.framework.standards.first()
    q = services.question_ask(agency_return=ret, standard=standard, question="How?", by=lay)
    (asked,) = _items(kinds.QUESTION, lead, partnership)
    assert asked.url == f"/section11/questions/{q.pk}/respond/"
    assert asked.due_on == cycle.challenge_ends_on and asked.subject == ret
    for person in (other_lead, panellist, lay, business_unit):
        assert _items(kinds.QUESTION, person, partnership) == []
    services.question_respond(question=q, response="Audit in March.", by=lead)
    assert _items(kinds.QUESTION, lead, partnership) == []

    for answer in ret.answers.all():
        services.answer_moderate(answer=answer, rating="fully", by=lay)
    services.return_moderate(agency_return=ret, conclusion="Met.", by=lay)
    for member in (panellist, lay):
        assert _items(kinds.PANEL, member, partnership) == []


def test_each_provider_reads_in_one_query_however_many_rows(
    make_framework: Any,
    make_cycle: Callable[..., Cycle],
    agency: Agency,
    other_agency: Agency,
    lead: Person,
    other_lead: Person,
    panellist: Person,
    lay: Person,
    django_assert_max_num_queries: Any,
) -> None:
    framework = make_framework()
    made = 0
    for size in (1, 3):
        while made < size:
            made += 1
            cycle = make_cycle(
                framework,
                [agency, other_agency],
                name=f"20{10 + made}",
                start=dt.date(2010 + made, 9, 1),
            )
            ret, _panel = _under_challenge(cycle, agency, lead, panellist, lay, name=str(made))
            for standard in cycle.framework.standards.all():
                services.question_ask(agency_return=ret, standard=standard, question="?", by=lay)
        for kind, person, expected in (
            (kinds.RETURN, other_lead, size),
            (kinds.QUESTION, lead, size * 2),
            (kinds.PANEL, panellist, size),
        ):
            assignments_for(person)  # loaded once per request, before any provider
            with django_assert_max_num_queries(1):
                shown = [
                    (i.title, i.url, i.hint, i.subject_label)
                    for i in _items(kind, person, agency.partnership)
                ]
            assert len(shown) == expected, kind
