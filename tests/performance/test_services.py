"""Value entry, revision, import, definition changes, scrutiny and impact evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lift.core import history
from lift.core.models import Agency, Partnership, Person
from lift.governance.models import Meeting
from lift.learning.choices import ActionStatus, ImpactOutcome
from lift.learning.models import Action, Finding
from lift.learning.services import action_update_add
from lift.performance import services
from lift.performance.models import Indicator, IndicatorValue

APR = dt.date(2015, 4, 1)


def test_owner_agency_lead_enters_a_value(indicator: Indicator, lead: Person) -> None:
    v = services.value_enter(
        indicator=indicator,
        period_start=APR,
        value=Decimal(85),
        numerator=Decimal(170),
        denominator=Decimal(200),
        by=lead,
    )
    assert v.version.number == 1
    assert v.entered_by == lead


def test_another_agency_cannot_enter_values(
    indicator: Indicator, make_person, other_agency: Agency
) -> None:
    police_lead = make_person("safeguarding_lead", agency=other_agency)
    with pytest.raises(PermissionDenied):
        services.value_enter(
            indicator=indicator, period_start=APR, value=Decimal(85), by=police_lead
        )


def test_period_outside_frequency_refused(rate: Indicator) -> None:
    with pytest.raises(ValidationError) as exc:
        services.value_enter(
            indicator=rate, period_start=dt.date(2015, 5, 1), value=Decimal(3), by=None
        )
    assert "period_start" in exc.value.message_dict


def test_percentage_over_100_refused(indicator: Indicator) -> None:
    with pytest.raises(ValidationError) as exc:
        services.value_enter(indicator=indicator, period_start=APR, value=Decimal(101), by=None)
    assert "value" in exc.value.message_dict


def test_second_value_for_a_period_refused(indicator: Indicator) -> None:
    services.value_enter(indicator=indicator, period_start=APR, value=Decimal(85), by=None)
    with pytest.raises(ValidationError, match="already has a value"):
        services.value_enter(indicator=indicator, period_start=APR, value=Decimal(86), by=None)


def test_revision_needs_a_reason_and_keeps_history(indicator: Indicator, lead: Person) -> None:
    v = services.value_enter(indicator=indicator, period_start=APR, value=Decimal(85), by=lead)
    with pytest.raises(ValidationError):
        services.value_revise(row=v, by=lead, reason=" ", value=Decimal(86))
    services.value_revise(row=v, by=lead, reason="Late notifications added", value=Decimal(86))
    v.refresh_from_db()
    assert v.value == Decimal(86)
    entries = list(history.for_object(v))
    assert any(e.reason == "Late notifications added" for e in entries)


def test_redefinition_makes_a_new_version_and_earlier_values_keep_theirs(
    indicator: Indicator,
) -> None:
    old = services.value_enter(indicator=indicator, period_start=APR, value=Decimal(85), by=None)
    later = services.value_enter(
        indicator=indicator, period_start=dt.date(2016, 5, 1), value=Decimal(85), by=None
    )
    with pytest.raises(ValidationError):
        services.indicator_redefine(
            indicator=indicator, definition="New", effective_from=dt.date(2016, 4, 1), reason=""
        )
    v2 = services.indicator_redefine(
        indicator=indicator,
        definition="Births visited within 14 days, including transfers in.",
        effective_from=dt.date(2016, 4, 1),
        reason="Regional definition adopted",
    )
    assert v2.number == 2
    old.refresh_from_db()
    later.refresh_from_db()
    assert old.version.number == 1
    assert later.version_id == v2.pk
    newer = services.value_enter(
        indicator=indicator, period_start=dt.date(2016, 6, 1), value=Decimal(80), by=None
    )
    assert newer.version_id == v2.pk


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_import_a_year_of_values(
    partnership: Partnership, indicator: Indicator, lead: Person
) -> None:
    lines = ["indicator code,period,value,numerator,denominator,national,regional"]
    for m in range(12):
        month = dt.date(2015 + (3 + m) // 12, (3 + m) % 12 + 1, 1)
        lines.append(f"PBV14,{month:%Y-%m},80%,160,200,88,86")
    result, created = services.values_import(
        partnership=partnership, file=_csv("\n".join(lines)), by=lead
    )
    assert result.ok, result.errors
    assert created == 12
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 12


def test_bad_import_is_refused_with_row_errors(
    partnership: Partnership, indicator: Indicator, rate: Indicator, lead: Person
) -> None:
    text = "\n".join(
        [
            "indicator code,period,value",
            "pbv14,2015-04,85",  # fine
            "pbv14,2015-05,120",  # over 100%
            "s47,2015/16 Q1,30",  # another agency's indicator
            "nope,2015-06,3",  # unknown code
            "pbv14,2015/16 Q1,85",  # a quarter for a monthly indicator
        ]
    )
    result, created = services.values_import(partnership=partnership, file=_csv(text), by=lead)
    assert created == 0
    lines = {e.line for e in result.errors}
    assert lines == {3, 4, 5, 6}
    assert IndicatorValue.objects.count() == 0


def test_import_refuses_a_percentage_for_a_rate(partnership: Partnership, rate: Indicator) -> None:
    result, created = services.values_import(
        partnership=partnership,
        file=_csv("indicator code,period,value\ns47,2015/16 Q1,30%\n"),
        by=None,
    )
    assert created == 0
    assert "percentage" in result.errors[0].message


def test_focus_area_with_analysis_conclusions_and_actions(
    meeting: Meeting, indicator: Indicator, agency: Agency
) -> None:
    focus = services.focus_create(
        meeting=meeting,
        title="Post-birth visits",
        question="Why are fewer than 90% of births visited within 14 days?",
        indicators=[indicator],
    )
    with pytest.raises(ValidationError):
        services.focus_create(meeting=meeting, title="Again", question="?")
    req = services.analysis_request_create(
        focus=focus,
        agency=agency,
        request="Analyse late visits by team",
        due_on=dt.date(2030, 1, 1),
    )
    services.analysis_respond(request=req, response="Two teams carry vacancies.", presented=True)
    req.refresh_from_db()
    assert req.status == "presented"
    services.focus_record(focus=focus, challenge="Why not escalated?", conclusions="Recruit.")
    services.focus_finding(focus=focus, title="Vacancies drive late visits", text="...")
    action = services.focus_action(
        focus=focus,
        title="Recruit two health visitors",
        owner_agency=agency,
        due_on=dt.date(2030, 3, 1),
        success_measure="Visits within 14 days above 90%",
    )
    assert action.source == focus
    assert Finding.objects.from_source(focus).count() == 1


def test_impact_check_cites_the_indicator_movement(
    with_values: Indicator, agency: Agency, business_unit: Person
) -> None:
    from lift.learning.services import action_create

    action = action_create(
        title="Recruit",
        owner_agency=agency,
        due_on=dt.date(2030, 1, 1),
        success_measure="More visits",
        status=ActionStatus.IN_PROGRESS,
    )
    action_update_add(
        action=action, by=business_unit, text="Two posts filled", status=ActionStatus.COMPLETED
    )
    action = Action.objects.get(pk=action.pk)
    check = services.impact_check_from_indicator(
        action=action,
        indicator=with_values,
        period_from=dt.date(2014, 4, 1),
        period_to=dt.date(2015, 3, 1),
        by=business_unit,
    )
    assert check.source == with_values
    assert check.outcome == ImpactOutcome.IMPROVED
    assert check.compared_from == "Apr 2014"
    assert check.compared_to == "Mar 2015"
    with pytest.raises(ValidationError):
        services.impact_check_from_indicator(
            action=action,
            indicator=with_values,
            period_from=dt.date(2010, 4, 1),
            period_to=dt.date(2015, 3, 1),
            by=business_unit,
        )
