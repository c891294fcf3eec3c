"""Requests to agencies for information, and the IMR files they send back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lift.core.models import Agency, Person

from .. import rules
from ..choices import (
    RequestKind,
)
from ..models import (
    AgencyRequest,
    ImrFile,
    Incident,
    Review,
)
from .base import _today

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
