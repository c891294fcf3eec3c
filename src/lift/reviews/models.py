"""Serious incidents and case reviews.

The incident is the case: its case team (RoleAssignment role "case_team" with case = the
incident) is the only group that sees the restricted record of the children's real
identifiers (`ChildIdentity`). Every other page, list, export, letter, e-mail and API
response uses the pseudonym ("Child A").
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, C, P, S, grants
from lift.core.models import DomainModel

from .choices import (
    Arrangement,
    ContributionMethod,
    Contributor,
    DecisionOutcome,
    IncidentType,
    LetterKind,
    MilestoneKind,
    PanelResponse,
    PublicationDecision,
    RapidReviewRecommendation,
    ReferralDecision,
    ReferralSource,
    ReplyKind,
    RequestKind,
    RequestState,
    ReviewKind,
    ReviewStatus,
)

R = r.R
TEAM = frozenset({R.CASE_TEAM})
OVERSIGHT = r.OVERSIGHT
BU = r.ADMINS
BU_CHAIR = r.ADMINS | {R.CHAIR}
LEAD = frozenset({R.SAFEGUARDING_LEAD})

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
        from .rules import check_incident

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
        from .rules import check_identity

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
        from .rules import check_rapid_review

        check_rapid_review(self)


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
        from .rules import check_review

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
        from .rules import check_reviewer

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
        from .letters import check_template
        from .reference import reference

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


def related_incident(obj: Any) -> Incident | None:
    """The incident an object of this app belongs to (the case it is scoped by)."""
    if isinstance(obj, Incident):
        return obj
    if getattr(obj, "incident_id", None):
        return obj.incident  # type: ignore[no-any-return]
    review = getattr(obj, "review", None)
    return review.incident if review is not None else None
