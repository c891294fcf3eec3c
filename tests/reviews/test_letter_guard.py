"""The publication guard also runs on panel letters before they are generated or sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lift.core.models import Person
from lift.reviews import services
from lift.reviews.choices import DecisionOutcome, LetterKind
from lift.reviews.models import ChildIdentity, Decision, Incident, Letter
from tests.reviews.conftest import attach_notification
from tests.reviews.test_services import decide, reasons_for


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " | ".join(exc.value.messages)


def test_template_with_the_childs_surname_is_refused_naming_the_match(
    incident: Incident, identity: ChildIdentity, business_unit: Person
) -> None:
    template = services.lettertemplate_for(incident.partnership, LetterKind.INITIATION_NO)
    template.body = "Dear Panel,\n\nAbout {{ pseudonym }} (the Thornbury family).\n"
    template.save()
    with pytest.raises(ValidationError) as exc:
        services.letter_generate(incident=incident, kind=LetterKind.INITIATION_NO, by=business_unit)
    text = _messages(exc)
    assert "cannot be generated" in text
    assert "Body, line 3" in text and "name of Child A" in text
    # The message says where, never what: the identifier itself is masked.
    assert "Thornbury" not in text
    assert not Letter.objects.exists()


def test_decision_reasons_with_a_date_of_birth_refuse_the_decision(
    incident: Incident, identity: ChildIdentity, chair: Person
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            incident=incident,
            by=chair,
            decided_on=dt.date(2025, 5, 20),
            outcome=DecisionOutcome.NO_REVIEW,
            reasons="Child A (born 4 March 2019) was not seriously harmed.",
            criteria_reasons=reasons_for(incident.regime),
        )
    assert "date of birth of Child A" in _messages(exc)
    assert not Decision.objects.exists() and not Letter.objects.exists()


def test_clean_letters_are_generated_and_sent(
    incident: Incident, identity: ChildIdentity, chair: Person, business_unit: Person
) -> None:
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    letter = Letter.objects.get(incident=incident)
    attach_notification(letter, business_unit)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    assert Letter.objects.get(pk=letter.pk).sent_on == dt.date(2025, 5, 28)


def test_an_identifier_recorded_after_generation_stops_sending_and_regenerating(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    template = services.lettertemplate_for(incident.partnership, LetterKind.INITIATION_NO)
    template.body = "Dear Panel,\n\n{{ pseudonym }} lived at 9 Orchard Walk.\n"
    template.save()
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)  # no restricted record yet
    letter = Letter.objects.get(incident=incident)
    services.identity_create(
        incident=incident,
        by=business_unit,
        pseudonym="Child A",
        is_subject=True,
        full_name="Lily Marchbank",
        address="9 Orchard Walk\nHarrowmere",
    )
    attach_notification(letter, business_unit)
    with pytest.raises(ValidationError) as exc:
        services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    assert "cannot be sent" in _messages(exc) and "address of Child A" in _messages(exc)
    with pytest.raises(ValidationError, match="cannot be regenerated"):
        services.letter_regenerate(letter=letter, by=business_unit)
    letter.refresh_from_db()
    assert letter.sent_on is None
