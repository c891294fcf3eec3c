"""Partnerships (the tenant), their agencies, and who holds which role where."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .. import roles as r
from ..access import A, Access, C, P, RestrictedManager, RestrictedQuerySet, S, grants
from .base import TimeStamped, Tracked


class Partnership(Tracked, TimeStamped):
    """A safeguarding children partnership (an LSCB under the 2015 rules)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, help_text="Used in the page header.")
    slug = models.SlugField(unique=True)
    area = models.CharField(max_length=200, help_text="The local authority area it covers.")
    regime = models.CharField(
        max_length=100,
        help_text="The statutory regime in force: an identifier from reference/regimes/.",
    )
    brand_colour = models.CharField(
        max_length=7, default="#1d70b8", help_text="Header colour, as #rrggbb."
    )
    website = models.URLField(blank=True)
    # Shown on the public contact, accessibility and privacy pages (lift.core.views.footer).
    contact_email = models.EmailField(
        blank=True, help_text="Where people write about LIFT, their data or accessibility."
    )
    contact_phone = models.CharField(
        max_length=40, blank=True, help_text="A telephone number for the business unit."
    )
    postal_address = models.TextField(
        blank=True, help_text="The business unit's postal address, one line per part."
    )
    report_concern_text = models.TextField(
        blank=True, help_text="How to report a concern about a child (shown on public pages)."
    )
    reminder_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days before a due date that 'due soon' reminders are sent."
    )
    escalation_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days overdue before the Chair is told."
    )

    objects = RestrictedManager()
    access: ClassVar[Access] = Access(
        grants(view={P: r.EVERYONE}, change={P: r.ADMINS}), partnership="pk"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from ..reference import regimes

        if self.regime and self.regime not in regimes():
            raise ValidationError({"regime": f"Unknown regime {self.regime!r}."})
        if self.brand_colour and not _is_hex_colour(self.brand_colour):
            raise ValidationError({"brand_colour": "Enter a colour as # and six hex digits."})

    def get_absolute_url(self) -> str:
        return reverse("core:partnership_detail", args=[self.pk])


def _is_hex_colour(value: str) -> bool:
    return (
        len(value) == 7
        and value[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in value[1:])
    )


class AgencyType(models.TextChoices):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH_PROVIDER = "health_provider", "Health provider"
    ICB = "icb", "ICB / CCG"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(Tracked, TimeStamped):
    """A partner agency of a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agencies", editable=False
    )
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=30, choices=AgencyType.choices)
    safeguarding_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_agencies",
    )
    is_active = models.BooleanField(default=True)

    objects = RestrictedManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: r.ADMINS},
            change={P: r.ADMINS, A: {r.R.SAFEGUARDING_LEAD}},
            delete={P: r.ADMINS},
        ),
        agency="pk",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:agency_detail", args=[self.pk])


class RoleAssignmentQuerySet(RestrictedQuerySet):
    def current(self) -> RoleAssignmentQuerySet:
        today = timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)


class RoleAssignment(Tracked, TimeStamped):
    """A person holds a role in a partnership, for one agency, or for one case team."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=r.Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments"
    )
    case_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    case = GenericForeignKey("case_type", "case_id")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = RestrictedManager.from_queryset(RoleAssignmentQuerySet)()
    access: ClassVar[Access] = Access(
        grants(
            view={P: r.ADMINS | {r.R.CHAIR}, A: {r.R.SAFEGUARDING_LEAD}, S: r.EVERYONE},
            add={P: r.ADMINS},
            change={P: r.ADMINS},
            delete={P: r.ADMINS},
        ),
        agency="agency",
        person="person",
    )

    class Meta:
        ordering = ["partnership", "role"]
        indexes = [models.Index(fields=["person", "partnership"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(case_type__isnull=True, case_id__isnull=True)
                | Q(case_type__isnull=False, case_id__isnull=False),
                name="roleassignment_case_complete",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="roleassignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        where = self.agency.name if self.agency_id and self.agency else self.partnership.short_name
        return f"{self.get_role_display()} ({where})"

    def clean(self) -> None:
        if self.role in r.AGENCY_ROLES and not self.agency_id and not self.case_type_id:
            raise ValidationError({"agency": "Choose the agency this role is held for."})
        if self.agency_id and self.agency and self.agency.partnership_id != self.partnership_id:
            raise ValidationError({"agency": "The agency must belong to the same partnership."})
        if self.pk and not self.is_open_business_unit():
            saved = RoleAssignment.objects.filter(pk=self.pk).first()
            if saved is not None and saved.is_open_business_unit():
                saved.check_not_last_business_unit()

    def is_open_business_unit(self) -> bool:
        """A partnership-wide business unit role that has begun and has no end date."""
        return (
            self.role == r.R.BUSINESS_UNIT
            and self.case_type_id is None
            and self.ends_on is None
            and self.starts_on <= timezone.localdate()
        )

    def check_not_last_business_unit(self) -> None:
        """A partnership always keeps someone who can manage it: its last business unit role
        cannot be ended, changed to another role or removed, by its holder or anyone else."""
        others = RoleAssignment.objects.filter(
            partnership_id=self.partnership_id,
            role=r.R.BUSINESS_UNIT,
            case_type__isnull=True,
            ends_on__isnull=True,
            starts_on__lte=timezone.localdate(),
            person__is_active=True,
        ).exclude(pk=self.pk)
        if self.is_open_business_unit() and not others.exists():
            raise ValidationError(
                "This is the partnership's last business unit role. Give someone else the "
                "business unit role first."
            )


# Scope markers re-exported for models in other apps.
__all__ = ["A", "Agency", "AgencyType", "C", "P", "Partnership", "RoleAssignment", "S"]
