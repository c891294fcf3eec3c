"""A NO letter goes with the local authority's Serious Incident Notification, uploaded and
attached to it (the framework: "providing a copy of the local authority's Serious Incident
Notification"), not a summary LIFT writes and calls the notification."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from lift.core.documents import render
from lift.core.models import Person
from lift.reviews import services
from lift.reviews.choices import DecisionOutcome
from lift.reviews.models import Incident, Letter
from lift.reviews.views.letters import letter_document
from tests.reviews.test_services import decide

from .conftest import attach_notification, notification_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(incident: Incident, chair: Person) -> Letter:
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    return Letter.objects.get(incident=incident)


def _upload(name: str = "sin.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data or notification_pdf(), content_type="application/pdf")


def test_a_no_letter_is_sent_only_with_the_notification_attached(
    letter: Letter, business_unit: Person
) -> None:
    assert "Serious Incident Notification is attached" in letter.body
    with pytest.raises(ValidationError, match="Attach the local authority's Serious Incident"):
        services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    assert Letter.objects.get(pk=letter.pk).sent_on is None
    enclosure = attach_notification(letter, business_unit)
    assert enclosure.description == "Serious Incident Notification"
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    with pytest.raises(ValidationError, match="nothing more can be attached"):
        attach_notification(letter, business_unit)
    assert services.letter_enclosures(letter) == [enclosure]


def test_the_letters_pdf_carries_the_notifications_own_pages(
    letter: Letter, business_unit: Person
) -> None:
    before = letter_document(letter)
    text = " ".join(str(getattr(b, "text", "")) for b in before.sections)
    assert "not attached yet" in text  # says so, instead of presenting LIFT's summary
    attach_notification(letter, business_unit)
    pdf = render(letter_document(Letter.objects.get(pk=letter.pk)), "pdf")
    pages = PdfReader(io.BytesIO(pdf)).pages
    alone = len(PdfReader(io.BytesIO(render(before, "pdf"))).pages)
    assert len(pages) >= alone + 1  # the notification's own (blank) page is merged in
    listed = " ".join(p.extract_text() for p in pages)
    assert "Enclosures" in listed and "sin" in listed.lower()


def test_only_who_may_change_the_letter_attaches_and_a_bad_file_is_refused(
    letter: Letter,
    business_unit: Person,
    lead: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/letters/{letter.pk}/enclosures/add/"
    assert client_for(outsider).post(url, {"file": _upload()}).status_code == 404
    assert client_for(lead).post(url, {"file": _upload()}).status_code == 404  # cannot see it
    bu = client_for(business_unit)
    assert bu.get(url).status_code == 200
    bad = bu.post(url, {"file": _upload("sin.pdf", b"<html>not a pdf</html>")})
    assert bad.status_code == 200 and services.letter_enclosures(letter) == []
    assert "govuk-error-summary" in bad.content.decode()
    assert bu.post(url, {"file": _upload()}).status_code == 302
    assert len(services.letter_enclosures(letter)) == 1


def test_the_api_attaches_then_sends(letter: Letter, business_unit: Person, lead: Person) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(business_unit)
    base = f"/api/v1/panel-letters/{letter.pk}/"
    refused = api.post(f"{base}mark_sent/", {"sent_on": "2025-05-28"}, format="json")
    assert refused.status_code == 400 and "Serious Incident" in refused.content.decode()
    made = api.post(f"{base}enclosures/", {"file": _upload()}, format="multipart")
    assert made.status_code == 201, made.content
    (enclosure,) = made.json()["enclosures"]
    assert enclosure["description"] == "Serious Incident Notification"
    assert enclosure["download"] == f"/files/{enclosure['id']}/"
    bu_web = Client()
    bu_web.force_login(business_unit)
    assert bu_web.get(enclosure["download"]).status_code == 200
    sent = api.post(f"{base}mark_sent/", {"sent_on": "2025-05-28"}, format="json")
    assert sent.status_code == 200 and sent.json()["sent_on"] == "2025-05-28"
    other = APIClient()
    other.force_authenticate(lead)
    refused_lead = other.post(f"{base}enclosures/", {"file": _upload()}, format="multipart")
    assert refused_lead.status_code == 404
