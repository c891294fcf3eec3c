"""Cascade sessions, the single-agency training register (with its import), and the annual
training needs assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core.models import Agency, Partnership, Person
from lift.core.services import changes_apply
from lift.learning.models import Theme

from .. import questionsets
from ..choices import NeedsStatus, QuestionSetKind
from ..models import (
    AgencyTraining,
    CascadeSession,
    Course,
    NeedsAssessment,
    NeedsReturn,
    Programme,
)
from .programme import _themes


@transaction.atomic
def cascade_record(
    *,
    course: Course,
    agency: Agency,
    delivered_on: dt.date,
    format: str,
    delivered_by: str,
    attendees: int,
    notes: str = "",
) -> CascadeSession:
    """Record a session an agency ran itself with a train-the-trainer course's materials."""
    if agency.partnership_id != course.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    cascade = CascadeSession(
        partnership=course.partnership,
        course=course,
        agency=agency,
        delivered_on=delivered_on,
        format=format,
        delivered_by=delivered_by,
        attendees=attendees,
        notes=notes,
    )
    cascade.full_clean()
    cascade.save()
    return cascade


CASCADE_EDITABLE = frozenset(
    {"course", "agency", "delivered_on", "format", "delivered_by", "attendees", "notes"}
)


@transaction.atomic
def cascade_update(*, cascade: CascadeSession, by: Person, **fields: Any) -> CascadeSession:
    """Correct a cascade session's course, agency, date, delivery or attendance (no clock
    counts from its date)."""
    return changes_apply(cascade, fields, editable=CASCADE_EDITABLE)


@transaction.atomic
def agency_training_record(
    *,
    agency: Agency,
    title: str,
    level: int,
    period_start: dt.date,
    period_end: dt.date,
    number_trained: int,
    themes: Iterable[Theme | str] = (),
    notes: str = "",
) -> AgencyTraining:
    """Record safeguarding training an agency provided itself (seed: sub-group (ii))."""
    entry = AgencyTraining(
        partnership=agency.partnership,
        agency=agency,
        title=title,
        level=level,
        period_start=period_start,
        period_end=period_end,
        number_trained=number_trained,
        notes=notes,
    )
    entry.full_clean()
    entry.save()
    entry.themes.set(_themes(agency.partnership, themes))
    return entry


AGENCY_TRAINING_EDITABLE = frozenset(
    {
        "agency",
        "title",
        "level",
        "period_start",
        "period_end",
        "number_trained",
        "themes",
        "notes",
    }
)


@transaction.atomic
def agency_training_update(
    *, agency_training: AgencyTraining, by: Person, **fields: Any
) -> AgencyTraining:
    """Correct a register entry of an agency's own training (no clock counts from its
    period)."""
    return changes_apply(agency_training, fields, editable=AGENCY_TRAINING_EDITABLE)


@transaction.atomic
def needs_assessment_create(
    *,
    partnership: Partnership,
    year: str,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    themes: Iterable[Theme | str] = (),
) -> NeedsAssessment:
    """Open the annual multi-agency training needs assessment (seed: sub-group (i))."""
    if closes_on <= opens_on:
        raise ValidationError({"closes_on": "The closing date must be after the opening date."})
    assessment = NeedsAssessment(
        partnership=partnership,
        year=year,
        title=title,
        opens_on=opens_on,
        closes_on=closes_on,
        question_set=questionsets.current(QuestionSetKind.NEEDS),
    )
    assessment.full_clean()
    assessment.save()
    assessment.themes.set(_themes(partnership, themes))
    return assessment


NEEDS_ASSESSMENT_EDITABLE = frozenset({"year", "title", "opens_on", "closes_on", "themes"})


@transaction.atomic
def needs_assessment_update(
    *, needs_assessment: NeedsAssessment, by: Person, **fields: Any
) -> NeedsAssessment:
    """Change a needs assessment's year, title, opening and closing dates or themes (no
    clock counts from them)."""
    return changes_apply(needs_assessment, fields, editable=NEEDS_ASSESSMENT_EDITABLE)


@transaction.atomic
def needs_return_submit(
    *,
    assessment: NeedsAssessment,
    agency: Agency,
    by: Person | None,
    answers: Mapping[str, Any],
    themes: Iterable[Theme | str] = (),
    staff_level2: int = 0,
    staff_level3: int = 0,
    today: dt.date | None = None,
) -> NeedsReturn:
    """An agency's return: the themes it needs, how many staff need level 2 and level 3
    training, and its answers to the needs question set."""
    today = today or timezone.localdate()
    if assessment.status != NeedsStatus.OPEN:
        raise ValidationError("This needs assessment is closed.")
    if agency.partnership_id != assessment.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    if NeedsReturn.objects.filter(assessment=assessment, agency=agency).exists():
        raise ValidationError(f"{agency} has already made its return.")
    try:
        clean = questionsets.clean_answers(assessment.question_set, dict(answers))
    except ValueError as exc:
        raise ValidationError(list(exc.args[0])) from None
    entry = NeedsReturn(
        partnership=assessment.partnership,
        assessment=assessment,
        agency=agency,
        staff_level2=staff_level2,
        staff_level3=staff_level3,
        answers=clean,
        submitted_by=by,
        submitted_on=today,
    )
    entry.full_clean()
    entry.save()
    entry.themes.set(_themes(assessment.partnership, themes))
    return entry


@transaction.atomic
def needs_assessment_close(
    *, assessment: NeedsAssessment, informs: Programme | None = None
) -> NeedsAssessment:
    """Close the assessment; the themes agencies asked for feed the programme it informs."""
    assessment.status = NeedsStatus.CLOSED
    if informs is not None:
        if informs.partnership_id != assessment.partnership_id:
            raise ValidationError({"informs": "Choose a programme of this partnership."})
        assessment.informs = informs
        needed = Theme.objects.filter(
            pk__in=NeedsReturn.objects.filter(assessment=assessment).values("themes")
        )
        informs.themes.add(*needed)
    assessment.full_clean()
    assessment.save()
    return assessment
