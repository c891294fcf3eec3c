"""The agency's Section 11 return: answers, actions, progress, submitting and reopening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone

from lift.core import history
from lift.core.models import Person

from .. import rules
from ..models import (
    Answer,
    Section11Return,
)
from .cycles import RS, level_values

# --- the agency's return ------------------------------------------------------------------

_url = URLValidator(schemes=["https"])


def clean_links(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        try:
            _url(line)
        except ValidationError:
            raise ValidationError(
                {"evidence_links": f"{line!r} is not a web address starting https://."}
            ) from None
    return "\n".join(lines)


@transaction.atomic
def answer_save(
    *,
    answer: Answer,
    by: Person | None,
    self_rating: str,
    narrative: str = "",
    evidence_links: str = "",
    files: Iterable[UploadedFile] = (),
) -> Answer:
    """Answer one requirement of a draft return: the self-rating (on the framework's scale),
    the narrative, evidence links and files. Saving reviews a carried-forward answer."""
    answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
    ret = Section11Return.objects.select_related("cycle__framework").get(pk=answer.agency_return_id)
    rules.AgencyEditsOnlyDraft.check(ret)
    rules.RatingOnScale.check(self_rating, level_values(ret.cycle.framework))
    answer.self_rating = self_rating
    answer.narrative = narrative.strip()
    answer.evidence_links = clean_links(evidence_links)
    answer.needs_review = False
    answer.answered_by = by
    answer.answered_at = timezone.now()
    answer.full_clean()
    with history.acting(actor=by):
        answer.save()
        if files:
            from lift.core.files import attachment_create

            for f in files:
                attachment_create(subject=answer, uploaded_file=f, uploaded_by=by)
    return answer


@transaction.atomic
def return_action_add(
    *,
    agency_return: Section11Return,
    by: Person | None,
    title: str,
    due_on: dt.date,
    success_measure: str,
    owner: Person | None = None,
    description: str = "",
) -> Any:
    """An action of the agency's plan, in the learning chain with the return as its source.
    Allowed until the return is closed (plans also follow challenge)."""
    from lift.learning.choices import ActionStatus
    from lift.learning.services import action_create

    if agency_return.status == RS.CLOSED:
        raise ValidationError("The return is closed: add actions to the next cycle's return.")
    with history.acting(actor=by):
        return action_create(
            title=title,
            description=description,
            owner_agency=agency_return.agency,
            owner=owner,
            due_on=due_on,
            success_measure=success_measure,
            source=agency_return,
            status=ActionStatus.AGREED,
            partnership=agency_return.partnership,
        )


def progress(agency_return: Section11Return) -> tuple[int, int]:
    """(answered, total) for one return (one query)."""
    counts = Answer.objects.filter(agency_return=agency_return).aggregate(
        total=models.Count("pk"), answered=models.Count("pk", filter=~models.Q(self_rating=""))
    )
    return counts["answered"], counts["total"]


def _move(ret: Section11Return, to: str, by: Person | None, reason: str = "") -> None:
    rules.ReturnTransitionAllowed.check(ret.status, to)
    ret.status = to
    ret.full_clean()
    with history.acting(actor=by, reason=reason or None):
        ret.save()


def _locked(ret: Section11Return) -> Section11Return:
    return (
        Section11Return.objects.select_for_update(of=("self",))
        .select_related("cycle__framework", "agency", "panel")
        .get(pk=ret.pk)
    )


@transaction.atomic
def return_submit(
    *, agency_return: Section11Return, by: Person | None, today: dt.date | None = None
) -> Section11Return:
    """The safeguarding lead submits the return: every requirement rated, every carried
    answer reviewed. It is then read-only for the agency."""
    ret = _locked(agency_return)
    rules.ReturnTransitionAllowed.check(ret.status, RS.SUBMITTED)
    answers = Answer.objects.filter(agency_return=ret).select_related("requirement")
    rules.SubmitNeedsEveryRating.check([a.requirement.ref for a in answers if not a.self_rating])
    rules.CarriedForwardReviewed.check([a.requirement.ref for a in answers if a.needs_review])
    ret.submitted_on = today or timezone.localdate()
    ret.submitted_by = by
    _move(ret, RS.SUBMITTED, by)
    return ret


@transaction.atomic
def return_reopen(*, agency_return: Section11Return, by: Person | None, reason: str) -> None:
    """The business unit sends a submitted return back to the agency as a draft."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason the return goes back to the agency."})
    ret = _locked(agency_return)
    ret.submitted_on = None
    _move(ret, RS.DRAFT, by, reason.strip())
