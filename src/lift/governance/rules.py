"""Rules of the partnership's governance, one named class each; the docstring is the message.

`Rule.require(condition)` raises a ValidationError carrying the rule's message (on its field,
where it names one) when the condition does not hold.
"""

from __future__ import annotations

import re
from typing import Any

from lift.core.calendar import FinancialYear
from lift.core.rules import BusinessRule

from .choices import MeetingStatus

YEAR = re.compile(r"^(\d{4})/(\d{2})$")


class YearFormat(BusinessRule):
    """Write the year as 2015/16: the first year in four digits, a slash, and the last two
    digits of the year after it."""

    field = "year"

    @classmethod
    def holds(cls, year: str) -> bool:
        return YEAR.match(year or "") is not None and FinancialYear.is_label(year)


class JointGroupNamesTwoGroups(BusinessRule):
    """A joint group names at least two groups whose members meet together (for example the
    Community Safety Partnership Board and the Executive)."""

    field = "joint_of"


class OnlyJointGroupsJoinGroups(BusinessRule):
    """Only a group of kind "joint meeting of groups" names groups it joins."""

    field = "joint_of"


class OneChairAtATime(BusinessRule):
    """A group has one chair at a time: end the current chair's membership first."""

    field = "role"


class AttendanceOnlyForMembers(BusinessRule):
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


class MeetingStatusOrder(BusinessRule):
    """A meeting moves from planned to papers sent, held and minutes approved, in that order;
    it can be cancelled only before it is held."""

    field = "status"

    @classmethod
    def holds(cls, current: str, wanted: str) -> bool:
        return wanted in MEETING_MOVES.get(current, ())


class HeldOnlyAfterStart(BusinessRule):
    """A meeting cannot be recorded as held before it has started."""

    field = "status"


class MinutesBeforeApproval(BusinessRule):
    """Minutes can be approved only when every agenda item has its minutes recorded."""

    field = "status"


class ActionsOnlyFromHeldMeetings(BusinessRule):
    """A decision creates actions only once its meeting has been held."""


class ResponsibilityOfTheGroup(BusinessRule):
    """A group reports only against the responsibilities of its own set in the framework."""

    field = "responsibility"


class LinkInSamePartnership(BusinessRule):
    """A linked record must belong to the same partnership."""

    field = "linked"


class MeetingNotCancelled(BusinessRule):
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


class PapersOnlyBeforeMinutesApproved(BusinessRule):
    """Papers cannot change once the meeting's minutes are approved."""


class PaperOfThisItem(BusinessRule):
    """Choose papers of this agenda item."""

    field = "papers"


class PackOncePerPapersVersion(BusinessRule):
    """The Board pack has been built from this version of the papers already. Change the
    papers first, or download the published pack."""
