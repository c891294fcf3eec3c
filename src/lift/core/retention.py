"""Retention: how long each record type is kept, and the command that applies it.

Each rule names a model, the date field that starts the retention period, how many years to
keep the record after that date, and what happens afterwards: "delete" the row, or
"anonymise" it (a callable that blanks personal data and saves). Rows whose field is empty
(an unread notification, an unsent e-mail) are never touched.

Defaults are registered below for the core models; other apps register their own in
`AppConfig.ready()`. A deployment may override any rule by model label in settings:

    LIFT_RETENTION = {"core.Notification": {"years": 3}, "core.OutboundEmail": {"years": None}}

(`years: None` switches the rule off). The change history (core.ChangeLog) and the access
log (core.AccessLog) are never removed by retention: they are append-only by design (on
PostgreSQL a trigger refuses UPDATE and DELETE), because they are the record of who saw and
changed the most sensitive data; they are listed in `KEPT` so the command says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from . import calendar

Action = Literal["delete", "anonymise"]


@dataclass(frozen=True)
class RetentionRule:
    label: str
    field: str
    years: int | None
    action: Action
    description: str
    anonymise: Callable[[Any], None] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


@dataclass(frozen=True)
class RetentionResult:
    rule: RetentionRule
    cutoff: dt.datetime | None
    count: int


RULES: dict[str, RetentionRule] = {}

KEPT: dict[str, str] = {
    "core.ChangeLog": "kept for ever: the change history is append-only.",
    "core.AccessLog": "kept for ever: the access log is append-only.",
}


def register_retention(
    model: type[models.Model] | str,
    *,
    field: str,
    years: int | None,
    action: Action = "delete",
    anonymise: Callable[[Any], None] | None = None,
    description: str,
) -> RetentionRule:
    """Register (or replace) the retention rule of `model` ("app.Model" or the class)."""
    label = model if isinstance(model, str) else model._meta.label
    if action not in ("delete", "anonymise"):
        raise ValueError(f"Retention action for {label} must be 'delete' or 'anonymise'.")
    if action == "anonymise" and anonymise is None:
        raise ValueError(f"Retention rule for {label} anonymises but gives no anonymise callable.")
    if years is not None and years < 0:
        raise ValueError(f"Retention years for {label} must not be negative.")
    rule = RetentionRule(label, field, years, action, description, anonymise)
    RULES[label] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    """Every rule with the LIFT_RETENTION setting's overrides applied, by label."""
    overrides: dict[str, dict[str, Any]] = getattr(settings, "LIFT_RETENTION", {}) or {}
    unknown = set(overrides) - set(RULES)
    if unknown:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"LIFT_RETENTION names models with no retention rule: {', '.join(sorted(unknown))}."
        )
    rules = []
    for label in sorted(RULES):
        rule = RULES[label]
        override = overrides.get(label, {})
        if "years" in override:
            rule = replace(rule, years=override["years"])
        rules.append(rule)
    return rules


def retention_cutoff(rule: RetentionRule, now: dt.datetime | None = None) -> dt.datetime | None:
    """Rows whose `field` is before this moment are due (None: the rule is switched off)."""
    if rule.years is None:
        return None
    now = now or timezone.now()
    day = calendar.add_months(timezone.localdate(now), -12 * rule.years)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def retention_due(rule: RetentionRule, now: dt.datetime | None = None) -> models.QuerySet[Any]:
    cutoff = retention_cutoff(rule, now)
    manager = rule.model._base_manager
    if cutoff is None:
        return manager.none()
    return manager.filter(**{f"{rule.field}__isnull": False, f"{rule.field}__lt": cutoff})


@transaction.atomic
def retention_apply(
    *, dry_run: bool = False, now: dt.datetime | None = None
) -> list[RetentionResult]:
    """Apply every rule (or, with dry_run, only count what would be done)."""
    results = []
    for rule in retention_rules():
        due = retention_due(rule, now)
        count = due.count()
        if not dry_run and count:
            if rule.action == "delete":
                for obj in due.iterator():
                    obj.delete()  # one by one, so history and signals see every deletion
            else:
                assert rule.anonymise is not None
                for obj in due.iterator():
                    rule.anonymise(obj)
        results.append(RetentionResult(rule, retention_cutoff(rule, now), count))
    return results


register_retention(
    "core.Notification",
    field="read_at",
    years=2,
    action="delete",
    description="In-app notifications: deleted two years after they were read (unread ones stay).",
)
register_retention(
    "core.OutboundEmail",
    field="sent_at",
    years=1,
    action="delete",
    description="The outbox: an e-mail is deleted one year after it was sent (unsent ones stay "
    "so failures can be investigated).",
)
