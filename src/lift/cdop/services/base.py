"""Helpers the child death review services share: today, the partnership's CDOP
settings, the coordinators, case numbers and e-mail."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lift.core import roles as r
from lift.core.models import OutboundEmail, Partnership, Person, RoleAssignment
from lift.core.notify import email_body

from ..models import (
    CdopSettings,
    ChildDeath,
)

R = r.R


def _today() -> dt.date:
    return timezone.localdate()


def settings_for(partnership: Partnership) -> CdopSettings:
    """The partnership's CDOP settings (the defaults until someone changes them)."""
    found = CdopSettings.objects.filter(partnership=partnership).first()
    if found is not None:
        return found
    made = CdopSettings(partnership=partnership)
    made.full_clean()
    made.save()
    return made


def coordinators(partnership: Partnership) -> list[Person]:
    """Everyone holding the CDOP coordinator role in the partnership now."""
    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(partnership=partnership, role=R.CDOP_COORDINATOR, case_type__isnull=True)
        .select_related("person")
        .order_by("person_id")
        if a.person.is_active
    ]


def _next_reference(partnership: Partnership, year: int) -> str:
    stem = f"CDOP-{year}-"
    n = ChildDeath.objects.filter(partnership=partnership, reference__startswith=stem).count() + 1
    while ChildDeath.objects.filter(partnership=partnership, reference=f"{stem}{n:03d}").exists():
        n += 1
    return f"{stem}{n:03d}"


def _absolute(path: str) -> str:
    return f"{settings.LIFT_BASE_URL.rstrip('/')}{path}"


def _email(*, key: str, to: str, subject: str, body: str, partnership: Partnership) -> bool:
    """Queue an e-mail to someone without an account (a notifier, an agency contact), once
    per key. Returns True if it was new."""
    if not to:
        return False
    outbound, created = OutboundEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            "subject": subject[:300],
            "body": email_body(title=subject, body=body, url="", partnership=partnership),
        },
    )
    if created:
        from lift.core.tasks import send_email_task

        transaction.on_commit(lambda: send_email_task.enqueue(outbound.pk))
    return created
