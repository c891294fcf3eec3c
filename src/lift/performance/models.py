"""Performance dataset: indicators (versioned definitions), values per period, scrutiny
focus areas for Board meetings and the analysis the Executive commissions for them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, grants
from lift.core.models import DomainModel

from . import periods, rules
from .choices import AnalysisStatus, Direction, Frequency, Polarity, Rag, Unit

R = r.R
READERS = r.EVERYONE - {R.LEARNER}
DEFINERS = r.ADMINS | {R.CHAIR}
# The Executive (business unit, Chair, sub-group chairs) records each meeting's focus.
EXECUTIVE = r.EDITORS
ENTERERS = {R.SAFEGUARDING_LEAD}


class Indicator(DomainModel):
    """A measure in the multi-agency dataset, owned by one agency."""

    code = models.SlugField(max_length=40, help_text="Stable short code, used by imports.")
    title = models.CharField(max_length=250)
    owner_agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="performance_indicators"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    tolerance = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="How far from target is amber rather than red.",
    )
    source = models.CharField(max_length=250, help_text="Where the figures come from.")
    regional_label = models.CharField(
        max_length=60, default="Region", help_text="e.g. London, for the regional comparator."
    )
    valid_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    valid_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    suppress_below = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Small numbers: hide a figure built on a count from 1 to this minus one.",
    )
    due_working_days = models.PositiveSmallIntegerField(
        default=20, help_text="Working days after the period ends by which the value is due."
    )
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    is_active = models.BooleanField(default=True)

    # The latest figure, its rating and direction, its comparators and the recent trend,
    # stored by `indicator_refresh` whenever a value or the indicator's settings change, so
    # the dataset page reads one row per indicator instead of computing over its values.
    # `data_version` goes up with every such change and keys the cached chart.
    latest_period_start = models.DateField(null=True, blank=True, editable=False)
    latest_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    latest_suppressed = models.BooleanField(default=False, editable=False)
    latest_rag = models.CharField(
        max_length=10, choices=Rag.choices, default=Rag.NONE, editable=False
    )
    latest_direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.UNKNOWN, editable=False
    )
    latest_national = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    latest_regional = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    latest_neighbours = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    spark = models.JSONField(default=list, blank=True, editable=False)
    data_version = models.PositiveIntegerField(default=0, editable=False)

    access: ClassVar[Access] = Access(
        grants(view={P: READERS}, add={P: DEFINERS}, change={P: DEFINERS}, delete={P: r.ADMINS})
    )
    # The stored summary is derived from the values, whose own history records changes.
    history_exclude: ClassVar[frozenset[str]] = frozenset(
        {
            "updated_at",
            "created_at",
            "latest_period_start",
            "latest_value",
            "latest_suppressed",
            "latest_rag",
            "latest_direction",
            "latest_national",
            "latest_regional",
            "latest_neighbours",
            "spark",
            "data_version",
        }
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"], name="performance_indicator_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_min__isnull=True)
                | models.Q(valid_max__isnull=True)
                | models.Q(valid_max__gte=models.F("valid_min")),
                name="performance_indicator_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "latest_rag"])]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:indicator_detail", args=[self.pk])

    def period_label(self, start: dt.date) -> str:
        return periods.label(self.frequency, start)

    def due_on(self, start: dt.date) -> dt.date:
        from lift.core.calendar import add_working_days

        return add_working_days(periods.end(self.frequency, start), self.due_working_days)


class IndicatorVersion(DomainModel):
    """One definition of an indicator. Changing the definition makes a new version; values
    keep the version they were reported under, and charts mark the break."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    definition = models.TextField()
    numerator = models.TextField(blank=True, help_text="What is counted (if a share).")
    denominator = models.TextField(blank=True, help_text="Out of what (if a share).")
    effective_from = models.DateField()
    change_reason = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: READERS}, add={P: DEFINERS}, change={P: DEFINERS})
    )

    class Meta:
        ordering = ["indicator", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "number"], name="performance_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} definition {self.number}"

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()


class IndicatorValue(DomainModel):
    """The figure for one period, entered by the owner agency or imported."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(help_text="The first day of the period.")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    national = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    regional = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    neighbours = models.DecimalField(
        "Statistical neighbours", max_digits=14, decimal_places=2, null=True, blank=True
    )
    commentary = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: r.ADMINS, A: ENTERERS},
            change={P: r.ADMINS, A: ENTERERS},
            delete={P: r.ADMINS},
        ),
        agency="indicator__owner_agency",
    )

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="performance_value_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["indicator", "-period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code}, {self.period_label}"

    @property
    def period_label(self) -> str:
        return periods.label(self.indicator.frequency, self.period_start)

    def get_absolute_url(self) -> str:
        return reverse("performance:indicatorvalue_detail", args=[self.pk])

    @property
    def is_suppressed(self) -> bool:
        ind = self.indicator
        return rules.suppressed(
            ind.suppress_below,
            value=self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            unit=ind.unit,
        )

    def clean(self) -> None:
        ind = self.indicator
        rules.PeriodFitsFrequency.check(ind.frequency, self.period_start)
        if self.value is not None:
            rules.ValueInValidRange.check(self.value, ind.unit, ind.valid_min, ind.valid_max)
            rules.ValueMatchesUnit.check(self.value, ind.unit, self.numerator, self.denominator)
        if self.version_id is not None and self.version.indicator_id != ind.pk:
            from django.core.exceptions import ValidationError

            raise ValidationError({"version": "That definition belongs to another indicator."})


class ScrutinyFocus(DomainModel):
    """The area the Executive picks for a Board meeting's particular scrutiny."""

    meeting = models.OneToOneField(
        "governance.Meeting", on_delete=models.PROTECT, related_name="scrutiny_focus"
    )
    title = models.CharField(max_length=250)
    question = models.TextField(help_text="The question the Board wants answered.")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="focus_areas")
    presentation = models.TextField(blank=True, help_text="What was presented to the Board.")
    challenge = models.TextField(blank=True, help_text="The Board's challenge.")
    conclusions = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: READERS}, add={P: EXECUTIVE}, change={P: EXECUTIVE}, delete={P: r.ADMINS})
    )

    class Meta:
        ordering = ["-meeting__starts_at"]
        verbose_name = "scrutiny focus area"
        verbose_name_plural = "scrutiny focus areas"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("performance:scrutinyfocus_detail", args=[self.pk])


class AnalysisRequest(DomainModel):
    """Analysis the Executive commissions from an agency for a focus area."""

    focus = models.ForeignKey(ScrutinyFocus, on_delete=models.CASCADE, related_name="requests")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    request = models.TextField(help_text="What analysis is wanted.")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.REQUESTED
    )
    response = models.TextField(blank=True, help_text="The agency's analysis.")
    received_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: EXECUTIVE},
            change={P: EXECUTIVE, A: ENTERERS},
            delete={P: r.ADMINS},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["focus", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Analysis from {self.agency} for {self.focus}"

    def get_absolute_url(self) -> str:
        return reverse("performance:analysisrequest_detail", args=[self.pk])


def value_fields() -> list[str]:
    return ["value", "numerator", "denominator", "national", "regional", "neighbours"]


__all__: list[Any] = [
    "AnalysisRequest",
    "Indicator",
    "IndicatorValue",
    "IndicatorVersion",
    "ScrutinyFocus",
]
