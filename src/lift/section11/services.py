"""Section 11 workflows: open a cycle, answer and submit a return, peer challenge and
moderation, close the cycle, the overview report to the Board and the six-month follow-up.

Opening a cycle creates every return and every answer row with bulk_create. bulk_create
sends no post_save signals, so the change log would miss the returns: `_log_created` writes
one ChangeLog "create" entry per return in a single bulk insert (same fields as
core.history writes for a normal save). The answer rows are not logged one by one: each
return's entry records how many answers it was opened with, and every later change to an
answer is logged normally (answers are saved with .save()).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from lift.core import history
from lift.core.models import Agency, Attachment, ChangeLog, Partnership, Person
from lift.core.roles import R

from . import rules
from .choices import CycleStatus, ReturnStatus
from .models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    Escalation,
    FollowUp,
    Framework,
    OverviewReport,
    Panel,
    PanelMember,
    Requirement,
    Section11Return,
    Standard,
)

RS = ReturnStatus
FOLLOW_UP_RULE = "section11-follow-up"


# --- frameworks ---------------------------------------------------------------------------


@transaction.atomic
def framework_delete(*, framework: Framework, by: Person | None, reason: str = "") -> None:
    """Delete a framework version no cycle uses (FrameworkInUse otherwise)."""
    names = list(framework.cycles.order_by("name").values_list("name", flat=True))
    rules.FrameworkInUse.check(framework, names)
    try:
        with history.acting(actor=by, reason=reason):
            framework.delete()
    except ProtectedError as exc:  # a cycle created meanwhile
        raise rules.FrameworkInUse.violation() from exc


@transaction.atomic
def framework_upload(
    *, partnership: Partnership, data: bytes, file_name: str, by: Person | None
) -> Framework:
    """Load an uploaded framework file as the partnership's own version, through the same
    validating loader as reference/section11/ (frameworks.parse_upload, framework_load).

    A malformed file, an older version than one loaded, changed content under a version a
    cycle uses, or the same version again unchanged is refused with the loader's message
    (ValidationError on "file") and nothing is stored."""
    from django.core.exceptions import ImproperlyConfigured

    from .frameworks import framework_load, parse_upload

    try:
        parsed = parse_upload(data, file_name)
        with history.acting(actor=by, reason=f"Framework uploaded from {parsed.shown}"):
            framework, created = framework_load(parsed=parsed, partnership=partnership)
    except ImproperlyConfigured as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not created:
        raise ValidationError(
            {
                "file": f"{parsed.shown}: version {parsed.version} of {parsed.urn} is already "
                "loaded with exactly this content, so nothing changed."
            }
        )
    return framework


def level_values(framework: Framework) -> list[str]:
    return list(framework.scale.levels.order_by("order").values_list("value", flat=True))


# --- cycles -------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    partnership: Partnership,
    name: str,
    framework: Framework,
    agencies: Iterable[Agency],
    starts_on: dt.date,
    deadline: dt.date,
    challenge_starts_on: dt.date,
    challenge_ends_on: dt.date,
    previous: Cycle | None = None,
    by: Person | None = None,
) -> Cycle:
    """Plan a cycle: the framework version, the agencies taking part and the dates."""
    agencies = list(agencies)
    rules.CycleAgenciesInPartnership.check(partnership.pk, agencies)
    if framework.partnership_id not in (None, partnership.pk):
        raise ValidationError({"framework": "Choose a framework of this partnership."})
    if previous is not None and previous.partnership_id != partnership.pk:
        raise ValidationError({"previous": "Choose a cycle of this partnership."})
    cycle = Cycle(
        partnership=partnership,
        name=name,
        framework=framework,
        previous=previous,
        starts_on=starts_on,
        deadline=deadline,
        challenge_starts_on=challenge_starts_on,
        challenge_ends_on=challenge_ends_on,
    )
    cycle.full_clean()
    with history.acting(actor=by):
        cycle.save()
        cycle.agencies.set(agencies)
    return cycle


def _log_created(objs: list[Any], reason: str) -> None:
    """One change-log "create" entry per object created with bulk_create (no signals)."""
    if not objs:
        return
    ctx = history.current()
    actor = ctx.actor if getattr(ctx.actor, "pk", None) else None
    content_type = ContentType.objects.get_for_model(type(objs[0]))
    ChangeLog.objects.bulk_create(
        [
            ChangeLog(
                partnership_id=obj.partnership_id,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                action=ChangeLog.Action.CREATE,
                actor=actor,
                actor_repr=str(actor)[:300] if actor else "",
                source=ctx.source,
                reason=reason or ctx.reason,
                changes={
                    k: [None, v]
                    for k, v in history.snapshot(obj).items()
                    if v not in (None, "", [], {})
                },
                restricted_fields=[],
            )
            for obj in objs
        ],
        batch_size=500,
    )


@transaction.atomic
def cycle_open(
    *,
    cycle: Cycle,
    by: Person | None = None,
    carry_forward: Iterable[Agency] = (),
    today: dt.date | None = None,
) -> list[Section11Return]:
    """Open the cycle: every participating agency gets a draft return with one answer row
    per requirement of the framework, all created in bulk. Agencies in `carry_forward` start
    from their previous-cycle answers (matched by requirement URN, so a newer framework
    version still matches) and evidence, each marked for review."""
    cycle = (
        Cycle.objects.select_for_update(of=("self",)).select_related("framework").get(pk=cycle.pk)
    )
    if cycle.status != CycleStatus.PLANNED:
        raise ValidationError("This cycle is already open.")
    agencies = list(cycle.agencies.order_by("name"))
    if not agencies:
        raise ValidationError({"agencies": "Choose the agencies taking part before opening."})
    carry_ids = {a.pk for a in carry_forward}
    requirements = list(Requirement.objects.filter(framework=cycle.framework).order_by("order"))
    scale = set(level_values(cycle.framework))

    previous_answers: dict[int, dict[str, Answer]] = {}
    previous_returns: dict[int, Section11Return] = {}
    if carry_ids:
        if cycle.previous_id is None:
            raise ValidationError("Choose the previous cycle before carrying answers forward.")
        for old_return in Section11Return.objects.filter(
            cycle_id=cycle.previous_id, agency_id__in=carry_ids
        ):
            previous_returns[old_return.agency_id] = old_return
        for old in Answer.objects.filter(
            agency_return__in=list(previous_returns.values())
        ).select_related("requirement"):
            previous_answers.setdefault(old.agency_return.agency_id, {})[old.requirement.urn] = old
        missing = [a.name for a in agencies if a.pk in carry_ids and a.pk not in previous_returns]
        if missing:
            raise ValidationError(
                f"No return in the previous cycle to carry forward for: {', '.join(missing)}."
            )

    with history.acting(actor=by):
        returns = Section11Return.objects.bulk_create(
            [
                Section11Return(
                    partnership=cycle.partnership,
                    cycle=cycle,
                    agency=agency,
                    carried_forward_from=previous_returns.get(agency.pk),
                )
                for agency in agencies
            ]
        )
        for ret, agency in zip(returns, agencies, strict=True):
            ret.cycle, ret.agency = cycle, agency
        _log_created(
            returns,
            f"Cycle {cycle.name} opened: {len(requirements)} requirements to answer.",
        )
        answers = []
        for ret in returns:
            old_by_urn = previous_answers.get(ret.agency_id, {})
            for req in requirements:
                carried = old_by_urn.get(req.urn)
                answer = Answer(partnership=cycle.partnership, agency_return=ret, requirement=req)
                if carried is not None:
                    answer.self_rating = carried.self_rating if carried.self_rating in scale else ""
                    answer.narrative = carried.narrative
                    answer.evidence_links = carried.evidence_links
                    answer.needs_review = True
                    answer.carried_from = carried
                answers.append(answer)
        Answer.objects.bulk_create(answers, batch_size=1000)
        if previous_answers:
            _carry_attachments([a for a in answers if a.carried_from_id])
        cycle.status = CycleStatus.OPEN
        cycle.opened_on = today or timezone.localdate()
        cycle.save()
    return returns


def _carry_attachments(answers: list[Answer]) -> None:
    """Evidence files of carried-forward answers: new Attachment rows for the same stored
    files, attached to the new answers (so the new return's permissions apply)."""
    answer_type = ContentType.objects.get_for_model(Answer)
    by_old = {a.carried_from_id: a for a in answers}
    old_files = Attachment.objects.filter(content_type=answer_type, object_id__in=list(by_old))
    Attachment.objects.bulk_create(
        [
            Attachment(
                partnership_id=f.partnership_id,
                content_type=answer_type,
                object_id=by_old[f.object_id].pk,
                file=f.file.name,
                original_name=f.original_name,
                media_type=f.media_type,
                size=f.size,
                sha256=f.sha256,
                description=f.description or "Carried forward from the previous cycle",
                uploaded_by=f.uploaded_by,
            )
            for f in old_files
        ],
        batch_size=500,
    )


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


# --- overview report, Board and follow-up -------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@transaction.atomic
def overview_create(
    *,
    cycle: Cycle,
    summary: str,
    key_areas: str,
    common_themes: str = "",
    by: Person | None = None,
    themes: Iterable[str] = (),
) -> OverviewReport:
    """Write the overview report. Each key area for improvement becomes a finding and a
    recommendation to the partnership in the learning chain, with the cycle as source."""
    from lift.learning.services import finding_create, recommendation_create

    if OverviewReport.objects.filter(cycle=cycle).exists():
        raise ValidationError("The cycle already has an overview report: change it instead.")
    areas = _lines(key_areas)
    if not areas:
        raise ValidationError({"key_areas": "Enter at least one key area for improvement."})
    report = OverviewReport(
        partnership=cycle.partnership,
        cycle=cycle,
        summary=summary.strip(),
        key_areas="\n".join(areas),
        common_themes="\n".join(_lines(common_themes)),
        prepared_by=by,
    )
    report.full_clean()
    with history.acting(actor=by):
        report.save()
        for area in areas:
            finding = finding_create(
                source=cycle,
                title=area[:250],
                text=f"Key area for improvement from the Section 11 cycle {cycle.name}: {area}",
                themes=list(themes),
                recorded_by=by,
            )
            recommendation_create(
                source=cycle,
                text=f"Partners should address: {area}",
                findings=[finding],
                themes=list(themes),
            )
    return report


@transaction.atomic
def overview_present(
    *,
    report: OverviewReport,
    board_date: dt.date,
    by: Person | None,
    meeting: Any = None,
) -> Any:
    """The overview report goes to the Board on `board_date`: starts the six-month
    follow-up clock (reference/deadlines/common.yaml "section11-follow-up") and, given a
    governance meeting, puts the report on its agenda. Returns the clock. A corrected
    Board date restarts the clock (core's `clocks_restart_from`): its due date and state
    follow, a follow-up already presented stays met on its day, and the clock's history
    gives both dates."""
    from lift.core.clocks import clock_start, clocks_for, clocks_restart_from

    report = OverviewReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    was = report.board_date
    report.board_date = board_date
    report.full_clean()
    with history.acting(actor=by):
        report.save()
        clock = clocks_for(report, rule=FOLLOW_UP_RULE).exclude(state="stopped").first()
        if clock is None:
            clock = clock_start(subject=report, rule=FOLLOW_UP_RULE, started_on=board_date)
        elif was is not None and was != board_date:
            clocks_restart_from(
                subject=report,
                event="overview-report",
                started_on=board_date,
                reason=f"The Board date was corrected from {was:%-d %B %Y} to "
                f"{board_date:%-d %B %Y}.",
            )
            clock.refresh_from_db()
        _agenda(report, meeting, by)
    return clock


def _agenda(report: OverviewReport, meeting: Any, by: Person | None) -> None:
    if meeting is None:
        return
    from django.apps import apps

    if not apps.is_installed("lift.governance"):
        return
    from lift.governance.services import agenda_item_add

    agenda_item_add(meeting=meeting, title=str(report), by=by, linked=report)


def follow_up_clock(report: OverviewReport) -> Any:
    from lift.core.clocks import clocks_for

    return clocks_for(report, rule=FOLLOW_UP_RULE).first()


@transaction.atomic
def follow_up_generate(
    *, report: OverviewReport, by: Person | None = None, today: dt.date | None = None
) -> FollowUp:
    """Generate the six-month report of outstanding actions for the Board (idempotent)."""
    report = OverviewReport.objects.get(pk=report.pk)
    rules.FollowUpAfterSixMonths.check(report.board_date)
    existing = FollowUp.objects.filter(report=report).first()
    if existing is not None:
        return existing
    follow_up = FollowUp(
        partnership=report.partnership, report=report, generated_on=today or timezone.localdate()
    )
    follow_up.full_clean()
    with history.acting(actor=by):
        follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_present(*, follow_up: FollowUp, board_date: dt.date, by: Person | None) -> FollowUp:
    """The follow-up went to the Board: the follow-up clock is met on that date."""
    from lift.core.clocks import clock_meet

    follow_up = FollowUp.objects.select_for_update(of=("self",)).get(pk=follow_up.pk)
    follow_up.board_date = board_date
    follow_up.full_clean()
    with history.acting(actor=by):
        follow_up.save()
        clock = follow_up_clock(follow_up.report)
        if clock is not None and clock.is_open:
            clock_meet(clock=clock, on=board_date)
    return follow_up


@transaction.atomic
def escalation_record(
    *,
    follow_up: FollowUp,
    agency: Agency,
    addressee: str,
    letter_text: str,
    by: Person | None,
    letter_date: dt.date | None = None,
) -> Escalation:
    """The Chair writes to the agency's senior management about its overdue actions; the
    overdue actions go on the Chair's escalated list in the learning chain."""
    from lift.learning.services import action_escalate

    from .selectors import outstanding_actions

    today = letter_date or timezone.localdate()
    overdue = [
        a
        for a in outstanding_actions(follow_up.report.cycle, today=today)
        if a.owner_agency_id == agency.pk and a.due_on < today
    ]
    if not overdue:
        raise ValidationError({"agency": f"{agency.name} has no overdue Section 11 action."})
    esc = Escalation(
        partnership=follow_up.partnership,
        follow_up=follow_up,
        agency=agency,
        addressee=addressee.strip(),
        letter_date=today,
        letter_text=letter_text.strip(),
        overdue_count=len(overdue),
        sent_by=by,
    )
    esc.full_clean()
    with history.acting(actor=by):
        esc.save()
        for action in overdue:
            action_escalate(
                action=action, by=by, today=today, reason="Section 11 follow-up: Chair's letter"
            )
    return esc


@transaction.atomic
def escalation_response_record(
    *, escalation: Escalation, response: str, response_on: dt.date, by: Person | None
) -> Escalation:
    if not response.strip():
        raise ValidationError({"response": "Enter the agency's response."})
    if response_on < escalation.letter_date:
        raise ValidationError({"response_on": "The response cannot be before the letter."})
    escalation.response = response.strip()
    escalation.response_on = response_on
    escalation.full_clean()
    with history.acting(actor=by):
        escalation.save()
    return escalation


def follow_up_due(today: dt.date) -> int:
    """Tick step: generate the follow-up for every report whose six-month clock is due
    (idempotent: a report with a follow-up is skipped)."""
    from lift.core.models import Clock

    ct = ContentType.objects.get_for_model(OverviewReport)
    due_ids = Clock.objects.filter(content_type=ct, due_on__lte=today).values_list(
        "object_id", flat=True
    )
    done = 0
    for report in OverviewReport.objects.filter(
        pk__in=list(due_ids), follow_up__isnull=True, board_date__isnull=False
    ):
        follow_up_generate(report=report, today=today)
        done += 1
    return done
