"""Programmes and audit design: creating and editing audits, their team, the business plan
priority, the sample cases and their identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from lift.core.models import Agency, Partnership, Person
from lift.core.roles import R
from lift.core.services import changes_apply, role_assign
from lift.learning import services as learning
from lift.learning.models import Theme

from .. import rules
from ..choices import (
    AUDIT_MOVES,
    AuditStatus,
    TemplateKind,
)
from ..models import (
    Audit,
    AuditProgramme,
    AuditTemplate,
    CaseIdentity,
    SampleCase,
)
from .base import _check_agencies, _saved

# --- programme and design -----------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    partnership: Partnership,
    year: str,
    title: str,
    by: Person | None,
    summary: str = "",
    approved_on: dt.date | None = None,
) -> AuditProgramme:
    """Record the annual programme of thematic multi-agency audits."""
    programme = AuditProgramme(
        partnership=partnership, year=year, title=title, summary=summary, approved_on=approved_on
    )
    _saved(programme)
    return programme


PROGRAMME_EDITABLE = frozenset({"year", "title", "summary", "approved_on"})


@transaction.atomic
def programme_update(*, programme: AuditProgramme, by: Person, **fields: Any) -> AuditProgramme:
    """Correct the annual programme's year, title, summary or date approved."""
    return changes_apply(programme, fields, editable=PROGRAMME_EDITABLE)


def _themes(partnership: Partnership, themes: Iterable[Theme | str]) -> list[Theme]:
    themes = list(themes)
    codes = [t for t in themes if isinstance(t, str)]
    objects = [t for t in themes if isinstance(t, Theme)]
    return objects + (learning.themes_by_code(partnership, codes) if codes else [])


@transaction.atomic
def audit_create(
    *,
    programme: AuditProgramme,
    title: str,
    by: Person | None,
    purpose: str = "",
    themes: Iterable[Theme | str] = (),
    planned_start: dt.date | None = None,
    planned_end: dt.date | None = None,
    returns_due_on: dt.date | None = None,
    template: AuditTemplate | None = None,
    agencies: Iterable[Agency] = (),
    sampling_rule: str = "",
    lead: Person | None = None,
    previous_audit: Audit | None = None,
    status: str = AuditStatus.PLANNED,
) -> Audit:
    """Add an audit to the programme. The person adding it and its lead join the audit team
    (a case role on the audit), which alone sees the sample's restricted records."""
    partnership = programme.partnership
    rules.TemplateKindMatches.check(template, TemplateKind.MULTI_AGENCY)
    theme_list = _themes(partnership, themes)
    agency_list = list(agencies)
    _check_agencies(partnership, agency_list)
    audit = Audit(
        partnership=partnership,
        programme=programme,
        title=title,
        purpose=purpose,
        status=status,
        planned_start=planned_start,
        planned_end=planned_end,
        returns_due_on=returns_due_on,
        template=template,
        sampling_rule=sampling_rule,
        lead=lead,
    )
    audit.full_clean()
    audit.save()
    rules.ReauditOfEarlierAuditOnSameTheme.check(audit, previous_audit, [t.pk for t in theme_list])
    if previous_audit is not None:
        audit.previous_audit = previous_audit
        audit.save(update_fields=["previous_audit", "updated_at"])
    audit.themes.set(theme_list)
    audit.agencies.set(agency_list)
    for person in {p.pk: p for p in (by, lead) if p is not None}.values():
        audit_team_add(audit=audit, person=person, by=by)
    return audit


@transaction.atomic
def audit_update(
    *,
    audit: Audit,
    by: Person | None,
    themes: Iterable[Theme] | None = None,
    agencies: Iterable[Agency] | None = None,
    reason: str = "",
    **fields: Any,
) -> Audit:
    """Change an audit's design. The template cannot change once returns have begun."""
    if "template" in fields and fields["template"] != audit.template:
        rules.TemplateKindMatches.check(fields["template"], TemplateKind.MULTI_AGENCY)
        if audit.returns.exists():
            raise ValidationError(
                {"template": "Returns have begun: the template can no longer change."}
            )
    previous = fields.pop("previous_audit", audit.previous_audit)
    for name, value in fields.items():
        setattr(audit, name, value)
    theme_ids = (
        [t.pk for t in themes]
        if themes is not None
        else list(audit.themes.values_list("pk", flat=True))
    )
    rules.ReauditOfEarlierAuditOnSameTheme.check(audit, previous, theme_ids)
    audit.previous_audit = previous
    _saved(audit, reason)
    if themes is not None:
        audit.themes.set(list(themes))
    if agencies is not None:
        agency_list = list(agencies)
        _check_agencies(audit.partnership, agency_list)
        audit.agencies.set(agency_list)
    return audit


@transaction.atomic
def audit_status_set(*, audit: Audit, status: str, by: Person | None, reason: str = "") -> Audit:
    """Move an audit along the programme (planned, design, auditing, workshop...)."""
    if status not in AUDIT_MOVES.get(audit.status, ()):
        raise ValidationError(
            {"status": f"An audit that is {audit.get_status_display().lower()} cannot move there."}
        )
    if status == AuditStatus.AUDITING and audit.template_id is None:
        raise ValidationError({"status": "Choose the audit's template before auditing starts."})
    audit.status = status
    _saved(audit, reason or f"Status: {AuditStatus(status).label}")
    return audit


@transaction.atomic
def audit_team_add(*, audit: Audit, person: Person, by: Person | None) -> Any:
    """Add someone to the audit team: they see the sample's restricted records."""
    return role_assign(partnership=audit.partnership, person=person, role=R.CASE_TEAM, case=audit)


def governance_available() -> bool:
    from django.apps import apps

    return apps.is_installed("lift.governance")


@transaction.atomic
def audit_priority_link(*, audit: Audit, priority: Any, by: Person | None) -> Any:
    """Link the audit to a business plan priority (through governance's generic link)."""
    from lift.governance.services import priority_link_add

    if priority.partnership_id != audit.partnership_id:
        raise ValidationError({"priority": "Choose a priority of this partnership."})
    return priority_link_add(priority=priority, linked=audit, by=by)


@transaction.atomic
def sample_case_add(
    *,
    audit: Audit,
    reference: str,
    by: Person | None,
    full_name: str,
    summary: str = "",
    date_of_birth: dt.date | None = None,
    other_names: str = "",
    address: str = "",
    record_numbers: str = "",
) -> SampleCase:
    """Add a case to the sample: its pseudonymised reference for everyone, and its
    restricted record (who the child is) for the audit team."""
    order = (audit.cases.aggregate(m=models.Max("order"))["m"] or 0) + 1
    case = SampleCase(
        partnership=audit.partnership,
        audit=audit,
        reference=reference.strip(),
        summary=summary.strip(),
        order=order,
    )
    case.full_clean()
    identity = CaseIdentity(
        partnership=audit.partnership,
        full_name=full_name.strip(),
        other_names=other_names.strip(),
        date_of_birth=date_of_birth,
        address=address.strip(),
        record_numbers=record_numbers.strip(),
    )
    rules.NoIdentifiersInText.check(
        {"reference": case.reference, "summary": case.summary}, identity.identifiers()
    )
    case.save()
    identity.case = case
    identity.full_clean()
    identity.save()
    return case


CASE_IDENTITY_EDITABLE = frozenset(
    {"full_name", "other_names", "date_of_birth", "address", "record_numbers"}
)


@transaction.atomic
def case_identity_update(*, identity: CaseIdentity, by: Person, **fields: Any) -> CaseIdentity:
    """Correct a sample child's restricted record (their names, birth date, address, record
    numbers); the change is in its history, which only the audit team sees."""
    return changes_apply(identity, fields, editable=CASE_IDENTITY_EDITABLE)
