"""Rules of the partnership's governance, one named class each; the docstring is the message.

`Rule.check(condition)` raises a ValidationError carrying the rule's message (on its field,
where it names one) when the condition does not hold.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from lift.core.calendar import FinancialYear

from .choices import MeetingStatus


class Rule:
    field: ClassVar[str | None] = None

    @classmethod
    def message(cls) -> str:
        return " ".join((cls.__doc__ or cls.__name__).split())

    @classmethod
    def check(cls, condition: bool) -> None:
        if not condition:
            message = cls.message()
            raise ValidationError({cls.field: message} if cls.field else message, code=cls.__name__)


YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class YearFormat(Rule):
    """Write the year as 2015/16: the first year in four digits, a slash, and the last two
    digits of the year after it."""

    field = "year"

    @classmethod
    def holds(cls, year: str) -> bool:
        return YEAR.match(year or "") is not None and FinancialYear.is_label(year)


class JointGroupNamesTwoGroups(Rule):
    """A joint group names at least two groups whose members meet together (for example the
    Community Safety Partnership Board and the Executive)."""

    field = "joint_of"


class OnlyJointGroupsJoinGroups(Rule):
    """Only a group of kind "joint meeting of groups" names groups it joins."""

    field = "joint_of"


class OneChairAtATime(Rule):
    """A group has one chair at a time: end the current chair's membership first."""

    field = "role"


class AttendanceOnlyForMembers(Rule):
    """Attendance is recorded for people who were members of the group on the day of the
    meeting."""

    field = "person"


# The order a meeting moves in; it may be cancelled until it is held.
MEETING_MOVES: dict[str, tuple[str, ...]] = {
    MeetingStatus.PLANNED: (MeetingStatus.PAPERS_SENT, MeetingStatus.HELD, MeetingStatus.CANCELLED),
    MeetingStatus.PAPERS_SENT: (MeetingStatus.HELD, MeetingStatus.CANCELLED),
    MeetingStatus.HELD: (MeetingStatus.MINUTES_APPROVED,),
    MeetingStatus.MINUTES_APPROVED: (),
    MeetingStatus.CANCELLED: (),
}


class MeetingStatusOrder(Rule):
    """A meeting moves from planned to papers sent, held and minutes approved, in that order;
    it can be cancelled only before it is held."""

    field = "status"

    @classmethod
    def holds(cls, current: str, wanted: str) -> bool:
        return wanted in MEETING_MOVES.get(current, ())


class HeldOnlyAfterStart(Rule):
    """A meeting cannot be recorded as held before it has started."""

    field = "status"


class MinutesBeforeApproval(Rule):
    """Minutes can be approved only when every agenda item has its minutes recorded."""

    field = "status"


class ActionsOnlyFromHeldMeetings(Rule):
    """A decision creates actions only once its meeting has been held."""


class ResponsibilityOfTheGroup(Rule):
    """A group reports only against the responsibilities of its own set in the framework."""

    field = "responsibility"


class LinkInSamePartnership(Rule):
    """A linked record must belong to the same partnership."""

    field = "linked"


class MeetingNotCancelled(Rule):
    """A cancelled meeting takes no agenda items, attendance or decisions."""


def quorate(quorum: int, attending: int) -> bool:
    """A meeting is quorate when the members attending, counting deputies who attend in a
    member's place, reach the group's quorum (a quorum of 0 means no quorum is set)."""
    return quorum == 0 or attending >= quorum


def partnership_of(obj: Any) -> int | None:
    """The partnership id of any object that has one (or is one)."""
    if obj is None:
        return None
    if obj._meta.label == "core.Partnership":
        return int(obj.pk)
    return getattr(obj, "partnership_id", None)


# --- Papers and the Board pack -----------------------------------------------------------

# Papers go out a week before the meeting (Working Together: members need time to read).
PAPERS_DUE_DAYS = 7


def papers_deadline(starts_at: Any) -> Any:
    """When the meeting's papers are due: a week before it starts. A version uploaded after
    this is marked late (the business unit may change the mark, e.g. for an agreed
    extension)."""
    import datetime as dt

    return starts_at - dt.timedelta(days=PAPERS_DUE_DAYS)


class PapersOnlyBeforeMinutesApproved(Rule):
    """Papers cannot change once the meeting's minutes are approved."""


class PaperOfThisItem(Rule):
    """Choose papers of this agenda item."""

    field = "papers"


class PackOncePerPapersVersion(Rule):
    """The Board pack has been built from this version of the papers already. Change the
    papers first, or download the published pack."""
