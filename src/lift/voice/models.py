"""Young people's voice: the Youth Forum, its members and sessions, the Chair's termly
meetings with it, events, consultations with "you said, we did" responses, and the forum's
annual presentation to the Board.

Members' personal data (a first or chosen name, an age band, consent) are visible only to
the youth forum coordinator and the Chair; everyone else sees counts. A member's name is
never written to the change log (it is excluded), so anonymising a member at the retention
date removes the name everywhere.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from lift.core import roles as r
from lift.core.access import Access, P, grants
from lift.core.models import DomainModel
from lift.core.wording import shortened

from .choices import AgeBand, EventKind, MeetingStatus, ResponseKind

R = r.R
# Personal data of young people: the coordinator and the Chair only.
PERSONAL = frozenset({R.YOUTH_COORDINATOR, R.CHAIR})
# The forum's work (sessions, meetings, events, consultations): oversight and the coordinator.
READERS = r.OVERSIGHT | {R.YOUTH_COORDINATOR}
EDITORS = frozenset({R.YOUTH_COORDINATOR, R.BUSINESS_UNIT, R.CHAIR})

WORK_ACCESS = Access(
    grants(
        view={P: READERS},
        add={P: EDITORS},
        change={P: EDITORS},
        delete={P: EDITORS},
    )
)


class YouthForum(DomainModel):
    """The partnership's Youth Forum, the youth service that supports it, and its settings."""

    name = models.CharField(max_length=200, default="Youth Forum")
    youth_service = models.CharField(
        "supporting youth service",
        max_length=200,
        help_text="The youth service that runs the forum's sessions.",
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner agency the youth service belongs to, if any.",
    )
    description = models.TextField(blank=True, max_length=4000)
    guardian_consent_under = models.PositiveSmallIntegerField(
        "guardian's consent needed under age",
        default=13,
        validators=[MinValueValidator(0), MaxValueValidator(18)],
        help_text="Members younger than this need a parent's or guardian's consent too.",
    )
    events_target = models.PositiveSmallIntegerField(
        "events a year (target)",
        default=3,
        validators=[MaxValueValidator(100)],
        help_text="Information, engagement and consultation events the forum aims to hold a year.",
    )
    retention_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Default months a member's details are kept after they join or leave.",
    )

    access: ClassVar[Access] = Access(
        grants(
            view={P: READERS},
            add={P: frozenset({R.YOUTH_COORDINATOR, R.BUSINESS_UNIT})},
            change={P: frozenset({R.YOUTH_COORDINATOR, R.BUSINESS_UNIT})},
            present={P: EDITORS},
        )
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership"], name="youthforum_one_per_partnership")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("voice:forum")


class ForumMember(DomainModel):
    """A young person in the forum: only what the forum needs."""

    forum = models.ForeignKey(YouthForum, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(
        "first or chosen name", max_length=60, help_text="A first name or a chosen name only."
    )
    age_band = models.CharField(max_length=20, choices=AgeBand.choices)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    consent_on = models.DateField("consent recorded on")
    guardian_consent_on = models.DateField(
        "guardian's consent recorded on",
        null=True,
        blank=True,
        help_text="Needed for members under the forum's guardian consent age.",
    )
    retain_until = models.DateField(
        "keep details until", help_text="On this date the details are anonymised."
    )
    anonymised_on = models.DateField(null=True, blank=True, editable=False)

    # The name is never written to the append-only change log, so anonymising removes it.
    history_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "created_at", "name"})

    access: ClassVar[Access] = Access(
        grants(
            view={P: PERSONAL},
            add={P: PERSONAL},
            change={P: PERSONAL},
            delete={P: PERSONAL},
        )
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["anonymised_on", "retain_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="forummember_left_after_joining",
            )
        ]

    def __str__(self) -> str:
        # Never the name: this string is written to the change log (object_repr), which
        # other roles can read; the name itself is shown from the `name` field.
        if self.anonymised_on:
            return "Former member (anonymised)"
        return f"Forum member {self.pk}" if self.pk else "New forum member"

    def get_absolute_url(self) -> str:
        return reverse("voice:forummember_detail", args=[self.pk])

    def clean(self) -> None:
        from .rules import check_member

        check_member(self)


class ForumSession(DomainModel):
    """A session of the forum."""

    forum = models.ForeignKey(YouthForum, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    attended = models.PositiveSmallIntegerField("young people attending", default=0)
    notes = models.TextField(blank=True, max_length=4000)

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("voice:forumsession_detail", args=[self.pk])


class Term(DomainModel):
    """A school term: the Chair meets the Youth Forum at least once in each."""

    name = models.CharField(max_length=60, help_text="e.g. Autumn 2015")
    starts_on = models.DateField()
    ends_on = models.DateField()

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="term_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("voice:term_detail", args=[self.pk])

    def clean(self) -> None:
        from .rules import check_term

        check_term(self)


class ChairMeeting(DomainModel):
    """A meeting of the partnership's Chair with the Youth Forum, and the topics raised."""

    forum = models.ForeignKey(YouthForum, on_delete=models.CASCADE, related_name="chair_meetings")
    meets_on = models.DateField("date")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    topics = models.TextField(
        "topics raised", blank=True, max_length=4000, help_text="One topic a line."
    )
    attended = models.PositiveSmallIntegerField("young people attending", default=0)
    notes = models.TextField(blank=True, max_length=4000)

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["-meets_on", "-id"]
        indexes = [models.Index(fields=["partnership", "status", "meets_on"])]

    def __str__(self) -> str:
        return f"The Chair with the Youth Forum, {self.meets_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("voice:chairmeeting_detail", args=[self.pk])

    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.splitlines() if t.strip()]


class Event(DomainModel):
    """An information, engagement or consultation event with young people."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    theme = models.CharField(
        max_length=200, help_text="e.g. cyber bullying; gangs and knife crime; CSE."
    )
    held_on = models.DateField()
    audience = models.CharField(max_length=200, help_text="Who came, e.g. Year 9 pupils.")
    attended = models.PositiveIntegerField("young people attending", default=0)
    what_was_said = models.TextField("what young people said", blank=True, max_length=8000)

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partnership", "held_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("voice:event_detail", args=[self.pk])


class Consultation(DomainModel):
    """Young people's views gathered on a topic, perhaps to inform another record (an
    audit, a review, a policy): a generic link, so no area depends on this one."""

    topic = models.CharField(max_length=250)
    description = models.TextField(blank=True, max_length=4000)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    informs_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    informs_id = models.PositiveBigIntegerField(null=True, blank=True)
    informs = GenericForeignKey("informs_type", "informs_id")
    published_on = models.DateField(
        "responses shared with the forum on", null=True, blank=True, editable=False
    )

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["informs_type", "informs_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("voice:consultation_detail", args=[self.pk])


class YoungPeoplesView(DomainModel):
    """One view young people gave in a consultation (never a name), the lesson it became in
    the learning chain, and the partnership's response: "you said, we did", or why not."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="views")
    said = models.TextField("you said", max_length=4000)
    finding = models.ForeignKey(
        "learning.Finding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response = models.CharField(
        max_length=20, choices=ResponseKind.choices, default=ResponseKind.PENDING
    )
    response_text = models.TextField("what we did (or why not)", blank=True, max_length=4000)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = "young people's view"
        verbose_name_plural = "young people's views"

    def __str__(self) -> str:
        return shortened(self.said, 80)

    def get_absolute_url(self) -> str:
        return reverse("voice:consultation_detail", args=[self.consultation_id])

    def clean(self) -> None:
        from .rules import check_response

        check_response(self)


class Presentation(DomainModel):
    """The forum's annual presentation to the Board, as an item on a Board meeting's agenda;
    its materials are attachments of this record."""

    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True, max_length=4000)
    meeting = models.ForeignKey(
        "governance.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agenda_item_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    access: ClassVar[Access] = WORK_ACCESS

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="presentation_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("voice:presentation_detail", args=[self.pk])
