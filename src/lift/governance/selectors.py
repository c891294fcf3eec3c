"""Reads of boards, meetings and the business plan, always for the reading user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from lift.core.access import RestrictedQuerySet, has_role
from lift.core.calendar import financial_year
from lift.core.roles import ADMINS
from lift.learning.choices import FINISHED_STATUSES, LIVE_STATUSES, ActionStatus
from lift.learning.models import Action

from . import rules
from .choices import REPORT_COLOURS, AttendanceStatus, MeetingStatus, ReportStatus
from .forward_plan import ready_items
from .models import Attendance, Board, BusinessPlan, Meeting, Membership, Priority
from .responsibilities import catalogue


def meetings_upcoming(
    user: Any, group_kind: str | None = None, *, partnership: Any = None, limit: int | None = None
) -> models.QuerySet[Meeting]:
    """Meetings from today on that `user` may see (of one kind of group, if given), soonest
    first, not cancelled."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    qs = (
        Meeting.objects.restrict(user, "view")
        .filter(starts_at__gte=today)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
        .order_by("starts_at", "id")
    )
    if partnership is not None:
        qs = qs.filter(partnership=partnership)
    if group_kind:
        qs = qs.filter(board__kind=group_kind)
    return qs[:limit] if limit else qs


def my_boards(user: Any, partnership: Any) -> models.QuerySet[Board]:
    """Groups the user is a current member of."""
    today = timezone.localdate()
    member_of = Membership.objects.filter(person=user, partnership=partnership).current(today)
    return Board.objects.filter(pk__in=member_of.values("board_id"))


def my_meetings(user: Any, partnership: Any, limit: int = 5) -> list[Meeting]:
    """The next meetings of the groups the user belongs to."""
    mine = my_boards(user, partnership).values("pk")
    return list(meetings_upcoming(user, partnership=partnership).filter(board__in=mine)[:limit])


def calendar_meetings(user: Any, partnership: Any) -> models.QuerySet[Meeting]:
    """Meetings for the user's calendar: their groups' meetings (every meeting for the
    business unit), from three months back."""
    since = timezone.now() - dt.timedelta(days=92)
    qs = (
        Meeting.objects.restrict(user, "view")
        .filter(partnership=partnership, starts_at__gte=since)
        .select_related("board")
        .order_by("starts_at")
    )
    if not has_role(user, partnership, ADMINS):
        qs = qs.filter(board__in=my_boards(user, partnership).values("pk"))
    return qs


# --- Attendance and quorum ---------------------------------------------------------------


@dataclass
class AttendanceSummary:
    members: int
    attended: int
    deputies: int
    apologies: int
    absent: int
    not_recorded: int
    quorum: int

    @property
    def present(self) -> int:
        return self.attended + self.deputies

    @property
    def quorate(self) -> bool:
        return rules.quorate(self.quorum, self.present)


def attendance_summary(meeting: Meeting) -> AttendanceSummary:
    """Who came, who sent apologies (and deputies), and whether the meeting was quorate."""
    day = timezone.localtime(meeting.starts_at).date()
    members = (
        Membership.objects.filter(board_id=meeting.board_id)
        .current(day)
        .values("person")
        .distinct()
        .count()
    )
    counts = Attendance.objects.filter(meeting=meeting).aggregate(
        attended=Count("pk", filter=Q(status=AttendanceStatus.ATTENDED)),
        deputies=Count("pk", filter=Q(status=AttendanceStatus.APOLOGIES) & ~Q(deputy="")),
        apologies=Count("pk", filter=Q(status=AttendanceStatus.APOLOGIES)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
        recorded=Count("pk"),
    )
    return AttendanceSummary(
        members=members,
        attended=counts["attended"],
        deputies=counts["deputies"],
        apologies=counts["apologies"],
        absent=counts["absent"],
        not_recorded=max(members - counts["recorded"], 0),
        quorum=meeting.board.quorum,
    )


def attendance_rows(meeting: Meeting) -> list[dict[str, Any]]:
    """One row per member on the day of the meeting, with what was recorded."""
    day = timezone.localtime(meeting.starts_at).date()
    recorded = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    rows = []
    seen = set()
    for m in (
        Membership.objects.filter(board_id=meeting.board_id)
        .current(day)
        .select_related("person", "agency")
        .order_by("person__full_name")
    ):
        if m.person_id in seen:
            continue
        seen.add(m.person_id)
        rows.append({"membership": m, "person": m.person, "attendance": recorded.get(m.person_id)})
    return rows


# --- Linked objects ----------------------------------------------------------------------


@dataclass
class LinkView:
    link: Any
    type_name: str
    label: str
    url: str
    visible: bool


def visible_links(user: Any, links: Iterable[Any]) -> list[LinkView]:
    """Each generic link with its target's name and page, when the user may see the target;
    one query per kind of target (not per link)."""
    links = list(links)
    wanted: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.linked_type_id and link.linked_id:
            wanted[link.linked_type_id].add(link.linked_id)
    found: dict[tuple[int, int], Any] = {}
    names: dict[int, str] = {}
    for type_id, ids in wanted.items():
        ct = ContentType.objects.get_for_id(type_id)
        model = ct.model_class()
        names[type_id] = str(model._meta.verbose_name) if model else ct.model
        if model is None:
            continue
        qs = model._default_manager.all()
        if isinstance(qs, RestrictedQuerySet):
            qs = qs.restrict(user, "view")
        elif not getattr(user, "is_authenticated", False):
            qs = qs.none()
        for obj in qs.filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    out = []
    for link in links:
        if not link.linked_type_id:
            out.append(LinkView(link, "", "", "", False))
            continue
        obj = found.get((link.linked_type_id, link.linked_id))
        type_name = names.get(link.linked_type_id, "")
        if obj is None:
            out.append(LinkView(link, type_name, f"A {type_name} you cannot see", "", False))
            continue
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        out.append(LinkView(link, type_name, str(obj), url, True))
    return out


# --- Responsibilities --------------------------------------------------------------------


def current_year(today: dt.date | None = None) -> str:
    """The financial year (April to March) a day falls in, as 2015/16."""
    return financial_year(today or timezone.localdate()).label


def responsibility_checklist(board: Board, year: str) -> list[dict[str, Any]]:
    """Each responsibility of the group's set with its status for the year."""
    found = catalogue().get(board.responsibility_set) if board.responsibility_set else None
    if found is None:
        return []
    reports = {r.responsibility: r for r in board.reports.filter(year=year)}
    rows = []
    for item in found.current():
        report = reports.get(item.code)
        status = report.status if report else ReportStatus.NOT_STARTED
        rows.append(
            {
                "item": item,
                "report": report,
                "status": status,
                "status_label": ReportStatus(status).label,
                "colour": REPORT_COLOURS[ReportStatus(status)],
            }
        )
    return rows


# --- Business plan progress ----------------------------------------------------------------


@dataclass
class Progress:
    total: int = 0
    complete: int = 0
    on_track: int = 0
    overdue: int = 0
    other_links: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def share(self, n: int) -> int:
        return round(100 * n / self.total) if self.total else 0

    @property
    def complete_pct(self) -> int:
        return self.share(self.complete)

    @property
    def on_track_pct(self) -> int:
        return self.share(self.on_track)

    @property
    def overdue_pct(self) -> int:
        return self.share(self.overdue)


def plan_progress(
    priorities: Iterable[Priority] | models.QuerySet[Priority],
) -> dict[int, Progress]:
    """Progress of each priority from the statuses of the actions linked to it, computed in
    the database in one query: complete (completed, evidenced or closed), on track (open and
    not past due) and overdue (open and past due). Actions not accepted or superseded are left
    out of the total; links to other kinds of record are counted apart."""
    from .models import PriorityLink

    ids = [p.pk for p in priorities]
    action_type = ContentType.objects.get_for_model(Action)
    today = timezone.localdate()
    action = Action.objects.filter(pk=OuterRef("linked_id"))
    rows = (
        PriorityLink.objects.filter(priority_id__in=ids)
        .annotate(
            action_status=Subquery(action.values("status")[:1]),
            action_due=Subquery(action.values("due_on")[:1]),
        )
        .values("priority_id")
        .annotate(
            total=Count(
                "pk",
                filter=Q(linked_type=action_type)
                & ~Q(action_status__in=[ActionStatus.NOT_ACCEPTED, ActionStatus.SUPERSEDED])
                & Q(action_status__isnull=False),
            ),
            complete=Count(
                "pk", filter=Q(linked_type=action_type, action_status__in=FINISHED_STATUSES)
            ),
            on_track=Count(
                "pk",
                filter=Q(
                    linked_type=action_type,
                    action_status__in=LIVE_STATUSES,
                    action_due__gte=today,
                ),
            ),
            overdue=Count(
                "pk",
                filter=Q(
                    linked_type=action_type, action_status__in=LIVE_STATUSES, action_due__lt=today
                ),
            ),
            other=Count("pk", filter=~Q(linked_type=action_type)),
        )
        .order_by()
    )
    out = {pk: Progress() for pk in ids}
    for row in rows:
        out[row["priority_id"]] = Progress(
            total=row["total"],
            complete=row["complete"],
            on_track=row["on_track"],
            overdue=row["overdue"],
            other_links=row["other"],
        )
    return out


def plan_totals(progress: dict[int, Progress]) -> Progress:
    total = Progress()
    for p in progress.values():
        total.total += p.total
        total.complete += p.complete
        total.on_track += p.on_track
        total.overdue += p.overdue
        total.other_links += p.other_links
    return total


def business_plans(user: Any, partnership: Any) -> models.QuerySet[BusinessPlan]:
    return BusinessPlan.objects.restrict(user, "view").filter(partnership=partnership)


# --- Forward plan ------------------------------------------------------------------------


def forward_plan(user: Any, partnership: Any) -> list[dict[str, Any]]:
    """Future meetings by group with their planned items, and the items other areas have
    ready for each kind of group."""
    meetings = list(
        meetings_upcoming(user, partnership=partnership).prefetch_related("items__presenter")
    )
    ready = ready_items(partnership)
    groups: dict[int, dict[str, Any]] = {}
    for meeting in meetings:
        entry = groups.setdefault(
            meeting.board_id, {"board": meeting.board, "meetings": [], "ready": []}
        )
        entry["meetings"].append(meeting)
    for entry in groups.values():
        entry["ready"] = [i for i in ready if i.group_kind == entry["board"].kind]
    placed = {i for entry in groups.values() for i in entry["ready"]}
    out = sorted(groups.values(), key=lambda e: (e["board"].kind, e["board"].name))
    unplaced = [i for i in ready if i not in placed]
    if unplaced:
        out.append({"board": None, "meetings": [], "ready": unplaced})
    return out


# --- Papers and the Board pack -------------------------------------------------------------


def papers_of(user: Any, items: Iterable[Any]) -> dict[int, list[Any]]:
    """The papers of agenda items the user may read, by item id, in their order."""
    from .models import Paper

    by_item: dict[int, list[Any]] = defaultdict(list)
    for paper in (
        Paper.objects.restrict(user, "view")
        .filter(item__in=[i.pk for i in items])
        .select_related("file")
        .order_by("item_id", "order", "pk")
    ):
        by_item[paper.item_id].append(paper)
    return by_item


@dataclass
class PackSummary:
    """What the meeting page says about the Board pack: the published one (ready to
    download), a newer one being made or failed, and whether the papers changed since."""

    published: Any = None  # the latest pack whose files are ready
    pending: Any = None  # a newer pack still being made
    failed: Any = None  # a newer pack whose build failed
    papers_version: int = 0
    papers_count: int = 0

    @property
    def out_of_date(self) -> bool:
        latest = self.pending or self.failed or self.published
        return latest is not None and latest.papers_version != self.papers_version


def board_pack_summary(user: Any, meeting: Meeting) -> PackSummary:
    from lift.core.models.documents import DocumentStatus

    from .models import BoardPack, Paper

    summary = PackSummary(
        papers_version=meeting.papers_version,
        papers_count=Paper.objects.filter(item__meeting=meeting).count(),
    )
    packs = (
        BoardPack.objects.restrict(user, "view")
        .filter(meeting=meeting)
        .select_related("pdf", "docx", "published_by")
        .order_by("-number")
    )
    for pack in packs[:10]:
        statuses = {pack.pdf.status, pack.docx.status}
        if statuses == {DocumentStatus.READY}:
            summary.published = pack
            break
        if summary.pending is None and summary.failed is None:
            if DocumentStatus.FAILED in statuses:
                summary.failed = pack
            else:
                summary.pending = pack
    return summary
