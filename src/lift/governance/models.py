"""Boards and governance: groups and their members, meetings, decisions, the business plan.

A group is the Board, the Executive, a sub-group, the CDOP, a partner board, or a *joint*
group: the six-monthly joint meeting of the Community Safety Partnership and the Executive is a
group of kind "joint" naming the groups it joins (`joint_of`), with its own members and
meetings. Agenda items and business plan priorities point at any object of any area through
a generic link, so later areas need no change here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lift.core import roles as r
from lift.core.access import Access, P, RestrictedManager, RestrictedQuerySet, S, grants
from lift.core.calendar import check_years
from lift.core.models import DomainModel

from .choices import AttendanceStatus, GroupKind, MeetingStatus, MemberRole, Purpose, ReportStatus

R = r.R
# Everyone who oversees the partnership reads its governance; members read their own groups.
BOARD_READERS = r.OVERSIGHT
MANAGERS = r.ADMINS
MEETING_MANAGERS = r.ADMINS | {R.CHAIR}
REPORTERS = r.ADMINS | {R.SUBGROUP_CHAIR}
# The business plan is read by everyone working in the partnership except learners.
PLAN_READERS = r.EVERYONE - {R.LEARNER}


class DistinctQuerySet(RestrictedQuerySet):
    """restrict() through the members path can meet a person twice (two membership
    periods): keep each row once."""

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        return super().restrict(user, action).distinct()


DistinctManager = RestrictedManager.from_queryset(DistinctQuerySet)


class Linked(models.Model):
    """A generic link to any object of any area (an audit report, a review, an action)."""

    linked_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")

    class Meta:
        abstract = True


class Board(DomainModel):
    """The Board, the Executive, a sub-group, the CDOP, a partner board or a joint group."""

    kind = models.CharField(max_length=20, choices=GroupKind.choices)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="e.g. L&I, CDOP")
    purpose = models.TextField(blank=True, help_text="What the group is for, in a sentence.")
    terms_of_reference = models.TextField(blank=True)
    terms_file = models.ForeignKey(
        "core.Attachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The signed-off terms of reference, if held as a document.",
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_boards",
        editable=False,
        help_text="Kept in step with the current chair membership.",
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_groups",
    )
    joint_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="joint_groups",
        help_text="For a joint group: the groups whose members meet together.",
    )
    responsibility_set = models.CharField(
        max_length=60,
        blank=True,
        help_text="The responsibilities (from the framework) this group reports against.",
    )
    quorum = models.PositiveSmallIntegerField(
        default=0, help_text="Members (or deputies) who must attend for decisions; 0 for none."
    )
    meets_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How often it meets, in months."
    )
    is_active = models.BooleanField(default=True)

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: BOARD_READERS, S: r.EVERYONE},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: MANAGERS},
            report={P: REPORTERS},
        ),
        person="memberships__person",
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "board or group"
        verbose_name_plural = "boards and groups"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="board_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:board_detail", args=[self.pk])

    def current_memberships(self) -> models.QuerySet[Membership]:
        today = timezone.localdate()
        return self.memberships.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today
        )


class MembershipQuerySet(DistinctQuerySet):
    def current(self, on: Any = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Membership(DomainModel):
    """A person's seat on a group, in a role, for an agency, for a period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_memberships"
    )
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The agency the member represents, if any.",
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = RestrictedManager.from_queryset(MembershipQuerySet)()
    access: ClassVar[Access] = Access(
        grants(
            view={P: BOARD_READERS, S: r.EVERYONE},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: MANAGERS},
        ),
        person="board__memberships__person",
    )

    class Meta:
        ordering = ["board", "role", "person__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.board})"

    def get_absolute_url(self) -> str:
        return reverse("governance:membership_detail", args=[self.pk])


class ResponsibilityReport(DomainModel):
    """A group's yearly status against one of its responsibilities (by stable item code)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reports")
    responsibility = models.CharField(max_length=80)
    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED
    )
    note = models.TextField(blank=True)
    evidence_url = models.URLField(blank=True, help_text="A link to the evidence, if any.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: BOARD_READERS, S: r.EVERYONE},
            add={P: REPORTERS},
            change={P: REPORTERS},
        ),
        person="board__memberships__person",
    )

    class Meta:
        ordering = ["board", "year", "responsibility"]
        constraints = [
            models.UniqueConstraint(
                fields=["board", "responsibility", "year"], name="report_one_per_item_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.responsibility} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("governance:board_responsibilities", args=[self.board_id]) + (
            f"?year={self.year}"
        )


class Meeting(DomainModel):
    """A meeting of one group (a joint meeting is a meeting of a joint group)."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, blank=True, help_text="Leave empty for the group.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True, help_text="Joining link for an online meeting.")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    notes = models.TextField(blank=True)
    papers_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts changes to the meeting's papers; a Board pack built from an earlier "
        "count is out of date.",
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: BOARD_READERS, S: r.EVERYONE},
            add={P: MEETING_MANAGERS},
            change={P: MEETING_MANAGERS},
            delete={P: MANAGERS},
            publish_pack={P: MEETING_MANAGERS},
        ),
        person="board__memberships__person",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["partnership", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%-d %B %Y")
        return f"{self.title or self.board.name}, {when}"

    def clean(self) -> None:
        super().clean()
        check_years(starts_at=self.starts_at, ends_at=self.ends_at)

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.pk])


MEETING_MEMBERS = "meeting__board__memberships__person"
# What a meeting's own records (agenda items, papers, attendance) allow: the board's readers
# and the members themselves see them, the meeting's managers add, change and remove them.
MEETING_RECORD_RULES = grants(
    view={P: BOARD_READERS, S: r.EVERYONE},
    add={P: MEETING_MANAGERS},
    change={P: MEETING_MANAGERS},
    delete={P: MEETING_MANAGERS},
)


class AgendaItem(Linked, DomainModel):
    """An item on a meeting's agenda, optionally about one object of any area."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=250)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    minutes = models.TextField(blank=True)

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(MEETING_RECORD_RULES, person=MEETING_MEMBERS)

    class Meta:
        ordering = ["meeting", "order", "id"]
        indexes = [models.Index(fields=["linked_type", "linked_id"])]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("governance:agendaitem_detail", args=[self.pk])


ITEM_MEMBERS = "item__meeting__board__memberships__person"


class Paper(DomainModel):
    """A paper for an agenda item: its title, its place among the item's papers, its current
    version (replacing the file makes a new version; older ones are kept as PaperVersion
    rows) and whether it came late. Files are the item's checked attachments."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=250)
    order = models.PositiveSmallIntegerField(default=1)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    file = models.ForeignKey(
        "core.Attachment", on_delete=models.PROTECT, related_name="+", editable=False
    )
    late = models.BooleanField(
        default=False,
        help_text="Set when a version arrives after the papers deadline; the business unit "
        "may change it.",
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(MEETING_RECORD_RULES, person=ITEM_MEMBERS)

    class Meta:
        ordering = ["item", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:agendaitem_detail", args=[self.item_id]) + f"#paper-{self.pk}"


class PaperVersion(DomainModel):
    """One version of a paper's file, kept when a newer one replaces it."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField(default=False, help_text="Uploaded after the papers deadline.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(view={P: BOARD_READERS, S: r.EVERYONE}),
        person="paper__item__meeting__board__memberships__person",
    )

    class Meta:
        ordering = ["paper", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "number"], name="paperversion_once")
        ]

    def __str__(self) -> str:
        return f"{self.paper}, version {self.number}"


class BoardPack(DomainModel):
    """The meeting's Board pack as the business unit published it: built once, in the
    background, from one version of the meeting's papers, as a PDF and a Word document that
    every member downloads. Out of date once the papers change."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    number = models.PositiveSmallIntegerField(help_text="The pack's version: 1, 2, ...")
    papers_version = models.PositiveIntegerField(
        help_text="The meeting's papers version the pack was built from."
    )
    pdf = models.ForeignKey(
        "core.GeneratedDocument", on_delete=models.PROTECT, related_name="+", editable=False
    )
    docx = models.ForeignKey(
        "core.GeneratedDocument", on_delete=models.PROTECT, related_name="+", editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(view={P: BOARD_READERS, S: r.EVERYONE}),
        person=MEETING_MEMBERS,
    )

    class Meta:
        ordering = ["meeting", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="boardpack_number_once")
        ]

    def __str__(self) -> str:
        return f"Board pack version {self.number}: {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("governance:meeting_detail", args=[self.meeting_id]) + "#board-pack"

    @property
    def out_of_date(self) -> bool:
        return self.papers_version != self.meeting.papers_version


class Attendance(DomainModel):
    """Whether a member attended, sent apologies (perhaps with a deputy) or was absent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    deputy = models.CharField(
        max_length=200, blank=True, help_text="Who attended in the member's place, if anyone."
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(MEETING_RECORD_RULES, person=MEETING_MEMBERS)

    class Meta:
        ordering = ["meeting", "person__full_name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Decision(DomainModel):
    """What a meeting decided; a decision can create actions in the learning chain."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField()
    decided_by = models.CharField(
        max_length=200, blank=True, help_text="e.g. the Board, or the Chair on its behalf."
    )

    objects: ClassVar[Any] = DistinctManager()
    access: ClassVar[Access] = Access(
        grants(
            view={P: BOARD_READERS, S: r.EVERYONE},
            add={P: MEETING_MANAGERS},
            change={P: MEETING_MANAGERS},
            delete={P: MANAGERS},
            create_actions={P: MEETING_MANAGERS},
        ),
        person=MEETING_MEMBERS,
    )

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"Decision: {text}"

    def get_absolute_url(self) -> str:
        return reverse("governance:decision_detail", args=[self.pk])


class CalendarFeed(DomainModel):
    """A person's secret address for subscribing to their meetings from a calendar app."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)

    access: ClassVar[Access] = Access(grants(view={S: r.EVERYONE}), person="person")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "person"], name="calendarfeed_once")
        ]

    def __str__(self) -> str:
        return f"Meetings calendar of {self.person}"


class BusinessPlan(DomainModel):
    """The partnership's business plan for one year (e.g. 2015/16)."""

    year = models.CharField(max_length=7, help_text="e.g. 2015/16")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        Board, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)

    access: ClassVar[Access] = Access(
        grants(
            view={P: PLAN_READERS},
            add={P: MANAGERS},
            change={P: MANAGERS},
            delete={P: MANAGERS},
        )
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="businessplan_one_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("governance:businessplan_detail", args=[self.pk])


class Priority(DomainModel):
    """A business plan priority with its lead, themes and success measures."""

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="priorities")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    themes = models.ManyToManyField("learning.Theme", blank=True, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lead_agency = models.ForeignKey(
        "core.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    success_measures = models.TextField(help_text="How the partnership will know it worked.")

    access: ClassVar[Access] = BusinessPlan.access

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:priority_detail", args=[self.pk])


class PriorityLink(Linked, DomainModel):
    """Something that serves a priority: an action, an audit, a training course, anything."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="links")
    note = models.CharField(max_length=300, blank=True)

    access: ClassVar[Access] = BusinessPlan.access

    class Meta:
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["linked_type", "linked_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "linked_type", "linked_id"], name="prioritylink_once"
            )
        ]

    def __str__(self) -> str:
        return f"Link from {self.priority}"

    def get_absolute_url(self) -> str:
        return reverse("governance:priority_detail", args=[self.priority_id])
