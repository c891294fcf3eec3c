"""Fixtures for serious incidents and reviews. Every child, name and address is fictional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from lift.core.models import Agency, Partnership, Person
from lift.reviews import services
from lift.reviews.models import ChildIdentity, Incident

TODAY = dt.date(2025, 6, 2)


@pytest.fixture(autouse=True)
def _frozen_today() -> Any:
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def incident(partnership: Partnership, business_unit: Person, agency: Agency) -> Incident:
    return services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child A was admitted to hospital with injuries.",
        agencies=[agency],
    )


@pytest.fixture
def identity(incident: Incident, business_unit: Person) -> ChildIdentity:
    return services.identity_create(
        incident=incident,
        by=business_unit,
        pseudonym="Child A",
        is_subject=True,
        full_name="Jayden Thornbury-Quell",
        other_names="Jay Quell",
        date_of_birth=dt.date(2019, 3, 4),
        address="14 Larkspur Close\nHarrowmere",
        postcode="HM4 7QZ",
        nhs_number="943 476 5919",
        other_identifiers="Case number: CS-55501",
    )


@pytest.fixture
def team_member(make_person: Callable[..., Person], incident: Incident) -> Person:
    return make_person("case_team", case=incident, full_name="Tess Team")


@pytest.fixture
def board_member(make_person: Callable[..., Person]) -> Person:
    return make_person("board_member", full_name="Bob Board")


def notification_pdf() -> bytes:
    """A one-page PDF standing in for the local authority's Serious Incident Notification."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach_notification(letter: Any, by: Person) -> Any:
    """Attach the Serious Incident Notification a NO letter needs before it is sent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "serious-incident-notification.pdf", notification_pdf(), content_type="application/pdf"
    )
    return services.letter_enclosure_add(letter=letter, uploaded_file=upload, by=by)
