"""A generated panel letter is a draft the business unit edits (the publication guard checks
the edited text, the history keeps each version) until it is marked sent: then it is frozen."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from lift.core import history
from lift.core.models import Partnership, Person
from lift.reviews import services, todo
from lift.reviews.choices import DecisionOutcome
from lift.reviews.letters import text_blocks
from lift.reviews.models import ChildIdentity, Incident, Letter
from lift.reviews.views.letters import letter_document
from tests.reviews.test_services import decide

from .conftest import attach_notification

EDITED = (
    "Dear Panel,\n\nWe write about Child A.\n\nWhat we found:\n- missed chances\n"
    "- <script>alert(1)</script>\n\nYours faithfully"
)


@pytest.fixture
def letter(incident: Incident, identity: ChildIdentity, chair: Person) -> Letter:
    decide(incident, chair, outcome=DecisionOutcome.NO_REVIEW)
    letter = Letter.objects.get(incident=incident)
    attach_notification(letter, chair)
    return letter


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


def test_text_blocks_paragraphs_and_bullets() -> None:
    assert text_blocks("One\r\ntwo\n\n- a\n- b\nThree\n\n\n- c") == [
        ("p", ["One", "two"]),
        ("ul", ["a", "b"]),
        ("p", ["Three"]),
        ("ul", ["c"]),
    ]


def test_editing_a_draft_keeps_both_versions_in_history(
    letter: Letter, business_unit: Person
) -> None:
    generated = letter.body
    services.letter_update(letter=letter, subject="Our letter", body=EDITED, by=business_unit)
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.subject, saved.body) == ("Our letter", EDITED)
    change = history.for_object(saved).filter(action="update").first()
    assert change is not None and change.reason == "Draft edited"
    assert change.changes["body"] == [generated, EDITED]


def test_the_guard_refuses_an_edit_with_a_childs_identifier_and_saves_nothing(
    letter: Letter, business_unit: Person
) -> None:
    before = (letter.subject, letter.body, letter.updated_at)
    for body in (
        "Dear Panel,\n\nJayden Thornbury-Quell was harmed.",
        "Dear Panel,\n\nNHS number 943 476 5919.",
        "Dear Panel,\n\nChild A was born on 4 March 2019.",
    ):
        with pytest.raises(ValidationError) as exc:
            services.letter_update(letter=letter, subject="Letter", body=body, by=business_unit)
        text = " | ".join(exc.value.messages)
        assert "cannot be saved" in text and "Body, line 3" in text
        assert "Thornbury" not in text and "5919" not in text
        saved = Letter.objects.get(pk=letter.pk)
        assert (saved.subject, saved.body, saved.updated_at) == before


def test_the_edit_page_saves_through_the_service_and_shows_the_guards_refusal(
    letter: Letter, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    url = f"/letters/{letter.pk}/edit/"
    page = c.get(url)
    assert page.status_code == 200 and b"govuk-textarea" in page.content
    refused = c.post(url, {"subject": "Letter", "body": "About Jay Quell."})
    assert refused.status_code == 200 and b"cannot be saved" in refused.content
    assert b"Jay Quell" not in refused.content.split(b"</textarea>")[-1]
    assert Letter.objects.get(pk=letter.pk).body == letter.body
    blank = c.post(url, {"subject": "Letter", "body": ""})
    assert blank.status_code == 200 and b"Enter the text of the letter" in blank.content
    assert c.post(url, {"subject": "Our letter", "body": EDITED}).status_code == 302
    detail = c.get(f"/letters/{letter.pk}/")
    # Simple formatting, everything escaped: the list is a list, the script is text.
    assert b"<li>missed chances</li>" in detail.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in detail.content
    assert b"<script>alert(1)" not in detail.content


def test_only_those_who_send_letters_edit_them(
    letter: Letter,
    business_unit: Person,
    chair: Person,
    lead: Person,
    board_member: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/letters/{letter.pk}/edit/"
    # A safeguarding lead does not see the letter (404); a board member reads it, never edits.
    for person, refused in ((lead, 404), (board_member, 403)):
        c = client_for(person)
        assert c.get(url).status_code == refused
        assert c.post(url, {"subject": "X", "body": "Changed"}).status_code == refused
        api = c.patch(
            f"/api/v1/panel-letters/{letter.pk}/", {"body": "Changed"}, "application/json"
        )
        assert api.status_code == refused
        with pytest.raises(ValidationError):
            services.letter_update(letter=letter, subject="X", body="Changed", by=person)
    assert Letter.objects.get(pk=letter.pk).body == letter.body
    assert client_for(chair).get(url).status_code == 200


def test_marking_sent_freezes_the_letter_and_clears_the_step(
    letter: Letter,
    partnership: Partnership,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/letters/{letter.pk}/"
    assert any(t.url == url for t in todo.letters(business_unit, partnership))
    services.letter_update(letter=letter, subject="Our letter", body=EDITED, by=business_unit)
    assert any(t.url == url for t in todo.letters(business_unit, partnership))
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    assert not any(t.url == url for t in todo.letters(business_unit, partnership))

    with pytest.raises(ValidationError) as exc:
        services.letter_update(letter=letter, subject="Later", body="Changed", by=business_unit)
    assert "marked sent on 28 May 2025" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.letter_regenerate(letter=letter, by=business_unit)
    c = client_for(business_unit)
    page = c.get(f"{url}edit/", follow=True)
    assert b"its text cannot be changed" in page.content
    posted = c.post(f"{url}edit/", {"subject": "Later", "body": "Changed"})
    assert posted.status_code == 200 and b"marked sent on 28 May 2025" in posted.content
    api = c.patch(f"/api/v1/panel-letters/{letter.pk}/", {"body": "Changed"}, "application/json")
    assert api.status_code == 400 and "marked sent" in api.content.decode()
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.subject, saved.body) == ("Our letter", EDITED)
    assert b"Edit the letter" not in c.get(url).content


def test_documents_use_the_edited_text(
    letter: Letter, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    services.letter_update(letter=letter, subject="Our letter", body=EDITED, by=business_unit)
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 28), by=business_unit)
    doc = letter_document(Letter.objects.get(pk=letter.pk))
    assert doc.title == "Our letter"
    c = client_for(business_unit)
    docx = _docx_text(c.get(f"/letters/{letter.pk}/docx/").content)
    assert "We write about Child A." in docx and "missed chances" in docx
    assert "&lt;script&gt;" in docx
    assert c.get(f"/letters/{letter.pk}/pdf/").content.startswith(b"%PDF")


def test_the_api_edits_a_draft_through_the_service(
    letter: Letter, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    url = f"/api/v1/panel-letters/{letter.pk}/"
    refused = c.patch(url, {"body": "About Jayden."}, "application/json")
    assert refused.status_code == 400 and "cannot be saved" in refused.content.decode()
    assert "Jayden" not in refused.content.decode()
    ok = c.patch(url, {"body": EDITED, "kind": "initiation-yes"}, "application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["body"] == EDITED and ok.json()["kind"] == letter.kind
    assert history.for_object(letter).filter(reason="Draft edited").exists()
    assert c.put(url, {"body": EDITED}, "application/json").status_code == 405


def test_sending_an_older_copy_keeps_the_edited_text(letter: Letter, business_unit: Person) -> None:
    stale = Letter.objects.get(pk=letter.pk)
    services.letter_update(letter=letter, subject="Our letter", body=EDITED, by=business_unit)
    services.letter_mark_sent(letter=stale, sent_on=dt.date(2025, 5, 28), by=business_unit)
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.subject, saved.body) == ("Our letter", EDITED)
    assert saved.sent_on == dt.date(2025, 5, 28)
