"""Writes for serious incidents and reviews. Keyword-only, validated, atomic.

Clocks come from the partnership's regime file (reference/regimes/) by key; a rule the
regime does not have (e.g. the rapid review under the 2015 rules) is simply not started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from lift.core import calendar, todo
from lift.core.access import roles_in
from lift.core.clocks import (
    clock_meet,
    clock_meet_correct,
    clock_start,
    clock_stop,
    clocks_for,
    clocks_restart_from,
)
from lift.core.history import change_reason
from lift.core.models import Agency, Clock, Partnership, Person
from lift.core.reference import regime
from lift.core.roles import R
from lift.core.services import role_assign, role_end

from . import letters as letter_text
from . import rules
from .choices import (
    DecisionOutcome,
    LetterKind,
    PublicationDecision,
    ReferralDecision,
    ReferralSource,
    RequestKind,
    ReviewKind,
    ReviewStatus,
)
from .models import (
    AgencyRequest,
    CaseTeamMember,
    ChildIdentity,
    Contribution,
    Decision,
    ImrFile,
    Incident,
    InformationSharingMeeting,
    JointDhr,
    Letter,
    LetterTemplate,
    Milestone,
    PanelReply,
    Publication,
    PublicationConcern,
    RapidReview,
    Referral,
    Review,
    Reviewer,
)
from .reference import reference


def _today() -> dt.date:
    return timezone.localdate()


def _has_rule(partnership: Partnership, key: str) -> bool:
    return key in regime(partnership.regime).deadlines


def _open_clock(subject: models.Model, key: str) -> Clock | None:
    return next((c for c in clocks_for(subject, rule=key) if c.is_open), None)


def _meet(subject: models.Model, key: str, on: dt.date) -> None:
    clock = _open_clock(subject, key)
    if clock is not None:
        clock_meet(clock=clock, on=min(on, _today()))


def _start(
    subject: models.Model,
    key: str,
    started_on: dt.date | None,
    owner: Any,
    opened_on: dt.date | None = None,
) -> Clock | None:
    partnership = subject.partnership  # type: ignore[attr-defined]
    if started_on is None or not _has_rule(partnership, key):
        return None
    return clock_start(
        subject=subject, rule=key, started_on=started_on, owner=owner, opened_on=opened_on
    )


def start_event_date(incident: Incident, event: str) -> dt.date | None:
    """The date of a regime rule's start event for this incident (None if not yet)."""
    if event == "became-aware":
        return incident.became_aware_on
    if event == "notification":
        return incident.notified_on
    if event == "decision":
        decision = Decision.objects.filter(incident=incident).first()
        return decision.decided_on if decision else None
    return None


def _start_incident_clock(incident: Incident, key: str) -> None:
    if not _has_rule(incident.partnership, key):
        return
    rule = regime(incident.partnership.regime).deadline(key)
    started = start_event_date(incident, rule.start_event.key)
    _start(incident, key, started, incident.owner or incident.recorded_by)


def _next_reference(
    partnership: Partnership, model: type[models.Model], prefix: str, year: int
) -> str:
    stem = f"{prefix}-{year}-"
    taken = model._default_manager.filter(
        partnership=partnership, reference__startswith=stem
    ).count()
    n = taken + 1
    while model._default_manager.filter(
        partnership=partnership, reference=f"{stem}{n:03d}"
    ).exists():
        n += 1
    return f"{stem}{n:03d}"


# --- incidents ------------------------------------------------------------------------------


def may_record_incident(person: Person, partnership: Partnership) -> bool:
    """The business unit, or a safeguarding lead of the local authority's children's social
    care, records serious incidents (issue 4, item 1)."""
    if person.is_superuser:
        return True
    from lift.core.access import assignments_for

    for a in assignments_for(person):
        if a.partnership_id != partnership.pk or a.case_type_id is not None:
            continue
        if a.role == R.BUSINESS_UNIT:
            return True
        if a.role == R.SAFEGUARDING_LEAD and a.agency and a.agency.agency_type == "social_care":
            return True
    return False


@transaction.atomic
def incident_create(
    *,
    partnership: Partnership,
    by: Person,
    pseudonym: str,
    incident_type: str,
    incident_on: dt.date,
    became_aware_on: dt.date,
    notified_on: dt.date | None = None,
    criteria: Iterable[str] = (),
    summary: str = "",
    agencies: Iterable[Agency] = (),
    owner: Person | None = None,
) -> Incident:
    """Record a serious incident. The person recording it joins its case team (so they can
    record the restricted record); the notification clock starts from the day the local
    authority became aware, and the decision / rapid review clocks once it is notified."""
    if not may_record_incident(by, partnership):
        raise ValidationError(
            "Only the business unit or the local authority's safeguarding lead records a "
            "serious incident."
        )
    agencies = list(agencies)
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"agencies": "Choose agencies of this partnership."})
    incident = Incident(
        partnership=partnership,
        reference=_next_reference(partnership, Incident, "SI", became_aware_on.year),
        regime=partnership.regime,
        pseudonym=pseudonym.strip(),
        incident_type=incident_type,
        incident_on=incident_on,
        became_aware_on=became_aware_on,
        notified_on=notified_on,
        criteria=sorted(set(criteria)),
        summary=summary,
        recorded_by=by,
        owner=owner or by,
    )
    incident.full_clean()
    incident.save()
    incident.agencies.set(agencies)
    case_team_add(incident=incident, person=by, team_role="Recorded the incident", by=by)
    _start(incident, "notification", became_aware_on, incident.owner)
    if notified_on:
        _meet(incident, "notification", notified_on)
        for key in ("chair-decision", "rapid-review"):
            _start_incident_clock(incident, key)
        _tell_decision_maker(incident)
    return incident


INCIDENT_EDITABLE = frozenset(
    {"pseudonym", "incident_type", "incident_on", "became_aware_on", "criteria", "summary", "owner"}
)


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    by: Person,
    agencies: Iterable[Agency] | None = None,
    notified_on: dt.date | None = None,
    **fields: Any,
) -> Incident:
    """Correct an incident's details (the business unit). A first notification date goes
    through `incident_notify` (its clocks start). Correcting a date a clock counts from
    restarts that clock (core's `clocks_restart_from`): the date the local authority became
    aware moves the notification clock's due date and state; a corrected notification date
    is the day the notification clock was met and moves the rapid review (or Chair's
    decision) clock. Each correction is in the incident's and the clock's history."""
    unknown = set(fields) - INCIDENT_EDITABLE
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    # The saved dates, not the caller's copy (a bound edit form has already changed it).
    saved = Incident.objects.select_for_update().get(pk=incident.pk)
    for name, value in fields.items():
        if name == "criteria":
            value = sorted(set(value))
        if name == "pseudonym":
            value = value.strip()
        setattr(incident, name, value)
    correcting = notified_on is not None and saved.notified_on is not None
    if correcting:
        incident.notified_on = notified_on
    else:
        incident.notified_on = saved.notified_on
    incident.full_clean()
    decision = Decision.objects.filter(incident=incident).first()
    if decision is not None:
        rules.decision_not_backdated(incident, decision.decided_on)
    incident.save()
    if agencies is not None:
        agencies = list(agencies)
        if any(a.partnership_id != incident.partnership_id for a in agencies):
            raise ValidationError({"agencies": "Choose agencies of this partnership."})
        incident.agencies.set(agencies)
    if incident.became_aware_on != saved.became_aware_on:
        clocks_restart_from(
            subject=incident,
            event="became-aware",
            started_on=incident.became_aware_on,
            reason=_corrected(
                "the local authority became aware",
                saved.became_aware_on,
                incident.became_aware_on,
            ),
        )
    if correcting and incident.notified_on != saved.notified_on:
        assert incident.notified_on is not None and saved.notified_on is not None
        reason = _corrected("of the notification", saved.notified_on, incident.notified_on)
        clock = _latest_clock(incident, "notification")
        if clock is not None and clock.met_on is not None:
            clock_meet_correct(clock=clock, on=incident.notified_on, reason=reason)
        clocks_restart_from(
            subject=incident,
            event="notification",
            started_on=incident.notified_on,
            reason=reason,
        )
    elif notified_on is not None and saved.notified_on is None:
        incident_notify(incident=incident, notified_on=notified_on, by=by)
    return incident


def _corrected(what: str, was: dt.date, now: dt.date) -> str:
    return f"The date {what} was corrected from {was:%-d %B %Y} to {now:%-d %B %Y}."


def _latest_clock(subject: models.Model, key: str) -> Clock | None:
    return clocks_for(subject, rule=key).order_by("-pk").first()


@transaction.atomic
def incident_notify(*, incident: Incident, notified_on: dt.date, by: Person) -> Incident:
    """Record the date the incident was notified (Ofsted / the Panel): the notification clock
    is met, and the decision (2015) or rapid review (current) clock starts."""
    if incident.notified_on:
        raise ValidationError("The notification date is already recorded.")
    incident.notified_on = notified_on
    incident.full_clean()
    incident.save()
    _meet(incident, "notification", notified_on)
    for key in ("chair-decision", "rapid-review"):
        _start_incident_clock(incident, key)
    _tell_decision_maker(incident)
    return incident


def _tell_decision_maker(incident: Incident) -> None:
    """Tell the partnership's Chair(s) a decision is needed: pseudonym and dates only."""
    from lift.core.models import RoleAssignment
    from lift.core.notify import notify

    wording = regime(incident.partnership.regime).wording
    chairs = RoleAssignment.objects.current().filter(
        partnership=incident.partnership, role=R.CHAIR, case_type__isnull=True
    )
    for assignment in chairs.select_related("person"):
        notify(
            person=assignment.person,
            key=f"reviews:incident:{incident.pk}:decision-needed:to:{assignment.person_id}",
            title=f"Decision needed: serious incident {incident}",
            body=(
                f"The serious incident {incident} was notified on "
                f"{_date(incident.notified_on)}. The {wording.decision_maker} decides whether "
                f"to hold a {wording.statutory_review}."
            ),
            url=incident.get_absolute_url(),
            partnership=incident.partnership,
        )


def _in_team(person: Person, incident: Incident) -> bool:
    return ChildIdentity.access.allows(person, "add", incident.partnership, case=incident)


@transaction.atomic
def identity_create(
    *,
    incident: Incident,
    by: Person,
    pseudonym: str,
    full_name: str,
    is_subject: bool = False,
    relationship: str = "",
    other_names: str = "",
    date_of_birth: dt.date | None = None,
    address: str = "",
    postcode: str = "",
    nhs_number: str = "",
    other_identifiers: str = "",
) -> ChildIdentity:
    """Record a child's real identifiers in the restricted record (case team only)."""
    if not _in_team(by, incident):
        raise ValidationError("Only the case team can record the restricted record.")
    identity = ChildIdentity(
        partnership=incident.partnership,
        incident=incident,
        pseudonym=pseudonym.strip(),
        is_subject=is_subject,
        relationship=relationship,
        full_name=full_name.strip(),
        other_names=other_names,
        date_of_birth=date_of_birth,
        address=address,
        postcode=postcode.strip().upper(),
        nhs_number=nhs_number.strip(),
        other_identifiers=other_identifiers,
    )
    identity.full_clean()
    identity.save()
    return identity


@transaction.atomic
def case_team_add(
    *,
    incident: Incident,
    person: Person,
    team_role: str,
    by: Person,
    agency: Agency | None = None,
    review: Review | None = None,
) -> CaseTeamMember:
    """Add a person to the incident's case team (or a review's panel): they get the case_team
    role for the incident, which lets them see the restricted record."""
    if review is not None and review.incident_id != incident.pk:
        raise ValidationError("The review belongs to another incident.")
    existing = CaseTeamMember.objects.filter(
        incident=incident, person=person, review=review, ended_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    assignment = role_assign(
        partnership=incident.partnership, person=person, role=R.CASE_TEAM, case=incident
    )
    member = CaseTeamMember(
        partnership=incident.partnership,
        incident=incident,
        person=person,
        team_role=team_role,
        agency=agency,
        review=review,
        assignment=assignment,
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def case_team_remove(*, member: CaseTeamMember, by: Person, reason: str) -> CaseTeamMember:
    """End a person's case team membership. Their access ends unless another membership of the
    same incident remains."""
    if not reason.strip():
        raise ValidationError("Give the reason.")
    member.ended_on = _today()
    with change_reason(reason):
        member.save()
        others = CaseTeamMember.objects.filter(
            incident=member.incident, person=member.person, ended_on__isnull=True
        ).exists()
        assignment = member.assignment
        if not others and assignment is not None and assignment.ends_on is None:
            # Ended yesterday, so access stops today (an assignment made today is removed).
            yesterday = _today() - dt.timedelta(days=1)
            if assignment.starts_on <= yesterday:
                role_end(assignment=assignment, on=yesterday)
            else:
                assignment.delete()
    from lift.core.access import forget_assignments

    forget_assignments(member.person)
    return member


@transaction.atomic
def meeting_create(
    *,
    incident: Incident,
    held_on: dt.date,
    advice: str,
    by: Person,
    agencies: Iterable[Agency] = (),
) -> InformationSharingMeeting:
    """Record the multi-agency information-sharing meeting and its advice to the Chair."""
    if held_on < incident.incident_on:
        raise ValidationError({"held_on": "The meeting cannot be before the incident."})
    rules.dates_not_in_future(held_on=held_on)
    meeting = InformationSharingMeeting(
        partnership=incident.partnership, incident=incident, held_on=held_on, advice=advice
    )
    meeting.full_clean()
    meeting.save()
    meeting.agencies.set(list(agencies))
    return meeting


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


# --- letters to the national panel ---------------------------------------------------------


def lettertemplate_for(partnership: Partnership, key: str) -> LetterTemplate:
    """The partnership's template for `key`, created from letters.yaml the first time."""
    template = LetterTemplate.objects.filter(partnership=partnership, key=key).first()
    if template is not None:
        return template
    default = reference().letter(key)
    template = LetterTemplate(
        partnership=partnership,
        key=key,
        name=default.name,
        subject=default.subject,
        body=default.body,
        default_version=reference().letters_version,
    )
    template.full_clean()
    template.save()
    return template


def lettertemplates_ensure(partnership: Partnership) -> list[LetterTemplate]:
    return [lettertemplate_for(partnership, key) for key in LetterKind.values]


@transaction.atomic
def lettertemplate_reset(*, template: LetterTemplate, by: Person) -> LetterTemplate:
    """Bring back the default text from reference/reviews/letters.yaml."""
    default = reference().letter(template.key)
    template.name, template.subject, template.body = default.name, default.subject, default.body
    template.default_version = reference().letters_version
    template.full_clean()
    with change_reason("Reset to the default text"):
        template.save()
    return template


def _date(d: dt.date | None) -> str:
    return f"{d:%-d %B %Y}" if d else "(not recorded)"


def letter_context(
    incident: Incident, *, by: Person | None, review: Review | None = None
) -> dict[str, str]:
    """The fixed context a letter template may use: labels, dates and the pseudonym only."""
    wording = regime(incident.partnership.regime).wording
    decision = Decision.objects.filter(incident=incident).select_related("decided_by").first()
    crit = reference().for_regime(incident.regime)
    review = review or incident.reviews.filter(kind=ReviewKind.STATUTORY).first()
    reviewers = list(review.reviewers.all()) if review else []
    rr = RapidReview.objects.filter(incident=incident).first()
    publication = Publication.objects.filter(review=review).first() if review else None
    concern = (
        PublicationConcern.objects.filter(review=review).order_by("-raised_on", "-pk").first()
        if review
        else None
    )
    questions = reference().questions
    return {
        "partnership": incident.partnership.name,
        "board": wording.board,
        "decision_maker": wording.decision_maker,
        "national_panel": wording.national_panel,
        "national_panel_short": wording.national_panel_short,
        "statutory_review": wording.statutory_review,
        "statutory_review_short": wording.statutory_review_short,
        "pseudonym": incident.pseudonym,
        "incident_reference": incident.reference,
        "incident_type": incident.get_incident_type_display(),
        "became_aware_on": _date(incident.became_aware_on),
        "notified_on": _date(incident.notified_on),
        "decision_on": _date(decision.decided_on) if decision else "(not decided)",
        "decision": decision.get_outcome_display() if decision else "(not decided)",
        "review_type": (
            reference().methodology_label(review.methodology)
            if review and review.methodology
            else (wording.statutory_review if review else "")
        ),
        "reviewers": "\n".join(
            f"- {rv.name}{', ' + rv.organisation if rv.organisation else ''}: {rv.why_chosen}"
            for rv in reviewers
        )
        or "- (reviewers to be appointed)",
        "reasons": decision.reasons if decision else "",
        "criteria_reasons": "\n".join(
            f"- {crit.label(k)}: {v}"
            for k, v in (decision.criteria_reasons if decision else {}).items()
        ),
        "publication_on": _date(publication.planned_on) if publication else "",
        "publication_answers": "\n".join(
            f"- {q.label}: {(publication.answers or {}).get(q.key, '')}" for q in questions
        )
        if publication
        else "",
        "rapid_review_sent_on": _date(rr.sent_to_panel_on) if rr else "",
        "rapid_review_recommendation": rr.get_recommendation_display() if rr else "",
        "signatory": (decision.decided_by.full_name if decision else "")
        or (by.full_name if by else ""),
        "today": _date(_today()),
        "concern": concern.concern if concern else "",
        "concern_on": _date(concern.raised_on) if concern else "",
    }


RECIPIENTS = {
    LetterKind.INITIATION_YES: "{panel} and Ofsted",
    LetterKind.INITIATION_NO: "{panel}",
    LetterKind.RAPID_REVIEW: "{panel}",
    LetterKind.PUBLICATION_YES: "{panel}",
    LetterKind.PUBLICATION_NO: "{panel}",
    LetterKind.PUBLICATION_CONCERN: "{panel}",
}


def _render_letter(
    incident: Incident, kind: str, by: Person | None, review: Review | None
) -> tuple[str, str, int]:
    template = lettertemplate_for(incident.partnership, kind)
    context = letter_context(incident, by=by, review=review)
    subject = letter_text.as_plain(letter_text.render(template.subject, context))
    body = letter_text.as_plain(letter_text.render(template.body, context))
    return subject.strip()[:300], body.strip(), template.default_version


def letter_guard(incident: Incident, subject: str, body: str) -> list[rules.GuardMatch]:
    """The publication guard run on a panel letter's text: every identifier from the case's
    restricted record found in its subject or body (read by the system, never shown)."""
    identities = list(ChildIdentity.objects.filter(incident_id=incident.pk))
    return rules.publication_guard({"Subject": subject, "Body": body}, identities)


def _refuse_identifiers(
    incident: Incident,
    subject: str,
    body: str,
    doing: str,
    fix: str = "the letter template or the record the letter quotes (for example the "
    "decision's reasons)",
) -> None:
    """Refuse to generate, save or send a letter whose text holds a restricted identifier,
    saying where each one is (masked: the message never repeats the identifier)."""
    matches = letter_guard(incident, subject, body)
    if matches:
        raise ValidationError(
            [
                f"The letter cannot be {doing}: its text contains "
                f"{len(matches)} identifier{'s' if len(matches) != 1 else ''} from the case's "
                f"restricted record. Remove them from {fix}, then try again:"
            ]
            + [str(m) for m in matches[:20]]
        )


def _lock_fresh(letter: Letter) -> None:
    """Lock the letter's row and read its saved state into `letter`: a caller holding an
    older copy never saves a stale text over an edit, and a letter sent meanwhile is seen
    as sent (frozen)."""
    Letter.objects.select_for_update().filter(pk=letter.pk).first()
    letter.refresh_from_db()


def _refuse_if_sent(letter: Letter) -> None:
    if letter.sent_on:
        raise ValidationError(
            f"This letter was marked sent on {letter.sent_on:%-d %B %Y}: its text cannot be "
            "changed. Record anything further as a reply or a new letter."
        )


@transaction.atomic
def letter_generate(
    *, incident: Incident, kind: str, by: Person | None, review: Review | None = None
) -> Letter:
    """Generate a letter to the national panel from the partnership's template. A NO letter
    is due within the regime's period from the decision (2015: 14 days)."""
    subject, body, version = _render_letter(incident, kind, by, review)
    _refuse_identifiers(incident, subject, body, "generated")
    wording = regime(incident.partnership.regime).wording
    due_on = None
    if kind == LetterKind.INITIATION_NO:
        decision = Decision.objects.filter(incident=incident).first()
        clock = _open_clock(decision, "panel-no-decision") if decision else None
        due_on = clock.due_on if clock else None
    if kind == LetterKind.PUBLICATION_YES and review is not None:
        publication = Publication.objects.filter(review=review).first()
        clock = _open_clock(publication, "publication-notice") if publication else None
        due_on = clock.due_on if clock else None
    letter = Letter(
        partnership=incident.partnership,
        incident=incident,
        review=review,
        kind=kind,
        recipients=RECIPIENTS[LetterKind(kind)].format(panel=wording.national_panel),
        subject=subject,
        body=body,
        template_version=version,
        due_on=due_on,
    )
    letter.full_clean()
    letter.save()
    return letter


@transaction.atomic
def letter_regenerate(*, letter: Letter, by: Person) -> Letter:
    """Regenerate an unsent letter from the current template and record (e.g. once the
    reviewers are appointed)."""
    _lock_fresh(letter)
    _refuse_if_sent(letter)
    subject, body, version = _render_letter(letter.incident, letter.kind, by, letter.review)
    _refuse_identifiers(letter.incident, subject, body, "regenerated")
    letter.subject, letter.body, letter.template_version = subject, body, version
    letter.full_clean()
    with change_reason("Regenerated from the template"):
        letter.save()
    return letter


def may_edit_letter(letter: Letter, by: Person | None) -> bool:
    """Whoever may send the panel's letters (the business unit, the Chair) edits their drafts."""
    return by is not None and Letter.objects.restrict(by, "change").filter(pk=letter.pk).exists()


def _plain(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


@transaction.atomic
def letter_update(*, letter: Letter, subject: str, body: str, by: Person) -> Letter:
    """Edit the draft of an unsent letter: its subject and text (plain text; a blank line
    between paragraphs, lines starting "- " as a bulleted list). The publication guard checks
    the edited text as it checks generated text: a restricted identifier refuses the edit and
    nothing is saved. The change history keeps every version; a sent letter is frozen."""
    _lock_fresh(letter)
    if not may_edit_letter(letter, by):
        raise ValidationError("Only the business unit or the Chair edits a letter to the panel.")
    _refuse_if_sent(letter)
    subject, body = " ".join(subject.split()), _plain(body)
    if not subject:
        raise ValidationError({"subject": "Enter the subject of the letter"})
    if not body:
        raise ValidationError({"body": "Enter the text of the letter"})
    _refuse_identifiers(letter.incident, subject, body, "saved", fix="the letter's text")
    if (subject, body) == (letter.subject, letter.body):
        return letter
    letter.subject, letter.body = subject, body
    letter.full_clean()
    with change_reason("Draft edited"):
        letter.save()
    return letter


NOTIFICATION_NEEDED = (
    "Attach the local authority's Serious Incident Notification to this letter before "
    "marking it sent: the letter tells the panel it is attached."
)


def letter_enclosures(letter: Letter) -> list[Any]:
    """The files sent with a letter (for a NO letter, the local authority's Serious
    Incident Notification), oldest first."""
    from lift.core.models import Attachment

    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Letter), object_id=letter.pk
        ).order_by("created_at", "pk")
    )


@transaction.atomic
def letter_enclosure_add(
    *, letter: Letter, uploaded_file: Any, by: Person, description: str = ""
) -> Any:
    """Attach a file to an unsent letter (checked as every upload is, `lift.core.files`);
    the file is downloaded only by those who may see the letter. A NO letter's enclosure
    is the local authority's Serious Incident Notification."""
    from lift.core.files import attachment_create

    _lock_fresh(letter)
    if letter.sent_on:
        raise ValidationError(
            f"The letter was marked sent on {letter.sent_on:%-d %B %Y}: nothing more can be "
            "attached to it."
        )
    if not description.strip() and letter.kind == LetterKind.INITIATION_NO:
        description = "Serious Incident Notification"
    return attachment_create(
        subject=letter, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


@transaction.atomic
def letter_mark_sent(*, letter: Letter, sent_on: dt.date | None, by: Person) -> Letter:
    """Mark a letter sent, with its date (required). Meets the clock the letter answers; the
    national panel meets monthly, so the month it is expected to consider it is noted."""
    rules.letter_sent_needs_date(sent_on)
    assert sent_on is not None
    _lock_fresh(letter)
    if letter.sent_on:
        raise ValidationError("The letter is already marked sent.")
    if letter.kind == LetterKind.INITIATION_NO and not letter_enclosures(letter):
        raise ValidationError(NOTIFICATION_NEEDED)
    _refuse_identifiers(letter.incident, letter.subject, letter.body, "sent")
    decision = Decision.objects.filter(incident=letter.incident).first()
    if decision and sent_on < decision.decided_on and letter.kind.startswith("initiation"):
        raise ValidationError({"sent_on": "The letter cannot be sent before the decision."})
    letter.sent_on = sent_on
    letter.sent_by = by
    letter.panel_meeting_month = calendar.add_months(sent_on.replace(day=1), 1)
    letter.full_clean()
    letter.save()
    if letter.kind == LetterKind.INITIATION_NO and decision:
        _meet(decision, "panel-no-decision", sent_on)
    if letter.kind == LetterKind.PUBLICATION_YES and letter.review_id:
        publication = Publication.objects.filter(review_id=letter.review_id).first()
        if publication is not None:
            publication.sent_to_panel_on = sent_on
            publication.save()
            _meet(publication, "publication-notice", sent_on)
    return letter


@transaction.atomic
def panel_reply_record(
    *,
    incident: Incident,
    kind: str,
    received_on: dt.date,
    summary: str,
    by: Person,
    letter: Letter | None = None,
    response_due_on: dt.date | None = None,
) -> PanelReply:
    """Record a reply or request from the national panel, with its own due date."""
    rules.dates_not_in_future(received_on=received_on)
    if response_due_on and response_due_on < received_on:
        raise ValidationError({"response_due_on": "The due date cannot be before it was received."})
    reply = PanelReply(
        partnership=incident.partnership,
        incident=incident,
        letter=letter,
        kind=kind,
        received_on=received_on,
        summary=summary,
        response_due_on=response_due_on,
    )
    reply.full_clean()
    reply.save()
    return reply


@transaction.atomic
def panel_reply_respond(*, reply: PanelReply, responded_on: dt.date, by: Person) -> PanelReply:
    rules.dates_not_in_future(responded_on=responded_on)
    if responded_on < reply.received_on:
        raise ValidationError({"responded_on": "The response cannot be before the request."})
    reply.responded_on = responded_on
    reply.full_clean()
    reply.save()
    return reply


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


# --- agency requests ------------------------------------------------------------------------


@transaction.atomic
def agency_request_create(
    *,
    incident: Incident,
    agency: Agency,
    kind: str,
    requested_on: dt.date,
    due_on: dt.date,
    by: Person,
    review: Review | None = None,
    notes: str = "",
) -> AgencyRequest:
    """Ask an agency for a rapid review return, a chronology or an IMR by a due date."""
    if agency.partnership_id != incident.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    request = AgencyRequest(
        partnership=incident.partnership,
        incident=incident,
        review=review,
        agency=agency,
        kind=kind,
        requested_on=requested_on,
        due_on=due_on,
        notes=notes,
    )
    request.full_clean()
    request.save()
    if not incident.agencies.filter(pk=agency.pk).exists():
        incident.agencies.add(agency)
    if review is not None and not review.agencies.filter(pk=agency.pk).exists():
        review.agencies.add(agency)
    return request


@transaction.atomic
def agency_request_receive(
    *, request: AgencyRequest, received_on: dt.date, by: Person
) -> AgencyRequest:
    rules.dates_not_in_future(received_on=received_on)
    if received_on < request.requested_on:
        raise ValidationError({"received_on": "It cannot be received before it was requested."})
    request.received_on = received_on
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def agency_request_quality_assure(
    *, request: AgencyRequest, on: dt.date, by: Person
) -> AgencyRequest:
    if not request.received_on:
        raise ValidationError("Record that it was received first.")
    rules.dates_not_in_future(quality_assured_on=on)
    if on < request.received_on:
        raise ValidationError(
            {"quality_assured_on": "It cannot be quality assured before it was received."}
        )
    request.quality_assured_on = on
    request.full_clean()
    request.save()
    return request


# --- IMR files from the agencies ------------------------------------------------------------

AGENCY_DOCUMENTS = (RequestKind.IMR, RequestKind.CHRONOLOGY)


def _may(person: Person, request: AgencyRequest, action: str) -> bool:
    return AgencyRequest.objects.restrict(person, action).filter(pk=request.pk).exists()


@transaction.atomic
def imr_author_nominate(*, request: AgencyRequest, author: Person, by: Person) -> AgencyRequest:
    """The agency's safeguarding lead (or the business unit) names the person writing the
    agency's IMR or chronology: someone holding a role for that agency in the partnership.
    The author may then upload and submit its files, and download them again."""
    from lift.core.models import RoleAssignment

    if not _may(by, request, "nominate"):
        raise ValidationError("Only the agency's safeguarding lead or the business unit names it.")
    if request.kind not in AGENCY_DOCUMENTS:
        raise ValidationError("Only an IMR or a chronology has an author.")
    works_there = (
        RoleAssignment.objects.current()
        .filter(
            partnership=request.partnership,
            person=author,
            agency=request.agency,
            case_type__isnull=True,
        )
        .exists()
    )
    if not works_there:
        raise ValidationError({"author": f"Choose someone who works for {request.agency}."})
    request.author = author
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def imr_file_add(
    *, request: AgencyRequest, uploaded_file: Any, by: Person, description: str = ""
) -> ImrFile:
    """Upload a file of the agency's IMR or chronology (validated by lift.core.files). Only
    the agency's safeguarding lead, the nominated author or the business unit may; not once
    it has been quality assured."""
    from lift.core.files import attachment_create

    if not _may(by, request, "upload"):
        raise ValidationError(
            "Only the agency's safeguarding lead, the IMR author or the business unit uploads."
        )
    if request.kind not in AGENCY_DOCUMENTS:
        raise ValidationError("Files are uploaded to an IMR or a chronology.")
    if request.quality_assured_on:
        raise ValidationError("It has been quality assured: no more files can be added.")
    imr_file = ImrFile(
        partnership=request.partnership,
        request=request,
        description=description.strip(),
        uploaded_by=by,
    )
    imr_file.full_clean()
    imr_file.save()
    imr_file.attachment = attachment_create(
        subject=imr_file, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )
    imr_file.save()
    return imr_file


@transaction.atomic
def imr_submit(
    *, request: AgencyRequest, by: Person, submitted_on: dt.date | None = None
) -> AgencyRequest:
    """The agency submits its IMR or chronology (at least one file uploaded): it is recorded
    as received, ready for the business unit to quality assure."""
    if not _may(by, request, "submit"):
        raise ValidationError(
            "Only the agency's safeguarding lead, the IMR author or the business unit submits."
        )
    if request.kind not in AGENCY_DOCUMENTS:
        raise ValidationError("Only an IMR or a chronology is submitted with files.")
    if request.received_on:
        raise ValidationError("It has already been received.")
    if not request.files.exists():
        raise ValidationError("Upload the IMR file before submitting it.")
    agency_request_receive(request=request, received_on=submitted_on or _today(), by=by)
    request.submitted_by = by
    request.save()
    return request


# --- reviews --------------------------------------------------------------------------------

COMPLETION_RULES = ("scr-completion", "lcspr-completion")


@transaction.atomic
def review_create(
    *,
    partnership: Partnership,
    kind: str,
    decided_on: dt.date,
    by: Person,
    incident: Incident | None = None,
    pseudonym: str = "",
    title: str = "",
    methodology: str = "",
    terms_of_reference: str = "",
) -> Review:
    """Open a review. A statutory review's completion clock (6 months, regime file) starts
    from the decision."""
    if incident is not None and incident.partnership_id != partnership.pk:
        raise ValidationError("The incident belongs to another partnership.")
    pseudonym = pseudonym or (incident.pseudonym if incident else "")
    if not pseudonym:
        raise ValidationError({"pseudonym": "Give the child's pseudonym."})
    review = Review(
        partnership=partnership,
        incident=incident,
        kind=kind,
        pseudonym=pseudonym,
        title=title or f"{ReviewKind(kind).label}: {pseudonym}",
        decided_on=decided_on,
        methodology=methodology,
        terms_of_reference=terms_of_reference,
    )
    review.full_clean()
    review.save()
    if incident is not None:
        review.agencies.set(list(incident.agencies.all()))
    if kind == ReviewKind.STATUTORY:
        for key in COMPLETION_RULES:
            _start(review, key, decided_on, by)
    return review


REVIEW_EDITABLE = frozenset(
    {
        "title",
        "status",
        "terms_of_reference",
        "scope_from",
        "scope_to",
        "methodology",
        "report_text",
        "briefing_text",
        "decided_on",
    }
)
# The statuses set by hand; published and the others follow their workflows.
REVIEW_HAND_STATUSES = frozenset(
    {ReviewStatus.PLANNING, ReviewStatus.IN_PROGRESS, ReviewStatus.DRAFT, ReviewStatus.CLOSED}
)


@transaction.atomic
def review_update(*, review: Review, by: Person, **fields: Any) -> Review:
    """Correct a review's details. A corrected decision date restarts the completion clock
    (core's `clocks_restart_from`: due date and state follow; history shows both dates).
    A review opened by the Chair's decision on an incident takes its date from the
    decision: correct that with `decision_update`."""
    unknown = set(fields) - REVIEW_EDITABLE
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    # The saved row, not the caller's copy (a bound edit form has already changed it).
    saved = Review.objects.select_for_update().get(pk=review.pk)
    for name, value in fields.items():
        setattr(review, name, value)
    if review.status != saved.status and review.status not in REVIEW_HAND_STATUSES:
        raise ValidationError({"status": "That status is set by its own step, not here."})
    moved = review.decided_on != saved.decided_on
    if (
        moved
        and review.incident_id is not None
        and Decision.objects.filter(incident_id=review.incident_id).exists()
    ):
        raise ValidationError(
            {
                "decided_on": "This review was opened by the Chair's decision: correct the "
                "date of the decision on the incident's page."
            }
        )
    review.full_clean()
    review.save()
    if moved:
        clocks_restart_from(
            subject=review,
            event="decision",
            started_on=review.decided_on,
            reason=_corrected("the review was decided", saved.decided_on, review.decided_on),
        )
    return review


@transaction.atomic
def reviewer_add(
    *,
    review: Review,
    name: str,
    why_chosen: str,
    by: Person,
    organisation: str = "",
    declared_involvement: bool = False,
    involvement_details: str = "",
) -> Reviewer:
    """Propose a reviewer with their declaration of independence."""
    reviewer = Reviewer(
        partnership=review.partnership,
        review=review,
        name=name,
        organisation=organisation,
        why_chosen=why_chosen,
        declared_involvement=declared_involvement,
        involvement_details=involvement_details,
    )
    reviewer.full_clean()
    reviewer.save()
    return reviewer


@transaction.atomic
def reviewer_override(*, reviewer: Reviewer, reason: str, by: Person) -> Reviewer:
    """The Chair records an override of a declared involvement, with the reason."""
    rules.override_by_chair(by, reviewer.partnership)
    if not reviewer.declared_involvement:
        raise ValidationError("This reviewer declared no involvement: no override is needed.")
    if not reason.strip():
        raise ValidationError({"override_reason": "Give the reason for the override."})
    reviewer.override_reason = reason.strip()
    reviewer.override_by = by
    reviewer.override_on = _today()
    reviewer.full_clean()
    reviewer.save()
    return reviewer


@transaction.atomic
def reviewer_appoint(*, reviewer: Reviewer, appointed_on: dt.date, by: Person) -> Reviewer:
    """Appoint a reviewer: refused for a declared involvement without the Chair's override."""
    rules.dates_not_in_future(appointed_on=appointed_on)
    if appointed_on < reviewer.review.decided_on:
        raise ValidationError(
            {"appointed_on": "A reviewer cannot be appointed before the review was decided."}
        )
    reviewer.appointed_on = appointed_on
    reviewer.full_clean()
    reviewer.save()
    review = reviewer.review
    if review.status == ReviewStatus.PLANNING:
        review.status = ReviewStatus.IN_PROGRESS
        review.save()
    return reviewer


@transaction.atomic
def contribution_add(
    *,
    review: Review,
    contributor: str,
    method: str,
    summary: str,
    by: Person,
    contributed_on: dt.date | None = None,
) -> Contribution:
    rules.dates_not_in_future(contributed_on=contributed_on)
    contribution = Contribution(
        partnership=review.partnership,
        review=review,
        contributor=contributor,
        method=method,
        summary=summary,
        contributed_on=contributed_on,
    )
    contribution.full_clean()
    contribution.save()
    return contribution


@transaction.atomic
def milestone_add(
    *,
    review: Review,
    kind: str,
    planned_on: dt.date,
    by: Person,
    notes: str = "",
    done_on: dt.date | None = None,
) -> Milestone:
    rules.dates_not_in_future(done_on=done_on)
    milestone = Milestone(
        partnership=review.partnership,
        review=review,
        kind=kind,
        planned_on=planned_on,
        notes=notes,
        done_on=done_on,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def review_complete(*, review: Review, completed_on: dt.date, by: Person) -> Review:
    """The final report is agreed: the completion clock is met (or met late)."""
    if not review.report_text.strip():
        raise ValidationError(
            {"report_text": "Add the anonymised report before completing the review."}
        )
    review.completed_on = completed_on
    review.status = ReviewStatus.FINAL
    review.full_clean()
    review.save()
    for key in COMPLETION_RULES:
        _meet(review, key, completed_on)
    return review


# --- publication ----------------------------------------------------------------------------


def guard_texts(review: Review, publication: Publication | None = None) -> dict[str, str]:
    texts = {"Report": review.report_text, "Briefing": review.briefing_text}
    if publication is not None and publication.public_summary:
        texts["Public summary"] = publication.public_summary
    return texts


def guard_identities(review: Review) -> list[ChildIdentity]:
    """Every restricted record of the review's case (read by the system, never shown)."""
    if review.incident_id is None:
        return []
    return list(ChildIdentity.objects.filter(incident_id=review.incident_id))


def review_guard(review: Review, publication: Publication | None = None) -> list[rules.GuardMatch]:
    """The publication guard's findings for this review's texts."""
    return rules.publication_guard(guard_texts(review, publication), guard_identities(review))


@transaction.atomic
def publication_decide(
    *,
    review: Review,
    by: Person,
    answers: dict[str, str],
    decision: str,
    decided_on: dt.date,
    planned_on: dt.date | None = None,
    public_summary: str = "",
) -> Publication:
    """The Board's decision on publishing, with an answer to every question of the seed's
    checklist. Publish: the report goes to the panel at least the regime's notice period
    before `planned_on` (clock). Do not publish: the panel is told why, question by question."""
    if review.completed_on is None:
        raise ValidationError("The final report must be agreed before deciding on publication.")
    if Publication.objects.filter(review=review).exists():
        raise ValidationError("The publication decision is already recorded.")
    questions = reference().questions
    missing = [q.label for q in questions if not (answers.get(q.key) or "").strip()]
    if missing:
        raise ValidationError({"answers": f"Answer every question ({len(missing)} missing)."})
    rules.dates_not_in_future(decided_on=decided_on)
    if decided_on < review.completed_on:
        raise ValidationError({"decided_on": "The decision cannot be before the final report."})
    if decision == PublicationDecision.PUBLISH and planned_on is None:
        raise ValidationError({"planned_on": "Give the planned publication date."})
    publication = Publication(
        partnership=review.partnership,
        review=review,
        answers={q.key: answers[q.key].strip() for q in questions},
        decision=decision,
        decided_on=decided_on,
        planned_on=planned_on if decision == PublicationDecision.PUBLISH else None,
        public_summary=public_summary,
    )
    publication.full_clean()
    publication.save()
    incident = review.incident
    if decision == PublicationDecision.PUBLISH:
        assert planned_on is not None
        # The notice clock opens when the Board decides to publish.
        _start(publication, "publication-notice", planned_on, by, opened_on=decided_on)
        if incident is not None:
            letter_generate(
                incident=incident, kind=LetterKind.PUBLICATION_YES, by=by, review=review
            )
    else:
        review.status = ReviewStatus.NOT_PUBLISHED
        review.save()
        if incident is not None:
            letter_generate(incident=incident, kind=LetterKind.PUBLICATION_NO, by=by, review=review)
    return publication


@transaction.atomic
def publication_concern_raise(
    *, review: Review, concern: str, raised_on: dt.date, by: Person
) -> PublicationConcern:
    """Record the board's concern that the review's report may not be publishable, and
    generate the letter alerting the panel (a draft, edited and sent like any other). At
    any time during the review: not once the Board has decided on publication. The
    concern's text is checked for the case's restricted identifiers, as the letter is."""
    if review.incident_id is None:
        raise ValidationError(
            "This review came from no serious incident: the panel is not told of it."
        )
    if Publication.objects.filter(review=review).exists():
        raise ValidationError(
            "The Board has already decided on publication: the panel was told of the decision."
        )
    if not concern.strip():
        raise ValidationError({"concern": "Say why publication may not be possible."})
    rules.dates_not_in_future(raised_on=raised_on)
    if review.decided_on and raised_on < review.decided_on:
        raise ValidationError(
            {"raised_on": "The concern cannot be raised before the review was decided on."}
        )
    assert review.incident is not None
    matches = letter_guard(review.incident, "", concern)
    if matches:
        raise ValidationError(
            {
                "concern": [
                    f"The concern contains {len(matches)} identifier"
                    f"{'s' if len(matches) != 1 else ''} from the case's restricted record: "
                    "use the pseudonym instead."
                ]
                + [str(m) for m in matches[:20]]
            }
        )
    record = PublicationConcern(
        partnership=review.partnership,
        review=review,
        concern=concern.strip(),
        raised_on=raised_on,
        raised_by=by,
    )
    record.full_clean()
    record.save()
    record.letter = letter_generate(
        incident=review.incident, kind=LetterKind.PUBLICATION_CONCERN, by=by, review=review
    )
    record.save()
    return record


def _unique_slug(review: Review) -> str:
    base = slugify(f"{review.partnership.slug}-{review.title}")[:70] or f"review-{review.pk}"
    slug, n = base, 2
    while Review.objects.filter(slug=slug).exclude(pk=review.pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def publication_publish(
    *, publication: Publication, published_on: dt.date, by: Person
) -> Publication:
    """Publish the report on LIFT's public pages. Refused while the guard finds an identifier
    from the case's restricted record in the report, briefing or summary; refused before the
    report has been sent to the panel the notice period ahead. The minimum publication
    period (12 months) clock starts."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    review = publication.review
    if publication.decision != PublicationDecision.PUBLISH:
        raise ValidationError("The decision was not to publish this report.")
    if publication.published_on:
        raise ValidationError("The report is already published.")
    matches = review_guard(review, publication)
    if matches:
        raise ValidationError(
            [f"The text still contains identifiers ({len(matches)}):"]
            + [str(m) for m in matches[:20]]
        )
    if not publication.sent_to_panel_on:
        raise ValidationError("Send the report to the national panel before publishing it.")
    rule = regime(review.partnership.regime).deadline("publication-notice")
    # Counted as the notice clock counts (back from the publication date).
    earliest = calendar.notice_earliest(rule, publication.sent_to_panel_on)
    if published_on < earliest:
        raise ValidationError(
            {
                "published_on": f"The panel must have the report at least {rule.period} before "
                f"publication: publish on or after {earliest:%-d %B %Y}."
            }
        )
    rules.dates_not_in_future(published_on=published_on)
    publication.published_on = published_on
    publication.full_clean()
    publication.save()
    review.slug = review.slug or _unique_slug(review)
    review.status = ReviewStatus.PUBLISHED
    review.save()
    _start(publication, "publication-period", published_on, by)
    return publication


@transaction.atomic
def publication_remove(
    *, publication: Publication, removed_on: dt.date, reason: str, by: Person
) -> Publication:
    """Take the report off the public pages: not before the minimum period (12 months)."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason."})
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    clock = next(iter(clocks_for(publication, rule="publication-period")), None)
    rules.publication_period_kept(
        publication.published_on, removed_on, minimum_until=clock.due_on if clock else None
    )
    publication.removed_on = removed_on
    with change_reason(reason):
        publication.save()
    if clock is not None and clock.is_open:
        clock_stop(clock=clock, reason=reason)
    return publication


# --- learning lessons review referrals -----------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    partnership: Partnership,
    source_kind: str,
    source: models.Model | None = None,
    referrer: Person,
    reasons: str,
    by: Person,
    pseudonym: str = "",
    referrer_agency: Agency | None = None,
    incident: Incident | None = None,
    referred_on: dt.date | None = None,
) -> Referral:
    """Refer a case to the Learning and Improvement sub-group for a learning lessons review.

    For other areas: CDOP (`source_kind="cdop"`, source = the child death review), audits
    (`"audit"`, source = the audit), agencies (`"agency"`) and the Chair after a decision not
    to hold a statutory review (`"chair"`, source = the decision). `reasons` and `pseudonym`
    must not identify the child. Returns the referral, pending the sub-group's decision.
    """
    if source_kind not in ReferralSource.values:
        raise ValidationError({"source_kind": "Choose where the referral comes from."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the referral."})
    if source is not None and getattr(source, "partnership_id", partnership.pk) != partnership.pk:
        raise ValidationError("The source belongs to another partnership.")
    if incident is None and isinstance(source, Incident):
        incident = source
    if incident is None and isinstance(source, Decision):
        incident = source.incident
    pseudonym = (
        pseudonym
        or (incident.pseudonym if incident else "")
        or str(getattr(source, "pseudonym", ""))
    )
    if not pseudonym:
        raise ValidationError({"pseudonym": "Give the child's pseudonym."})
    referred_on = referred_on or _today()
    referral = Referral(
        partnership=partnership,
        reference=_next_reference(partnership, Referral, "LLR", referred_on.year),
        source_kind=source_kind,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        incident=incident,
        pseudonym=pseudonym,
        referrer=referrer,
        referrer_agency=referrer_agency or getattr(referrer, "agency", None),
        referred_on=referred_on,
        reasons=reasons.strip(),
    )
    if referral.referrer_agency and referral.referrer_agency.partnership_id != partnership.pk:
        referral.referrer_agency = None
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_decide(
    *,
    referral: Referral,
    by: Person,
    decision: str,
    reasons: str,
    methodology: str = "",
    decided_on: dt.date | None = None,
) -> Referral:
    """The Learning and Improvement sub-group decides on a referral; an accepted referral opens
    a learning lessons review with the chosen methodology."""
    if referral.decision != ReferralDecision.PENDING:
        raise ValidationError("The referral has already been decided.")
    if (
        not {R.SUBGROUP_CHAIR, R.BUSINESS_UNIT} & roles_in(by, referral.partnership)
        and not by.is_superuser
    ):
        raise ValidationError("Only the sub-group chair or the business unit records the decision.")
    if decision not in (ReferralDecision.ACCEPTED, ReferralDecision.DECLINED):
        raise ValidationError({"decision": "Choose accepted or declined."})
    if not reasons.strip():
        raise ValidationError({"decision_reasons": "Give the reasons."})
    decided_on = decided_on or _today()
    if decided_on < referral.referred_on:
        raise ValidationError({"decided_on": "The decision cannot be before the referral."})
    rules.dates_not_in_future(decided_on=decided_on)
    if decision == ReferralDecision.ACCEPTED and not methodology:
        raise ValidationError({"methodology": "Choose the methodology."})
    referral.decision = decision
    referral.decided_on = decided_on
    referral.decided_by = by
    referral.decision_reasons = reasons.strip()
    referral.methodology = methodology
    if decision == ReferralDecision.ACCEPTED:
        referral.review = review_create(
            partnership=referral.partnership,
            incident=referral.incident,
            kind=ReviewKind.LEARNING_LESSONS,
            decided_on=decided_on,
            by=by,
            pseudonym=referral.pseudonym,
            methodology=methodology,
        )
    referral.full_clean()
    referral.save()
    return referral
