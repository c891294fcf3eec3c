"""The agency reporting forms: links by token, requests, reminders, submitting and
withdrawing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lift.core import calendar
from lift.core.models import Agency, Person
from lift.core.notify import notify

from .. import rules
from ..choices import (
    CaseStatus,
    ReportStatus,
)
from ..models import (
    AgencyReport,
    CdopSettings,
    ChildDeath,
)
from ..reference import cdop_reference
from .base import _absolute, _email, _today, coordinators, settings_for

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
        raise rules.ReportLinkUsable.violation()
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
