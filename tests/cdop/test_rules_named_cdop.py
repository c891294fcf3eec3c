"""Each child death review rule by name (issue 18, item 6): once where it holds and the
service goes ahead, once where it is broken and the service refuses with the rule's
message, saving nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lift.cdop import rules, services
from lift.cdop.models import AnalysisDomain, Campaign, ChildDeath, ChildDeathIdentity
from lift.core.models import Partnership, Person
from lift.core.rules import BusinessRule

from .conftest import DEATH, analysis_kwargs

pytestmark = pytest.mark.django_db


def _codes(err: ValidationError) -> set[str]:
    if hasattr(err, "error_dict"):
        return {e.code for errors in err.error_dict.values() for e in errors}
    return {e.code for e in err.error_list}


def assert_refused_by(rule: type[BusinessRule], err: ValidationError) -> None:
    """The error is the rule's own: its name as the code, its message as the words."""
    assert rule.__name__ in _codes(err)
    assert rule.message() in err.messages


def _refused(call: Any, message: str) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        call()
    assert message in err.value.messages, err.value.messages
    return err.value


def _notify(partnership: Partnership, by: Person, **fields: Any) -> ChildDeath:
    values: dict[str, Any] = {
        "notifier_name": "Dr Nadia Test",
        "first_name": "Basil",
        "date_of_birth": dt.date(2020, 1, 5),
        "date_of_death": DEATH,
        "expected": "unexpected",
        "notified_on": dt.date(2025, 3, 11),
    }
    values.update(fields)
    return services.childdeath_notify(partnership=partnership, by=by, **values)


def test_JointAgencyResponseCriteria(partnership: Partnership, coordinator: Person) -> None:
    with pytest.raises(ValidationError) as err:
        _notify(partnership, coordinator, jar_criteria=["made-up-criterion"])
    assert_refused_by(rules.JointAgencyResponseCriteria, err.value)
    assert not ChildDeath.objects.exists()
    case = _notify(partnership, coordinator, jar_criteria=["sudden-no-apparent-cause"])
    assert ChildDeath.objects.get().pk == case.pk and case.joint_agency_response


def test_check_case(case: ChildDeath, coordinator: Person) -> None:
    """`rules.check_case` (the case's clean()): a death meeting a joint agency response
    criterion cannot be recorded as expected."""
    rules.check_case(case)
    with pytest.raises(ValidationError) as err:
        services.childdeath_update(case=case, by=coordinator, expected="expected")
    assert_refused_by(rules.UnexpectedWithJar, err.value)
    case.refresh_from_db()  # the refused call changed the caller's copy, not the record
    assert case.expected == "unexpected"
    services.childdeath_update(case=case, by=coordinator, jar_completed_on=DEATH)
    assert ChildDeath.objects.get(pk=case.pk).jar_completed_on == DEATH


def test_check_identity(partnership: Partnership, case: ChildDeath, coordinator: Person) -> None:
    """`rules.check_identity` (the restricted record's clean())."""
    _refused(
        lambda: _notify(partnership, coordinator, nhs_number="48577"),
        "An NHS number is 10 digits, like 485 777 3456.",
    )
    assert ChildDeath.objects.count() == 1  # only the fixture's case: nothing half-saved
    identity = ChildDeathIdentity.objects.get(case=case)
    _refused(
        lambda: services.identity_update(
            identity=identity,
            by=coordinator,
            date_of_death=timezone.localdate() + dt.timedelta(days=1),
        ),
        "The date of death must be today or in the past.",
    )
    identity.refresh_from_db()
    assert identity.date_of_death == DEATH
    services.identity_update(identity=identity, by=coordinator, nhs_number="4857773456")
    assert ChildDeathIdentity.objects.get(pk=identity.pk).nhs_number == "4857773456"


def test_check_analysis(case: ChildDeath, coordinator: Person) -> None:
    """`rules.check_analysis` (the analysis's clean())."""
    analysis = services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    rules.check_analysis(analysis)
    analysis.category = "not-a-category"
    with pytest.raises(ValidationError) as err:
        rules.check_analysis(analysis)
    assert_refused_by(rules.CategoryInList, err.value)
    analysis.category = "sudden-unexpected-unexplained"
    analysis.modifiable = "perhaps"
    with pytest.raises(ValidationError) as err:
        analysis.full_clean()
    assert_refused_by(rules.ModifiableOutcomeInList, err.value)


def test_domain_known(case: ChildDeath, coordinator: Person) -> None:
    analysis = services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    rules.domain_known("social")
    _refused(lambda: rules.domain_known("weather"), "Choose one of the four factor domains.")
    row = AnalysisDomain(partnership=case.partnership, analysis=analysis, domain="weather", score=1)
    _refused(
        lambda: row.full_clean(exclude=["analysis", "partnership"]),
        "Choose one of the four factor domains.",
    )
    assert set(analysis.domains.values_list("domain", flat=True)) == {
        "child",
        "social",
        "physical",
        "service",
    }


def test_check_campaign(partnership: Partnership, coordinator: Person) -> None:
    """`rules.check_campaign` (the campaign's clean())."""

    def create(**fields: Any) -> Campaign:
        return services.campaign_create(
            partnership=partnership,
            title="Safer sleep",
            kind="campaign",
            audience="public",
            started_on=dt.date(2025, 1, 1),
            by=coordinator,
            **fields,
        )

    _refused(
        lambda: create(ended_on=dt.date(2024, 12, 31)),
        "The end date must be on or after the start date.",
    )
    with pytest.raises(ValidationError) as err:
        create(factor="nonsense")
    assert_refused_by(rules.FactorInList, err.value)
    assert not Campaign.objects.exists()
    campaign = create(ended_on=dt.date(2025, 1, 1), factor="unsafe-sleeping")
    assert Campaign.objects.get().pk == campaign.pk
