"""The decision whether to review, a joint DHR, and the rapid review (current rules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core import calendar, todo
from lift.core.clocks import (
    clock_meet_correct,
    clocks_restart_from,
)
from lift.core.history import change_reason
from lift.core.models import Person
from lift.core.reference import regime
from lift.core.services import changes_apply

from .. import rules
from ..choices import (
    DecisionOutcome,
    LetterKind,
    ReferralSource,
    RequestKind,
    ReviewKind,
)
from ..models import (
    Decision,
    Incident,
    JointDhr,
    RapidReview,
    Review,
)
from ..reference import reference
from .base import (
    _corrected,
    _latest_clock,
    _meet,
    _open_clock,
    _start,
    _start_incident_clock,
    _today,
)
from .letters import letter_generate, letter_mark_sent
from .referrals import referral_create
from .requests import agency_request_create
from .reviews import review_create

# --- the decision ---------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    incident: Incident,
    by: Person,
    decided_on: dt.date,
    outcome: str,
    reasons: str,
    criteria_reasons: dict[str, str],
    refer_for_learning_review: bool = False,
) -> Decision:
    """Record the decision (the Chair's alone), with reasons against each review criterion.

    Statutory or single-agency review: the review is opened (with its completion clock).
    Otherwise the panel is told why (the NO letter, due within the regime's period), and a
    referral to the L&I sub-group for a learning lessons review is made if asked for. The
    decision clock is met and the panel letter generated."""
    rules.decision_maker_is_chair(by, incident.partnership)
    rules.decision_not_backdated(incident, decided_on)
    if Decision.objects.filter(incident=incident).exists():
        raise ValidationError("The decision on this incident is already recorded.")
    criteria = reference().for_regime(incident.regime).at("review")
    keys = [c.key for c in criteria]
    rules.reasons_against_each_criterion(keys, criteria_reasons)
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": "Choose a decision."})
    if outcome == DecisionOutcome.LEARNING_LESSONS:
        refer_for_learning_review = True
    decision = Decision(
        partnership=incident.partnership,
        incident=incident,
        decided_on=decided_on,
        decided_by=by,
        outcome=outcome,
        reasons=reasons.strip(),
        criteria_reasons={k: criteria_reasons[k].strip() for k in keys},
        refer_for_learning_review=refer_for_learning_review,
    )
    decision.full_clean()
    decision.save()
    _meet(incident, "chair-decision", decided_on)
    # "Decision needed" no longer waits on anyone's "My work".
    todo.notifications_done(f"reviews:incident:{incident.pk}:decision-needed:")
    wording = regime(incident.partnership.regime).wording
    if outcome in (DecisionOutcome.STATUTORY, DecisionOutcome.SINGLE_AGENCY):
        kind = (
            ReviewKind.STATUTORY
            if outcome == DecisionOutcome.STATUTORY
            else ReviewKind.SINGLE_AGENCY
        )
        review_create(
            partnership=incident.partnership,
            incident=incident,
            kind=kind,
            decided_on=decided_on,
            by=by,
            title=(
                f"{wording.statutory_review_short}: {incident.pseudonym}"
                if kind == ReviewKind.STATUTORY
                else f"Single-agency review: {incident.pseudonym}"
            ),
        )
    else:
        _start(decision, "panel-no-decision", decided_on, incident.owner)
    if refer_for_learning_review:
        referral_create(
            partnership=incident.partnership,
            source_kind=ReferralSource.CHAIR,
            source=decision,
            referrer=by,
            reasons=reasons,
            by=by,
            incident=incident,
            referred_on=decided_on,
        )
    letter_generate(
        incident=incident,
        kind=LetterKind.INITIATION_YES
        if outcome == DecisionOutcome.STATUTORY
        else LetterKind.INITIATION_NO,
        by=by,
    )
    return decision


@transaction.atomic
def decision_update(*, decision: Decision, by: Person, decided_on: dt.date) -> Decision:
    """Correct the date of the Chair's decision (the Chair's alone, as the decision is).
    The clocks counting from the decision restart (core's `clocks_restart_from`): the
    review's completion clock and, with no review, the panel letter clock (2015); the
    Chair's decision clock is met on the corrected day. The review opened by the decision
    takes the corrected date. The decision's, the review's and each clock's history show
    both dates."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("incident")
        .get(pk=decision.pk)
    )
    incident = decision.incident
    rules.decision_maker_is_chair(by, incident.partnership)
    rules.decision_not_backdated(incident, decided_on)
    was = decision.decided_on
    if decided_on == was:
        return decision
    reason = _corrected("of the decision", was, decided_on)
    decision.decided_on = decided_on
    decision.full_clean()
    with change_reason(reason):
        decision.save()
    clock = _latest_clock(incident, "chair-decision")
    if clock is not None and clock.met_on is not None:
        clock_meet_correct(clock=clock, on=decided_on, reason=reason)
    clocks_restart_from(subject=decision, event="decision", started_on=decided_on, reason=reason)
    for review in Review.objects.select_for_update().filter(incident=incident, decided_on=was):
        review.decided_on = decided_on
        review.full_clean()
        with change_reason(reason):
            review.save()
        clocks_restart_from(subject=review, event="decision", started_on=decided_on, reason=reason)
    return decision


@transaction.atomic
def joint_dhr_record(
    *,
    incident: Incident,
    by: Person,
    cspb_chair: str,
    decided_on: dt.date,
    panels: str,
    reports: str,
    dhr_required: bool = True,
    notes: str = "",
    executive_reporting_on: dt.date | None = None,
) -> JointDhr:
    """Record the Community Safety Partnership Board chair's DHR decision beside the Chair's,
    with joint or separate panels and reports; the joint panel reports to the six-monthly
    joint CSP / Executive meeting (a governance agenda item where that meeting exists)."""
    rules.decision_not_backdated(incident, decided_on)
    dhr = JointDhr(
        partnership=incident.partnership,
        incident=incident,
        cspb_chair=cspb_chair,
        decided_on=decided_on,
        dhr_required=dhr_required,
        panels=panels,
        reports=reports,
        notes=notes,
        executive_reporting_on=executive_reporting_on,
    )
    dhr.full_clean()
    dhr.save()
    Review.objects.filter(incident=incident, kind=ReviewKind.STATUTORY).update(joint_dhr=True)
    return dhr


def joint_dhr_report_to_meeting(*, dhr: JointDhr, meeting: Any, by: Person) -> JointDhr:
    """Put the joint panel's report on a governance meeting's agenda (lift.governance's
    `agenda_item_add`); refused if governance does not offer it yet."""
    try:
        from lift.governance.services import agenda_item_add
    except ImportError as exc:
        raise ValidationError(
            "Meetings are not available yet: record the reporting date instead."
        ) from exc
    item = agenda_item_add(
        meeting=meeting,
        title=f"Joint DHR / review progress: {dhr.incident.pseudonym}",
        linked=dhr,
        purpose="information",
        presenter=None,
        by=by,
    )
    dhr.agenda_item_id = item.pk
    dhr.save()
    return dhr


# --- rapid review (current rules) ---------------------------------------------------------


@transaction.atomic
def rapid_review_start(
    *,
    incident: Incident,
    by: Person,
    returns_due_on: dt.date | None = None,
    requested_on: dt.date | None = None,
) -> RapidReview:
    """Open the rapid review (never without a prior notification) and request a return from
    each involved agency, due by `returns_due_on` (default: 5 working days before the rapid
    review is due)."""
    if not regime(incident.partnership.regime).wording.rapid_review:
        raise ValidationError("The partnership's regime has no rapid review.")
    rules.rapid_review_needs_notification(incident)
    if RapidReview.objects.filter(incident=incident).exists():
        raise ValidationError("The rapid review is already open.")
    rr = RapidReview(partnership=incident.partnership, incident=incident)
    rr.full_clean()
    rr.save()
    _start_incident_clock(incident, "rapid-review")
    clock = _open_clock(incident, "rapid-review")
    today = requested_on or _today()
    rules.dates_not_in_future(requested_on=today)
    if incident.notified_on and today < incident.notified_on:
        raise ValidationError(
            {"requested_on": "Returns cannot be requested before the notification."}
        )
    if returns_due_on is None:
        base = clock.due_on if clock else calendar.add_working_days(today, 15)
        returns_due_on = max(calendar.add_working_days(base, -5), today)
    for agency in incident.agencies.all():
        agency_request_create(
            incident=incident,
            agency=agency,
            kind=RequestKind.RAPID_REVIEW_RETURN,
            requested_on=today,
            due_on=returns_due_on,
            by=by,
        )
    return rr


RAPID_REVIEW_EDITABLE = frozenset(
    {
        "meeting_on",
        "facts",
        "immediate_actions",
        "learning",
        "recommendation",
        "recommendation_reasons",
    }
)


@transaction.atomic
def rapid_review_update(*, rapid_review: RapidReview, by: Person, **fields: Any) -> RapidReview:
    """Correct the rapid review's meeting date and findings (no clock counts from them: its
    clock is met when it is sent)."""
    return changes_apply(rapid_review, fields, editable=RAPID_REVIEW_EDITABLE)


@transaction.atomic
def rapid_review_send(*, rapid_review: RapidReview, sent_on: dt.date, by: Person) -> RapidReview:
    """Send the rapid review to the Panel: meets the 15 working day clock; the covering letter
    is generated and logged as sent."""
    rules.letter_sent_needs_date(sent_on)
    if rapid_review.sent_to_panel_on:
        raise ValidationError("The rapid review has already been sent.")
    rapid_review.sent_to_panel_on = sent_on
    rapid_review.full_clean()
    rapid_review.save()
    _meet(rapid_review.incident, "rapid-review", sent_on)
    letter = letter_generate(incident=rapid_review.incident, kind=LetterKind.RAPID_REVIEW, by=by)
    letter_mark_sent(letter=letter, sent_on=sent_on, by=by)
    return rapid_review


@transaction.atomic
def rapid_review_panel_response(
    *, rapid_review: RapidReview, response: str, responded_on: dt.date, notes: str, by: Person
) -> RapidReview:
    """Record the Panel's response to the rapid review."""
    if not rapid_review.sent_to_panel_on:
        raise ValidationError("The rapid review has not been sent to the Panel.")
    if responded_on < rapid_review.sent_to_panel_on:
        raise ValidationError({"panel_response_on": "The response cannot be before it was sent."})
    rapid_review.panel_response = response
    rapid_review.panel_response_on = responded_on
    rapid_review.panel_response_notes = notes
    rapid_review.full_clean()
    rapid_review.save()
    return rapid_review
