"""Helpers the audits services share: saving with history, and the case identifiers a
person may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from lift.core import history
from lift.core.models import Agency, Partnership

from ..models import (
    Audit,
    CaseIdentity,
    SampleCase,
)


def _saved(obj: models.Model, reason: str = "") -> None:
    obj.full_clean()
    if reason:
        with history.change_reason(reason):
            obj.save()
    else:
        obj.save()


def audit_identifiers(audit: Audit, seen_by: Any = None) -> list[str]:
    """Every identifier of every child in the audit's sample (for checking outgoing text).

    With `seen_by`, only those of the restricted records that person may open: the check on
    text coming in uses this, so a refusal never tells the writer that a name belongs to a
    child whose record they cannot see (issue 17). Outgoing text is still redacted with all.
    """
    out: set[str] = set()
    for identity in _identities(seen_by).filter(case__audit=audit):
        out.update(identity.identifiers())
    return sorted(out, key=len, reverse=True)


def case_identifiers(case: SampleCase, seen_by: Any = None) -> list[str]:
    """The case's identifiers; with `seen_by`, none unless that person may open the record."""
    identity = _identities(seen_by).filter(case=case).first()
    return identity.identifiers() if identity is not None else []


def _identities(seen_by: Any) -> models.QuerySet[CaseIdentity]:
    if seen_by is None:
        return CaseIdentity.objects.all()
    return CaseIdentity.objects.restrict(seen_by, "view")


def _check_agencies(partnership: Partnership, agencies: list[Agency]) -> None:
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})


def _asked_done(*keys: str) -> None:
    """Mark read the notifications that asked for a step now done (exact keys: an id at the
    end of a key is no prefix of another's), so "My work" no longer shows them."""
    from lift.core.models import Notification

    Notification.objects.filter(key__in=keys, read_at__isnull=True).update(read_at=timezone.now())
