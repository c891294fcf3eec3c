"""Serious incidents: recording and correcting them, the notification, identities, the
case team and information-sharing meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.clocks import (
    clock_meet_correct,
    clocks_restart_from,
)
from lift.core.history import change_reason
from lift.core.models import Agency, Partnership, Person
from lift.core.reference import regime
from lift.core.roles import R
from lift.core.services import changes_apply, role_assign, role_end

from .. import rules
from ..models import (
    CaseTeamMember,
    ChildIdentity,
    Decision,
    Incident,
    InformationSharingMeeting,
    Review,
)
from .base import (
    _corrected,
    _date,
    _latest_clock,
    _meet,
    _next_reference,
    _start,
    _start_incident_clock,
    _today,
)

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


IDENTITY_EDITABLE = frozenset(
    {
        "pseudonym",
        "is_subject",
        "relationship",
        "full_name",
        "other_names",
        "date_of_birth",
        "address",
        "postcode",
        "nhs_number",
        "other_identifiers",
    }
)


@transaction.atomic
def identity_update(*, identity: ChildIdentity, by: Person, **fields: Any) -> ChildIdentity:
    """Correct a child's identifiers in the restricted record (no clock counts from them)."""
    return changes_apply(identity, fields, editable=IDENTITY_EDITABLE)


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
