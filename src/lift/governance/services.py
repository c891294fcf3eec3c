"""Writes to boards, meetings and the business plan. Keyword-only, validated, atomic.

Other areas call `agenda_item_add` to put one of their records on a meeting's agenda, and
`priority_link_add` to say a record serves a business plan priority.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from lift.core.history import change_reason
from lift.core.models import Agency, Attachment, Partnership, Person
from lift.learning.choices import Priority as ActionPriority
from lift.learning.models import Action, Theme
from lift.learning.services import action_create, themes_by_code

from . import rules
from .choices import AttendanceStatus, GroupKind, MeetingStatus, MemberRole, Purpose, ReportStatus
from .models import (
    AgendaItem,
    Attendance,
    Board,
    BoardPack,
    BusinessPlan,
    CalendarFeed,
    Decision,
    Meeting,
    Membership,
    Paper,
    PaperVersion,
    Priority,
    PriorityLink,
    ResponsibilityReport,
)
from .responsibilities import catalogue

# The kinds of file a meeting paper may be (each checked as every upload is).
PAPER_EXTENSIONS = ("pdf", "docx", "xlsx")


def _link_fields(obj: models.Model | None, partnership_id: int) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType

    if obj is None:
        return {"linked_type": None, "linked_id": None}
    owner = rules.partnership_of(obj)
    rules.LinkInSamePartnership.require(owner is None or owner == partnership_id)
    return {"linked_type": ContentType.objects.get_for_model(obj), "linked_id": obj.pk}


# --- Boards and members ----------------------------------------------------------------------


def _check_board(board: Board, joint_of: list[Board]) -> None:
    if board.kind == GroupKind.JOINT:
        rules.JointGroupNamesTwoGroups.require(len({b.pk for b in joint_of}) >= 2)
    else:
        rules.OnlyJointGroupsJoinGroups.require(not joint_of)
    if any(b.partnership_id != board.partnership_id for b in joint_of):
        raise ValidationError({"joint_of": "Choose groups of this partnership."})
    if board.responsibility_set and catalogue().get(board.responsibility_set) is None:
        raise ValidationError({"responsibility_set": "Choose a responsibility set."})


@transaction.atomic
def board_create(
    *,
    partnership: Partnership,
    kind: str,
    name: str,
    by: Person | None,
    short_name: str = "",
    purpose: str = "",
    terms_of_reference: str = "",
    reports_to: Board | None = None,
    joint_of: Iterable[Board] = (),
    responsibility_set: str = "",
    quorum: int = 0,
    meets_every_months: int | None = None,
) -> Board:
    """Add a board or group. A joint group names the groups it joins."""
    joint = list(joint_of)
    board = Board(
        partnership=partnership,
        kind=kind,
        name=name,
        short_name=short_name,
        purpose=purpose,
        terms_of_reference=terms_of_reference,
        reports_to=reports_to,
        responsibility_set=responsibility_set,
        quorum=quorum,
        meets_every_months=meets_every_months,
    )
    board.full_clean()
    _check_board(board, joint)
    board.save()
    board.joint_of.set(joint)
    return board


@transaction.atomic
def board_update(
    *, board: Board, by: Person | None, joint_of: Iterable[Board] | None = None, **fields: Any
) -> Board:
    """Change a group's details (and, for a joint group, the groups it joins)."""
    for name, value in fields.items():
        setattr(board, name, value)
    joint = list(joint_of) if joint_of is not None else list(board.joint_of.all())
    board.full_clean()
    _check_board(board, joint)
    board.save()
    if joint_of is not None:
        board.joint_of.set(joint)
    return board


@transaction.atomic
def board_terms_attach(
    *, board: Board, uploaded_file: UploadedFile, by: Person | None
) -> Attachment:
    """Store the signed-off terms of reference as a file of the group."""
    from lift.core.files import attachment_create

    attachment = attachment_create(
        subject=board, uploaded_file=uploaded_file, uploaded_by=by, description="Terms of reference"
    )
    board.terms_file = attachment
    board.save()
    return attachment


def _sync_chair(board: Board) -> None:
    chair = (
        Membership.objects.filter(board=board, role=MemberRole.CHAIR)
        .current()
        .values_list("person", flat=True)
        .first()
    )
    if board.chair_id != chair:
        board.chair_id = chair
        board.save()


def _overlaps(qs: models.QuerySet, starts_on: dt.date, ends_on: dt.date | None) -> bool:
    qs = qs.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    return qs.exists()


@transaction.atomic
def membership_add(
    *,
    board: Board,
    person: Person,
    by: Person | None,
    role: str = MemberRole.MEMBER,
    agency: Agency | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Membership:
    """Give a person a seat on a group. The group's chair follows its chair membership."""
    membership = Membership(
        partnership=board.partnership,
        board=board,
        person=person,
        role=role,
        agency=agency,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    _check_membership(membership)
    membership.save()
    _sync_chair(board)
    return membership


def _check_membership(membership: Membership) -> None:
    membership.full_clean()
    if membership.agency is not None and membership.agency.partnership_id != (
        membership.partnership_id
    ):
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    if membership.role == MemberRole.CHAIR:
        others = Membership.objects.filter(board=membership.board, role=MemberRole.CHAIR).exclude(
            pk=membership.pk
        )
        rules.OneChairAtATime.require(
            not _overlaps(others, membership.starts_on, membership.ends_on)
        )


@transaction.atomic
def membership_update(*, membership: Membership, by: Person | None, **fields: Any) -> Membership:
    for name, value in fields.items():
        setattr(membership, name, value)
    _check_membership(membership)
    membership.save()
    _sync_chair(membership.board)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: dt.date, by: Person | None) -> Membership:
    """End a seat on a group (kept for the record)."""
    return membership_update(membership=membership, by=by, ends_on=ends_on)


@transaction.atomic
def responsibility_report(
    *,
    board: Board,
    code: str,
    year: str,
    status: str,
    by: Person | None,
    note: str = "",
    evidence_url: str = "",
) -> ResponsibilityReport:
    """Record a group's status for the year against one of its responsibilities."""
    rules.YearFormat.require(rules.YearFormat.holds(year))
    found = catalogue().get(board.responsibility_set)
    rules.ResponsibilityOfTheGroup.require(found is not None and found.item(code) is not None)
    report = ResponsibilityReport.objects.filter(
        board=board, responsibility=code, year=year
    ).first()
    if report is None:
        report = ResponsibilityReport(
            partnership=board.partnership, board=board, responsibility=code, year=year
        )
    report.status = status
    report.note = note
    report.evidence_url = evidence_url
    report.updated_by = by
    report.full_clean()
    report.save()
    return report


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    board: Board,
    starts_at: dt.datetime,
    by: Person | None,
    ends_at: dt.datetime | None = None,
    title: str = "",
    location: str = "",
    online_link: str = "",
    notes: str = "",
) -> Meeting:
    """Plan a meeting of a group."""
    meeting = Meeting(
        partnership=board.partnership,
        board=board,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        location=location,
        online_link=online_link,
        notes=notes,
        status=MeetingStatus.PLANNED,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_status_set(*, meeting: Meeting, status: str, by: Person | None) -> Meeting:
    """Move a meeting on: papers sent, held, minutes approved (or cancelled before held)."""
    rules.MeetingStatusOrder.require(rules.MeetingStatusOrder.holds(meeting.status, status))
    if status == MeetingStatus.HELD:
        rules.HeldOnlyAfterStart.require(meeting.starts_at <= timezone.now())
    if status == MeetingStatus.MINUTES_APPROVED:
        rules.MinutesBeforeApproval.require(
            not meeting.items.filter(minutes="").exists() and meeting.items.exists()
        )
    meeting.status = status
    meeting.full_clean()
    meeting.save()
    return meeting


def _open(meeting: Meeting) -> None:
    rules.MeetingNotCancelled.require(meeting.status != MeetingStatus.CANCELLED)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    by: Person | None,
    linked: models.Model | None = None,
    purpose: str = Purpose.DISCUSSION,
    presenter: Person | None = None,
    order: int | None = None,
) -> AgendaItem:
    """Put an item on a meeting's agenda, optionally about one record of any area (shown
    with a link to that record's page). Added at the end unless `order` is given."""
    _open(meeting)
    if order is None:
        order = (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem(
        partnership=meeting.partnership,
        meeting=meeting,
        order=order,
        title=title,
        purpose=purpose,
        presenter=presenter,
        **_link_fields(linked, meeting.partnership_id),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_link(
    *, item: AgendaItem, linked: models.Model | None, by: Person | None
) -> AgendaItem:
    for name, value in _link_fields(linked, item.partnership_id).items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


# --- Papers and the Board pack -------------------------------------------------------------


def _papers_open(meeting: Meeting) -> Meeting:
    """The meeting, locked, with its papers version counted up: every change to its papers
    marks a Board pack built from the earlier papers out of date."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open(locked)
    rules.PapersOnlyBeforeMinutesApproved.require(locked.status != MeetingStatus.MINUTES_APPROVED)
    locked.papers_version += 1
    with change_reason("The meeting's papers changed"):
        locked.save(update_fields=["papers_version", "updated_at"])
    meeting.papers_version = locked.papers_version
    return locked


def _paper_file(
    item: AgendaItem, uploaded_file: UploadedFile, by: Person | None, title: str
) -> Attachment:
    from lift.core.files import attachment_create, sanitise_filename

    name = sanitise_filename(getattr(uploaded_file, "name", "") or "")
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in PAPER_EXTENSIONS:
        raise ValidationError({"file": "The paper must be a PDF, DOCX or XLSX file."})
    try:
        return attachment_create(
            subject=item, uploaded_file=uploaded_file, uploaded_by=by, description=title
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def paper_is_late(meeting: Meeting, at: dt.datetime | None = None) -> bool:
    """Whether a version uploaded now (or `at`) misses the papers deadline."""
    return (at or timezone.now()) > rules.papers_deadline(meeting.starts_at)


@transaction.atomic
def paper_add(
    *,
    item: AgendaItem,
    uploaded_file: UploadedFile,
    title: str,
    by: Person | None,
    late: bool | None = None,
) -> Paper:
    """Add a paper to an agenda item: a PDF, DOCX or XLSX file (checked as every upload is),
    placed after the item's other papers, as version 1. It is marked late when it arrives
    after the papers deadline (a week before the meeting) unless `late` says otherwise."""
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Enter the title of the paper"})
    _papers_open(item.meeting)
    attachment = _paper_file(item, uploaded_file, by, title)
    is_late = paper_is_late(item.meeting) if late is None else late
    order = (item.papers.aggregate(m=Max("order"))["m"] or 0) + 1
    paper = Paper(
        partnership=item.partnership,
        item=item,
        title=title,
        order=order,
        version=1,
        file=attachment,
        late=is_late,
    )
    paper.full_clean()
    paper.save()
    _version_keep(paper, by, is_late)
    return paper


def _version_keep(paper: Paper, by: Person | None, late: bool) -> PaperVersion:
    version = PaperVersion(
        partnership=paper.partnership,
        paper=paper,
        number=paper.version,
        file=paper.file,
        late=late,
        uploaded_by=by,
    )
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def paper_replace(
    *, paper: Paper, uploaded_file: UploadedFile, by: Person | None, title: str = ""
) -> Paper:
    """Replace a paper's file: a new version (the older ones are kept). The late mark is set
    again from the deadline for the new version."""
    paper = Paper.objects.select_for_update().select_related("item__meeting").get(pk=paper.pk)
    _papers_open(paper.item.meeting)
    title = " ".join((title or "").split()) or paper.title
    paper.file = _paper_file(paper.item, uploaded_file, by, title)
    paper.version += 1
    paper.title = title
    paper.late = paper_is_late(paper.item.meeting)
    paper.full_clean()
    with change_reason(f"Version {paper.version} uploaded"):
        paper.save()
    _version_keep(paper, by, paper.late)
    return paper


@transaction.atomic
def paper_mark_late(*, paper: Paper, late: bool, by: Person | None) -> Paper:
    """Mark a paper late, or not (an agreed extension): the business unit's call."""
    paper = Paper.objects.select_for_update().select_related("item__meeting").get(pk=paper.pk)
    if paper.late == late:
        return paper
    _papers_open(paper.item.meeting)
    paper.late = late
    paper.full_clean()
    with change_reason("Marked a late paper" if late else "Late mark removed"):
        paper.save()
    return paper


@transaction.atomic
def papers_reorder(*, item: AgendaItem, papers: list[Paper], by: Person | None) -> list[Paper]:
    """Put an item's papers in the order given (every paper of the item, each once)."""
    current = {p.pk: p for p in Paper.objects.select_for_update().filter(item=item)}
    wanted = [p.pk for p in papers]
    rules.PaperOfThisItem.require(
        sorted(wanted) == sorted(current) and len(set(wanted)) == len(wanted)
    )
    if wanted == [p.pk for p in sorted(current.values(), key=lambda p: (p.order, p.pk))]:
        return [current[pk] for pk in wanted]
    _papers_open(item.meeting)
    ordered = []
    with change_reason("Papers reordered"):
        for n, pk in enumerate(wanted, start=1):
            paper = current[pk]
            if paper.order != n:
                paper.order = n
                paper.save(update_fields=["order", "updated_at"])
            ordered.append(paper)
    return ordered


@transaction.atomic
def paper_move(*, paper: Paper, up: bool, by: Person | None) -> Paper:
    """Move a paper one place up or down among its item's papers."""
    papers = list(Paper.objects.filter(item_id=paper.item_id).order_by("order", "pk"))
    index = next(i for i, p in enumerate(papers) if p.pk == paper.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(papers):
        papers[index], papers[other] = papers[other], papers[index]
        papers_reorder(item=paper.item, papers=papers, by=by)
    return Paper.objects.get(pk=paper.pk)


@transaction.atomic
def paper_withdraw(*, paper: Paper, by: Person | None) -> None:
    """Take a paper off the agenda item (a wrong file, a paper no longer needed): the paper,
    its versions and their stored files are removed; the history keeps that it was there. A
    published pack that held it is then out of date."""
    paper = Paper.objects.select_for_update().select_related("item__meeting").get(pk=paper.pk)
    _papers_open(paper.item.meeting)
    files = list(Attachment.objects.filter(pk__in=paper.versions.values("file")))
    with change_reason(f"Paper withdrawn: {paper.title}"):
        paper.versions.all().delete()
        paper.delete()
        for attachment in files:
            stored = attachment.file
            attachment.delete()
            # The stored file goes once the rows are gone for good (not if this rolls back).
            transaction.on_commit(functools.partial(stored.storage.delete, str(stored.name)))


@transaction.atomic
def board_pack_publish(*, meeting: Meeting, by: Person) -> BoardPack:
    """Build the meeting's Board pack once, from the papers as they are now, and publish it:
    a PDF and a Word document made in the background that every member downloads. Refused
    when the latest pack was built from the same papers (unless its build failed)."""
    from lift.core.documents import document_request
    from lift.core.models.documents import DocumentStatus

    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open(locked)
    latest = BoardPack.objects.filter(meeting=locked).select_related("pdf", "docx").first()
    if latest is not None and latest.papers_version == locked.papers_version:
        failed = DocumentStatus.FAILED in (latest.pdf.status, latest.docx.status)
        rules.PackOncePerPapersVersion.require(failed)
    pdf = document_request(kind="board_pack", subject=locked, fmt="pdf", user=by)
    docx = document_request(kind="board_pack", subject=locked, fmt="docx", user=by)
    pack = BoardPack(
        partnership=locked.partnership,
        meeting=locked,
        number=(latest.number + 1) if latest else 1,
        papers_version=locked.papers_version,
        pdf=pdf,
        docx=docx,
        published_by=by,
    )
    pack.full_clean()
    with change_reason(f"Board pack version {pack.number} published"):
        pack.save()
    return pack


@transaction.atomic
def minutes_record(*, item: AgendaItem, minutes: str, by: Person | None) -> AgendaItem:
    """Record the minutes of one agenda item (not once the minutes are approved)."""
    if item.meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ValidationError({"minutes": "The minutes of this meeting are approved already."})
    item.minutes = minutes
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    person: Person,
    status: str,
    by: Person | None,
    deputy: str = "",
) -> Attendance:
    """Record whether a member attended, sent apologies (with any deputy) or was absent."""
    _open(meeting)
    day = timezone.localtime(meeting.starts_at).date()
    rules.AttendanceOnlyForMembers.require(
        Membership.objects.filter(board_id=meeting.board_id, person=person).current(day).exists()
    )
    if status != AttendanceStatus.APOLOGIES:
        deputy = ""
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    if row is None:
        row = Attendance(partnership=meeting.partnership, meeting=meeting, person=person)
    row.status = status
    row.deputy = deputy.strip()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    text: str,
    by: Person | None,
    decided_by: str = "",
    agenda_item: AgendaItem | None = None,
) -> Decision:
    """Record what a meeting decided."""
    _open(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item of this meeting's agenda."})
    decision = Decision(
        partnership=meeting.partnership,
        meeting=meeting,
        agenda_item=agenda_item,
        text=text,
        decided_by=decided_by or meeting.board.name,
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_action_create(
    *,
    decision: Decision,
    title: str,
    owner_agency: Agency,
    due_on: dt.date,
    success_measure: str,
    by: Person | None,
    owner: Person | None = None,
    description: str = "",
    priority: str = ActionPriority.MEDIUM,
    themes: Iterable[Theme | str] = (),
    serves: Priority | None = None,
) -> Action:
    """Create a learning chain action whose source is the decision (agreed, since the meeting
    decided it). With `serves`, the action is also linked to a business plan priority."""
    meeting = decision.meeting
    rules.ActionsOnlyFromHeldMeetings.require(
        meeting.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
    )
    action = action_create(
        title=title,
        owner_agency=owner_agency,
        due_on=due_on,
        success_measure=success_measure,
        source=decision,
        owner=owner,
        description=description,
        priority=priority,
        status="agreed",
        themes=themes,
        partnership=decision.partnership,
    )
    if serves is not None:
        priority_link_add(priority=serves, linked=action, by=by, note="From a meeting decision")
    return action


@transaction.atomic
def calendar_feed_get(*, person: Person, partnership: Partnership) -> CalendarFeed:
    """The person's secret calendar address in the partnership (made on first use)."""
    feed = CalendarFeed.objects.filter(person=person, partnership=partnership).first()
    if feed is None:
        feed = CalendarFeed(partnership=partnership, person=person, token=secrets.token_urlsafe(32))
        feed.full_clean()
        feed.save()
    return feed


@transaction.atomic
def calendar_feed_reset(*, person: Person, partnership: Partnership) -> CalendarFeed:
    """Give the person a new calendar address; the old one stops working."""
    feed = calendar_feed_get(person=person, partnership=partnership)
    feed.token = secrets.token_urlsafe(32)
    feed.full_clean()
    feed.save()
    return feed


# --- Business plan ---------------------------------------------------------------------------


@transaction.atomic
def business_plan_create(
    *,
    partnership: Partnership,
    year: str,
    title: str,
    by: Person | None,
    summary: str = "",
    approved_by: Board | None = None,
    approved_on: dt.date | None = None,
) -> BusinessPlan:
    """Start the business plan for a year (one per year)."""
    rules.YearFormat.require(rules.YearFormat.holds(year))
    plan = BusinessPlan(
        partnership=partnership,
        year=year,
        title=title,
        summary=summary,
        approved_by=approved_by,
        approved_on=approved_on,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def priority_create(
    *,
    plan: BusinessPlan,
    title: str,
    success_measures: str,
    by: Person | None,
    description: str = "",
    themes: Iterable[Theme | str] = (),
    lead: Person | None = None,
    lead_agency: Agency | None = None,
    order: int | None = None,
) -> Priority:
    """Add a priority to a plan, with its themes, lead and success measures."""
    if lead_agency is not None and lead_agency.partnership_id != plan.partnership_id:
        raise ValidationError({"lead_agency": "Choose an agency of this partnership."})
    if order is None:
        order = (plan.priorities.aggregate(m=Max("order"))["m"] or 0) + 1
    priority = Priority(
        partnership=plan.partnership,
        plan=plan,
        order=order,
        title=title,
        description=description,
        success_measures=success_measures,
        lead=lead,
        lead_agency=lead_agency,
    )
    priority.full_clean()
    priority.save()
    wanted = list(themes)
    codes = [t for t in wanted if isinstance(t, str)]
    objects = [t for t in wanted if isinstance(t, Theme)]
    priority.themes.set(objects + (themes_by_code(plan.partnership, codes) if codes else []))
    return priority


@transaction.atomic
def priority_link_add(
    *, priority: Priority, linked: models.Model, by: Person | None, note: str = ""
) -> PriorityLink:
    """Say that a record (an action, an audit, a course, anything) serves a priority.
    Linking the same record twice keeps one link."""
    fields = _link_fields(linked, priority.partnership_id)
    link = PriorityLink.objects.filter(priority=priority, **fields).first()
    if link is not None:
        return link
    link = PriorityLink(partnership=priority.partnership, priority=priority, note=note, **fields)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def priority_link_remove(*, link: PriorityLink, by: Person | None) -> None:
    link.delete()


__all__ = [
    "ReportStatus",
    "agenda_item_add",
    "agenda_item_link",
    "attendance_record",
    "board_create",
    "board_pack_publish",
    "board_terms_attach",
    "board_update",
    "business_plan_create",
    "calendar_feed_get",
    "calendar_feed_reset",
    "decision_action_create",
    "decision_record",
    "meeting_create",
    "meeting_status_set",
    "membership_add",
    "membership_end",
    "membership_update",
    "minutes_record",
    "paper_add",
    "paper_mark_late",
    "paper_move",
    "paper_replace",
    "paper_withdraw",
    "papers_reorder",
    "priority_create",
    "priority_link_add",
    "priority_link_remove",
    "responsibility_report",
]
