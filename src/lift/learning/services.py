"""Writes to the learning chain. Every other area records its lessons through these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person

from .choices import ActionStatus, Addressee, FindingKind, Priority, Response
from .models import Action, Finding, Recommendation, Theme


def _source_fields(source: models.Model | None) -> dict[str, Any]:
    if source is None:
        return {"source_type": None, "source_id": None}
    return {"source_type": ContentType.objects.get_for_model(source), "source_id": source.pk}


def _partnership_of(source: models.Model | None, partnership: Partnership | None) -> Partnership:
    if partnership is not None:
        return partnership
    found = getattr(source, "partnership", None)
    if found is None:
        raise ValidationError("A partnership is needed for a record with no source.")
    return found


def themes_by_code(partnership: Partnership, codes: Iterable[str]) -> list[Theme]:
    codes = list(codes)
    themes = list(Theme.objects.for_partnership(partnership).filter(code__in=codes))
    missing = set(codes) - {t.code for t in themes}
    if missing:
        raise ValidationError({"themes": f"Unknown themes: {', '.join(sorted(missing))}."})
    return themes


@transaction.atomic
def finding_create(
    *,
    source: models.Model | None,
    title: str,
    text: str,
    kind: str = FindingKind.IMPROVEMENT,
    themes: Iterable[Theme | str] = (),
    identified_on: dt.date | None = None,
    partnership: Partnership | None = None,
    recorded_by: Person | None = None,
    applies_locally: bool | None = None,
) -> Finding:
    """Record a lesson learned, from `source` (any object of any area)."""
    partnership = _partnership_of(source, partnership)
    finding = Finding(
        partnership=partnership,
        title=title,
        text=text,
        kind=kind,
        identified_on=identified_on or timezone.localdate(),
        recorded_by=recorded_by,
        applies_locally=applies_locally,
        **_source_fields(source),
    )
    finding.full_clean()
    finding.save()
    finding.themes.set(_themes(partnership, themes))
    return finding


def _themes(partnership: Partnership, themes: Iterable[Theme | str]) -> list[Theme]:
    themes = list(themes)
    codes = [t for t in themes if isinstance(t, str)]
    objects = [t for t in themes if isinstance(t, Theme)]
    return objects + (themes_by_code(partnership, codes) if codes else [])


@transaction.atomic
def recommendation_create(
    *,
    source: models.Model | None,
    text: str,
    findings: Iterable[Finding] = (),
    addressee: str = Addressee.PARTNERSHIP,
    agencies: Iterable[Agency] = (),
    reference: str = "",
    themes: Iterable[Theme | str] = (),
    partnership: Partnership | None = None,
) -> Recommendation:
    """Record what should change. Addressed to named agencies needs at least one agency."""
    partnership = _partnership_of(source, partnership)
    agencies = list(agencies)
    if addressee == Addressee.AGENCIES and not agencies:
        raise ValidationError({"agencies": "Name at least one agency this is addressed to."})
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})
    rec = Recommendation(
        partnership=partnership,
        text=text,
        addressee=addressee,
        reference=reference,
        response=Response.PENDING,
        **_source_fields(source),
    )
    rec.full_clean()
    rec.save()
    rec.findings.set(list(findings))
    rec.agencies.set(agencies)
    rec.themes.set(_themes(partnership, themes))
    return rec


@transaction.atomic
def action_create(
    *,
    title: str,
    owner_agency: Agency,
    due_on: dt.date,
    success_measure: str,
    source: models.Model | None = None,
    recommendation: Recommendation | None = None,
    owner: Person | None = None,
    description: str = "",
    priority: str = Priority.MEDIUM,
    status: str = ActionStatus.PROPOSED,
    themes: Iterable[Theme | str] = (),
    partnership: Partnership | None = None,
) -> Action:
    """Create an action owned by an agency. Its source is the recommendation's source unless
    given (e.g. a meeting decision, a Section 11 return)."""
    if source is None and recommendation is not None:
        source = recommendation.source
        partnership = partnership or recommendation.partnership
    partnership = partnership or owner_agency.partnership
    if owner_agency.partnership_id != partnership.pk:
        raise ValidationError({"owner_agency": "Choose an agency of this partnership."})
    if status not in (ActionStatus.PROPOSED, ActionStatus.AGREED, ActionStatus.IN_PROGRESS):
        raise ValidationError({"status": "A new action starts as proposed, agreed or in progress."})
    action = Action(
        partnership=partnership,
        recommendation=recommendation,
        title=title,
        description=description,
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
        original_due_on=due_on,
        priority=priority,
        success_measure=success_measure,
        status=status,
        **_source_fields(source),
    )
    action.full_clean()
    action.save()
    action.themes.set(_themes(partnership, themes))
    return action


def for_source(model: type[models.Model], source: models.Model) -> models.QuerySet:
    """Findings, recommendations or actions whose source is `source`."""
    return model._default_manager.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )
