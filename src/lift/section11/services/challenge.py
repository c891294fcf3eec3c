"""Peer challenge and moderation: panels, questions and responses, moderated ratings,
closing the cycle."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lift.core import history
from lift.core.models import Person
from lift.core.roles import R

from .. import rules
from ..choices import CycleStatus
from ..models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    Panel,
    PanelMember,
    Section11Return,
    Standard,
)
from .cycles import RS, level_values
from .returns import _locked, _move

# --- peer challenge -----------------------------------------------------------------------


@transaction.atomic
def panel_create(
    *, cycle: Cycle, name: str, meets_on: dt.date | None = None, by: Person | None = None
) -> Panel:
    panel = Panel(partnership=cycle.partnership, cycle=cycle, name=name, meets_on=meets_on)
    panel.full_clean()
    with history.acting(actor=by):
        panel.save()
    return panel


def member_agency_ids(person: Person, partnership_id: int) -> set[int]:
    """The agencies a person works for or holds a role for in the partnership."""
    from lift.core.models import RoleAssignment

    ids = set(
        RoleAssignment.objects.current()
        .filter(person=person, partnership_id=partnership_id, agency__isnull=False)
        .values_list("agency_id", flat=True)
    )
    if person.agency_id:
        ids.add(person.agency_id)
    return ids


@transaction.atomic
def panel_member_add(
    *,
    panel: Panel,
    person: Person,
    is_lay: bool = False,
    is_chair: bool = False,
    by: Person | None = None,
) -> PanelMember:
    """Add a member (PanelMemberNotOwnAgency for the returns already assigned) and give them
    the panel's case-team role, which lets them see and challenge its returns."""
    from lift.core.services import role_assign

    assigned = [r.agency for r in panel.returns.select_related("agency")]
    rules.PanelMemberNotOwnAgency.check(
        person=person,
        member_agency_ids=member_agency_ids(person, panel.partnership_id),
        return_agencies=assigned,
    )
    member = PanelMember(
        partnership=panel.partnership, panel=panel, person=person, is_lay=is_lay, is_chair=is_chair
    )
    member.full_clean()
    with history.acting(actor=by):
        member.save()
        role_assign(partnership=panel.partnership, person=person, role=R.CASE_TEAM, case=panel)
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, by: Person | None = None) -> None:
    from lift.core.models import RoleAssignment
    from lift.core.services import role_end

    ct = ContentType.objects.get_for_model(Panel)
    with history.acting(actor=by, reason="Left the peer challenge panel"):
        for assignment in RoleAssignment.objects.current().filter(
            person=member.person, case_type=ct, case_id=member.panel_id, role=R.CASE_TEAM
        ):
            role_end(assignment=assignment)
        member.delete()


@transaction.atomic
def return_assign_panel(
    *, agency_return: Section11Return, panel: Panel, by: Person | None = None
) -> Section11Return:
    """Give the return to a panel of the same cycle; no member may be from the agency."""
    ret = _locked(agency_return)
    if panel.cycle_id != ret.cycle_id:
        raise ValidationError({"panel": "Choose a panel of the same cycle."})
    if ret.status in (RS.MODERATED, RS.CLOSED):
        raise ValidationError("The return has been moderated: its panel cannot change.")
    for member in panel.members.select_related("person"):
        rules.PanelMemberNotOwnAgency.check(
            person=member.person,
            member_agency_ids=member_agency_ids(member.person, ret.partnership_id),
            return_agencies=[ret.agency],
        )
    ret.panel = panel
    ret.full_clean()
    with history.acting(actor=by):
        ret.save()
    return ret


@transaction.atomic
def challenge_start(*, agency_return: Section11Return, by: Person | None) -> Section11Return:
    """The panel takes up a submitted return (it needs a panel with a lay member)."""
    ret = _locked(agency_return)
    if ret.panel is None:
        raise ValidationError("Assign the return to a peer challenge panel first.")
    rules.PanelNeedsLayMember.check(ret.panel.members.filter(is_lay=True).exists())
    _move(ret, RS.UNDER_CHALLENGE, by)
    return ret


@transaction.atomic
def question_ask(
    *, agency_return: Section11Return, standard: Standard, question: str, by: Person | None
) -> ChallengeQuestion:
    agency_return = Section11Return.objects.select_related("cycle").get(pk=agency_return.pk)
    if agency_return.status != RS.UNDER_CHALLENGE:
        raise ValidationError("Questions are asked while the return is under challenge.")
    if standard.framework_id != agency_return.cycle.framework_id:
        raise ValidationError({"standard": "Choose a standard of the cycle's framework."})
    q = ChallengeQuestion(
        partnership=agency_return.partnership,
        agency_return=agency_return,
        standard=standard,
        question=question.strip(),
        asked_by=by,
    )
    q.full_clean()
    with history.acting(actor=by):
        q.save()
    return q


@transaction.atomic
def question_respond(
    *, question: ChallengeQuestion, response: str, by: Person | None
) -> ChallengeQuestion:
    """The agency answers a challenge question: the only change it can make once submitted."""
    question = ChallengeQuestion.objects.select_related("agency_return").get(pk=question.pk)
    if question.agency_return.status != RS.UNDER_CHALLENGE:
        raise ValidationError("Responses are given while the return is under challenge.")
    if not response.strip():
        raise ValidationError({"response": "Enter the agency's response."})
    question.response = response.strip()
    question.responded_by = by
    question.responded_at = timezone.now()
    question.full_clean()
    with history.acting(actor=by):
        question.save()
    return question


@transaction.atomic
def answer_moderate(*, answer: Answer, rating: str, note: str = "", by: Person | None) -> Answer:
    """The panel's moderated rating beside the self-rating (on the framework's scale)."""
    answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer.pk)
    ret = Section11Return.objects.select_related("cycle__framework").get(pk=answer.agency_return_id)
    if ret.status != RS.UNDER_CHALLENGE:
        raise ValidationError("Ratings are moderated while the return is under challenge.")
    if not rating:
        raise ValidationError({"moderated_rating": "Choose the moderated rating."})
    rules.RatingOnScale.check(rating, level_values(ret.cycle.framework), field="moderated_rating")
    answer.moderated_rating = rating
    answer.moderation_note = note.strip()
    answer.full_clean()
    with history.acting(actor=by):
        answer.save()
    return answer


@transaction.atomic
def return_moderate(
    *,
    agency_return: Section11Return,
    conclusion: str,
    by: Person | None,
    today: dt.date | None = None,
) -> Section11Return:
    """Record the panel's conclusion: every requirement needs a moderated rating."""
    ret = _locked(agency_return)
    missing = list(
        Answer.objects.filter(agency_return=ret, moderated_rating="")
        .order_by("requirement__order")
        .values_list("requirement__ref", flat=True)
    )
    rules.ModerationNeedsEveryRating.check(missing, conclusion)
    ret.conclusion = conclusion.strip()
    ret.moderated_on = today or timezone.localdate()
    _move(ret, RS.MODERATED, by)
    return ret


@transaction.atomic
def cycle_close(
    *, cycle: Cycle, by: Person | None, reason: str = "", today: dt.date | None = None
) -> Cycle:
    """Close the cycle and its returns. CycleCloseNeedsModeration: a return not moderated
    needs a recorded reason, which is kept on each such return and on the cycle."""
    cycle = Cycle.objects.select_for_update(of=("self",)).get(pk=cycle.pk)
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError("The cycle is already closed.")
    returns = list(cycle.returns.select_related("agency").select_for_update(of=("self",)))
    unmoderated = [r for r in returns if r.status not in (RS.MODERATED, RS.CLOSED)]
    rules.CycleCloseNeedsModeration.check([r.agency.name for r in unmoderated], reason)
    with history.acting(actor=by, reason=reason.strip() or "Cycle closed"):
        for ret in returns:
            if ret.status == RS.CLOSED:
                continue
            if ret.status != RS.MODERATED:
                ret.unmoderated_reason = reason.strip()
            ret.status = RS.CLOSED
            ret.save()
        cycle.status = CycleStatus.CLOSED
        cycle.closed_on = today or timezone.localdate()
        cycle.close_reason = reason.strip() if unmoderated else ""
        cycle.full_clean()
        cycle.save()
    return cycle
