"""The demo's letter waiting to be sent (Child F's NO letter) is a draft the business unit
edits, and marking it sent clears the step from the business unit's to-do list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lift.core import demo, history, todo
from lift.core.models import Person
from lift.reviews import services
from lift.reviews.choices import LetterKind
from lift.reviews.models import Letter

from .conftest import notification_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    """The demo is built for today: no frozen date here (overrides the reviews fixture)."""
    yield


def test_child_fs_letter_is_a_draft_the_business_unit_edits_then_sends(
    built: demo.DemoContext,
) -> None:
    letter = Letter.objects.get(
        incident__pseudonym="Child F", kind=LetterKind.INITIATION_NO, sent_on__isnull=True
    )
    bu = Person.objects.get(email="bu@harrowmere.example")
    c = Client()
    c.force_login(bu)
    assert c.get(f"/letters/{letter.pk}/").content.count(b"Edit the letter") == 1
    url = f"/letters/{letter.pk}/edit/"
    assert c.get(url).status_code == 200
    body = letter.body + "\n\nWe will share the learning with the partnership."
    assert c.post(url, {"subject": letter.subject, "body": body}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).body == body
    assert history.for_object(letter).filter(reason="Draft edited").exists()

    def steps() -> list[todo.ToDo]:
        return [
            t
            for t in todo.items_for(bu, built.partnership, only=["reviews.letter"])
            if t.url == letter.get_absolute_url()
        ]

    assert steps()
    # The letter says the notification is attached: it cannot go until it is.
    page = c.get(f"/letters/{letter.pk}/").content.decode()
    assert "Attach it before you mark the letter as sent" in page
    refused = c.post(f"/letters/{letter.pk}/sent/", {"sent_on": built.today.isoformat()})
    assert (
        refused.status_code == 200 and "Serious Incident Notification" in refused.content.decode()
    )
    assert Letter.objects.get(pk=letter.pk).sent_on is None
    upload = SimpleUploadedFile("sin-child-f.pdf", notification_pdf(), "application/pdf")
    attached = c.post(f"/letters/{letter.pk}/enclosures/add/", {"file": upload})
    assert attached.status_code == 302
    (enclosure,) = services.letter_enclosures(letter)
    assert enclosure.description == "Serious Incident Notification"
    assert "sin-child-f.pdf" in c.get(f"/letters/{letter.pk}/").content.decode()
    services.letter_mark_sent(letter=letter, sent_on=built.today, by=bu)
    assert not steps()
    assert c.get(url, follow=True).status_code == 200
    assert Letter.objects.get(pk=letter.pk).body == body


def test_the_demo_scr_alerted_the_panel_while_criminal_proceedings_ran(
    built: demo.DemoContext,
) -> None:
    from lift.reviews.models import PublicationConcern

    (concern,) = PublicationConcern.objects.filter(review__partnership=built.partnership)
    assert "Criminal proceedings" in concern.concern
    assert concern.letter is not None and concern.letter.sent_on is not None
    assert concern.letter.kind == LetterKind.PUBLICATION_CONCERN
    bu = Person.objects.get(email="bu@harrowmere.example")
    c = Client()
    c.force_login(bu)
    page = c.get(concern.review.get_absolute_url()).content.decode()
    assert "Publication concerns" in page and "letter to the panel" in page
