"""Retention: each rule removes only rows past their period; the history is never touched."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from lift.core import retention
from lift.core.models import ChangeLog, Notification, OutboundEmail

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def _at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, 0, tzinfo=dt.UTC)


def _note(partnership: Any, person: Any, key: str, read_at: dt.datetime | None) -> Notification:
    return Notification.objects.create(
        key=key, partnership=partnership, person=person, title=key, read_at=read_at
    )


def _mail(key: str, sent_at: dt.datetime | None) -> OutboundEmail:
    return OutboundEmail.objects.create(
        key=key, to="someone@example.org", subject=key, body="Body", sent_at=sent_at
    )


@pytest.fixture
def records(partnership: Any, learner: Any) -> None:
    _note(partnership, learner, "old-read", _at(2024, 6, 1))
    _note(partnership, learner, "recent-read", _at(2024, 7, 1))
    _note(partnership, learner, "unread", None)
    _mail("old-sent", _at(2025, 6, 1))
    _mail("recent-sent", _at(2025, 7, 1))
    _mail("never-sent", None)


def _run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("retention", *args, stdout=out)
    return out.getvalue()


def test_dry_run_counts_and_changes_nothing(records: None) -> None:
    history = ChangeLog.objects.count()
    out = _run("--dry-run")
    assert "core.Notification: would delete 1 (read_at before 2024-06-15, 2 years)." in out
    assert "core.OutboundEmail: would delete 1 (sent_at before 2025-06-15, 1 years)." in out
    assert "core.ChangeLog: kept for ever" in out and "Dry run" in out
    assert Notification.objects.count() == 3 and OutboundEmail.objects.count() == 3
    assert ChangeLog.objects.count() == history


def test_apply_deletes_only_what_is_past_its_period(records: None) -> None:
    history = ChangeLog.objects.count()
    out = _run()
    assert "core.Notification: deleted 1" in out and "core.OutboundEmail: deleted 1" in out
    assert set(Notification.objects.values_list("key", flat=True)) == {"recent-read", "unread"}
    assert set(OutboundEmail.objects.values_list("key", flat=True)) == {
        "recent-sent",
        "never-sent",
    }
    assert ChangeLog.objects.count() >= history  # the history is never removed
    assert "deleted 0" in _run()  # idempotent


def test_settings_override_years_and_switch_off(records: None, settings: Any) -> None:
    settings.LIFT_RETENTION = {
        "core.Notification": {"years": 1},
        "core.OutboundEmail": {"years": None},
    }
    out = _run()
    assert "core.Notification: deleted 2" in out
    assert "core.OutboundEmail: rule switched off." in out
    assert OutboundEmail.objects.count() == 3


def test_unknown_override_is_a_configuration_error(settings: Any) -> None:
    settings.LIFT_RETENTION = {"core.Nothing": {"years": 1}}
    with pytest.raises(ImproperlyConfigured, match=r"core\.Nothing"):
        retention.retention_rules()


def test_anonymise_rule_blanks_personal_data(records: None, monkeypatch: Any) -> None:
    def blank(mail: OutboundEmail) -> None:
        mail.to = "removed@invalid.example"
        mail.body = ""
        mail.save(update_fields=["to", "body"])

    monkeypatch.setattr(retention, "RULES", dict(retention.RULES))
    retention.register_retention(
        "core.OutboundEmail",
        field="sent_at",
        years=1,
        action="anonymise",
        anonymise=blank,
        description="test",
    )
    with time_machine.travel(NOW, tick=False):
        results = retention.retention_apply()
    assert {r.rule.label: r.count for r in results}["core.OutboundEmail"] == 1
    old = OutboundEmail.objects.get(key="old-sent")
    assert old.to == "removed@invalid.example" and old.body == ""
    assert OutboundEmail.objects.get(key="recent-sent").to == "someone@example.org"


def test_registry_refuses_bad_rules() -> None:
    with pytest.raises(ValueError, match="anonymise callable"):
        retention.register_retention(
            "core.Notification", field="read_at", years=1, action="anonymise", description="x"
        )
    with pytest.raises(ValueError, match="negative"):
        retention.register_retention(
            "core.Notification", field="read_at", years=-1, description="x"
        )
    assert retention.RULES["core.Notification"].years == 2


def test_cutoff_uses_calendar_months_and_leap_days() -> None:
    rule = retention.RULES["core.Notification"]
    cutoff = retention.retention_cutoff(rule, _at(2028, 2, 29))
    assert cutoff is not None and timezone.localdate(cutoff) == dt.date(2026, 2, 28)
