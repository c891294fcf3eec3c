"""The demo's next Board meeting has papers and a published pack: built as the worker builds
it, the pack opens with the partner's PDF merged page for page, the Word summary and the
workbook converted, and the late paper marked."""

from __future__ import annotations

import os

import pytest

from lift.core import demo
from lift.core.documents import document_build

from .papers import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def test_the_demo_board_pack_opens_with_its_papers_merged(built: demo.DemoContext) -> None:
    from lift.governance.models import BoardPack, Paper

    meeting = built.extra["next_board_meeting"]
    papers = list(Paper.objects.filter(item__meeting=meeting).order_by("item__order", "order"))
    assert [p.file.original_name.rsplit(".", 1)[1] for p in papers] == ["pdf", "xlsx", "docx"]
    assert papers[0].version == 2 and papers[0].versions.count() == 2
    assert [p.late for p in papers] == [False, True, False]
    pack = BoardPack.objects.get(meeting=meeting)
    assert not pack.out_of_date
    # The build the worker runs once the demo is saved.
    assert document_build(generated_id=pack.pdf_id) == "ready"
    assert document_build(generated_id=pack.docx_id) == "ready"
    pack.refresh_from_db()
    content = pack.pdf.file.read()
    if os.environ.get("LIFT_KEEP_PACK"):  # to look at the pages: pdftoppm -png -r 50
        with open(os.environ["LIFT_KEEP_PACK"], "wb") as out:
            out.write(content)
    pages = pdf_text(content)
    revised = [n for n, text in enumerate(pages) if "Business plan progress (revised)" in text]
    assert len(revised) == 1  # version 2 is merged, not version 1
    assert "What we ask the Board" in pages[revised[0] + 1]  # and its second page after it
    whole = "\n".join(pages)
    assert "Paper 2.1: Business plan progress report" in pages[1] + pages[0]  # contents
    assert "Converted from Excel" in whole and "Harrowmere Integrated Care Board" in whole
    assert "Converted from Word" in whole and "Plans ended well" in whole
    assert "Partner contributions" in whole and "(late)" in whole
    assert "Dataset exceptions" in whole and "Overdue actions by agency" in whole
    word = docx_text(pack.docx.file.read())
    assert "Paper 2.1: Business plan progress report" in word


def test_items_about_section_11_and_the_cdop_bring_their_lift_sections(
    built: demo.DemoContext,
) -> None:
    from lift.cdop.models import ChildDeath
    from lift.core.documents import Heading
    from lift.governance import services
    from lift.performance.boardpack import build_board_pack
    from lift.section11.models import Cycle

    meeting = built.extra["next_board_meeting"]
    bu = built.people["bu"]
    cycle = Cycle.objects.filter(partnership=built.partnership).first()
    case = ChildDeath.objects.filter(partnership=built.partnership).first()
    assert cycle is not None and case is not None
    services.agenda_item_add(meeting=meeting, title="Section 11", linked=cycle, by=bu)
    services.agenda_item_add(meeting=meeting, title="CDOP", linked=case, by=bu)
    doc = build_board_pack(meeting, lambda _n: None)
    headings = [b.text for b in doc.sections if isinstance(b, Heading)]
    assert headings.index("Section 11 progress") == headings.index("8. Section 11") + 1
    assert headings.index("CDOP trends") == headings.index("9. CDOP") + 1
    assert "Youth voice: the last twelve months" in headings
    assert "Inspection progress" in headings
    # The CDOP's trends are counts (withheld when small); the case itself is not named.
    assert case.reference not in repr(doc.sections)
    assert "A child death (not named in the pack" in repr(doc.sections)
