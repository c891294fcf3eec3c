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
    """Add a person with their first role. Added by someone (`invited_by`) and without a
    password, they are sent an invitation to choose one (`identity.person_invite`)."""
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
    role_assign(partnership=partnership, person=person, role=role, agency=agency, by=invited_by)
    if invited_by is not None and not password:
        from .identity import person_invite

        person_invite(person=person, by=invited_by)
        person.refresh_from_db(fields=["invited_at", "invited_by", "updated_at"])
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
    by: Person | None = None,
) -> RoleAssignment:
    """Give a person a role in the partnership, for an agency or for one case team.

    `by` is the person giving it (None for LIFT itself: the demo, a case team made by a
    service). Nobody gives themselves a role, and the Chair, business unit and CDOP
    coordinator roles are given only by a business unit member (`check_role_grant`).
    """
    from django.contrib.contenttypes.models import ContentType

    if by is not None:
        check_role_grant(by=by, person=person, partnership=partnership, role=role)

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
    if by is not None:
        role_grant_announce(assignment=assignment, by=by)
    if person.home_partnership_id is None:
        # The first partnership to give someone a role manages their account.
        person.home_partnership = partnership
        person.save(update_fields=["home_partnership", "updated_at"])
    forget_assignments(person)
    return assignment


def check_role_grant(*, by: Any, person: Person, partnership: Partnership, role: str) -> None:
    """Separation of duties: nobody gives or changes a role of their own, and the roles that
    reach the most sensitive records (Chair, business unit, CDOP coordinator) are given only
    by another member of the partnership's business unit."""
    from .access import has_role
    from .roles import ADMINS, MFA_ROLES

    if by.pk == person.pk:
        raise ValidationError(
            {
                "person": "You cannot give yourself a role or change your own. Ask another "
                "business unit member."
            }
        )
    if role in MFA_ROLES and not has_role(by, partnership, ADMINS):
        raise ValidationError(
            {
                "role": "Only the business unit can give the Chair, business unit or CDOP "
                "coordinator role."
            }
        )


def role_grant_announce(*, assignment: RoleAssignment, by: Any) -> None:
    """Tell the partnership's Chair and business unit whenever someone is given one of the
    roles that reach the most sensitive records."""
    from .notify import notify
    from .roles import ADMINS, MFA_ROLES, R

    if assignment.role not in MFA_ROLES:
        return
    watchers = Person.objects.filter(
        pk__in=RoleAssignment.objects.current()
        .filter(
            partnership=assignment.partnership,
            role__in=ADMINS | {R.CHAIR},
            case_type__isnull=True,
        )
        .values("person_id"),
        is_active=True,
    )
    for watcher in watchers:
        notify(
            person=watcher,
            key=f"role-granted:{assignment.pk}:to:{watcher.pk}",
            title=f"{assignment.person} was given the {assignment.get_role_display()} role",
            body=f"{by} gave {assignment.person} the {assignment.get_role_display()} role in "
            f"{assignment.partnership.short_name} from {assignment.starts_on:%-d %B %Y}. If "
            "this is not expected, end the role and tell the Chair.",
            url=assignment.person.get_absolute_url(),
            partnership=assignment.partnership,
            immediate=True,  # an alert about the account's security does not wait for a digest
        )


def changes_apply(instance: Any, fields: dict[str, Any], *, editable: frozenset[str]) -> Any:
    """The one way an `<noun>_update` service writes plain field changes: refuse a field
    the service does not offer, set the rest (many-to-many fields after the row is saved),
    validate the row and save it. The service adds what its record needs around this (a
    clock restarted, a decision recorded); the caller holds the transaction."""
    unknown = set(fields) - editable
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    many = {f.name for f in instance._meta.many_to_many}
    for name, value in fields.items():
        if name not in many:
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name in many & set(fields):
        getattr(instance, name).set(fields[name])
    return instance


@transaction.atomic
def role_update(*, assignment: RoleAssignment, by: Any, **fields: Any) -> RoleAssignment:
    """Change a role (its role, agency or dates), under the same rules as giving one."""
    saved = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    before = saved.role
    for name, value in fields.items():
        setattr(saved, name, value)
    if "person" in fields and saved.person_id != assignment.person_id:
        raise ValidationError(
            {
                "person": "A role cannot move to another person: end it and "
                "give the new person their own."
            }
        )
    saved.full_clean()
    check_role_grant(by=by, person=saved.person, partnership=saved.partnership, role=saved.role)
    saved.save()
    forget_assignments(saved.person)
    if saved.role != before:
        role_grant_announce(assignment=saved, by=by)
    return saved


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
    when the person follows the link sent to it (`identity.email_change_request`).

    Deactivating a leaver signs them out of every browser (`identity.sessions_end`) and ends
    their API token (`Person.save`); their records and history stay as they are, and their
    open steps appear on their agency's safeguarding lead's to-do list (`core.handover`)."""
    from .identity import email_change_request, sessions_end

    saved = Person.objects.select_for_update().get(pk=person.pk)
    was_active = saved.is_active
    for name, value in fields.items():
        setattr(saved, name, value)
    if not saved.is_active and saved.pk == getattr(by, "pk", None):
        raise ValidationError({"is_active": "You cannot deactivate your own account."})
    saved.full_clean(exclude=["password"])
    saved.save()
    if not saved.is_active:
        for assignment in saved.role_assignments.all():
            assignment.check_not_last_business_unit()
        if was_active:
            sessions_end(person=saved)
    if email and email.strip().lower() != saved.email:
        email_change_request(person=saved, new_email=email, requested_by=by)
    return saved


@transaction.atomic
def role_end(*, assignment: RoleAssignment, on: dt.date | None = None) -> RoleAssignment:
    assignment.ends_on = on or timezone.localdate()
    assignment.full_clean()
    assignment.save()
    return assignment
