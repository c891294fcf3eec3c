"""Each rule of serious incidents and reviews by name (issue 18, item 6): once where it holds
and the service goes ahead, once where it is broken and the service refuses with the
rule's message, saving nothing. Today is 2 June 2025 (the reviews conftest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.core.models import Agency, Partnership, Person
from lift.reviews import rules, services
from lift.reviews.choices import DecisionOutcome, ReviewKind
from lift.reviews.models import (
    ChildIdentity,
    Decision,
    Incident,
    RapidReview,
    Review,
    Reviewer,
)
from lift.reviews.reference import reference
from tests.factories import PartnershipFactory, person_with_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 2)


def _refused(call: Any, message: str) -> ValidationError:
    with pytest.raises(ValidationError) as err:
        call()
    assert message in err.value.messages, err.value.messages
    return err.value


def _decide(incident: Incident, by: Person, decided_on: dt.date = dt.date(2025, 5, 20)) -> Any:
    reasons = {
        c.key: f"Considered: {c.key}" for c in reference().for_regime(incident.regime).at("review")
    }
    return services.decision_record(
        incident=incident,
        by=by,
        decided_on=decided_on,
        outcome=DecisionOutcome.STATUTORY,
        reasons="The criteria are met.",
        criteria_reasons=reasons,
    )


def _incident(partnership: Partnership, by: Person, **fields: Any) -> Incident:
    values: dict[str, Any] = {
        "pseudonym": "Child R",
        "incident_type": "serious_harm",
        "incident_on": dt.date(2025, 5, 1),
        "became_aware_on": dt.date(2025, 5, 2),
    }
    values.update(fields)
    return services.incident_create(partnership=partnership, by=by, **values)


# --- the incident ---------------------------------------------------------------------------


def test_check_incident(partnership: Partnership, business_unit: Person) -> None:
    """`rules.check_incident` (the incident's clean()), through incident_create."""
    _refused(
        lambda: _incident(partnership, business_unit, became_aware_on=dt.date(2025, 4, 30)),
        "The local authority cannot become aware before the incident.",
    )
    _refused(
        lambda: _incident(partnership, business_unit, criteria=["not-a-criterion"]),
        "Unknown criteria: not-a-criterion.",
    )
    assert not Incident.objects.exists()
    incident = _incident(partnership, business_unit)
    assert Incident.objects.get().pk == incident.pk


def test_dates_not_in_future(incident: Incident, chair: Person, business_unit: Person) -> None:
    rules.dates_not_in_future(done_on=TODAY, other=None)
    err = _refused(
        lambda: rules.dates_not_in_future(done_on=TODAY + dt.timedelta(days=1)),
        "The date cannot be in the future.",
    )
    assert set(err.message_dict) == {"done_on"}
    _decide(incident, chair)
    reviewer = services.reviewer_add(
        review=Review.objects.get(incident=incident),
        name="Ria Reviewer",
        why_chosen="Independent",
        by=business_unit,
    )
    _refused(
        lambda: services.reviewer_appoint(
            reviewer=reviewer, appointed_on=TODAY + dt.timedelta(days=1), by=business_unit
        ),
        "The date cannot be in the future.",
    )
    assert Reviewer.objects.get(pk=reviewer.pk).appointed_on is None
    services.reviewer_appoint(reviewer=reviewer, appointed_on=TODAY, by=business_unit)
    assert Reviewer.objects.get(pk=reviewer.pk).appointed_on == TODAY


def test_check_identity(incident: Incident, business_unit: Person) -> None:
    """`rules.check_identity` (the restricted record's clean()), through identity_create."""

    def add(**fields: Any) -> ChildIdentity:
        return services.identity_create(
            incident=incident,
            by=business_unit,
            pseudonym="Child A",
            full_name="Kit Marsh",
            **fields,
        )

    _refused(
        lambda: add(is_subject=True, nhs_number="943 476 5918"),
        "Enter a valid 10-digit NHS number.",
    )
    _refused(
        lambda: add(is_subject=True, date_of_birth=dt.date(2025, 5, 1)),
        "The date of birth cannot be after the incident.",
    )
    _refused(
        lambda: add(is_subject=False),
        "Say how this child is related to the subject (e.g. sibling).",
    )
    assert not ChildIdentity.objects.exists()
    identity = add(is_subject=True, nhs_number="943 476 5919", date_of_birth=dt.date(2019, 3, 4))
    assert ChildIdentity.objects.get().pk == identity.pk


def test_identity_patterns(identity: ChildIdentity) -> None:
    patterns = rules.identity_patterns(identity)
    kinds = {kind for kind, _ in patterns}
    assert kinds == {
        "name",
        "date of birth",
        "address",
        "postcode",
        "NHS number",
        "other identifier",
    }

    def found(text: str) -> set[str]:
        return {kind for kind, pattern in patterns if pattern.search(text)}

    assert found("Thornbury's mother said") == {"name"}
    assert found("born 4 March 2019") == {"date of birth"}
    assert found("lived at HM47QZ") == {"postcode"}
    assert found("NHS 9434765919") == {"NHS number"}
    assert found("see CS-55501") == {"other identifier"}
    assert found("The family moved to Harrowmere in the spring.") == set()


# --- the decision ---------------------------------------------------------------------------


def test_decision_maker_is_chair(incident: Incident, chair: Person, business_unit: Person) -> None:
    """`rules.decision_maker_is_chair`, through decision_record."""
    _refused(
        lambda: _decide(incident, business_unit),
        "Only the Chair can record the decision on a statutory review.",
    )
    assert not Decision.objects.exists()
    decision = _decide(incident, chair)
    assert Decision.objects.get().pk == decision.pk


def test_decision_not_backdated(incident: Incident, chair: Person) -> None:
    """`rules.decision_not_backdated`, through decision_record."""
    _refused(
        lambda: _decide(incident, chair, dt.date(2025, 4, 27)),
        "The decision cannot be before the incident (28 April 2025).",
    )
    _refused(
        lambda: _decide(incident, chair, dt.date(2025, 4, 28)),
        "The decision cannot be before the local authority became aware of the incident "
        "(29 April 2025).",
    )
    _refused(
        lambda: _decide(incident, chair, TODAY + dt.timedelta(days=1)),
        "The decision cannot be in the future.",
    )
    assert not Decision.objects.exists()
    decision = _decide(incident, chair, dt.date(2025, 5, 20))
    assert Decision.objects.get().decided_on == decision.decided_on == dt.date(2025, 5, 20)


# --- the rapid review (current rules) -------------------------------------------------------


def _current() -> tuple[Partnership, Person]:
    current = PartnershipFactory(slug="kingsbrook-test", regime="current")
    Agency.objects.create(partnership=current, name="KB social care", agency_type="social_care")
    return current, person_with_role("business_unit", current)


def test_rapid_review_needs_notification() -> None:
    """`rules.rapid_review_needs_notification`, through rapid_review_start."""
    current, bu = _current()
    unnotified = _incident(current, bu, agencies=current.agencies.all())
    _refused(
        lambda: services.rapid_review_start(incident=unnotified, by=bu),
        "Record the notification to the Panel before the rapid review.",
    )
    assert not RapidReview.objects.exists()
    notified = _incident(
        current,
        bu,
        pseudonym="Child N",
        notified_on=dt.date(2025, 5, 28),
        agencies=current.agencies.all(),
    )
    rr = services.rapid_review_start(incident=notified, by=bu)
    assert RapidReview.objects.get().pk == rr.pk


def test_check_rapid_review() -> None:
    current, bu = _current()
    incident = _incident(
        current, bu, notified_on=dt.date(2025, 5, 28), agencies=current.agencies.all()
    )
    rr = services.rapid_review_start(incident=incident, by=bu)
    _refused(
        lambda: services.rapid_review_send(rapid_review=rr, sent_on=TODAY, by=bu),
        "Record the recommendation before sending the rapid review.",
    )
    rr.refresh_from_db()
    assert rr.sent_to_panel_on is None
    rr.recommendation = "local"
    rr.meeting_on = dt.date(2025, 5, 27)  # before the notification
    _refused(lambda: rules.check_rapid_review(rr), "The date cannot be before the notification.")
    rr.meeting_on = dt.date(2025, 5, 30)
    rules.check_rapid_review(rr)
    rr.save()
    services.rapid_review_send(rapid_review=rr, sent_on=TODAY, by=bu)
    assert RapidReview.objects.get(pk=rr.pk).sent_to_panel_on == TODAY


# --- the review -----------------------------------------------------------------------------


def test_check_review(partnership: Partnership, incident: Incident, business_unit: Person) -> None:
    """`rules.check_review` (the review's clean()), through review_create."""

    def create(**fields: Any) -> Review:
        return services.review_create(
            partnership=partnership,
            incident=incident,
            kind=ReviewKind.SINGLE_AGENCY,
            by=business_unit,
            **fields,
        )

    _refused(
        lambda: create(decided_on=dt.date(2025, 5, 20), methodology="guesswork"),
        "Choose a methodology from the list.",
    )
    _refused(
        lambda: create(decided_on=dt.date(2025, 4, 1)),
        "The review cannot be decided before the incident.",
    )
    assert not Review.objects.exists()
    review = create(decided_on=dt.date(2025, 5, 20), methodology="scie-systems")
    assert Review.objects.get().pk == review.pk


def _reviewer(incident: Incident, chair: Person, bu: Person, **fields: Any) -> Reviewer:
    if not Decision.objects.filter(incident=incident).exists():
        _decide(incident, chair)
    return services.reviewer_add(
        review=Review.objects.get(incident=incident),
        name="Morag Fenwick",
        why_chosen="Experienced author",
        by=bu,
        **fields,
    )


def test_check_reviewer(incident: Incident, chair: Person, business_unit: Person) -> None:
    """`rules.check_reviewer` (its clean()), via reviewer_add and reviewer_appoint."""
    _refused(
        lambda: _reviewer(incident, chair, business_unit, declared_involvement=True),
        "Describe the involvement declared.",
    )
    assert not Reviewer.objects.exists()
    reviewer = _reviewer(
        incident,
        chair,
        business_unit,
        declared_involvement=True,
        involvement_details="Managed the health team in 2019",
    )
    _refused(
        lambda: services.reviewer_appoint(reviewer=reviewer, appointed_on=TODAY, by=business_unit),
        "This reviewer declared involvement with the case or agencies: they cannot be "
        "appointed unless the Chair records an override with a reason.",
    )
    assert Reviewer.objects.get(pk=reviewer.pk).appointed_on is None
    services.reviewer_override(reviewer=reviewer, reason="Minor and historic", by=chair)
    services.reviewer_appoint(reviewer=reviewer, appointed_on=TODAY, by=business_unit)
    assert Reviewer.objects.get(pk=reviewer.pk).appointed_on == TODAY


def test_override_by_chair(incident: Incident, chair: Person, business_unit: Person) -> None:
    """`rules.override_by_chair`, through reviewer_override."""
    reviewer = _reviewer(
        incident,
        chair,
        business_unit,
        declared_involvement=True,
        involvement_details="Line manager",
    )
    _refused(
        lambda: services.reviewer_override(reviewer=reviewer, reason="No other", by=business_unit),
        "Only the Chair can override a declaration of involvement.",
    )
    saved = Reviewer.objects.get(pk=reviewer.pk)
    assert (saved.override_by_id, saved.override_reason) == (None, "")
    services.reviewer_override(reviewer=reviewer, reason="No other", by=chair)
    saved = Reviewer.objects.get(pk=reviewer.pk)
    assert (saved.override_by_id, saved.override_reason) == (chair.pk, "No other")
