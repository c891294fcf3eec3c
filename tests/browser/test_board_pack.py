"""A Board member in a real browser: signs in, opens the next Board meeting, sees the
published pack's version and date, downloads it (the same file the business unit
published, the partner's PDF merged into it), opens an agenda item's papers, then reads a
published review on the public site. Every page is axe-clean."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from lift.core.roles import Role
from lift.governance import services
from lift.governance.choices import GroupKind
from lift.governance.models import BoardPack

from ..governance.papers import docx_file, pdf_file, pdf_text
from .fernhollow import PASSWORD, AccessibilityCheck, LoginHelper, member, partnership_and_police


def test_board_member_downloads_the_published_pack_and_reads_a_published_review(
    transactional_db: Any,
    page: Page,
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
) -> None:
    from tests.reviews.test_public import _review

    p, police = partnership_and_police()
    bu = member(p, "bu@fernhollow.example", "Bea Business", Role.BUSINESS_UNIT)
    reader = member(p, "board@fernhollow.example", "Bo Boardman", Role.BOARD_MEMBER, police)
    board = services.board_create(
        partnership=p, kind=GroupKind.BOARD, name="Fernhollow Safeguarding Board", by=bu
    )
    services.membership_add(
        board=board,
        person=reader,
        agency=police,
        starts_on=timezone.localdate() - dt.timedelta(days=90),
        by=bu,
    )
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = services.meeting_create(
        board=board,
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
        location="Fernhollow Town Hall",
        by=bu,
    )
    item = services.agenda_item_add(meeting=meeting, title="Neglect strategy", by=bu)
    services.paper_add(
        item=item,
        uploaded_file=pdf_file("The neglect strategy PLOVER", name="neglect-strategy.pdf"),
        title="Neglect strategy: draft for approval",
        by=bu,
    )
    services.paper_add(item=item, uploaded_file=docx_file(), title="Consultation summary", by=bu)
    # Built as it commits (the test settings run tasks at once).
    pack = services.board_pack_publish(meeting=meeting, by=bu)
    pack = BoardPack.objects.select_related("pdf").get(pk=pack.pk)
    assert pack.pdf.status == "ready", pack.pdf.error
    review = _review(p, "Child K", "Fernhollow lessons: Child K's agencies.")

    login(page, reader.email, PASSWORD)
    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("heading", name="Board pack").is_visible()
    assert f"Version {pack.number}, made" in page.content()
    assert page.get_by_role("button", name="Build and publish").count() == 0
    assert_accessible(page)
    with page.expect_download() as found:
        page.get_by_role("link", name="Download the Board pack (PDF)").click()
    download = found.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        pages = pdf_text(f.read())
    assert any("The neglect strategy PLOVER" in text for text in pages)
    assert any("Converted from Word" in text for text in pages)

    page.get_by_role("link", name="1. Neglect strategy").click()
    assert page.get_by_role("heading", name="Papers").is_visible()
    assert "Neglect strategy: draft for approval" in page.content()
    assert_accessible(page)

    page.goto(f"/public/reviews/?partnership={p.slug}")
    page.get_by_role("link", name=review.title).click()
    assert page.get_by_role("heading", level=1, name=review.title).is_visible()
    assert_accessible(page)
    with page.expect_download() as found:
        page.get_by_role("link", name="The report (PDF)").click()
    with open(found.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_business_unit_adds_a_paper_and_publishes_the_pack(
    transactional_db: Any,
    page: Page,
    login: LoginHelper,
    assert_accessible: AccessibilityCheck,
    tmp_path: Any,
) -> None:
    from .fernhollow import submit, two_factor

    p, _police = partnership_and_police()
    bu = member(p, "bu@fernhollow.example", "Bea Business", Role.BUSINESS_UNIT)
    two_factor(bu)
    board = services.board_create(
        partnership=p, kind=GroupKind.BOARD, name="Fernhollow Safeguarding Board", by=bu
    )
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = services.meeting_create(
        board=board, starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))), by=bu
    )
    item = services.agenda_item_add(meeting=meeting, title="Neglect strategy", by=bu)
    services.paper_add(item=item, uploaded_file=pdf_file(), title="Earlier paper", by=bu)
    upload = tmp_path / "strategy.docx"
    upload.write_bytes(docx_file().read())

    login(page, bu.email, PASSWORD)
    page.goto(item.get_absolute_url())
    assert_accessible(page)  # the papers table with its replace, withdraw, late and move controls
    page.get_by_label("Title of the paper").fill("Neglect strategy: draft")
    page.get_by_label("File").set_input_files(str(upload))
    submit(page, "Add paper")
    assert "Paper added." in page.content()
    page.get_by_role("button", name="Move up").click()  # the only paper that can move up
    page.wait_for_load_state()
    rows = page.locator("#papers ~ table tbody tr").all_inner_texts()
    assert rows[0].startswith("1. Neglect strategy: draft")
    page.goto(meeting.get_absolute_url())
    submit(page, "Build and publish the Board pack")
    assert "Board pack version 1 is being made" in page.content()
    page.reload()
    assert page.get_by_role("link", name="Download the Board pack (PDF)").is_visible()
    assert_accessible(page)
