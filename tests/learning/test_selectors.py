"""Reads: the tracker's scope, counts, the Chair's list, recurring themes, reach."""

from __future__ import annotations

import datetime as dt

import pytest

from lift.learning import selectors, services
from lift.learning.choices import ActionStatus

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_lead_sees_only_their_agency(make_action, agency, other_agency, lead, police_lead, chair):
    ours = make_action()
    theirs = make_action(owner_agency=other_agency, owner=police_lead)
    partnership = agency.partnership
    assert list(selectors.action_tracker(lead, partnership)) == [ours]
    assert list(selectors.our_actions(police_lead, partnership)) == [theirs]
    assert set(selectors.action_tracker(chair, partnership)) == {ours, theirs}


def test_counts_in_one_query(
    make_action, agency, other_agency, police_lead, chair, django_assert_num_queries
):
    make_action()
    make_action(status=ActionStatus.PROPOSED)
    make_action(owner_agency=other_agency, owner=police_lead)
    qs = selectors.action_tracker(chair, agency.partnership)
    chair._lift_assignments = list(chair.role_assignments.all())
    with django_assert_num_queries(1):
        counts = selectors.action_counts(qs)
    assert counts.total == 3
    by_agency = {row["agency"]: row for row in counts.rows}
    assert by_agency[agency.name]["total"] == 2
    assert by_agency[agency.name]["counts"][ActionStatus.PROPOSED] == 1
    assert counts.totals[ActionStatus.IN_PROGRESS] == 2


def test_overdue_and_escalated(make_action, chair, agency):
    late = make_action(due_on=TODAY - dt.timedelta(days=3))
    escalated = make_action(due_on=TODAY + dt.timedelta(days=3))
    services.action_escalate(action=escalated, today=TODAY)
    make_action(due_on=TODAY + dt.timedelta(days=10))
    found = list(selectors.overdue_and_escalated(chair, agency.partnership, TODAY))
    assert set(found) == {late, escalated}


def test_recurring_themes_by_year_and_by_area(partnership, library_item, business_unit):
    # Neglect: the library (learning area) in two different years.
    for year in (2023, 2025):
        services.lesson_add(
            item=library_item,
            by=business_unit,
            title=f"Neglect lesson {year}",
            text="t",
            themes=["neglect"],
            identified_on=dt.date(year, 5, 1),
        )
    # Early help: once only, so not recurring.
    services.finding_create(
        source=None,
        partnership=partnership,
        title="Early help",
        text="t",
        themes=["early-help"],
        identified_on=dt.date(2025, 1, 1),
    )
    found = {r.code: r for r in selectors.recurring_themes(business_unit, partnership)}
    assert set(found) == {"neglect"}
    assert found["neglect"].years == 2 and found["neglect"].findings == 2
    assert (found["neglect"].first_year, found["neglect"].last_year) == (2023, 2025)


def test_recurring_themes_across_source_areas(partnership, library_item, business_unit, agency):
    # Same year, two source areas: the library (learning) and an agency (core).
    services.lesson_add(
        item=library_item, by=business_unit, title="a", text="t", themes=["thresholds"]
    )
    services.finding_create(source=agency, title="b", text="t", themes=["thresholds"])
    found = {r.code: r for r in selectors.recurring_themes(business_unit, partnership)}
    assert found["thresholds"].areas == 2


def test_finding_reach(partnership, lesson, agency, other_agency, chair):
    for n in (30, 12):
        services.dissemination_create(
            partnership=partnership,
            by=chair,
            kind="briefing",
            title=f"Briefing {n}",
            held_on=TODAY,
            audience="Practitioners",
            findings=[lesson],
            agencies_reached=[agency, other_agency],
            people_reached=n,
        )
    reach = selectors.finding_reach(chair, lesson)
    assert reach.people == 42 and len(reach.disseminations) == 2
    assert {a.pk for a in reach.agencies} == {agency.pk, other_agency.pk}
