"""JSON log lines with the request id; no restricted identifier in any line (issue 23, 5).

Every name, number and address is fictional."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest

from lift.core.models import Agency, Partnership, Person
from lift.core.ops import context, logs
from lift.reviews import services
from lift.reviews.models import ChildIdentity, Incident

from .ops_capture import captured_log

NAME = "Jayden Thornbury-Quell"
ALIAS = "Jay Quell"
NHS = "943 476 5919"  # passes the modulus 11 check
NHS_DIGITS = "9434765919"
BORN = dt.date(2019, 3, 4)
POSTCODE = "HM4 7QZ"
STREET = "14 Larkspur Close"
IDENTIFIERS = [
    NAME,
    "Thornbury-Quell",
    "Jayden",
    ALIAS,
    NHS,
    NHS_DIGITS,
    "2019-03-04",
    "04/03/2019",
    "4 March 2019",
    POSTCODE,
    STREET,
    "Larkspur",
    "CS-55501",
]

careless = logging.getLogger("lift.tests.careless")


def leaks(text: str) -> list[str]:
    return [value for value in IDENTIFIERS if value.lower() in text.lower()]


@pytest.fixture
def incident(partnership: Partnership, business_unit: Person, agency: Agency) -> Incident:
    return services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child A was admitted to hospital.",
        agencies=[agency],
    )


@pytest.fixture
def team_member(make_person: Callable[..., Person], incident: Incident) -> Person:
    return make_person("case_team", case=incident, full_name="Tess Team")


def log_everything(identity: ChildIdentity) -> None:
    """What a careless line of code might log about the record it handles."""
    careless.warning(
        "Identity %s: %s, born %s, NHS %s, %s %s, aka %s, %s",
        identity.pk,
        identity.full_name,
        identity.date_of_birth,
        identity.nhs_number,
        identity.address,
        identity.postcode,
        identity.other_names,
        identity.other_identifiers,
    )
    careless.info(f"Born {identity.date_of_birth:%d/%m/%Y}, {NHS_DIGITS}, {BORN.day} March 2019")
    try:
        raise ValueError(f"cannot file {identity.full_name} ({identity.nhs_number})")
    except ValueError:
        careless.exception("Failed for %s", identity.pseudonym)


def test_a_request_handling_a_restricted_record_logs_no_identifier(
    client_for: Callable[..., Any],
    team_member: Person,
    incident: Incident,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_create = services.identity_create

    def create_and_log(**kwargs: Any) -> ChildIdentity:
        identity = real_create(**kwargs)
        log_everything(identity)
        return identity

    monkeypatch.setattr(services, "identity_create", create_and_log)
    c = client_for(team_member)
    with captured_log() as out:
        response = c.post(
            f"/incidents/{incident.pk}/restricted/add/",
            {
                "pseudonym": "Child A",
                "is_subject": "on",
                "full_name": NAME,
                "other_names": ALIAS,
                "date_of_birth": "2019-03-04",
                "address": f"{STREET}\nHarrowmere",
                "postcode": POSTCODE,
                "nhs_number": NHS,
                "other_identifiers": "Case number: CS-55501",
            },
            HTTP_X_REQUEST_ID="req-add-1",
        )
    assert response.status_code == 302, response.content[:500]
    identity = ChildIdentity.objects.get(incident=incident)
    assert identity.full_name == NAME
    lines = out.lines
    careless_lines = [line for line in lines if line["logger"] == "lift.tests.careless"]
    assert len(careless_lines) == 3
    assert "[restricted]" in careless_lines[0]["message"]
    assert "Child A" in careless_lines[2]["message"]  # the pseudonym is not an identifier
    assert "ValueError" in careless_lines[2]["exc"]
    assert leaks(out.text) == [], out.text
    assert {line["request_id"] for line in lines} == {"req-add-1"}
    assert response["X-Request-ID"] == "req-add-1"

    # Reading it in a later request: the values are noted as the record loads.
    monkeypatch.setattr(
        "lift.reviews.views.incidents.ChildIdentityDetailView.extra_context",
        _logging_extra_context,
    )
    with captured_log() as out:
        response = c.get(f"/restricted-records/{identity.pk}/")
    assert response.status_code == 200
    assert NAME in response.content.decode()  # the page shows it to the case team
    assert any(line["logger"] == "lift.tests.careless" for line in out.lines)
    assert leaks(out.text) == [], out.text


def _logging_extra_context(self: Any) -> dict[str, Any]:
    from lift.core.views.generic import ObjectDetailView

    log_everything(self.object)
    return ObjectDetailView.extra_context(self)


def test_without_the_filter_the_careless_line_would_leak() -> None:
    """The control: the same line, formatted without RedactFilter, shows the identifiers
    (so the test above can fail)."""
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%s %s", (NAME, NHS), None)
    assert leaks(logs.JsonFormatter().format(record))
    logs.RedactFilter().filter(record)
    assert leaks(logs.JsonFormatter().format(record)) == []


def test_nhs_numbers_are_redacted_anywhere() -> None:
    assert logs.redact(f"number {NHS} and {NHS_DIGITS} and 943-476-5919") == (
        "number [restricted] and [restricted] and [restricted]"
    )
    # Ten digits failing the check digit are left alone (most timestamps and ids; about one
    # in eleven ten-digit numbers passes it, and is redacted: a safe mistake).
    assert logs.redact("epoch 1765132801") == "epoch 1765132801"
    assert logs.nhs_number_valid("9434765919")
    assert not logs.nhs_number_valid("9434765918")


def test_values_are_per_request_and_whole_words() -> None:
    with context.opened("first") as ctx:
        logs.note_restricted(ChildIdentity(full_name="Ann Lee", postcode="HM1 1AA"))
        assert "Ann Lee" not in logs.redact("child Ann Lee of HM1 1AA")
        assert logs.redact("Annual report") == "Annual report"  # not inside a word
        assert len(ctx.restricted.values) >= 3
    with context.opened("second"):
        assert logs.redact("child Ann Lee") == "child Ann Lee"  # another request's values


def test_json_line_fields(client: Any, db: Any) -> None:
    with captured_log() as out:
        response = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces!")
    rid = response["X-Request-ID"]
    assert rid != "bad id with spaces!" and context.valid_request_id(rid)
    (line,) = [line for line in out.lines if line["logger"] == "lift.request"]
    assert set(line) >= {
        "time",
        "level",
        "logger",
        "message",
        "request_id",
        "user_id",
        "path",
        "status",
        "duration_ms",
        "method",
        "view",
    }
    assert line["request_id"] == rid
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["view"] == "core:healthz"
    assert line["level"] == "INFO"
    assert line["user_id"] is None
    assert dt.datetime.fromisoformat(line["time"]).tzinfo is not None


def test_the_signed_in_persons_id_is_on_the_line(client_for: Any, business_unit: Person) -> None:
    with captured_log() as out:
        client_for(business_unit).get("/?q=Smith")
    (line,) = [line for line in out.lines if line["logger"] == "lift.request"]
    assert line["user_id"] == business_unit.pk
    assert line["path"] == "/" and "Smith" not in line["message"]  # no query string


def test_request_id_header_rules() -> None:
    assert context.valid_request_id("abc-123-DEF") == "abc-123-DEF"
    assert context.valid_request_id("a" * 64)
    assert context.valid_request_id("a" * 65) is None
    assert context.valid_request_id("x\ny") is None
    assert context.valid_request_id('x", "level": "ERROR') is None
    assert context.valid_request_id("") is None


def test_log_format_setting_is_checked() -> None:
    from django.core.exceptions import ImproperlyConfigured

    assert logs.logging_config(level="INFO", fmt="text")["formatters"]["lift"]["()"].endswith(
        "TextFormatter"
    )
    with pytest.raises(ImproperlyConfigured):
        logs.logging_config(level="INFO", fmt="xml")


def test_an_error_answer_is_one_line_with_the_request_id(client: Any, db: Any) -> None:
    """Django's own "Not Found: /path" line comes after the middleware, without the id: the
    request's line says it instead (WARNING for a 4xx)."""
    with captured_log() as out:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    assert [line["logger"] for line in out.lines if line["request_id"] is None] == []
    (line,) = [line for line in out.lines if line["logger"] == "lift.request"]
    assert line["level"] == "WARNING" and line["status"] == 404
    assert line["request_id"] == "req-404"


def test_everyday_words_in_a_name_or_address_are_not_redacted_alone() -> None:
    with context.opened("address"):
        logs.note_restricted(ChildIdentity(full_name="Ann Lee", address="Flat 2 and 3, Mill Road"))
        assert logs.redact("child Ann Lee") == f"child {logs.REDACTED}"
        assert logs.redact("Ann") == logs.REDACTED
        assert logs.redact("Flat 2 and 3, Mill Road") == logs.REDACTED  # the whole value
        assert logs.redact("Mill") == logs.REDACTED  # a part that is not an everyday word
        # Everyday words stay, so later lines still read.
        assert logs.redact("sent from the road and back") == "sent from the road and back"
