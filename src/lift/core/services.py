"""Writes to the core records. Keyword-only, validated, atomic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .access import forget_assignments
from .models import Agency, Partnership, Person, RoleAssignment


@transaction.atomic
def partnership_create(
    *, name: str, short_name: str, slug: str, area: str, regime: str, **extra: Any
) -> Partnership:
    partnership = Partnership(
        name=name, short_name=short_name, slug=slug, area=area, regime=regime, **extra
    )
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def agency_create(
    *,
    partnership: Partnership,
    name: str,
    agency_type: str,
    safeguarding_lead: Person | None = None,
) -> Agency:
    agency = Agency(
        partnership=partnership,
        name=name,
        agency_type=agency_type,
        safeguarding_lead=safeguarding_lead,
    )
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def person_create(
    *,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    job_title: str = "",
    phone: str = "",
    agency: Agency | None = None,
    line_manager: Person | None = None,
    password: str | None = None,
    invited_by: Person | None = None,
) -> Person:
    """Add a person with their first role. Without a password they set one by the
    password-reset link (they cannot sign in until then)."""
    email = email.strip().lower()
    if Person.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "A person with this email address already exists."})
    if agency is not None and agency.partnership_id != partnership.pk:
        raise ValidationError({"agency": "Choose an agency of this partnership."})
    person = Person(
        email=email,
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        agency=agency,
        line_manager=line_manager,
        home_partnership=partnership,
    )
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    role_assign(partnership=partnership, person=person, role=role, agency=agency)
    return person


@transaction.atomic
def role_assign(
    *,
    partnership: Partnership,
    person: Person,
    role: str,
    agency: Agency | None = None,
    case: Any = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> RoleAssignment:
    """Give a person a role in the partnership, for an agency or for one case team."""
    from django.contrib.contenttypes.models import ContentType

    assignment = RoleAssignment(
        person=person,
        partnership=partnership,
        role=role,
        agency=agency,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    if case is not None:
        assignment.case_type = ContentType.objects.get_for_model(case)
        assignment.case_id = case.pk
    assignment.full_clean()
    existing = (
        RoleAssignment.objects.current()
        .filter(
            person=person,
            partnership=partnership,
            role=role,
            agency=agency,
            case_type=assignment.case_type,
            case_id=assignment.case_id,
        )
        .first()
    )
    if existing is not None:
        return existing
    assignment.save()
    if person.home_partnership_id is None:
        # The first partnership to give someone a role manages their account.
        person.home_partnership = partnership
        person.save(update_fields=["home_partnership", "updated_at"])
    forget_assignments(person)
    return assignment


@transaction.atomic
def role_delete(*, assignment: RoleAssignment) -> None:
    """Remove a role given in error (refused for the partnership's last business unit)."""
    assignment.check_not_last_business_unit()
    person = assignment.person
    assignment.delete()
    forget_assignments(person)


@transaction.atomic
def person_update(*, person: Person, by: Any, email: str | None = None, **fields: Any) -> Person:
    """Change a person's details. A new e-mail address only starts a change: it takes effect
    when the person follows the link sent to it (`identity.email_change_request`)."""
    from .identity import email_change_request

    saved = Person.objects.select_for_update().get(pk=person.pk)
    for name, value in fields.items():
        setattr(saved, name, value)
    if not saved.is_active and saved.pk == getattr(by, "pk", None):
        raise ValidationError({"is_active": "You cannot deactivate your own account."})
    saved.full_clean(exclude=["password"])
    saved.save()
    if not saved.is_active:
        for assignment in saved.role_assignments.all():
            assignment.check_not_last_business_unit()
    if email and email.strip().lower() != saved.email:
        email_change_request(person=saved, new_email=email, requested_by=by)
    return saved


@transaction.atomic
def role_end(*, assignment: RoleAssignment, on: dt.date | None = None) -> RoleAssignment:
    assignment.ends_on = on or timezone.localdate()
    assignment.full_clean()
    assignment.save()
    return assignment
