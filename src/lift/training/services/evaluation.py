"""Evaluation (Kirkpatrick): reaction and before/after questionnaires, the impact follow-up
months later to a sample of attendees and their line managers, reminders, and turning
evidence into learning-chain findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lift.core.calendar import add_working_days
from lift.core.models import Person
from lift.core.notify import notify
from lift.core.todo import notifications_done
from lift.learning.choices import FindingKind
from lift.learning.models import Finding, Theme
from lift.learning.services import finding_create

from .. import questionsets, rules
from ..choices import (
    KIND_QUESTION_SET,
    Attendance,
    EvaluationKind,
    FollowUpRole,
    FollowUpStatus,
    SessionStatus,
)
from ..models import Booking, Evaluation, FollowUp, TrainingSession
from .programme import training_settings

SCORE_FIELDS = {
    EvaluationKind.REACTION: "reaction_score",
    EvaluationKind.PRE: "pre_score",
    EvaluationKind.POST: "post_score",
}


def _store(
    *, booking: Booking, kind: str, respondent: Person, answers: Mapping[str, Any], today: dt.date
) -> Evaluation:
    question_set = questionsets.current(KIND_QUESTION_SET[EvaluationKind(kind)])
    try:
        clean = questionsets.clean_answers(question_set, dict(answers))
    except ValueError as exc:
        raise ValidationError(list(exc.args[0])) from None
    evaluation = Evaluation(
        partnership=booking.partnership,
        booking=booking,
        kind=kind,
        respondent=respondent,
        question_set=question_set,
        answers=clean,
        score=questionsets.score(question_set, clean),
        submitted_on=today,
    )
    evaluation.full_clean()
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as exc:
        raise ValidationError("This questionnaire has already been answered.") from exc
    field = SCORE_FIELDS.get(EvaluationKind(kind))
    if field is not None:
        setattr(booking, field, evaluation.score)
        booking.save(update_fields=[field, "updated_at"])
    return evaluation


@transaction.atomic
def evaluation_submit(
    *,
    booking: Booking,
    kind: str,
    respondent: Person,
    answers: Mapping[str, Any],
    today: dt.date | None = None,
) -> Evaluation:
    """The learner answers the reaction form or the before/after questions (the version of
    the question set answered is stored with the answers)."""
    today = today or timezone.localdate()
    booking = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
    if respondent.pk != booking.learner_id:
        raise PermissionDenied("Only the learner answers their own evaluation.")
    rules.evaluation_allowed(booking, kind, today)
    evaluation = _store(
        booking=booking, kind=kind, respondent=respondent, answers=answers, today=today
    )
    after = {EvaluationKind.REACTION, EvaluationKind.POST}
    if kind in after and after <= set(booking.evaluations.values_list("kind", flat=True)):
        notifications_done(f"training:booking:{booking.pk}:evaluate")  # both answered
    return evaluation


@transaction.atomic
def follow_up_send(*, booking: Booking, role: str, today: dt.date | None = None) -> FollowUp:
    """Ask an attendee (or their line manager) for evidence of the training's impact.
    Refused for anyone who did not attend."""
    today = today or timezone.localdate()
    booking = Booking.objects.select_related("learner__line_manager", "session__course").get(
        pk=booking.pk
    )
    rules.follow_up_only_for_attendees(booking)
    if role == FollowUpRole.MANAGER:
        respondent = booking.learner.line_manager
        if respondent is None:
            raise ValidationError(f"{booking.learner} has no line manager recorded.")
    else:
        respondent = booking.learner
    existing = FollowUp.objects.filter(booking=booking, role=role).first()
    if existing is not None:
        return existing
    follow_up = FollowUp(
        partnership=booking.partnership,
        booking=booking,
        role=role,
        respondent=respondent,
        sent_on=today,
    )
    follow_up.full_clean()
    follow_up.save()
    course = booking.session.course.title
    if role == FollowUpRole.MANAGER:
        title = f"What difference has training made? {booking.learner} attended {course}"
        body = (
            f"{booking.learner} attended {course} on {booking.session.dates_text}. Please tell "
            "us, with evidence, how it has changed their practice."
        )
    else:
        title = f"What difference has {course} made to your practice?"
        body = (
            f"You attended {course} on {booking.session.dates_text}. Please tell us, with a "
            "concrete example, how you have used the learning."
        )
    notify(
        person=respondent,
        key=f"training:followup:{follow_up.pk}:sent",
        title=title,
        body=body,
        url=follow_up.get_absolute_url(),
        partnership=booking.partnership,
    )
    return follow_up


def follow_ups_due(today: dt.date) -> int:
    """Tick step: for each session whose follow-up interval has passed, pick the sample of
    attendees (reproducible, seeded by the session) and ask them and their line managers.
    A session is sampled once, so running the tick again sends nothing new."""
    sent = 0
    candidates = (
        TrainingSession.objects.filter(
            follow_ups_sampled_on__isnull=True,
            status=SessionStatus.SCHEDULED,
            ends_on__lt=today,
            bookings__attendance=Attendance.ATTENDED,
        )
        .select_related("partnership", "course")
        .distinct()
        .order_by("ends_on", "pk")
    )
    for session in candidates.iterator(chunk_size=200):
        conf = training_settings(session.partnership)
        if rules.follow_up_due_on(session, conf) > today:
            continue
        with transaction.atomic():
            locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
            if locked.follow_ups_sampled_on is not None:
                continue
            attended = list(
                Booking.objects.filter(session=session, attendance=Attendance.ATTENDED).values_list(
                    "pk", "learner__line_manager_id"
                )
            )
            chosen = set(
                rules.follow_up_sample(
                    session.pk, [pk for pk, _ in attended], conf.follow_up_sample_percent
                )
            )
            for pk, manager_id in attended:
                if pk not in chosen:
                    continue
                booking = Booking.objects.get(pk=pk)
                booking.follow_up_selected = True
                booking.save(update_fields=["follow_up_selected", "updated_at"])
                follow_up_send(booking=booking, role=FollowUpRole.PARTICIPANT, today=today)
                sent += 1
                if manager_id is not None:
                    follow_up_send(booking=booking, role=FollowUpRole.MANAGER, today=today)
                    sent += 1
            locked.follow_ups_sampled_on = today
            locked.save(update_fields=["follow_ups_sampled_on", "updated_at"])
    return sent


def follow_up_reminders(today: dt.date) -> int:
    """Tick step: one reminder for each follow-up not answered after the partnership's
    reminder interval."""
    sent = 0
    pending = (
        FollowUp.objects.filter(status=FollowUpStatus.SENT, sent_on__lt=today)
        .select_related("respondent", "partnership", "booking__session__course")
        .order_by("pk")
    )
    for follow_up in pending.iterator(chunk_size=500):
        conf = training_settings(follow_up.partnership)
        if add_working_days(follow_up.sent_on, conf.follow_up_reminder_days) > today:
            continue
        with transaction.atomic():
            locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
            if locked.status != FollowUpStatus.SENT:
                continue
            locked.status = FollowUpStatus.REMINDED
            locked.reminded_on = today
            locked.save(update_fields=["status", "reminded_on", "updated_at"])
            notify(
                person=follow_up.respondent,
                key=f"training:followup:{follow_up.pk}:reminder",
                title=f"Reminder: impact of {follow_up.booking.session.course.title}",
                body="We have not yet had your answer about the difference the training made.",
                url=follow_up.get_absolute_url(),
                partnership=follow_up.partnership,
            )
            sent += 1
    return sent


@transaction.atomic
def follow_up_answer(
    *,
    follow_up: FollowUp,
    respondent: Person,
    answers: Mapping[str, Any],
    today: dt.date | None = None,
) -> Evaluation:
    """The attendee or manager answers the impact follow-up."""
    today = today or timezone.localdate()
    follow_up = FollowUp.objects.select_for_update().select_related("booking").get(pk=follow_up.pk)
    if respondent.pk != follow_up.respondent_id:
        raise PermissionDenied("This follow-up was sent to someone else.")
    if follow_up.status == FollowUpStatus.ANSWERED:
        raise ValidationError("This follow-up has already been answered.")
    evaluation = _store(
        booking=follow_up.booking,
        kind=follow_up.evaluation_kind,
        respondent=respondent,
        answers=answers,
        today=today,
    )
    follow_up.evaluation = evaluation
    follow_up.status = FollowUpStatus.ANSWERED
    follow_up.save(update_fields=["evaluation", "status", "updated_at"])
    notifications_done(f"training:followup:{follow_up.pk}:")  # the request and its reminder
    return evaluation


@transaction.atomic
def evaluation_to_finding(
    *,
    evaluation: Evaluation,
    by: Person,
    title: str,
    text: str = "",
    kind: str = FindingKind.IMPROVEMENT,
    themes: Iterable[Theme | str] = (),
) -> Finding:
    """Turn an evaluation that describes a practice change (a strength) or a gap (an area
    for improvement) into a finding in the learning chain, sourced from the evaluation."""
    body = text.strip() or questionsets.evidence_text(evaluation.question_set, evaluation.answers)
    if not body:
        raise ValidationError({"text": "Describe the lesson: this response has no evidence text."})
    course_themes = list(evaluation.booking.session.course.themes.all())
    return finding_create(
        source=evaluation,
        title=title,
        text=body,
        kind=kind,
        themes=list(themes) or course_themes,
        identified_on=evaluation.submitted_on,
        partnership=evaluation.partnership,
        recorded_by=by,
    )
