"""Serious incidents: the incident, the child's identity, the case team, information-
sharing meetings, the decision, a joint DHR and the rapid review."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core.access import A, Access, C, P, grants
from lift.core.models import DomainModel

from ..choices import (
    Arrangement,
    DecisionOutcome,
    IncidentType,
    PanelResponse,
    RapidReviewRecommendation,
)
from .access import BU, BU_CHAIR, LEAD, OVERSIGHT, TEAM, R

IDENTIFIER_FIELDS = (
    "full_name",
    "other_names",
    "date_of_birth",
    "address",
    "postcode",
    "nhs_number",
    "other_identifiers",
)


class Incident(DomainModel):
    """A serious incident notification. Only the pseudonym identifies the child here."""

    reference = models.CharField(max_length=30, editable=False)
    pseudonym = models.CharField(
        max_length=40, help_text='How the child is named everywhere in LIFT, e.g. "Child A".'
    )
    regime = models.CharField(max_length=100, editable=False)
    incident_type = models.CharField(max_length=20, choices=IncidentType.choices)
    incident_on = models.DateField("date of the incident")
    became_aware_on = models.DateField("date the local authority became aware")
    notified_on = models.DateField(
        "date notified", null=True, blank=True, help_text="Notified to Ofsted / the national panel."
    )
    criteria = models.JSONField(default=list, blank=True)
    summary = models.TextField(
        blank=True,
        help_text="What happened, using pseudonyms only: never a name, date of birth or address.",
    )
    agencies = models.ManyToManyField(
        "core.Agency",
        blank=True,
        related_name="serious_incidents",
        verbose_name="agencies involved",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who takes the next step (usually the business unit).",
    )
    closed_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT, A: LEAD, C: TEAM},
            add={P: BU, A: LEAD},
            change={P: BU},
            delete={P: BU},
            decide={P: {R.CHAIR}},
            correspond={P: BU_CHAIR},
            team={P: BU},
        ),
        agency="agencies",
        case="",
    )

    class Meta:
        ordering = ["-became_aware_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "reference"], name="incident_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=models.F("incident_on")),
                name="incident_notified_after_incident",
            ),
            models.CheckConstraint(
                condition=Q(became_aware_on__gte=models.F("incident_on")),
                name="incident_aware_after_incident",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.pseudonym}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:incident_detail", args=[self.pk])

    def clean(self) -> None:
        from ..rules import check_incident

        check_incident(self)


class ChildIdentity(DomainModel):
    """The restricted record: a child's real identifiers. Only the case team sees it; each
    read is logged; its change history shows the values only to the case team."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="identities")
    pseudonym = models.CharField(max_length=40)
    is_subject = models.BooleanField(
        "subject of the notification",
        default=False,
        help_text="Untick for siblings and other children in the same notification.",
    )
    relationship = models.CharField(
        max_length=100, blank=True, help_text='For other children, e.g. "sibling".'
    )
    full_name = models.CharField(max_length=200)
    other_names = models.TextField(
        blank=True, help_text="Previous names, aliases or spellings, one per line."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    nhs_number = models.CharField("NHS number", max_length=12, blank=True)
    other_identifiers = models.TextField(
        blank=True, help_text="Other identifying details (case numbers, school), one per line."
    )

    history_restricted: ClassVar[frozenset[str]] = frozenset(IDENTIFIER_FIELDS)
    access: ClassVar[Access] = Access(
        grants(view={C: TEAM}, add={C: TEAM}, change={C: TEAM}, delete={C: TEAM}),
        case="incident",
    )

    class Meta:
        ordering = ["-is_subject", "pseudonym"]
        verbose_name = "restricted record"
        verbose_name_plural = "restricted records"
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "pseudonym"], name="childidentity_unique_pseudonym"
            ),
            models.UniqueConstraint(
                fields=["incident"],
                condition=Q(is_subject=True),
                name="childidentity_one_subject",
            ),
        ]

    def __str__(self) -> str:
        # Never the name: this string goes into the change and access logs.
        return f"Restricted record: {self.pseudonym}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:childidentity_detail", args=[self.pk])

    def clean(self) -> None:
        from ..rules import check_identity

        check_identity(self)


class CaseTeamMember(DomainModel):
    """A member of the incident's case team or a review panel: they see the restricted record."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(
        max_length=100, help_text='e.g. "Panel chair", "Panel member", "Independent reviewer".'
    )
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        "Review", on_delete=models.CASCADE, null=True, blank=True, related_name="panel"
    )
    assignment = models.ForeignKey(
        "core.RoleAssignment",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    ended_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: BU_CHAIR, C: TEAM}, add={P: BU}, change={P: BU}, delete={P: BU}),
        case="incident",
    )

    class Meta:
        ordering = ["incident", "person__full_name"]
        verbose_name = "case team member"

    def __str__(self) -> str:
        return f"{self.person} ({self.team_role})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:incident_team", args=[self.incident_id])


class InformationSharingMeeting(DomainModel):
    """The optional multi-agency meeting that advises the decision-maker."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    agencies = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    advice = models.TextField(help_text="The meeting's advice. Pseudonyms only.")

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: BU_CHAIR}, change={P: BU_CHAIR}),
        case="incident",
    )

    class Meta:
        ordering = ["held_on"]
        verbose_name = "information-sharing meeting"

    def __str__(self) -> str:
        return f"Information-sharing meeting on {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()


class Decision(DomainModel):
    """The decision on whether to hold a statutory review: the Chair's alone."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="decision")
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    reasons = models.TextField()
    criteria_reasons = models.JSONField(default=dict)
    refer_for_learning_review = models.BooleanField(
        "refer to the Learning and Improvement sub-group", default=False
    )

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, A: LEAD, C: TEAM}, add={P: {R.CHAIR}}),
        agency="incident__agencies",
        case="incident",
    )

    class Meta:
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return f"Decision on {self.incident.pseudonym}: {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()


class JointDhr(DomainModel):
    """A joint Domestic Homicide Review: the CSPB chair's decision beside the Chair's."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="dhr")
    cspb_chair = models.CharField("Community Safety Partnership Board chair", max_length=200)
    decided_on = models.DateField("date of the DHR decision")
    dhr_required = models.BooleanField("a Domestic Homicide Review is needed", default=True)
    panels = models.CharField(max_length=10, choices=Arrangement.choices)
    reports = models.CharField(max_length=10, choices=Arrangement.choices)
    notes = models.TextField(blank=True)
    executive_reporting_on = models.DateField(
        "next joint CSP / Executive meeting",
        null=True,
        blank=True,
        help_text="The six-monthly joint meeting the joint panel reports to.",
    )
    agenda_item_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: BU_CHAIR}, change={P: BU_CHAIR}),
        case="incident",
    )

    class Meta:
        verbose_name = "joint Domestic Homicide Review"

    def __str__(self) -> str:
        return f"Joint DHR: {self.incident.pseudonym}"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()


class RapidReview(DomainModel):
    """The rapid review (current rules): facts, immediate actions, learning, recommendation."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="rapid_review")
    meeting_on = models.DateField("rapid review meeting", null=True, blank=True)
    facts = models.TextField(blank=True)
    immediate_actions = models.TextField("immediate safety actions", blank=True)
    learning = models.TextField("learning identified", blank=True)
    recommendation = models.CharField(
        max_length=20, choices=RapidReviewRecommendation.choices, blank=True
    )
    recommendation_reasons = models.TextField(blank=True)
    sent_to_panel_on = models.DateField(null=True, blank=True)
    panel_response = models.CharField(max_length=20, choices=PanelResponse.choices, blank=True)
    panel_response_on = models.DateField(null=True, blank=True)
    panel_response_notes = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT, A: LEAD, C: TEAM},
            add={P: BU},
            change={P: BU_CHAIR, C: TEAM},
        ),
        agency="incident__agencies",
        case="incident",
    )

    class Meta:
        verbose_name = "rapid review"

    def __str__(self) -> str:
        return f"Rapid review: {self.incident.pseudonym}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:rapidreview_detail", args=[self.pk])

    def clean(self) -> None:
        from ..rules import check_rapid_review

        check_rapid_review(self)


def related_incident(obj: Any) -> Incident | None:
    """The incident an object of this app belongs to (the case it is scoped by)."""
    if isinstance(obj, Incident):
        return obj
    if getattr(obj, "incident_id", None):
        return obj.incident  # type: ignore[no-any-return]
    review = getattr(obj, "review", None)
    return review.incident if review is not None else None
