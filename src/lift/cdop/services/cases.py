"""Notifying a child death, correcting the case and the child's identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from lift.core.models import Partnership, Person
from lift.core.notify import notify

from .. import rules
from ..choices import (
    NotifiedVia,
)
from ..models import (
    ChildDeath,
    ChildDeathIdentity,
)
from .base import _email, _next_reference, _today, coordinators

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
