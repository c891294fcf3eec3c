"""Workflows of the performance dataset: indicators and their definitions, values (entered,
revised or imported), scrutiny focus areas with commissioned analysis, and impact evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core import history
from lift.core.imports import (
    Column,
    ImportResult,
    ImportSpec,
    import_all_or_nothing,
    parse_decimal,
    read_rows,
)
from lift.core.models import Agency, Partnership, Person
from lift.learning import services as learning
from lift.learning.choices import ImpactMethod, ImpactOutcome
from lift.learning.models import Action, Finding, ImpactCheck

from . import periods
from .choices import AnalysisStatus, Direction, Unit
from .models import AnalysisRequest, Indicator, IndicatorValue, IndicatorVersion, ScrutinyFocus
from .rules import direction

DEFINITION_FIELDS = ("definition", "numerator", "denominator")
INDICATOR_FIELDS = (
    "title",
    "owner_agency",
    "unit",
    "polarity",
    "frequency",
    "target",
    "tolerance",
    "source",
    "regional_label",
    "valid_min",
    "valid_max",
    "suppress_below",
    "due_working_days",
    "is_active",
)
COMPARATORS = ("national", "regional", "neighbours")


@transaction.atomic
def indicator_create(
    *,
    partnership: Partnership,
    code: str,
    title: str,
    owner_agency: Agency,
    unit: str,
    polarity: str,
    frequency: str,
    definition: str,
    source: str,
    effective_from: dt.date,
    numerator: str = "",
    denominator: str = "",
    themes: Iterable[Any] = (),
    **fields: Any,
) -> Indicator:
    """Add an indicator to the dataset with its first definition."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(unknown))}")
    if owner_agency.partnership_id != partnership.pk:
        raise ValidationError({"owner_agency": "Choose an agency of this partnership."})
    indicator = Indicator(
        partnership=partnership,
        code=code,
        title=title,
        owner_agency=owner_agency,
        unit=unit,
        polarity=polarity,
        frequency=frequency,
        source=source,
        **fields,
    )
    indicator.full_clean()
    indicator.save()
    indicator.themes.set(learning._themes(partnership, themes))
    version = IndicatorVersion(
        partnership=partnership,
        indicator=indicator,
        number=1,
        definition=definition,
        numerator=numerator,
        denominator=denominator,
        effective_from=effective_from,
    )
    version.full_clean()
    version.save()
    return indicator


def current_version(indicator: Indicator) -> IndicatorVersion:
    version = indicator.versions.order_by("-number").first()
    if version is None:
        raise ValidationError("This indicator has no definition.")
    return version


def version_for(indicator: Indicator, period_start: dt.date) -> IndicatorVersion:
    """The definition a period is reported under: the newest one in effect when it began."""
    versions = list(indicator.versions.order_by("-number"))
    if not versions:
        raise ValidationError("This indicator has no definition.")
    for version in versions:
        if version.effective_from <= period_start:
            return version
    return versions[-1]


@transaction.atomic
def indicator_update(*, indicator: Indicator, reason: str = "", **fields: Any) -> Indicator:
    """Change an indicator's settings (not its definition: see `indicator_redefine`)."""
    unknown = set(fields) - set(INDICATOR_FIELDS) - {"themes"}
    if unknown:
        raise TypeError(f"Unknown indicator fields: {', '.join(sorted(unknown))}")
    themes = fields.pop("themes", None)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    with history.change_reason(reason):
        indicator.save()
        if themes is not None:
            indicator.themes.set(learning._themes(indicator.partnership, themes))
    indicator_refresh(indicator=indicator)
    return indicator


@transaction.atomic
def indicator_redefine(
    *,
    indicator: Indicator,
    definition: str,
    effective_from: dt.date,
    reason: str,
    numerator: str = "",
    denominator: str = "",
) -> IndicatorVersion:
    """Change the definition: a new version from `effective_from`. Values already reported
    keep the definition they were reported under; periods from `effective_from` on use the
    new one. A reason is required."""
    if not reason.strip():
        raise ValidationError({"change_reason": "Say why the definition changed."})
    latest = current_version(indicator)
    if effective_from <= latest.effective_from:
        raise ValidationError(
            {"effective_from": f"The new definition must start after {latest.effective_from}."}
        )
    if not periods.fits(indicator.frequency, effective_from):
        raise ValidationError(
            {"effective_from": "The new definition must start at the start of a period."}
        )
    if all(
        getattr(latest, f) == v
        for f, v in zip(DEFINITION_FIELDS, (definition, numerator, denominator), strict=True)
    ):
        raise ValidationError({"definition": "The definition has not changed."})
    version = IndicatorVersion(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        number=latest.number + 1,
        definition=definition,
        numerator=numerator,
        denominator=denominator,
        effective_from=effective_from,
        change_reason=reason.strip(),
    )
    version.full_clean()
    with history.change_reason(reason):
        version.save()
        # Values already entered for periods under the new definition move to it.
        IndicatorValue.objects.filter(indicator=indicator, period_start__gte=effective_from).update(
            version=version
        )
    indicator_refresh(indicator=indicator)
    return version


def indicator_refresh(*, indicator: Indicator) -> Indicator:
    """Store the indicator's summary (latest value, RAG, direction, comparators, trend) from
    its newest values and move its data version on, which retires its cached chart. Called
    by every workflow that changes a value, a definition or the indicator's settings; an
    UPDATE, not a save, so the change log is not filled with derived figures."""
    from django.db.models import F

    from .summary import RECENT_VALUES, summarise

    newest = list(
        IndicatorValue.objects.filter(indicator=indicator).order_by("-period_start")[:RECENT_VALUES]
    )
    fields = summarise(indicator, newest)
    Indicator.objects.filter(pk=indicator.pk).update(data_version=F("data_version") + 1, **fields)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.data_version = (indicator.data_version or 0) + 1
    return indicator


def _may_enter(by: Person | None, indicator: Indicator, action: str) -> None:
    if by is None:
        return
    if not IndicatorValue.access.allows(
        by, action, indicator.partnership_id, agency=indicator.owner_agency_id
    ):
        raise PermissionDenied(
            f"Only {indicator.owner_agency} (or the business unit) enters values for "
            f"{indicator.code}."
        )


@transaction.atomic
def value_enter(
    *,
    indicator: Indicator,
    period_start: dt.date,
    value: Decimal,
    by: Person | None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    national: Decimal | None = None,
    regional: Decimal | None = None,
    neighbours: Decimal | None = None,
    commentary: str = "",
) -> IndicatorValue:
    """Record an indicator's value for a period. Only the owner agency (or the business unit)
    enters values; a period the indicator does not report, a value out of range or in the
    wrong unit is refused; a period that already has a value is revised, not re-entered."""
    _may_enter(by, indicator, "add")
    if not isinstance(period_start, dt.date) or not periods.fits(indicator.frequency, period_start):
        raise ValidationError(
            {"period_start": f"This is not the start of a {indicator.frequency} period."}
        )
    if IndicatorValue.objects.filter(indicator=indicator, period_start=period_start).exists():
        raise ValidationError(
            {
                "period_start": f"{indicator.period_label(period_start)} already has a value: "
                "revise it, giving a reason."
            }
        )
    row = IndicatorValue(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        version=version_for(indicator, period_start),
        period_start=period_start,
        value=value,
        numerator=numerator,
        denominator=denominator,
        national=national,
        regional=regional,
        neighbours=neighbours,
        commentary=commentary,
        entered_by=by,
    )
    row.full_clean()
    row.save()
    indicator_refresh(indicator=indicator)
    return row


@transaction.atomic
def value_revise(
    *, row: IndicatorValue, by: Person | None, reason: str, **fields: Any
) -> IndicatorValue:
    """Revise a reported value. The change history keeps the earlier figure and the reason,
    which is required."""
    _may_enter(by, row.indicator, "change")
    if not reason.strip():
        raise ValidationError({"change_reason": "Say why the value is being revised."})
    allowed = {"value", "numerator", "denominator", "commentary", *COMPARATORS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown value fields: {', '.join(sorted(unknown))}")
    for name, new in fields.items():
        setattr(row, name, new)
    row.full_clean()
    with history.change_reason(reason.strip()):
        row.save()
    indicator_refresh(indicator=row.indicator)
    return row


# --- import -------------------------------------------------------------------------------


def _optional_decimal(text: str) -> Decimal | None:
    return parse_decimal(text) if text.strip() else None


IMPORT_SPEC = ImportSpec(
    columns=[
        Column("indicator code", required=True, aliases=("code", "indicator")),
        Column("period", required=True),
        Column("value", required=True),
        Column("numerator", parser=_optional_decimal),
        Column("denominator", parser=_optional_decimal),
        Column("national", parser=_optional_decimal, aliases=("national average",)),
        Column("regional", parser=_optional_decimal, aliases=("region", "regional average")),
        Column(
            "statistical neighbours",
            parser=_optional_decimal,
            aliases=("neighbours", "statistical neighbours average"),
        ),
        Column("commentary"),
    ]
)


def parse_value(text: str, unit: str) -> Decimal:
    """A value as written, with an optional unit sign ("85%"): a sign that does not match
    the indicator's unit is refused rather than guessed at."""
    cleaned = text.strip().replace(",", "")
    if cleaned.endswith("%"):
        if unit != Unit.PERCENT:
            raise ValidationError(
                {
                    "value": f"{text} is a percentage, but this indicator is in "
                    f"{Unit(unit).label.lower()}."
                }
            )
        cleaned = cleaned[:-1].strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({"value": f"{text!r} is not a number."}) from None
    if not number.is_finite():
        raise ValidationError({"value": f"{text!r} is not a number."})
    return number


def values_import(
    *, partnership: Partnership, file: Any, by: Person | None
) -> tuple[ImportResult, int]:
    """Import values from CSV or XLSX (columns in IMPORT_SPEC): every row or none. Each row
    goes through `value_enter`, so every rule (own agency, period, range, unit) applies;
    problems come back per row with line numbers. Returns the result and how many
    values were created (0 when anything was wrong)."""
    result = read_rows(file, IMPORT_SPEC)
    indicators = {i.code.lower(): i for i in Indicator.objects.filter(partnership=partnership)}

    def create(row: dict[str, Any], line: int) -> None:
        code = str(row["indicator code"]).strip().lower()
        indicator = indicators.get(code)
        if indicator is None:
            raise ValidationError({"indicator code": f"No indicator has the code {code!r}."})
        try:
            start = periods.parse(indicator.frequency, str(row["period"]))
        except ValueError as exc:
            raise ValidationError({"period": str(exc)}) from None
        try:
            value_enter(
                indicator=indicator,
                period_start=start,
                value=parse_value(str(row["value"]), indicator.unit),
                numerator=row.get("numerator"),
                denominator=row.get("denominator"),
                national=row.get("national"),
                regional=row.get("regional"),
                neighbours=row.get("statistical neighbours"),
                commentary=str(row.get("commentary") or ""),
                by=by,
            )
        except PermissionDenied as exc:
            raise ValidationError({"indicator code": str(exc)}) from None

    with history.change_reason("Imported from a file"):
        created = import_all_or_nothing(result, create)
    return result, created


# --- scrutiny -----------------------------------------------------------------------------


@transaction.atomic
def focus_create(
    *,
    meeting: Any,
    title: str,
    question: str,
    indicators: Iterable[Indicator] = (),
) -> ScrutinyFocus:
    """The Executive records the area a Board meeting will scrutinise and the question."""
    indicators = list(indicators)
    if any(i.partnership_id != meeting.partnership_id for i in indicators):
        raise ValidationError({"indicators": "Choose indicators of this partnership."})
    if ScrutinyFocus.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": "This meeting already has a focus area."})
    focus = ScrutinyFocus(
        partnership_id=meeting.partnership_id, meeting=meeting, title=title, question=question
    )
    focus.full_clean()
    focus.save()
    focus.indicators.set(indicators)
    return focus


@transaction.atomic
def focus_record(
    *,
    focus: ScrutinyFocus,
    presentation: str | None = None,
    challenge: str | None = None,
    conclusions: str | None = None,
    reason: str = "",
) -> ScrutinyFocus:
    """Record the presentation, the Board's challenge and its conclusions."""
    for name, value in (
        ("presentation", presentation),
        ("challenge", challenge),
        ("conclusions", conclusions),
    ):
        if value is not None:
            setattr(focus, name, value.strip())
    focus.full_clean()
    with history.change_reason(reason):
        focus.save()
    return focus


@transaction.atomic
def analysis_request_create(
    *,
    focus: ScrutinyFocus,
    agency: Agency,
    request: str,
    due_on: dt.date,
    owner: Person | None = None,
) -> AnalysisRequest:
    """Commission analysis from an agency for a focus area."""
    if agency.partnership_id != focus.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    row = AnalysisRequest(
        partnership_id=focus.partnership_id,
        focus=focus,
        agency=agency,
        owner=owner,
        request=request,
        due_on=due_on,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def analysis_respond(
    *,
    request: AnalysisRequest,
    response: str,
    presented: bool = False,
    today: dt.date | None = None,
) -> AnalysisRequest:
    """The agency sends its analysis (and, later, presents it to the Board)."""
    if not response.strip():
        raise ValidationError({"response": "Give the analysis."})
    request.response = response.strip()
    request.received_on = request.received_on or today or timezone.localdate()
    request.status = AnalysisStatus.PRESENTED if presented else AnalysisStatus.RECEIVED
    request.full_clean()
    request.save()
    return request


def focus_finding(
    *,
    focus: ScrutinyFocus,
    title: str,
    text: str,
    by: Person | None = None,
    themes: Iterable[Any] = (),
) -> Finding:
    """A conclusion of the Board's scrutiny as a finding in the learning chain."""
    return learning.finding_create(
        source=focus,
        title=title,
        text=text,
        themes=themes,
        recorded_by=by,
        identified_on=focus.meeting.starts_at.date(),
    )


def focus_action(
    *,
    focus: ScrutinyFocus,
    title: str,
    owner_agency: Agency,
    due_on: dt.date,
    success_measure: str,
    description: str = "",
    owner: Person | None = None,
) -> Action:
    """An action the Board agreed from its scrutiny (source = the focus area)."""
    return learning.action_create(
        source=focus,
        title=title,
        owner_agency=owner_agency,
        due_on=due_on,
        success_measure=success_measure,
        description=description,
        owner=owner,
        partnership=focus.partnership,
        status="agreed",
    )


# --- impact -------------------------------------------------------------------------------

_OUTCOMES = {
    Direction.BETTER: ImpactOutcome.IMPROVED,
    Direction.WORSE: ImpactOutcome.WORSE,
    Direction.SAME: ImpactOutcome.NO_CHANGE,
}


def impact_check_from_indicator(
    *,
    action: Action,
    indicator: Indicator,
    period_from: dt.date,
    period_to: dt.date,
    by: Person | None,
    outcome: str | None = None,
    checked_on: dt.date | None = None,
) -> ImpactCheck:
    """Cite an indicator's movement between two periods as an action's impact check (via
    learning's `impact_check_record`, source = the indicator). The outcome follows the
    indicator's polarity unless given; a definition change between the periods makes the
    comparison inconclusive unless the outcome is given."""
    rows = {
        v.period_start: v
        for v in IndicatorValue.objects.filter(
            indicator=indicator, period_start__in=[period_from, period_to]
        )
    }
    if period_from not in rows or period_to not in rows:
        raise ValidationError("Both periods need a value to compare.")
    if period_to <= period_from:
        raise ValidationError("Compare an earlier period with a later one.")
    before, after = rows[period_from], rows[period_to]
    if before.is_suppressed or after.is_suppressed:
        raise ValidationError("Small numbers are suppressed for one of these periods.")
    travel = direction(after.value, before.value, indicator.polarity)
    same_definition = before.version_id == after.version_id
    if outcome is None:
        outcome = (
            _OUTCOMES.get(travel, ImpactOutcome.INCONCLUSIVE)
            if same_definition
            else ImpactOutcome.INCONCLUSIVE
        )
    unit = Unit(indicator.unit).label.lower()
    label_from, label_to = before.period_label, after.period_label
    result = f"{before.value} in {label_from}, {after.value} in {label_to} ({unit})."
    if not same_definition:
        result += " The definition changed between these periods."
    return learning.impact_check_record(
        action=action,
        by=by,
        method=ImpactMethod.DATASET,
        measured=f"{indicator.code}: {indicator.title}",
        result=result,
        outcome=outcome,
        compared_from=label_from,
        compared_to=label_to,
        cites=indicator,
        checked_on=checked_on,
    )
