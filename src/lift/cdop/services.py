"""Writes of the child death review area: keyword-only, validated, atomic.

Messages leaving LIFT (alerts, acknowledgements, reporting-form links, reminders) carry the
case number and a link only, never the child's identifiers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lift.core import calendar
from lift.core import roles as r
from lift.core.files import attachment_create
from lift.core.models import Agency, Attachment, OutboundEmail, Partnership, Person, RoleAssignment
from lift.core.notify import email_body, notify
from lift.core.services import role_assign
from lift.learning.choices import Addressee
from lift.learning.models import Action, Recommendation
from lift.learning.services import action_create, recommendation_create

from . import rules
from .choices import (
    CaseStatus,
    NotifiedVia,
    ReferralKind,
    ReferralStatus,
    ReportStatus,
)
from .models import (
    AgencyReport,
    Analysis,
    AnalysisDomain,
    AnalysisFactor,
    Campaign,
    CdopMeeting,
    CdopReferral,
    CdopSettings,
    ChildDeath,
    ChildDeathIdentity,
    ReviewMeeting,
)
from .reference import cdop_reference

R = r.R


def _today() -> dt.date:
    return timezone.localdate()


def settings_for(partnership: Partnership) -> CdopSettings:
    """The partnership's CDOP settings (the defaults until someone changes them)."""
    found = CdopSettings.objects.filter(partnership=partnership).first()
    if found is not None:
        return found
    made = CdopSettings(partnership=partnership)
    made.full_clean()
    made.save()
    return made


def coordinators(partnership: Partnership) -> list[Person]:
    """Everyone holding the CDOP coordinator role in the partnership now."""
    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(partnership=partnership, role=R.CDOP_COORDINATOR, case_type__isnull=True)
        .select_related("person")
        .order_by("person_id")
        if a.person.is_active
    ]


def _next_reference(partnership: Partnership, year: int) -> str:
    stem = f"CDOP-{year}-"
    n = ChildDeath.objects.filter(partnership=partnership, reference__startswith=stem).count() + 1
    while ChildDeath.objects.filter(partnership=partnership, reference=f"{stem}{n:03d}").exists():
        n += 1
    return f"{stem}{n:03d}"


def _absolute(path: str) -> str:
    return f"{settings.LIFT_BASE_URL.rstrip('/')}{path}"


def _email(*, key: str, to: str, subject: str, body: str, partnership: Partnership) -> bool:
    """Queue an e-mail to someone without an account (a notifier, an agency contact), once
    per key. Returns True if it was new."""
    if not to:
        return False
    outbound, created = OutboundEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            "subject": subject[:300],
            "body": email_body(title=subject, body=body, url="", partnership=partnership),
        },
    )
    if created:
        from lift.core.tasks import send_email_task

        transaction.on_commit(lambda: send_email_task.enqueue(outbound.pk))
    return created


# --- notification ---------------------------------------------------------------------------


@transaction.atomic
def childdeath_notify(
    *,
    partnership: Partnership,
    by: Person | None,
    notifier_name: str,
    first_name: str,
    date_of_death: dt.date,
    expected: str,
    notifier_role: str = "",
    notifier_organisation: str = "",
    notifier_email: str = "",
    notifier_phone: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    address: str = "",
    postcode: str = "",
    nhs_number: str = "",
    sex: str = "unknown",
    circumstances: str = "",
    jar_criteria: Iterable[str] = (),
    jar_started_on: dt.date | None = None,
    via: str = NotifiedVia.COORDINATOR,
    notified_on: dt.date | None = None,
) -> ChildDeath:
    """Record a child death notification (the former Form A), from the public form or by
    the coordinator. The case gets a number; the identifiers go into the restricted record;
    every CDOP coordinator is alerted (case number and link only) and the notifier, if they
    gave an e-mail address, gets an acknowledgement with the case number only."""
    notified_on = notified_on or _today()
    criteria = sorted(set(jar_criteria))
    case = ChildDeath(
        partnership=partnership,
        reference=_next_reference(partnership, notified_on.year),
        notified_on=notified_on,
        notified_via=via,
        notifier_name=notifier_name.strip(),
        notifier_role=notifier_role.strip(),
        notifier_organisation=notifier_organisation.strip(),
        notifier_email=notifier_email.strip(),
        notifier_phone=notifier_phone.strip(),
        year_of_death=date_of_death.year,
        age_band=rules.age_band(date_of_birth, date_of_death),
        sex=sex,
        expected=expected,
        jar_criteria=criteria,
        jar_started_on=jar_started_on if criteria else None,
        recorded_by=by,
    )
    case.full_clean()
    case.save()
    identity = ChildDeathIdentity(
        partnership=partnership,
        case=case,
        first_name=first_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        date_of_death=date_of_death,
        address=address.strip(),
        postcode=postcode.strip().upper(),
        nhs_number=nhs_number.replace(" ", ""),
        circumstances=circumstances.strip(),
    )
    identity.full_clean()
    identity.save()
    url = case.get_absolute_url()
    jar = " A joint agency response criterion applies." if case.joint_agency_response else ""
    for person in coordinators(partnership):
        notify(
            person=person,
            key=f"cdop:notified:{case.pk}:to:{person.pk}",
            title=f"New child death notification: {case.reference}",
            body=f"A child death was notified on {notified_on:%-d %B %Y}.{jar} Open the case "
            "in LIFT for the details.",
            url=url,
            partnership=partnership,
        )
    if case.notifier_email:
        _email(
            key=f"cdop:notified:{case.pk}:ack",
            to=case.notifier_email,
            subject=f"Child death notification received: {case.reference}",
            body=(
                f"Thank you. The Child Death Overview Panel of {partnership.name} has received "
                f"your notification. Its reference is {case.reference}: please quote it if "
                "you contact the CDOP coordinator. For the child's family's privacy this "
                "e-mail does not repeat the details you gave."
            ),
            partnership=partnership,
        )
    return case


@transaction.atomic
def childdeath_update(*, case: ChildDeath, by: Person | None, **fields: Any) -> ChildDeath:
    """Change a case's non-identifying details (expected, joint agency response and its
    dates, status, meeting)."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def identity_update(
    *, identity: ChildDeathIdentity, by: Person | None, **fields: Any
) -> ChildDeathIdentity:
    """Change the restricted record; the case's age band and year follow the dates."""
    for name, value in fields.items():
        setattr(identity, name, value)
    identity.full_clean()
    identity.save()
    case = identity.case
    case.year_of_death = identity.date_of_death.year
    case.age_band = rules.age_band(identity.date_of_birth, identity.date_of_death)
    case.full_clean()
    case.save()
    return identity


# --- agency reporting forms -------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def report_link(token: str) -> str:
    return _absolute(reverse("cdop:public_report", args=[token]))


def _issue_token(report: AgencyReport, cfg: CdopSettings, today: dt.date) -> str:
    token = secrets.token_urlsafe(32)
    report.token_hash = token_hash(token)
    expires_on = calendar.add_calendar_days(today, cfg.link_expiry_days)
    rules.LinkOutlivesDueDate.check(report.due_on, expires_on)
    report.token_expires_at = timezone.make_aware(
        dt.datetime.combine(expires_on, dt.time(23, 59, 59))
    )
    report.token_used_at = None
    return token


def _send_link(report: AgencyReport, token: str, *, again: bool = False) -> None:
    case = report.case
    _email(
        key=f"cdop:report:{report.pk}:link:{report.token_hash[:16]}",
        to=report.contact_email,
        subject=f"Child death reporting form requested: {case.reference}",
        body=(
            f"Dear {report.contact_name},\n\nThe Child Death Overview Panel of "
            f"{case.partnership.name} asks {report.agency.name} to complete the reporting form "
            f"for case {case.reference} by {report.due_on:%-d %B %Y}."
            f"{' This link replaces the one sent before.' if again else ''}\n\n"
            f"Open the form (no account needed; the link works once, until "
            f"{timezone.localtime(report.token_expires_at):%-d %B %Y}):\n{report_link(token)}\n\n"
            "Do not forward this e-mail."
        ),
        partnership=case.partnership,
    )


@transaction.atomic
def agency_report_request(
    *,
    case: ChildDeath,
    agency: Agency,
    contact_name: str,
    contact_email: str,
    by: Person | None,
    supplementary: Iterable[str] = (),
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[AgencyReport, str]:
    """Ask an agency's named contact for its reporting form (the former Form B, with any
    supplementary forms): a single-use link that expires, sent by e-mail. Only the token's
    SHA-256 hash is stored. Returns the report and the token (for the e-mail only)."""
    today = today or _today()
    if agency.partnership_id != case.partnership_id:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    supplementary = sorted(set(supplementary))
    known = {s.code for s in cdop_reference().supplementary}
    if any(s not in known for s in supplementary):
        raise ValidationError({"supplementary": "Choose supplementary forms from the list."})
    if (
        AgencyReport.objects.filter(case=case, agency=agency)
        .exclude(status=ReportStatus.WITHDRAWN)
        .exists()
    ):
        raise ValidationError({"agency": "This agency has already been asked for its form."})
    cfg = settings_for(case.partnership)
    report = AgencyReport(
        partnership=case.partnership,
        case=case,
        agency=agency,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        supplementary=supplementary,
        requested_on=today,
        due_on=due_on or calendar.add_working_days(today, cfg.report_due_working_days),
        form_version=cdop_reference().form_version,
    )
    token = _issue_token(report, cfg, today)
    report.full_clean()
    report.save()
    if case.status == CaseStatus.NOTIFIED:
        case.status = CaseStatus.GATHERING
        case.save(update_fields=["status", "updated_at"])
    _send_link(report, token)
    return report, token


@transaction.atomic
def agency_report_resend(
    *, report: AgencyReport, by: Person | None, today: dt.date | None = None
) -> tuple[AgencyReport, str]:
    """Send a new link (the old one stops working) for a form not yet received."""
    if report.status != ReportStatus.REQUESTED:
        raise ValidationError("Only a form still awaited can be sent again.")
    today = today or _today()
    cfg = settings_for(report.partnership)
    if report.due_on < today:
        report.due_on = calendar.add_working_days(today, cfg.reminder_working_days + 2)
    token = _issue_token(report, cfg, today)
    report.full_clean()
    report.save()
    _send_link(report, token, again=True)
    return report, token


@transaction.atomic
def agency_report_link_send(
    *, report: AgencyReport, by: Person | None, today: dt.date | None = None
) -> tuple[AgencyReport, str]:
    """The agency's lead, or its named contact, has the link to a form still awaited sent
    again to the named contact by e-mail (the old link stops working). Unlike the
    coordinator's resend, the due date stays as it is. Returns the report and the token."""
    report = (
        AgencyReport.objects.select_for_update(of=("self",))
        .select_related("case__partnership", "agency")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.REQUESTED:
        raise ValidationError("This form is no longer awaited: no link was sent.")
    today = today or _today()
    token = _issue_token(report, settings_for(report.partnership), today)
    report.full_clean()
    report.save()
    _send_link(report, token, again=True)
    return report, token


def report_for_token(token: str) -> AgencyReport | None:
    """The reporting form a link points at, whatever its state (None for no such link)."""
    if not token or len(token) > 200:
        return None
    return (
        AgencyReport.objects.select_related("case", "agency", "partnership")
        .filter(token_hash=token_hash(token))
        .first()
    )


def report_questions(report: AgencyReport) -> list[tuple[str, str, str, int]]:
    """(answer key, label, hint, max length) of the report's form and supplementary forms.
    Supplementary answers are keyed "<form>.<question>"."""
    ref = cdop_reference()
    out = [(q.code, q.label, q.hint, q.max_length) for q in ref.questions]
    for sup in ref.supplementary:
        if sup.code in report.supplementary:
            out += [
                (f"{sup.code}.{q.code}", f"{sup.label}: {q.label}", q.hint, q.max_length)
                for q in sup.questions
            ]
    return out


@transaction.atomic
def agency_report_submit(
    *,
    token: str,
    answers: Mapping[str, str],
    completed_by: str,
    received_at: dt.datetime | None = None,
) -> AgencyReport:
    """Store an agency's answers through its link. The link works once and only until it
    expires (rules.ReportLinkUsable); the coordinators are told it has arrived."""
    found = report_for_token(token)
    if found is None:
        raise ValidationError("This link is not valid.")
    report = AgencyReport.objects.select_for_update().get(pk=found.pk)
    now = received_at or timezone.now()
    if report.status != ReportStatus.REQUESTED or not rules.ReportLinkUsable.usable(
        report.token_expires_at, report.token_used_at, now=now
    ):
        raise rules.ReportLinkUsable.fail()
    questions = {key: limit for key, _label, _hint, limit in report_questions(report)}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError("The form has answers to questions it does not ask.")
    cleaned = {}
    for key, limit in questions.items():
        text = str(answers.get(key, "")).strip()
        if len(text) > limit:
            raise ValidationError({key: f"Keep this answer to {limit} characters or fewer."})
        cleaned[key] = text
    if not any(cleaned.values()):
        raise ValidationError("Answer at least one question.")
    if not completed_by.strip() or len(completed_by) > 200:
        raise ValidationError(
            {"completed_by": "Enter your name and role (200 characters or fewer)."}
        )
    report.answers = cleaned
    report.completed_by = completed_by.strip()
    report.token_used_at = now
    report.received_on = timezone.localdate(now)
    report.status = ReportStatus.RECEIVED
    report.full_clean()
    report.save()
    case = report.case
    outstanding = case.reports.filter(status=ReportStatus.REQUESTED).exists()
    if not outstanding and case.status == CaseStatus.GATHERING:
        case.status = CaseStatus.READY
        case.save(update_fields=["status", "updated_at"])
    for person in coordinators(report.partnership):
        notify(
            person=person,
            key=f"cdop:report:{report.pk}:received:to:{person.pk}",
            title=f"Reporting form received: {case.reference}, {report.agency.name}",
            url=case.get_absolute_url(),
            partnership=report.partnership,
        )
    return report


@transaction.atomic
def agency_report_withdraw(*, report: AgencyReport, by: Person | None) -> AgencyReport:
    """No longer ask this agency (its link stops working)."""
    if report.status != ReportStatus.REQUESTED:
        raise ValidationError("Only a form still awaited can be withdrawn.")
    report.status = ReportStatus.WITHDRAWN
    report.token_used_at = timezone.now()
    report.full_clean()
    report.save()
    return report


def report_reminders(today: dt.date) -> int:
    """Tick step: remind each agency contact once, `reminder_working_days` before the due
    date; tell the coordinators once when a form is overdue. Keyed, so idempotent."""
    made = 0
    awaited = (
        AgencyReport.objects.filter(
            status=ReportStatus.REQUESTED, due_on__gte=today - dt.timedelta(days=365)
        )
        .select_related("case", "agency", "partnership")
        .order_by("pk")
    )
    configs: dict[int, CdopSettings] = {}
    for report in awaited.iterator(chunk_size=500):
        cfg = configs.get(report.partnership_id) or settings_for(report.partnership)
        configs[report.partnership_id] = cfg
        case = report.case
        remind_from = calendar.add_working_days(report.due_on, -cfg.reminder_working_days)
        if remind_from <= today <= report.due_on:
            made += _email(
                key=f"cdop:report:{report.pk}:reminder:{report.due_on.isoformat()}",
                to=report.contact_email,
                subject=f"Reminder: child death reporting form due {report.due_on:%-d %B %Y}: "
                f"{case.reference}",
                body=(
                    f"Dear {report.contact_name},\n\nThe reporting form for case "
                    f"{case.reference} from {report.agency.name} is due by "
                    f"{report.due_on:%-d %B %Y}. Please use the link in our earlier e-mail. "
                    "If you no longer have it, ask the CDOP coordinator for a new one."
                ),
                partnership=report.partnership,
            )
        elif today > report.due_on:
            for person in coordinators(report.partnership):
                key = f"cdop:report:{report.pk}:overdue:{report.due_on.isoformat()}:to:{person.pk}"
                before = person.notifications.filter(key=key).exists()
                notify(
                    person=person,
                    key=key,
                    title=f"Overdue reporting form: {case.reference}, {report.agency.name}",
                    body=f"It was due by {report.due_on:%-d %B %Y}.",
                    url=case.get_absolute_url(),
                    partnership=report.partnership,
                )
                made += 0 if before else 1
    return made


# --- meetings --------------------------------------------------------------------------------


@transaction.atomic
def cdopmeeting_create(
    *,
    partnership: Partnership,
    held_on: dt.date,
    by: Person | None,
    title: str = "",
    location: str = "",
    notes: str = "",
) -> CdopMeeting:
    meeting = CdopMeeting(
        partnership=partnership, held_on=held_on, title=title, location=location, notes=notes
    )
    meeting.full_clean()
    meeting.save()
    return meeting


def _members(meeting: CdopMeeting) -> list[Person]:
    from django.contrib.contenttypes.models import ContentType

    return [
        a.person
        for a in RoleAssignment.objects.current()
        .filter(
            role=R.CASE_TEAM,
            case_type=ContentType.objects.get_for_model(CdopMeeting),
            case_id=meeting.pk,
        )
        .select_related("person")
    ]


def meeting_members(meeting: CdopMeeting) -> list[Person]:
    return _members(meeting)


@transaction.atomic
def meeting_member_add(*, meeting: CdopMeeting, person: Person, by: Person | None) -> None:
    """Make someone a panel member for this meeting: they see the meeting, its papers and
    its cases, including the restricted records (each read logged)."""
    if not person.role_assignments.filter(partnership=meeting.partnership).exists():
        raise ValidationError({"person": "Choose someone with a role in this partnership."})
    role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=meeting)
    for case in meeting.cases.all():
        role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=case)


@transaction.atomic
def meeting_case_add(*, meeting: CdopMeeting, case: ChildDeath, by: Person | None) -> ChildDeath:
    """List a case for a CDOP meeting; the meeting's members join its panel."""
    if case.partnership_id != meeting.partnership_id:
        raise ValidationError("The case belongs to another partnership.")
    case.meeting = meeting
    case.full_clean()
    case.save()
    for person in _members(meeting):
        role_assign(partnership=meeting.partnership, person=person, role=R.CASE_TEAM, case=case)
    return case


@transaction.atomic
def meeting_paper_attach(
    *, meeting: CdopMeeting, uploaded_file: Any, by: Person | None, description: str = ""
) -> Attachment:
    """A paper for the meeting, readable beforehand by whoever may see the meeting."""
    return attachment_create(
        subject=meeting, uploaded_file=uploaded_file, uploaded_by=by, description=description
    )


@transaction.atomic
def review_meeting_record(
    *,
    case: ChildDeath,
    held_on: dt.date,
    attendees: str,
    summary: str,
    by: Person | None,
    issues_for_panel: str = "",
) -> ReviewMeeting:
    """Record the child death review meeting of the professionals involved."""
    meeting = ReviewMeeting(
        partnership=case.partnership,
        case=case,
        held_on=held_on,
        attendees=attendees.strip(),
        summary=summary.strip(),
        issues_for_panel=issues_for_panel.strip(),
    )
    meeting.full_clean()
    meeting.save()
    return meeting


# --- analysis (Form C) -----------------------------------------------------------------------


@transaction.atomic
def analysis_record(
    *,
    case: ChildDeath,
    by: Person | None,
    category: str,
    modifiable: str,
    scores: Mapping[str, int],
    domain_factors: Mapping[str, str] | None = None,
    factors: Iterable[str] = (),
    modifiable_factors: Iterable[str] = (),
    learning_points: str = "",
    completed_on: dt.date | None = None,
    meeting: CdopMeeting | None = None,
) -> Analysis:
    """Record (or correct) the panel's analysis: the category of death (one of ten), a
    score for each of the four domains, the recorded factors, whether modifiable factors
    were identified, and the learning points. The case becomes "reviewed"."""
    ref = cdop_reference()
    rules.CategoryInList.check(category)
    rules.EveryDomainScored.check(scores)
    rules.ModifiableOutcomeInList.check(modifiable)
    rules.ModifiableNeedsContributingFactor.check(modifiable, scores.values())
    factors = sorted(set(factors))
    modifiable_set = set(modifiable_factors)
    rules.FactorInList.check(factors)
    if not modifiable_set <= set(factors):
        raise ValidationError({"modifiable_factors": "Mark as modifiable only recorded factors."})
    if meeting is not None and meeting.partnership_id != case.partnership_id:
        raise ValidationError({"meeting": "Choose a meeting of this partnership."})
    analysis = Analysis.objects.filter(case=case).first() or Analysis(
        partnership=case.partnership, case=case
    )
    analysis.category = category
    analysis.modifiable = modifiable
    analysis.learning_points = learning_points.strip()
    analysis.completed_on = completed_on or _today()
    analysis.meeting = meeting or case.meeting
    analysis.reference_version = ref.categories_version
    analysis.full_clean()
    analysis.save()
    domain_factors = domain_factors or {}
    existing = {d.domain: d for d in analysis.domains.all()}
    for domain in ref.domains:
        row = existing.get(domain.code) or AnalysisDomain(
            partnership=case.partnership, analysis=analysis, domain=domain.code
        )
        row.score = int(scores[domain.code])
        row.factors = str(domain_factors.get(domain.code, "")).strip()
        row.full_clean()
        row.save()
    by_code = {f.code: f for f in ref.factors}
    analysis.factor_codes.exclude(code__in=factors).delete()
    kept = {f.code: f for f in analysis.factor_codes.all()}
    for code in factors:
        factor = kept.get(code) or AnalysisFactor(
            partnership=case.partnership, analysis=analysis, code=code
        )
        factor.domain = by_code[code].domain
        factor.modifiable = code in modifiable_set
        factor.full_clean()
        factor.save()
    if case.status != CaseStatus.CLOSED:
        case.status = CaseStatus.REVIEWED
        case.save(update_fields=["status", "updated_at"])
    return analysis


@transaction.atomic
def analysis_recommend(
    *,
    analysis: Analysis,
    text: str,
    agencies: Iterable[Agency],
    by: Person | None,
    action_title: str = "",
    owner_agency: Agency | None = None,
    due_on: dt.date | None = None,
    success_measure: str = "",
    owner: Person | None = None,
) -> tuple[Recommendation, Action | None]:
    """A panel recommendation to agencies, recorded in the learning chain (tracked by the
    Board through the Chair), with the action that carries it out when one is given."""
    agencies = list(agencies)
    number = Recommendation.objects.from_source(analysis).count() + 1
    rec = recommendation_create(
        source=analysis,
        text=text,
        addressee=Addressee.AGENCIES if agencies else Addressee.BOARD,
        agencies=agencies,
        reference=f"{analysis.case.reference}/R{number}",
        partnership=analysis.partnership,
    )
    action = None
    if action_title:
        if owner_agency is None or due_on is None or not success_measure.strip():
            raise ValidationError(
                "An action needs its owning agency, a due date and how success is measured."
            )
        action = action_create(
            title=action_title,
            owner_agency=owner_agency,
            due_on=due_on,
            success_measure=success_measure,
            recommendation=rec,
            owner=owner,
            partnership=analysis.partnership,
        )
    return rec, action


# --- referrals -------------------------------------------------------------------------------


@transaction.atomic
def cdop_referral_create(
    *,
    case: ChildDeath,
    kind: str,
    reasons: str,
    by: Person,
    referred_on: dt.date | None = None,
) -> CdopReferral:
    """Refer a case to the L&I sub-group for a learning lessons review (created in the
    reviews area through its referral service) or to the Chair to consider a serious case
    review / rapid review (recorded here, awaiting the Chair, who is alerted)."""
    if kind not in ReferralKind.values:
        raise ValidationError({"kind": "Choose who the case is referred to."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the referral."})
    referred_on = referred_on or _today()
    referral = CdopReferral(
        partnership=case.partnership,
        case=case,
        kind=kind,
        reasons=reasons.strip(),
        referred_on=referred_on,
        referred_by=by,
        status=ReferralStatus.AWAITING_CHAIR,
    )
    if kind == ReferralKind.LEARNING_LESSONS:
        from lift.reviews.services import referral_create

        made = referral_create(
            partnership=case.partnership,
            source_kind="cdop",
            source=case,
            referrer=by,
            reasons=reasons,
            by=by,
            pseudonym=case.reference,
            referred_on=referred_on,
        )
        referral.reviews_referral_id = made.pk
        referral.status = ReferralStatus.SENT
    referral.full_clean()
    referral.save()
    if kind == ReferralKind.CHAIR:
        for a in (
            RoleAssignment.objects.current()
            .filter(partnership=case.partnership, role=R.CHAIR, case_type__isnull=True)
            .select_related("person")
        ):
            notify(
                person=a.person,
                key=f"cdop:referral:{referral.pk}:to:{a.person_id}",
                title=f"CDOP referral for your consideration: {case.reference}",
                body="The Child Death Overview Panel asks you to consider a serious case "
                "review or rapid review.",
                url=referral.get_absolute_url(),
                partnership=case.partnership,
            )
    return referral


@transaction.atomic
def cdop_referral_chair_decide(
    *, referral: CdopReferral, outcome: str, by: Person, decided_on: dt.date | None = None
) -> CdopReferral:
    """The Chair records what they decided about a CDOP referral."""
    if referral.kind != ReferralKind.CHAIR or referral.status != ReferralStatus.AWAITING_CHAIR:
        raise ValidationError("This referral is not awaiting the Chair.")
    if not outcome.strip():
        raise ValidationError({"chair_outcome": "Record what was decided and why."})
    referral.chair_outcome = outcome.strip()
    referral.chair_decided_on = decided_on or _today()
    referral.status = ReferralStatus.CHAIR_DECIDED
    referral.full_clean()
    referral.save()
    return referral


# --- campaigns -------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    audience: str,
    started_on: dt.date,
    by: Person | None,
    partners: str = "",
    factor: str = "",
    ended_on: dt.date | None = None,
    reach: int = 0,
    description: str = "",
    published: bool = False,
) -> Campaign:
    """Record a campaign or publication with its audience and reach. A published one is
    shown on the partnership's public site (the only part of CDOP that is)."""
    campaign = Campaign(
        partnership=partnership,
        title=title,
        kind=kind,
        audience=audience,
        started_on=started_on,
        partners=partners,
        factor=factor,
        ended_on=ended_on,
        reach=reach,
        description=description,
        published=published,
    )
    campaign.full_clean()
    campaign.save()
    return campaign
