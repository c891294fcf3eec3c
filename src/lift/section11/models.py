"""Section 11 audits: standards frameworks (reference data), cycles, agency returns with one
answer per requirement, peer challenge panels, the overview report and the six-month
follow-up with the Chair's escalation letters.

Frameworks are loaded from versioned YAML (reference/section11/, see frameworks.py); a
cycle pins one framework version, so a later version never changes a return in progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import A, Access, C, P, RestrictedManager, RestrictedQuerySet, grants
from lift.core.models import DomainModel
from lift.core.models.base import TimeStamped, Tracked

from .choices import CycleStatus, Halfway, ReturnStatus

R = r.R
LEADS = frozenset({R.SAFEGUARDING_LEAD})
# An agency's safeguarding lead and its practitioners (auditor role) contribute to its return.
CONTRIBUTORS = frozenset({R.SAFEGUARDING_LEAD, R.AUDITOR})
# Peer challenge panel members hold the case-team role for their panel.
PANEL = frozenset({R.CASE_TEAM})
MANAGERS = r.ADMINS
CHALLENGERS = frozenset({R.BUSINESS_UNIT, R.CHAIR})
READERS = r.OVERSIGHT


# --- frameworks (reference data) ---------------------------------------------------------


class FrameworkQuerySet(RestrictedQuerySet):
    def restrict(self, user: Any, action: str = "view") -> FrameworkQuerySet:
        """Shared frameworks (from reference/section11/) are readable by anyone with a role;
        a partnership's own frameworks follow the policy."""
        own: Any = super().restrict(user, action)
        if action != "view" or not getattr(user, "is_authenticated", False):
            return own
        return self.filter(Q(partnership__isnull=True) | Q(pk__in=own.values("pk")))

    def for_partnership(self, partnership: Any) -> FrameworkQuerySet:
        return self.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


class Framework(Tracked, TimeStamped):
    """One version of a standards framework, loaded from a YAML file."""

    partnership = models.ForeignKey(
        "core.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for frameworks shared from reference/section11/.",
    )
    code = models.SlugField(max_length=80, help_text="The file's id.")
    urn = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    file_name = models.CharField(max_length=300)
    content_hash = models.CharField(max_length=64)

    objects = RestrictedManager.from_queryset(FrameworkQuerySet)()
    access: ClassVar[Access] = Access(
        grants(view={P: r.EVERYONE}, add={P: MANAGERS}, delete={P: MANAGERS})
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "urn", "version"], name="s11_framework_unique_version"
            ),
            models.UniqueConstraint(
                fields=["urn", "version"],
                condition=Q(partnership__isnull=True),
                name="s11_framework_unique_shared_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("section11:framework_detail", args=[self.pk])


class RatingScale(Tracked, TimeStamped):
    """The scale a framework rates requirements on (RAG, 0 to 3, 1 to 4...)."""

    framework = models.OneToOneField(Framework, on_delete=models.CASCADE, related_name="scale")
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    halfway = models.CharField(
        max_length=10,
        choices=Halfway.choices,
        default=Halfway.LOWER,
        help_text="The level an average exactly halfway between two levels shows as.",
    )

    def __str__(self) -> str:
        return self.name

    def level_for(self, levels: Sequence[RatingLevel], score: float | None) -> RatingLevel | None:
        """The level an average score shows as: the nearest level's; exactly halfway
        between two, the lower or the higher as the framework file says (`halfway`)."""
        if score is None or not levels:
            return None
        sign = 1 if self.halfway == Halfway.LOWER else -1
        return min(levels, key=lambda level: (abs(level.score - score), sign * level.score))


class RatingLevel(Tracked, TimeStamped):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="levels")
    value = models.CharField(max_length=40)
    label = models.CharField(max_length=120)
    score = models.IntegerField(help_text="Higher is better; used for averages and comparisons.")
    colour = models.CharField(max_length=20)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="s11_level_unique_value")
        ]

    def __str__(self) -> str:
        return self.label


class Standard(Tracked, TimeStamped):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    urn = models.CharField(max_length=200)
    ref = models.CharField(max_length=20)
    title = models.TextField()
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "urn"], name="s11_standard_unique_urn")
        ]

    def __str__(self) -> str:
        return f"Standard {self.ref}: {self.title}"


class Requirement(Tracked, TimeStamped):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="requirements")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="requirements")
    urn = models.CharField(max_length=200)
    ref = models.CharField(max_length=20)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    evidence_expected = models.TextField(blank=True, help_text="One item a line.")
    essential = models.BooleanField(default=False)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "urn"], name="s11_requirement_unique_urn")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.text}"

    @property
    def evidence_list(self) -> list[str]:
        return [line for line in self.evidence_expected.splitlines() if line.strip()]


# --- cycles and returns -------------------------------------------------------------------


class Cycle(DomainModel):
    """One round of Section 11 self-assessment (e.g. 2015-17) against one framework version."""

    name = models.CharField(max_length=100, help_text="For example 2015-17.")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles")
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
        help_text="The cycle before this one: returns can start from its answers.",
    )
    agencies = models.ManyToManyField(
        "core.Agency", related_name="section11_cycles", help_text="The agencies taking part."
    )
    starts_on = models.DateField()
    deadline = models.DateField(help_text="When returns must be submitted.")
    challenge_starts_on = models.DateField(help_text="First day of peer challenge.")
    challenge_ends_on = models.DateField(help_text="Last day of peer challenge.")
    status = models.CharField(max_length=20, choices=CycleStatus.choices, default="planned")
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(
        blank=True, help_text="Why the cycle closed with returns not moderated."
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: CONTRIBUTORS},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: MANAGERS},
            close={P: MANAGERS | {R.CHAIR}},
            present={P: MANAGERS | {R.CHAIR}},
        ),
        agency="agencies",
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="s11_cycle_unique_name"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")),
                name="s11_cycle_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(challenge_ends_on__gte=models.F("challenge_starts_on")),
                name="s11_cycle_challenge_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 11 cycle {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("section11:cycle_detail", args=[self.pk])

    def clean(self) -> None:
        from . import rules

        rules.check_cycle(self)


class Section11ReturnQuerySet(RestrictedQuerySet):
    def with_progress(self) -> Section11ReturnQuerySet:
        """Annotate answered and total, computed in the database."""
        return self.annotate(
            answered_count=models.Count(
                "answers", filter=~Q(answers__self_rating=""), distinct=True
            ),
            total_count=models.Count("answers", distinct=True),
        )


class Section11Return(DomainModel):
    """An agency's self-assessment for one cycle: one answer per requirement."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    carried_forward_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    panel = models.ForeignKey(
        "Panel", on_delete=models.SET_NULL, null=True, blank=True, related_name="returns"
    )
    conclusion = models.TextField(blank=True, help_text="The panel's conclusion on the return.")
    moderated_on = models.DateField(null=True, blank=True)
    unmoderated_reason = models.TextField(
        blank=True, help_text="Why the return was closed without moderation."
    )

    objects: ClassVar[Any] = RestrictedManager.from_queryset(Section11ReturnQuerySet)()
    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: CONTRIBUTORS, C: PANEL},
            change={A: CONTRIBUTORS},
            submit={A: LEADS},
            respond={A: CONTRIBUTORS},
            challenge={P: CHALLENGERS, C: PANEL},
            manage={P: MANAGERS},
            delete={P: MANAGERS},
        ),
        agency="agency",
        case="panel",
    )

    class Meta:
        ordering = ["cycle", "agency__name"]
        verbose_name = "Section 11 return"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="s11_return_one_per_agency")
        ]
        indexes = [models.Index(fields=["partnership", "status"])]

    def __str__(self) -> str:
        return f"{self.agency.name}: Section 11 return {self.cycle.name}"

    def get_absolute_url(self) -> str:
        return reverse("section11:return_detail", args=[self.pk])


class Answer(DomainModel):
    """One requirement of a return: the self-rating, narrative, evidence and the moderated
    rating after peer challenge. Created in bulk when the cycle opens."""

    agency_return = models.ForeignKey(
        Section11Return, on_delete=models.CASCADE, related_name="answers"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    self_rating = models.CharField(max_length=40, blank=True)
    narrative = models.TextField(blank=True)
    evidence_links = models.TextField(
        blank=True, help_text="Links to evidence, one a line (https:// only)."
    )
    needs_review = models.BooleanField(
        default=False, help_text="Carried forward from the previous cycle: check it still holds."
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    moderated_rating = models.CharField(max_length=40, blank=True)
    moderation_note = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: CONTRIBUTORS, C: PANEL},
            change={A: CONTRIBUTORS},
            challenge={P: CHALLENGERS, C: PANEL},
        ),
        agency="agency_return__agency",
        case="agency_return__panel",
    )

    class Meta:
        ordering = ["agency_return", "requirement__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency_return", "requirement"], name="s11_answer_one_per_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.ref}: {self.agency_return.agency.name}"

    def get_absolute_url(self) -> str:
        return reverse("section11:answer_edit", args=[self.agency_return_id, self.pk])

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


# --- peer challenge -----------------------------------------------------------------------


class Panel(DomainModel):
    """A peer challenge panel of a cycle: members from other agencies and lay members."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(max_length=150)
    meets_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, C: PANEL},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: MANAGERS},
        ),
        case="",
    )

    class Meta:
        ordering = ["cycle", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="s11_panel_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("section11:panel_detail", args=[self.pk])


class PanelMember(DomainModel):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_lay = models.BooleanField(default=False, verbose_name="Lay member")
    is_chair = models.BooleanField(default=False, verbose_name="Chairs the panel")

    access: ClassVar[Access] = Access(
        grants(view={P: READERS, C: PANEL}, change={P: MANAGERS}, delete={P: MANAGERS}),
        case="panel",
    )

    class Meta:
        ordering = ["panel", "-is_chair", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "person"], name="s11_member_once_per_panel")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.panel})"

    def get_absolute_url(self) -> str:
        return reverse("section11:panel_detail", args=[self.panel_id])


class ChallengeQuestion(DomainModel):
    """A question the panel puts to the agency about one standard, and the agency's answer."""

    agency_return = models.ForeignKey(
        Section11Return, on_delete=models.CASCADE, related_name="questions"
    )
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: CONTRIBUTORS, C: PANEL},
            respond={A: CONTRIBUTORS},
            challenge={P: CHALLENGERS, C: PANEL},
        ),
        agency="agency_return__agency",
        case="agency_return__panel",
    )

    class Meta:
        ordering = ["agency_return", "standard__order", "created_at", "id"]

    def __str__(self) -> str:
        return f"Question on standard {self.standard.ref}"

    def get_absolute_url(self) -> str:
        return reverse("section11:return_challenge", args=[self.agency_return_id])


# --- overview report and follow-up --------------------------------------------------------


class OverviewReport(DomainModel):
    """The cycle's overview report: what it found, and when it went to the Board."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="overview")
    summary = models.TextField(help_text="The report's summary for the Board.")
    key_areas = models.TextField(help_text="Key areas for improvement, one a line.")
    common_themes = models.TextField(blank=True, help_text="Common themes, one a line.")
    board_date = models.DateField(
        null=True, blank=True, help_text="The Board meeting that received the report."
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: MANAGERS},
            change={P: MANAGERS},
            present={P: MANAGERS | {R.CHAIR}},
        )
    )

    def __str__(self) -> str:
        return f"Section 11 overview report {self.cycle.name}"

    def get_absolute_url(self) -> str:
        return reverse("section11:cycle_report", args=[self.cycle_id])

    @property
    def key_area_list(self) -> list[str]:
        return [line.strip() for line in self.key_areas.splitlines() if line.strip()]

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.common_themes.splitlines() if line.strip()]


class FollowUp(DomainModel):
    """The six-month report to the Board of each agency's outstanding actions."""

    report = models.OneToOneField(
        OverviewReport, on_delete=models.CASCADE, related_name="follow_up"
    )
    generated_on = models.DateField()
    board_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    access: ClassVar[Access] = Access(
        grants(view={P: READERS}, add={P: MANAGERS | {R.CHAIR}}, change={P: MANAGERS | {R.CHAIR}})
    )

    def __str__(self) -> str:
        return f"Six-month follow-up {self.report.cycle.name}"

    def get_absolute_url(self) -> str:
        return reverse("section11:cycle_follow_up", args=[self.report.cycle_id])


class Escalation(DomainModel):
    """The Chair pursues an agency's overdue actions with its senior management."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="escalations")
    agency = models.ForeignKey("core.Agency", on_delete=models.PROTECT, related_name="+")
    addressee = models.CharField(max_length=200, help_text="Who the letter is addressed to.")
    letter_date = models.DateField()
    letter_text = models.TextField()
    overdue_count = models.PositiveIntegerField(default=0)
    response_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS, A: LEADS},
            add={P: MANAGERS | {R.CHAIR}},
            change={P: MANAGERS | {R.CHAIR}},
        ),
        agency="agency",
    )

    class Meta:
        ordering = ["follow_up", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "agency"], name="s11_escalation_once_per_agency"
            )
        ]

    def __str__(self) -> str:
        return f"Letter to {self.agency.name}, {self.letter_date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("section11:escalation_detail", args=[self.pk])
