"""The named rules of Section 11 audits (Children Act 2004 s11 and the partnership's
Learning and Improvement Framework).

Each rule is a class whose docstring is the message shown when it is broken (as in
uktrade/tamato's business rules); `check(...)` raises a ValidationError, naming the field
where there is one. Services call them; each has a test in tests/section11/test_rules.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from lift.core.rules import BusinessRule

from .choices import ReturnStatus

if TYPE_CHECKING:
    from .models import Cycle, Framework, Section11Return

RS = ReturnStatus

# The return workflow as data: draft -> submitted -> under challenge -> moderated -> closed.
# A submitted return can go back to draft (the business unit returns it for more work).
TRANSITIONS: dict[str, frozenset[str]] = {
    RS.DRAFT: frozenset({RS.SUBMITTED}),
    RS.SUBMITTED: frozenset({RS.UNDER_CHALLENGE, RS.DRAFT}),
    RS.UNDER_CHALLENGE: frozenset({RS.MODERATED}),
    RS.MODERATED: frozenset({RS.CLOSED}),
    RS.CLOSED: frozenset(),
}


class ReturnTransitionAllowed(BusinessRule):
    """The return cannot move to that status from where it is now.

    Returns go draft, submitted, under challenge, moderated, closed.
    """

    @classmethod
    def check(cls, status: str, to: str) -> None:
        if to not in TRANSITIONS.get(status, frozenset()):
            raise cls.violation(
                f"{cls.message()} It is {RS(status).label.lower()}; it cannot become "
                f"{RS(to).label.lower()}."
            )


class RatingOnScale(BusinessRule):
    """Choose a rating from the framework's scale."""

    field = "self_rating"

    @classmethod
    def check(cls, value: str, allowed: Iterable[str], *, field: str | None = None) -> None:
        allowed = list(allowed)
        if value and value not in allowed:
            message = (
                f"{value!r} is not on the framework's scale. Choose one of: {', '.join(allowed)}."
            )
            if field or cls.field:
                raise ValidationError(
                    {field or cls.field or "": [ValidationError(message, code=cls.__name__)]}
                )
            raise ValidationError(message, code=cls.__name__)


class AgencyEditsOnlyDraft(BusinessRule):
    """This return has been submitted, so it can no longer be changed. Answer the panel's
    challenge questions instead."""

    @classmethod
    def check(cls, agency_return: Section11Return) -> None:
        if agency_return.status != RS.DRAFT:
            raise cls.violation()


class SubmitNeedsEveryRating(BusinessRule):
    """Rate every requirement before submitting the return."""

    @classmethod
    def check(cls, unanswered_refs: list[str]) -> None:
        if unanswered_refs:
            shown = ", ".join(unanswered_refs[:10])
            more = f" and {len(unanswered_refs) - 10} more" if len(unanswered_refs) > 10 else ""
            raise cls.violation(f"{cls.message()} Not yet rated: {shown}{more}.")


class CarriedForwardReviewed(BusinessRule):
    """Review every answer carried forward from the previous cycle before submitting."""

    @classmethod
    def check(cls, refs: list[str]) -> None:
        if refs:
            raise cls.violation(f"{cls.message()} Still to review: {', '.join(refs[:10])}.")


class PanelMemberNotOwnAgency(BusinessRule):
    """A panel member cannot sit on their own agency's challenge.

    Peer challenge is scrutiny by others: a member who works for (or holds a role for) the
    agency whose return the panel challenges must not sit on that panel.
    """

    @classmethod
    def check(cls, *, person: Any, member_agency_ids: set[int], return_agencies: list[Any]) -> None:
        for agency in return_agencies:
            if agency.pk in member_agency_ids:
                raise cls.violation(
                    f"{person} works for {agency.name}, whose return this panel challenges. "
                    f"{cls.message()}"
                )


class PanelNeedsLayMember(BusinessRule):
    """A peer challenge panel includes at least one lay member before it challenges a return."""

    @classmethod
    def check(cls, has_lay_member: bool) -> None:
        if not has_lay_member:
            raise cls.violation()


class ModerationNeedsEveryRating(BusinessRule):
    """Record a moderated rating for every requirement, and the panel's conclusion, before
    the return is moderated."""

    @classmethod
    def check(cls, missing_refs: list[str], conclusion: str) -> None:
        if missing_refs or not conclusion.strip():
            detail = f" Not yet moderated: {', '.join(missing_refs[:10])}." if missing_refs else ""
            if not conclusion.strip():
                detail += " The panel's conclusion is empty."
            raise cls.violation(cls.message() + detail)


class CycleCloseNeedsModeration(BusinessRule):
    """A cycle cannot close while a return is not moderated, unless a reason is recorded."""

    field = "reason"

    @classmethod
    def check(cls, unmoderated: list[str], reason: str) -> None:
        if unmoderated and not reason.strip():
            raise cls.violation(f"{cls.message()} Not moderated: {', '.join(unmoderated)}.")


class FrameworkInUse(BusinessRule):
    """This framework is used by a Section 11 cycle, so it cannot be deleted."""

    @classmethod
    def check(cls, framework: Framework, cycle_names: list[str]) -> None:
        if cycle_names:
            raise cls.violation(
                f"{framework} is used by the cycle(s) {', '.join(cycle_names)}, so it cannot "
                "be deleted. Load a newer version instead."
            )


class CycleAgenciesInPartnership(BusinessRule):
    """Every agency taking part must belong to the cycle's partnership."""

    field = "agencies"

    @classmethod
    def check(cls, partnership_id: int, agencies: Iterable[Any]) -> None:
        if any(a.partnership_id != partnership_id for a in agencies):
            raise cls.violation()


class FollowUpAfterSixMonths(BusinessRule):
    """The follow-up report of outstanding actions is due six months after the overview
    report went to the Board (reference/deadlines/common.yaml, "section11-follow-up")."""

    @classmethod
    def check(cls, board_date: Any) -> None:
        if board_date is None:
            raise cls.violation(
                "Record the date the overview report went to the Board before the six-month "
                "follow-up."
            )


def check_cycle(cycle: Cycle) -> None:
    """Single-object invariants of a cycle (its clean())."""
    errors: dict[str, str] = {}
    if cycle.starts_on and cycle.deadline and cycle.deadline < cycle.starts_on:
        errors["deadline"] = "The deadline must be on or after the start date."
    if cycle.deadline and cycle.challenge_starts_on and cycle.challenge_starts_on < cycle.deadline:
        errors["challenge_starts_on"] = "Peer challenge must start on or after the deadline."
    if (
        cycle.challenge_starts_on
        and cycle.challenge_ends_on
        and cycle.challenge_ends_on < cycle.challenge_starts_on
    ):
        errors["challenge_ends_on"] = "Peer challenge must end on or after the day it starts."
    if cycle.previous_id and cycle.pk and cycle.previous_id == cycle.pk:
        errors["previous"] = "A cycle cannot follow itself."
    if errors:
        raise ValidationError(errors)
