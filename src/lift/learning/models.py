"""The learning chain: source -> finding -> recommendation -> action -> evidence -> impact.

A finding's source is any object of any area, through one generic link, so a new area
plugs in without a change here.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, P, RestrictedManager, RestrictedQuerySet, S, grants
from lift.core.models import DomainModel
from lift.core.models.base import TimeStamped, Tracked
from lift.core.wording import shortened

from .choices import (
    STARTED_STATUSES,
    WITHDRAWN_STATUSES,
    ActionStatus,
    Addressee,
    DisseminationKind,
    EvidenceKind,
    FindingKind,
    ImpactMethod,
    ImpactOutcome,
    LibraryKind,
    Priority,
    RecommendationStatus,
    Response,
)

R = r.R
# Everyone in the partnership except learners reads the partnership's learning.
READERS = r.EVERYONE - {R.LEARNER}
LEARNING_EDITORS = r.EDITORS | {R.CDOP_COORDINATOR}
# Actions are partnership-wide reading for oversight roles; a safeguarding lead or an
# auditor sees only their own agency's, and anyone sees the actions they own.
ACTION_READERS = READERS - {R.AUDITOR, R.LINE_MANAGER, R.SAFEGUARDING_LEAD}


class ThemeQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> ThemeQuerySet:
        """Shared reference themes are readable by anyone signed in; a partnership's own
        themes follow the policy."""
        own: Any = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return own
        return self.filter(Q(partnership__isnull=True) | Q(pk__in=own.values("pk")))

    def for_partnership(self, partnership: Any) -> ThemeQuerySet:
        return self.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


class Theme(Tracked, TimeStamped):
    """A theme from the taxonomy in reference/themes.yaml, or one the business unit added."""

    partnership = models.ForeignKey(
        "core.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for themes from the shared reference taxonomy.",
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    urn = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    objects = RestrictedManager.from_queryset(ThemeQuerySet)()
    access: ClassVar[Access] = Access(
        grants(view={P: r.EVERYONE}, add={P: r.ADMINS}, change={P: r.ADMINS})
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"], name="theme_unique_code_per_partnership"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(partnership__isnull=True),
                name="theme_unique_shared_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("learning:theme_detail", args=[self.pk])


class SourcedQuerySet(RestrictedQuerySet):
    def from_source(self, source: models.Model) -> Self:
        """The rows whose source is `source`. Unrestricted: for services (the next
        reference number, the findings a dissemination carries). A page reads the chain
        through `selectors.chain_for(user, source)`."""
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )


class Sourced(models.Model):
    """A generic link to the object something came from (a review, an audit, a return...)."""

    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        abstract = True

    @property
    def source_area(self) -> str:
        if self.source_type_id is None:
            return ""
        model = ContentType.objects.get_for_id(self.source_type_id).model_class()
        return str(model._meta.app_config.verbose_name) if model is not None else ""


class Finding(Sourced, DomainModel):
    """A lesson learned: a strength or an area for improvement, from any source."""

    title = models.CharField(max_length=250)
    text = models.TextField(help_text="What was found. Never a child's name or other identifier.")
    kind = models.CharField(
        max_length=20, choices=FindingKind.choices, default=FindingKind.IMPROVEMENT
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="findings")
    identified_on = models.DateField(help_text="When the lesson was identified.")
    applies_locally = models.BooleanField(
        null=True,
        blank=True,
        help_text="For lessons from elsewhere: does the L&I sub-group judge it applies here?",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RestrictedManager.from_queryset(SourcedQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: LEARNING_EDITORS},
            change={P: LEARNING_EDITORS},
            # The L&I sub-group judges whether a lesson from elsewhere applies locally.
            judge={P: LEARNING_EDITORS | {R.SUBGROUP_MEMBER}},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-identified_on", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-identified_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:finding_detail", args=[self.pk])


def recommendation_status() -> Case:
    """A recommendation's status (RecommendationStatus), from its response and its actions:
    the one definition behind its pages, exports, filters and the API.

    Awaiting a response, then the response (accepted, partly accepted, not accepted). Once
    accepted or partly accepted it is in progress when one of its actions has started, and
    implemented when it has actions and every one is closed with its impact verified.
    Actions not accepted or superseded are no work of the recommendation's and are left out;
    a not accepted recommendation stays not accepted whatever its actions.
    """
    work = Action.objects.filter(recommendation=OuterRef("pk")).exclude(
        status__in=WITHDRAWN_STATUSES
    )
    return Case(
        When(response=Response.PENDING, then=Value(RecommendationStatus.PENDING)),
        When(response=Response.NOT_ACCEPTED, then=Value(RecommendationStatus.NOT_ACCEPTED)),
        When(
            Exists(work) & ~Exists(work.exclude(status=ActionStatus.CLOSED)),
            then=Value(RecommendationStatus.IMPLEMENTED),
        ),
        When(
            Exists(work.filter(status__in=STARTED_STATUSES)),
            then=Value(RecommendationStatus.IN_PROGRESS),
        ),
        default=F("response"),
        output_field=models.CharField(),
    )


class RecommendationQuerySet(SourcedQuerySet):
    def with_status(self) -> RecommendationQuerySet:
        """Each row with its `status` worked out in the same query (no query per row)."""
        if "status" in self.query.annotations:
            return self
        return self.annotate(status=recommendation_status())


class Recommendation(Sourced, DomainModel):
    """What should change, addressed to the partnership, a board or named agencies.

    Its `status` follows its response and its actions (`recommendation_status`); it is not
    stored, so no page, export or API answer can show one that has fallen behind the work.
    """

    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")
    reference = models.CharField(max_length=30, blank=True, help_text="e.g. R3")
    text = models.TextField()
    addressee = models.CharField(
        max_length=20, choices=Addressee.choices, default=Addressee.PARTNERSHIP
    )
    agencies = models.ManyToManyField("core.Agency", blank=True, related_name="recommendations")
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.PENDING)
    response_reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")

    objects = RestrictedManager.from_queryset(RecommendationQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: LEARNING_EDITORS},
            change={P: LEARNING_EDITORS},
            respond={P: r.EDITORS, A: {R.SAFEGUARDING_LEAD}},
            delete={P: r.ADMINS},
        ),
        agency="agencies",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        """In lists, links and choices: the text cut at a word, with an ellipsis."""
        label = self.reference or f"Recommendation {self.pk}"
        return f"{label}: {shortened(self.text, 80)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self._status = None  # a new response: asked afresh

    def get_absolute_url(self) -> str:
        return reverse("learning:recommendation_detail", args=[self.pk])

    @property
    def heading(self) -> str:
        """The page heading: the whole text (a heading is never cut)."""
        label = self.reference or f"Recommendation {self.pk}"
        return f"{label}: {' '.join(self.text.split())}"

    # Set by RecommendationQuerySet.with_status() on the rows it loads.
    _status: str | None = None

    @property
    def status(self) -> str:
        """RecommendationStatus: as loaded by with_status(), else asked of the database
        with the same expression (one query)."""
        if self._status is not None:
            return self._status
        if self.pk is None:
            return self.response
        found = (
            Recommendation.objects.filter(pk=self.pk)
            .with_status()
            .values_list("status", flat=True)
            .first()
        )
        return found or self.response

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        self._status = None  # asked afresh, like the fields
        super().refresh_from_db(*args, **kwargs)

    def get_status_display(self) -> str:
        return str(RecommendationStatus(self.status).label)


class Action(Sourced, DomainModel):
    """A piece of work an agency owns to carry out a recommendation or a decision."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    due_on = models.DateField()
    original_due_on = models.DateField(editable=False)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    success_measure = models.TextField(
        help_text="In plain language: how will we know this has made a difference?"
    )
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PROPOSED
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="actions")
    completed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    status_reason = models.TextField(blank=True)
    escalated_on = models.DateField(null=True, blank=True)

    objects = RestrictedManager.from_queryset(SourcedQuerySet)()  # type: ignore[misc]
    access: ClassVar[Access] = Access(
        grants(
            view={
                P: ACTION_READERS,
                A: {R.SAFEGUARDING_LEAD, R.AUDITOR},
                S: r.EVERYONE,
            },
            add={P: LEARNING_EDITORS},
            change={P: LEARNING_EDITORS, A: {R.SAFEGUARDING_LEAD}, S: r.EVERYONE},
            verify={P: {R.BUSINESS_UNIT, R.CHAIR, R.BOARD_MEMBER}},
            delete={P: r.ADMINS},
        ),
        agency="owner_agency",
        person="owner",
    )

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"]),
            # The tracker's first page in its default order without sorting every action,
            # and its counts by agency and status from the index alone.
            models.Index(fields=["partnership", "due_on", "id"], name="learning_action_tracker"),
            models.Index(
                fields=["partnership", "owner_agency", "status"], name="learning_action_counts"
            ),
            # Overdue and escalated actions in their page's order (escalated, due, id).
            models.Index(
                fields=["partnership", "escalated_on", "due_on", "id"],
                name="learning_action_escalation",
            ),
            # "My actions" on the home page: the owner's, due first, without a scan.
            models.Index(
                fields=["owner", "partnership", "due_on", "id"], name="learning_action_mine"
            ),
            models.Index(fields=["owner_agency", "status", "due_on"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.original_due_on is None:
            self.original_due_on = self.due_on
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("learning:action_detail", args=[self.pk])


class ActionUpdate(DomainModel):
    """A progress note, and any change of status or due date, by the person who made it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    status_from = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    due_from = models.DateField(null=True, blank=True)
    due_to = models.DateField(null=True, blank=True)
    is_progress = models.BooleanField(
        default=True,
        help_text="A progress note someone wrote (not only a record of a status change).",
    )

    access: ClassVar[Access] = Access(
        grants(view={P: ACTION_READERS, A: {R.SAFEGUARDING_LEAD, R.AUDITOR}}),
        agency="action__owner_agency",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.action_id}"


class Evidence(DomainModel):
    """Something that shows an action was done: a file, a link or a note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    description = models.CharField(max_length=300)
    url = models.URLField(blank=True)
    note = models.TextField(blank=True)
    attachment = models.ForeignKey(
        "core.Attachment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(view={P: ACTION_READERS, A: {R.SAFEGUARDING_LEAD, R.AUDITOR}}),
        agency="action__owner_agency",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.description


class ImpactCheck(Sourced, DomainModel):
    """Did practice change? What was measured, and the result. `source` may cite a
    re-audit, an indicator, or any other object; the periods say what was compared."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="impact_checks")
    method = models.CharField(max_length=20, choices=ImpactMethod.choices)
    measured = models.TextField(help_text="What was measured, and how.")
    result = models.TextField()
    outcome = models.CharField(max_length=20, choices=ImpactOutcome.choices)
    compared_from = models.CharField(max_length=60, blank=True, help_text="e.g. 2024 Q1")
    compared_to = models.CharField(max_length=60, blank=True, help_text="e.g. 2025 Q1")
    checked_on = models.DateField()
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: ACTION_READERS, A: {R.SAFEGUARDING_LEAD}}),
        agency="action__owner_agency",
    )

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"Impact check: {self.get_outcome_display()}"


class LibraryItem(DomainModel):
    """An external case review or a piece of research the partnership learns from."""

    kind = models.CharField(max_length=20, choices=LibraryKind.choices)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=300, blank=True, help_text="Partnership, panel or author")
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True)
    summary = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="library_items")
    considered_on = models.DateField(
        null=True, blank=True, help_text="When the L&I sub-group considered it."
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: LEARNING_EDITORS},
            change={P: LEARNING_EDITORS},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:libraryitem_detail", args=[self.pk])


class Dissemination(DomainModel):
    """A briefing, newsletter, workshop, post or conference that carried findings out."""

    kind = models.CharField(max_length=20, choices=DisseminationKind.choices)
    title = models.CharField(max_length=300)
    held_on = models.DateField()
    audience = models.CharField(max_length=300)
    findings = models.ManyToManyField(Finding, blank=True, related_name="disseminations")
    agencies_reached = models.ManyToManyField("core.Agency", blank=True, related_name="+")
    people_reached = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    is_public = models.BooleanField(
        default=False, help_text="Show on the public site (checked for identifiers first)."
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: r.EVERYONE},
            add={P: LEARNING_EDITORS | {R.TRAINER}},
            change={P: LEARNING_EDITORS | {R.TRAINER}},
            delete={P: r.ADMINS},
        )
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:dissemination_detail", args=[self.pk])


__all__ = [
    "A",
    "Action",
    "ActionUpdate",
    "Dissemination",
    "Evidence",
    "Finding",
    "ImpactCheck",
    "LibraryItem",
    "Recommendation",
    "S",
    "Theme",
]
