"""The named rules of the learning chain.

Each rule is a class whose docstring is the message shown when it is broken (as in
uktrade/tamato's business rules). `check(...)` raises a ValidationError naming the field
the rule is about, so forms and the API show it beside the right input. Services call
them; each has its own test in tests/learning/test_rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from lift.core.models import Agency
from lift.core.rules import BusinessRule

from .choices import ActionStatus, Addressee, EvidenceKind, Response
from .models import Action, Finding, LibraryItem

S = ActionStatus

# The action workflow as data: from each status, the statuses it may move to.
# proposed -> agreed -> in progress -> completed -> evidenced -> closed (impact verified),
# plus "not accepted" (from proposed or agreed) and "superseded" (from any live status).
# Completed and evidenced actions can be reopened (back to in progress) with a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.AGREED, S.NOT_ACCEPTED, S.SUPERSEDED}),
    S.AGREED: frozenset({S.IN_PROGRESS, S.NOT_ACCEPTED, S.SUPERSEDED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.SUPERSEDED}),
    S.COMPLETED: frozenset({S.EVIDENCED, S.IN_PROGRESS, S.SUPERSEDED}),
    S.EVIDENCED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.NOT_ACCEPTED: frozenset(),
    S.SUPERSEDED: frozenset(),
}
# Moves back in the workflow: each needs a reason.
REOPENING = frozenset({(S.COMPLETED, S.IN_PROGRESS), (S.EVIDENCED, S.IN_PROGRESS)})
# Roles that verify impact are declared on Action.access as the "verify" action.
VERIFY = "verify"


def allowed_moves(status: str) -> list[str]:
    """The statuses an action in `status` may move to, in workflow order."""
    order = list(S.values)
    return sorted(TRANSITIONS.get(status, frozenset()), key=order.index)


class ActionTransitionAllowed(BusinessRule):
    """This action cannot move to that status from where it is now.

    The workflow is proposed, agreed, in progress, completed, evidenced, closed (impact
    verified); an action can also be not accepted (before work starts) or superseded.
    """

    field = "to"

    @classmethod
    def check(cls, action: Action, to: str) -> None:
        if to not in TRANSITIONS.get(action.status, frozenset()):
            moves = ", ".join(ActionStatus(m).label.lower() for m in allowed_moves(action.status))
            extra = f" From {action.get_status_display().lower()} it can move to: {moves}."
            raise cls.violation(cls.message() + (extra if moves else " It is finished."))


class ActionClosedNeedsEvidenceAndImpact(BusinessRule):
    """An action cannot be closed without evidence and a verified impact check."""

    @classmethod
    def check(cls, action: Action) -> None:
        has_evidence = action.evidence.exists()
        has_verified_check = action.impact_checks.filter(verified_on__isnull=False).exists()
        if not (has_evidence and has_verified_check):
            raise cls.violation()


class ActionEvidencedNeedsEvidence(BusinessRule):
    """An action can only be marked evidenced once evidence (a file, a link or a note) has
    been added to it."""

    @classmethod
    def check(cls, action: Action) -> None:
        if not action.evidence.exists():
            raise cls.violation()


class ImpactVerifiedByOversight(BusinessRule):
    """Only the Board, the Chair or the business unit can verify an action's impact."""

    @classmethod
    def check(cls, action: Action, by: Any) -> None:
        if not Action.access.allows(by, VERIFY, action.partnership_id):
            raise cls.violation()


class DueDateChangeNeedsReason(BusinessRule):
    """Give a reason for moving the due date. The original due date is kept."""

    field = "reason"

    @classmethod
    def check(cls, current: dt.date, new: dt.date | None, reason: str) -> None:
        if new is not None and new != current and not reason.strip():
            raise cls.violation()


class ActionCompletedNeedsProgress(BusinessRule):
    """An action can only be marked completed once at least one progress update says what
    was done."""

    @classmethod
    def check(cls, action: Action) -> None:
        if not action.updates.filter(is_progress=True).exists():
            raise cls.violation()


class EvidenceNeedsContent(BusinessRule):
    """Evidence needs a file, a link or a note: add the one that matches its kind."""

    @classmethod
    def check(cls, *, kind: str, url: str, note: str, has_file: bool) -> None:
        needed = {
            EvidenceKind.FILE: ("uploaded_file", has_file, "Select the file to upload."),
            EvidenceKind.LINK: ("url", bool(url.strip()), "Enter the link to the evidence."),
            EvidenceKind.NOTE: ("note", bool(note.strip()), "Write the note."),
        }
        if kind not in needed:
            raise ValidationError({"kind": "Choose whether the evidence is a file, link or note."})
        field, present, hint = needed[EvidenceKind(kind)]
        if not present:
            raise ValidationError({field: [ValidationError(f"{cls.message()} {hint}")]})


class SupersededNeedsReplacement(BusinessRule):
    """A superseded action must name the action that replaces it."""

    field = "superseded_by"

    @classmethod
    def check(cls, action: Action, replacement: Action | None) -> None:
        if replacement is None:
            raise cls.violation()
        if replacement.pk == action.pk:
            raise cls.violation("An action cannot be superseded by itself.")
        if replacement.partnership_id != action.partnership_id:
            raise cls.violation("The replacing action must belong to the same partnership.")


class ReasonRequired(BusinessRule):
    """Give a reason."""

    field = "reason"

    @classmethod
    def check(cls, reason: str) -> None:
        if not reason.strip():
            raise cls.violation()


class ActionNotAcceptedNeedsReason(ReasonRequired):
    """Give the reason the action is not accepted."""


class ActionReopenNeedsReason(ReasonRequired):
    """Give the reason the action is being reopened."""


class RecommendationResponseNeedsReason(BusinessRule):
    """Give the reason a recommendation is not accepted or only partly accepted."""

    field = "reason"

    @classmethod
    def check(cls, response: str, reason: str) -> None:
        if response in (Response.NOT_ACCEPTED, Response.PARTLY) and not reason.strip():
            raise cls.violation()


class RecommendationAgenciesNamed(BusinessRule):
    """Name at least one agency this is addressed to."""

    field = "agencies"

    @classmethod
    def check(cls, addressee: str, agencies: Iterable[Agency], partnership_id: int) -> None:
        agencies = list(agencies)
        if addressee == Addressee.AGENCIES and not agencies:
            raise cls.violation()
        if any(a.partnership_id != partnership_id for a in agencies):
            raise cls.violation("Choose agencies of this partnership.")


class LessonAppliesLocallyFirst(BusinessRule):
    """A lesson from the learning library becomes a recommendation only once the Learning
    and Improvement sub-group has judged that it applies locally."""

    @classmethod
    def check(cls, finding: Finding) -> None:
        if finding.source_type_id is None or finding.applies_locally is True:
            return
        if finding.source_type_id == ContentType.objects.get_for_model(LibraryItem).pk:
            raise cls.violation()


RULES: tuple[type[BusinessRule], ...] = (
    ActionTransitionAllowed,
    ActionClosedNeedsEvidenceAndImpact,
    ActionEvidencedNeedsEvidence,
    ImpactVerifiedByOversight,
    DueDateChangeNeedsReason,
    ActionCompletedNeedsProgress,
    EvidenceNeedsContent,
    SupersededNeedsReplacement,
    ActionNotAcceptedNeedsReason,
    ActionReopenNeedsReason,
    RecommendationResponseNeedsReason,
    RecommendationAgenciesNamed,
    LessonAppliesLocallyFirst,
)
