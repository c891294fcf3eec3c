"""Reviews: the review, reviewers, requests to agencies and their IMR files, contributions
and milestones."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, C, P, S, grants
from lift.core.models import DomainModel

from ..choices import (
    ContributionMethod,
    Contributor,
    MilestoneKind,
    RequestKind,
    RequestState,
    ReviewKind,
    ReviewStatus,
)
from .access import BU, BU_CHAIR, LEAD, OVERSIGHT, TEAM, R
from .incidents import Incident


class Review(DomainModel):
    """A review: statutory (SCR / LCSPR), learning lessons or single-agency."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    pseudonym = models.CharField(max_length=40)
    slug = models.SlugField(max_length=80, unique=True, null=True, blank=True, editable=False)
    decided_on = models.DateField("date the review was decided")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNING
    )
    terms_of_reference = models.TextField(blank=True)
    scope_from = models.DateField("period under review from", null=True, blank=True)
    scope_to = models.DateField("period under review to", null=True, blank=True)
    methodology = models.CharField(max_length=60, blank=True)
    agencies = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    report_text = models.TextField(
        "anonymised report", blank=True, help_text="The text to be published. Pseudonyms only."
    )
    briefing_text = models.TextField("learning briefing", blank=True)
    completed_on = models.DateField("final report agreed", null=True, blank=True)
    joint_dhr = models.BooleanField("joint with a Domestic Homicide Review", default=False)

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT, A: LEAD, C: TEAM},
            add={P: r.EDITORS},
            change={P: r.EDITORS, C: TEAM},
            delete={P: BU},
            appoint={P: r.EDITORS},
            override={P: {R.CHAIR}},
            publish={P: BU_CHAIR},
        ),
        agency="agencies",
        case="incident",
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_from__isnull=True)
                | Q(scope_to__isnull=True)
                | Q(scope_to__gte=models.F("scope_from")),
                name="review_scope_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:review_detail", args=[self.pk])

    def clean(self) -> None:
        from ..rules import check_review

        check_review(self)


class Reviewer(DomainModel):
    """An independent reviewer, with a declaration of independence from the case and agencies."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reviewers")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    why_chosen = models.TextField("why they were chosen")
    declared_involvement = models.BooleanField(
        "declared involvement with the case or agencies", default=False
    )
    involvement_details = models.TextField(blank=True)
    override_reason = models.TextField("Chair's reason to appoint despite involvement", blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    override_on = models.DateField(null=True, blank=True)
    appointed_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: OVERSIGHT, C: TEAM}, add={P: r.EDITORS}, change={P: r.EDITORS}),
        case="review__incident",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()

    def clean(self) -> None:
        from ..rules import check_reviewer

        check_reviewer(self)


class AgencyRequest(DomainModel):
    """A request to an agency: a rapid review return, a chronology or an IMR."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="requests")
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="requests"
    )
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=RequestKind.choices)
    requested_on = models.DateField()
    due_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    quality_assured_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="IMR author",
        help_text="The person in the agency writing it: they may upload and submit its files.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT, A: LEAD, C: TEAM, S: r.EVERYONE},
            add={P: BU},
            change={P: BU, A: LEAD, C: TEAM},
            nominate={P: BU, A: LEAD},
            upload={P: BU, A: LEAD, S: r.EVERYONE},
            submit={P: BU, A: LEAD, S: r.EVERYONE},
        ),
        agency="agency",
        case="incident",
        person="author",
    )

    class Meta:
        ordering = ["due_on", "agency__name"]
        verbose_name = "agency request"
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")),
                name="agencyrequest_due_after_request",
            ),
            models.CheckConstraint(
                condition=Q(quality_assured_on__isnull=True) | Q(received_on__isnull=False),
                name="agencyrequest_qa_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:agencyrequest_detail", args=[self.pk])

    @property
    def state(self) -> str:
        if self.quality_assured_on:
            return RequestState.QUALITY_ASSURED
        if self.received_on:
            return RequestState.RECEIVED
        return RequestState.REQUESTED

    def get_state_display(self) -> str:
        return RequestState(self.state).label


class ImrFile(DomainModel):
    """A file of an agency's IMR (or chronology): uploaded by the agency's safeguarding lead,
    the nominated author or the business unit. Downloaded (through core's permission-checked
    download, which asks for "view" here) only by the business unit, the case team, that
    agency's safeguarding lead and the author: not by other agencies or the wider Board."""

    request = models.ForeignKey(AgencyRequest, on_delete=models.CASCADE, related_name="files")
    attachment = models.OneToOneField(
        "core.Attachment",
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
    )
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(view={P: BU, A: LEAD, C: TEAM, S: r.EVERYONE}, delete={P: BU}),
        agency="request__agency",
        case="request__incident",
        person="request__author",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "IMR file"

    def __str__(self) -> str:
        return self.attachment.original_name if self.attachment else "IMR file"

    def get_absolute_url(self) -> str:
        return self.request.get_absolute_url()


class Contribution(DomainModel):
    """A family member's or the child's contribution to a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="contributions")
    contributor = models.CharField(max_length=20, choices=Contributor.choices)
    method = models.CharField(max_length=20, choices=ContributionMethod.choices)
    contributed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(help_text="Pseudonyms only.")

    access: ClassVar[Access] = Access(
        grants(view={P: BU_CHAIR, C: TEAM}, add={P: BU, C: TEAM}, change={P: BU, C: TEAM}),
        case="review__incident",
    )

    class Meta:
        ordering = ["contributed_on", "pk"]
        verbose_name = "family or child contribution"

    def __str__(self) -> str:
        return f"{self.get_contributor_display()}: {self.get_method_display()}"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()


class Milestone(DomainModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    planned_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: OVERSIGHT, C: TEAM},
            add={P: r.EDITORS, C: TEAM},
            change={P: r.EDITORS, C: TEAM},
        ),
        case="review__incident",
    )

    class Meta:
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.planned_on:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return self.review.get_absolute_url()
