"""Publishing a review and concerns raised about it; referrals to a learning lessons
review."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, C, P, S, grants
from lift.core.models import DomainModel

from ..choices import (
    PublicationDecision,
    ReferralDecision,
    ReferralSource,
)
from .access import BU_CHAIR, LEAD, OVERSIGHT, TEAM, R
from .incidents import Incident
from .reviews import Review


class Publication(DomainModel):
    """The Board's publication decision on a review report, question by question."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="publication")
    answers = models.JSONField(default=dict)
    decision = models.CharField(max_length=20, choices=PublicationDecision.choices)
    decided_on = models.DateField()
    planned_on = models.DateField("planned publication date", null=True, blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    public_summary = models.TextField(blank=True)
    removed_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: BU_CHAIR}, change={P: BU_CHAIR}),
        case="review__incident",
    )

    class Meta:
        verbose_name = "publication decision"

    def __str__(self) -> str:
        return f"Publication: {self.review}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:publication_detail", args=[self.pk])


class PublicationConcern(DomainModel):
    """The board's concern, at any time during a review, that its report may not be
    publishable; the panel is alerted by a letter (the seed's publication chart: "If at any
    time during the course of the SCR the LSCB comes to a view that publication of the
    report may not be possible, the LSCB should alert the panel to its concerns")."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="concerns")
    concern = models.TextField(
        max_length=5000, help_text="Why publication may not be possible. Pseudonyms only."
    )
    raised_on = models.DateField("date the concern was raised")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    letter = models.OneToOneField(
        "Letter", on_delete=models.SET_NULL, null=True, blank=True, related_name="concern"
    )

    access: ClassVar[Access] = Publication.access

    class Meta:
        ordering = ["review", "raised_on", "pk"]
        verbose_name = "publication concern"

    def __str__(self) -> str:
        return f"Publication concern, {self.raised_on:%-d %B %Y}: {self.review}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()


class Referral(DomainModel):
    """A referral to the Learning and Improvement sub-group for a learning lessons review."""

    reference = models.CharField(max_length=30, editable=False)
    source_kind = models.CharField(max_length=20, choices=ReferralSource.choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    pseudonym = models.CharField(max_length=40, help_text='e.g. "Child F". Never a real name.')
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referrer_agency = models.ForeignKey(
        "core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_on = models.DateField()
    reasons = models.TextField(help_text="Why there may be lessons for multi-agency practice.")
    decision = models.CharField(
        max_length=20, choices=ReferralDecision.choices, default=ReferralDecision.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reasons = models.TextField(blank=True)
    methodology = models.CharField(max_length=60, blank=True)
    review = models.OneToOneField(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="referral"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT | {R.CDOP_COORDINATOR}, A: LEAD, S: r.EVERYONE},
            add={P: r.EDITORS | {R.CDOP_COORDINATOR, R.SUBGROUP_MEMBER}, A: LEAD | {R.AUDITOR}},
            decide={P: {R.SUBGROUP_CHAIR, R.BUSINESS_UNIT}},
        ),
        agency="referrer_agency",
        person="referrer",
    )

    class Meta:
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="referral_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.pseudonym}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:referral_detail", args=[self.pk])
