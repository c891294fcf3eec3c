"""Letters to the national panel: templates, letters and the panel's replies."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core.access import Access, C, P, grants
from lift.core.models import DomainModel

from ..choices import (
    LetterKind,
    ReplyKind,
)
from .access import BU, BU_CHAIR, OVERSIGHT, TEAM
from .incidents import Incident
from .reviews import Review


class LetterTemplate(DomainModel):
    """The partnership's text of one national panel letter; defaults from letters.yaml."""

    key = models.CharField(max_length=40, choices=LetterKind.choices, editable=False)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    default_version = models.PositiveIntegerField(default=1, editable=False)

    access: ClassVar[Access] = Access(grants(view={P: BU_CHAIR}, change={P: BU}))

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="lettertemplate_unique_key")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reviews:lettertemplate_detail", args=[self.pk])

    def clean(self) -> None:
        from ..letters import check_template
        from ..reference import reference

        allowed = set(reference().placeholders)
        check_template(self.subject, allowed, field="subject")
        check_template(self.body, allowed, field="body")


class Letter(DomainModel):
    """A letter to the national panel (and Ofsted), generated from a template and logged."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="letters")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="letters"
    )
    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    recipients = models.CharField(max_length=300)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    template_version = models.PositiveIntegerField(default=1)
    due_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_meeting_month = models.DateField(
        null=True,
        blank=True,
        help_text="The national panel meets monthly: the month it is expected to consider this.",
    )

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: BU_CHAIR}, change={P: BU_CHAIR}),
        case="incident",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "panel letter"
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_by__isnull=True) | Q(sent_on__isnull=False),
                name="letter_sent_needs_date",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("reviews:letter_detail", args=[self.pk])


class PanelReply(DomainModel):
    """A reply or request from the national panel, with its own due date."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="replies")
    letter = models.ForeignKey(
        Letter, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    kind = models.CharField(max_length=20, choices=ReplyKind.choices)
    received_on = models.DateField()
    summary = models.TextField(help_text="Pseudonyms only.")
    response_due_on = models.DateField(null=True, blank=True)
    responded_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: BU_CHAIR}, change={P: BU_CHAIR}),
        case="incident",
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "panel reply"
        verbose_name_plural = "panel replies"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()
