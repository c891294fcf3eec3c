"""Rules of young people's voice, each named and documented. From the seed ("Consultation
with young people"): the Chair meets the Youth Forum at least once a term; the forum
presents to the Board once a year; about three information, engagement and consultation
events are held a year; young people's views are sought and answered."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lift.core.calendar import FinancialYear, financial_year
from lift.core.rules import BusinessRule

from .choices import AgeBand, MeetingStatus, ResponseKind, TermStatus

if TYPE_CHECKING:
    from .models import ChairMeeting, ForumMember, Term, YoungPeoplesView


# The youngest age in each band, to decide whether a guardian's consent is needed.
BAND_YOUNGEST: dict[str, int] = {
    AgeBand.UNDER_13: 0,
    AgeBand.AGE_13_15: 13,
    AgeBand.AGE_16_17: 16,
    AgeBand.AGE_18_25: 18,
}


def needs_guardian_consent(age_band: str, consent_under: int) -> bool:
    """A member whose age band reaches below the forum's consent age needs a guardian's
    consent as well as their own."""
    return BAND_YOUNGEST.get(age_band, 0) < consent_under


class GuardianConsentWhenYoung(BusinessRule):
    """A member in this age band needs a parent's or guardian's consent too: record the
    date it was given."""

    field = "guardian_consent_on"


class ConsentBeforeJoining(BusinessRule):
    """Record the young person's consent on or before the day they joined."""

    field = "consent_on"


class RetentionAfterJoining(BusinessRule):
    """The date to keep details until must be after the day the young person joined."""

    field = "retain_until"


def check_member(member: ForumMember) -> None:
    forum = member.forum
    if (
        member.age_band
        and needs_guardian_consent(member.age_band, forum.guardian_consent_under)
        and member.guardian_consent_on is None
        and member.anonymised_on is None
    ):
        raise GuardianConsentWhenYoung.violation()
    if member.consent_on and member.joined_on and member.consent_on > member.joined_on:
        raise ConsentBeforeJoining.violation()
    if member.retain_until and member.joined_on and member.retain_until <= member.joined_on:
        raise RetentionAfterJoining.violation()


def retention_due(retain_until: dt.date, anonymised_on: dt.date | None, today: dt.date) -> bool:
    """A member's details are anonymised on their retention date (data minimisation)."""
    return anonymised_on is None and retain_until <= today


class TermsDoNotOverlap(BusinessRule):
    """Terms of a partnership cannot overlap: each day belongs to at most one term."""


def check_term(term: Term) -> None:
    from .models import Term as TermModel

    if term.starts_on is None or term.ends_on is None or term.partnership_id is None:
        return
    clash = (
        TermModel.objects.filter(
            partnership_id=term.partnership_id,
            starts_on__lte=term.ends_on,
            ends_on__gte=term.starts_on,
        )
        .exclude(pk=term.pk)
        .exists()
    )
    if clash:
        raise TermsDoNotOverlap.violation()


class ChairMeetsForumEachTerm:
    """The Chair meets the Youth Forum at least once a term. A term is met when a meeting
    was held within its dates; before the term ends without one it is not yet met; after it
    ends without one it was missed."""

    @staticmethod
    def status(term: Term, meetings: Iterable[ChairMeeting], today: dt.date) -> TermStatus:
        held = [
            m
            for m in meetings
            if m.status == MeetingStatus.HELD and term.starts_on <= m.meets_on <= term.ends_on
        ]
        if held:
            return TermStatus.MET
        if today < term.starts_on:
            return TermStatus.NOT_STARTED
        if today <= term.ends_on:
            return TermStatus.NOT_YET_MET
        return TermStatus.MISSED


@dataclass(frozen=True)
class Against:
    count: int
    target: int

    @property
    def met(self) -> bool:
        return self.count >= self.target

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.count)


def events_against_target(count: int, target: int) -> Against:
    """The forum aims for about three events a year (the target is set per partnership):
    the year is on target once the count of events held reaches it."""
    return Against(count=count, target=target)


class ResponseNeedsText(BusinessRule):
    """Say what was done in response to the view, or why it could not be done, and when."""

    field = "response_text"


def check_response(view: YoungPeoplesView) -> None:
    if view.response != ResponseKind.PENDING and (
        not view.response_text.strip() or view.responded_on is None
    ):
        raise ResponseNeedsText.violation()


class YearLabel(BusinessRule):
    """Give the year as the financial year, e.g. 2015/16."""

    field = "year"


_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def year_bounds(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a financial year label such as "2015/16" (April to
    March), the year of the partnership's business plan and annual report."""
    if not _YEAR.match(label or ""):
        raise YearLabel.violation()
    try:
        fy = FinancialYear.parse(label)
    except ValueError:
        raise YearLabel.violation() from None
    return fy.first_day, fy.last_day


def year_of(day: dt.date) -> str:
    """The financial year a day falls in, as 2015/16."""
    return financial_year(day).label
