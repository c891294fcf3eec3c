"""Meeting papers and the published Board pack: versions, the late mark, order, the checks
every upload gets, one pack per version of the papers, who may do and read what."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from lift.core.models import Attachment, ChangeLog
from lift.core.models.documents import GeneratedDocument
from lift.governance import services
from lift.governance.choices import MeetingStatus
from lift.governance.models import AgendaItem, BoardPack, Meeting, Paper, PaperVersion

from ..permissions import assert_permissions
from .conftest import World
from .papers import docx_file, docx_text, pdf_file, pdf_text, xlsx_file

pytestmark = pytest.mark.django_db


def _item(world: World, bu: Any, title: str = "Business plan") -> AgendaItem:
    return services.agenda_item_add(meeting=world.upcoming, title=title, by=bu)


def test_papers_are_ordered_versioned_and_in_the_history(world: World, business_unit: Any) -> None:
    item = _item(world, business_unit)
    start = world.upcoming.papers_version
    first = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Progress report", by=business_unit
    )
    second = services.paper_add(
        item=item, uploaded_file=docx_file(), title="  Early   help ", by=business_unit
    )
    assert (first.order, second.order) == (1, 2)
    assert (first.version, second.title) == (1, "Early help")
    assert not first.late  # the meeting is ten days away: papers are due in three
    old_file = first.file
    replaced = services.paper_replace(
        paper=first, uploaded_file=pdf_file(name="report-v2.pdf"), by=business_unit
    )
    assert replaced.version == 2 and replaced.file != old_file
    assert list(replaced.versions.values_list("number", flat=True)) == [2, 1]
    assert Attachment.objects.filter(pk=old_file.pk).exists()  # the older version is kept
    world.upcoming.refresh_from_db()
    assert world.upcoming.papers_version == start + 3
    assert ChangeLog.objects.filter(object_id=str(first.pk), reason="Version 2 uploaded").exists()


def test_a_paper_after_the_deadline_is_late_and_the_business_unit_can_say_otherwise(
    world: World, business_unit: Any
) -> None:
    # The L&I meeting is five days away: the papers were due two days ago.
    item = services.agenda_item_add(meeting=world.li_meeting, title="Audit", by=business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=xlsx_file(), title="Audit figures", by=business_unit
    )
    assert paper.late and paper.versions.get().late
    paper = services.paper_mark_late(paper=paper, late=False, by=business_unit)
    assert not Paper.objects.get(pk=paper.pk).late
    assert ChangeLog.objects.filter(object_id=str(paper.pk), reason="Late mark removed").exists()


def test_only_checked_pdf_docx_and_xlsx_papers_are_taken_and_nothing_is_kept_when_refused(
    world: World, business_unit: Any
) -> None:
    item = _item(world, business_unit)
    before = world.upcoming.papers_version
    for upload, message in [
        (SimpleUploadedFile("notes.txt", b"Plain notes"), "must be a PDF, DOCX or XLSX"),
        (SimpleUploadedFile("fake.pdf", b"not a pdf at all"), "not a real PDF"),
        (SimpleUploadedFile("fake.docx", b"PK\x03\x04 broken"), "DOCX"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.paper_add(item=item, uploaded_file=upload, title="Paper", by=business_unit)
        assert message in " ".join(refused.value.message_dict["file"])
    with pytest.raises(ValidationError) as untitled:
        services.paper_add(item=item, uploaded_file=pdf_file(), title="  ", by=business_unit)
    assert "title" in untitled.value.message_dict
    assert not Paper.objects.exists() and not Attachment.objects.exists()
    world.upcoming.refresh_from_db()
    assert world.upcoming.papers_version == before


def test_papers_are_reordered_within_their_item_only(world: World, business_unit: Any) -> None:
    item = _item(world, business_unit)
    a = services.paper_add(item=item, uploaded_file=pdf_file(), title="A", by=business_unit)
    b = services.paper_add(item=item, uploaded_file=pdf_file(), title="B", by=business_unit)
    services.paper_move(paper=b, up=True, by=business_unit)
    assert list(item.papers.values_list("title", flat=True)) == ["B", "A"]
    other = services.paper_add(
        item=_item(world, business_unit, "Other"),
        uploaded_file=pdf_file(),
        title="C",
        by=business_unit,
    )
    with pytest.raises(ValidationError, match="Choose papers of this agenda item"):
        services.papers_reorder(item=item, papers=[a, other], by=business_unit)


def test_papers_are_frozen_once_the_minutes_are_approved(world: World, business_unit: Any) -> None:
    item = services.agenda_item_add(meeting=world.past, title="Report", by=business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Report", by=business_unit
    )
    services.minutes_record(item=item, minutes="Noted.", by=business_unit)
    services.meeting_status_set(meeting=world.past, status=MeetingStatus.HELD, by=business_unit)
    services.meeting_status_set(
        meeting=world.past, status=MeetingStatus.MINUTES_APPROVED, by=business_unit
    )
    with pytest.raises(ValidationError, match="minutes are approved"):
        services.paper_replace(paper=paper, uploaded_file=pdf_file(), by=business_unit)


def _publish(meeting: Any, bu: Any, capture: Any) -> BoardPack:
    with capture(execute=True):
        pack = services.board_pack_publish(meeting=meeting, by=bu)
    pack = BoardPack.objects.select_related("pdf", "docx").get(pk=pack.pk)
    assert pack.pdf.status == "ready", pack.pdf.error
    assert pack.docx.status == "ready", pack.docx.error
    return pack


def test_the_pack_is_built_once_per_version_of_the_papers_with_the_papers_merged(
    world: World, business_unit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = _item(world, business_unit, "Progress")
    services.paper_add(
        item=item,
        uploaded_file=pdf_file("Merged page HERON", "Second page WREN"),
        title="Progress report",
        by=business_unit,
    )
    services.paper_add(
        item=item, uploaded_file=docx_file(), title="Evaluation summary", by=business_unit
    )
    services.paper_add(item=item, uploaded_file=xlsx_file(), title="Budget", by=business_unit)
    pack = _publish(world.upcoming, business_unit, django_capture_on_commit_callbacks)
    assert (pack.number, pack.out_of_date) == (1, False)

    content = pack.pdf.file.read()
    assert content.startswith(b"%PDF-1.7")  # PDF/UA-1 is PDF 1.7, merged pages and all
    root = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # still tagged
    assert root["/Lang"] == "en-GB"
    pages = pdf_text(content)
    heron = next(n for n, text in enumerate(pages) if "Merged page HERON" in text)
    assert "Second page WREN" in pages[heron + 1]  # the paper's own pages, in order
    assert "Page " not in pages[heron]  # no running footer drawn over the paper's page
    contents = pages[1] if "Contents" in pages[1] else pages[0]
    assert "Paper 1.1: Progress report" in contents
    whole = "\n".join(pages)
    assert "Converted from Word" in whole and "KESTREL" in whole
    assert "Converted from Excel" in whole and "OSPREY" in whole
    assert "Version 1, made" in whole  # the cover names the pack's version and date
    word = docx_text(pack.docx.file.read())
    assert "Paper 1.1: Progress report" in word and "KESTREL" in word
    assert "/files/" in word  # the PDF paper is listed with its link in Word

    with pytest.raises(ValidationError, match="built from this version of the papers"):
        services.board_pack_publish(meeting=world.upcoming, by=business_unit)
    paper = item.papers.first()
    services.paper_mark_late(paper=paper, late=True, by=business_unit)
    assert BoardPack.objects.get(pk=pack.pk).out_of_date
    second = _publish(world.upcoming, business_unit, django_capture_on_commit_callbacks)
    assert second.number == 2 and not second.out_of_date
    assert "(late)" in "\n".join(pdf_text(second.pdf.file.read()))


def test_who_may_add_publish_and_read(
    world: World,
    business_unit: Any,
    chair: Any,
    outsider: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    member, trainer = world.member, world.trainer
    item = _item(world, business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Progress", by=business_unit
    )
    assert_permissions(
        reverse("governance:agendaitem_papers", args=[item.pk]),
        allowed=[business_unit, chair],
        forbidden=[member],
        not_found=[outsider, trainer],
    )
    assert_permissions(
        reverse("governance:paper_replace", args=[paper.pk]),
        allowed=[business_unit, chair],
        forbidden=[member],
        not_found=[outsider, trainer],
    )
    for name, data in (("paper_late", {"late": "yes"}), ("paper_move", {"direction": "up"})):
        assert_permissions(
            reverse(f"governance:{name}", args=[paper.pk]),
            method="post",
            data=data,
            allowed=[business_unit],
            ok=(302,),
            forbidden=[member],
            not_found=[outsider, trainer],
        )
    assert Paper.objects.get(pk=paper.pk).late
    publish = reverse("governance:boardpack_publish", args=[world.upcoming.pk])
    assert_permissions(publish, method="post", forbidden=[member], not_found=[outsider, trainer])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business_unit).post(publish)
    assert response.status_code == 302
    pack = BoardPack.objects.get(meeting=world.upcoming)
    for fmt in ("pdf", "docx"):
        assert_permissions(
            reverse("governance:boardpack_download", args=[pack.pk, fmt]),
            allowed=[member, chair, business_unit],
            not_found=[trainer, outsider],
        )
    assert (
        client_for(member)
        .get(reverse("governance:boardpack_download", args=[pack.pk, "html"]))
        .status_code
        == 404
    )
    # Every member downloads the one file: no new build per person.
    download = reverse("governance:boardpack_download", args=[pack.pk, "pdf"])
    first = b"".join(client_for(member).get(download).streaming_content)
    again = b"".join(client_for(chair).get(download).streaming_content)
    assert first.startswith(b"%PDF-") and first == again
    assert GeneratedDocument.objects.count() == 2
    # The paper's own file is served to the Board's members, not to others.
    assert_permissions(paper.file.get_absolute_url(), allowed=[member], not_found=[trainer])


def test_meeting_page_shows_the_pack_and_its_warning(
    world: World,
    business_unit: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = _item(world, business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Progress", by=business_unit
    )
    url = world.upcoming.get_absolute_url()
    page = client_for(world.member).get(url).content.decode()
    assert "No Board pack has been published yet." in page
    assert "Build and publish" not in page
    assert "Build and publish" in client_for(business_unit).get(url).content.decode()
    pack = _publish(world.upcoming, business_unit, django_capture_on_commit_callbacks)
    page = client_for(world.member).get(url).content.decode()
    assert f"Version {pack.number}, made" in page
    assert reverse("governance:boardpack_download", args=[pack.pk, "pdf"]) in page
    assert "out of date" not in page
    assert "Build and publish" not in client_for(business_unit).get(url).content.decode()
    services.paper_replace(paper=paper, uploaded_file=pdf_file(), by=business_unit)
    page = client_for(world.member).get(url).content.decode()
    assert "it is out of date" in page
    assert "Build and publish" in client_for(business_unit).get(url).content.decode()
    item_page = client_for(world.member).get(item.get_absolute_url()).content.decode()
    assert "Version 2" in item_page and "Earlier versions" in item_page
    assert "Add a paper" not in item_page


def test_upload_page_refuses_a_bad_file_with_its_message(
    world: World, business_unit: Any, client_for: Any
) -> None:
    item = _item(world, business_unit)
    url = reverse("governance:agendaitem_papers", args=[item.pk])
    bad = client_for(business_unit).post(
        url, {"title": "Report", "file": SimpleUploadedFile("report.pdf", b"<html>no</html>")}
    )
    assert bad.status_code == 400
    assert "not a real PDF" in bad.content.decode()
    assert not Paper.objects.exists()
    good = client_for(business_unit).post(url, {"title": "Report", "file": docx_file()})
    assert good.status_code == 302
    paper = Paper.objects.get()
    replace = reverse("governance:paper_replace", args=[paper.pk])
    response = client_for(business_unit).post(replace, {"file": xlsx_file(), "title": ""})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.version, paper.title, paper.file.original_name) == (2, "Report", "budget.xlsx")
    assert PaperVersion.objects.filter(paper=paper).count() == 2


def test_api_papers_and_packs(
    world: World,
    business_unit: Any,
    outsider: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = _item(world, business_unit)
    bu = client_for(business_unit)
    created = bu.post(
        "/api/v1/meeting-papers/", {"item": item.pk, "title": "Report", "file": pdf_file()}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["version"] == 1
    refused = bu.post(
        "/api/v1/meeting-papers/",
        {"item": item.pk, "title": "Notes", "file": SimpleUploadedFile("n.txt", b"notes")},
    )
    assert refused.status_code == 400 and "file" in refused.json()["errors"]
    member = client_for(world.member)
    assert member.post(
        "/api/v1/meeting-papers/", {"item": item.pk, "title": "Mine", "file": pdf_file()}
    ).status_code in (400, 403, 404)
    listed = member.get(f"/api/v1/meeting-papers/?meeting={world.upcoming.pk}").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert client_for(outsider).get(f"/api/v1/meeting-papers/{pk}/").status_code == 404
    assert member.post(
        f"/api/v1/meeting-papers/{pk}/mark_late/", {"late": True}, content_type="application/json"
    ).status_code in (403, 404)
    late = bu.post(
        f"/api/v1/meeting-papers/{pk}/mark_late/", {"late": True}, content_type="application/json"
    )
    assert late.status_code == 200 and late.json()["late"] is True
    replaced = bu.post(f"/api/v1/meeting-papers/{pk}/replace/", {"file": docx_file()})
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    assert [v["number"] for v in replaced.json()["versions"]] == [2, 1]
    with django_capture_on_commit_callbacks(execute=True):
        published = bu.post(f"/api/v1/meetings/{world.upcoming.pk}/publish_pack/")
    assert published.status_code == 201, published.content
    assert member.post(f"/api/v1/meetings/{world.upcoming.pk}/publish_pack/").status_code in (
        403,
        404,
    )
    again = bu.post(f"/api/v1/meetings/{world.upcoming.pk}/publish_pack/")
    assert again.status_code == 400
    packs = member.get(f"/api/v1/board-packs/?meeting={world.upcoming.pk}").json()["results"]
    assert packs[0]["status"] == "ready" and packs[0]["number"] == 1
    assert member.get(packs[0]["pdf_url"]).status_code == 200
    assert client_for(world.trainer).get("/api/v1/board-packs/").json()["results"] == []
    assert member.post(f"/api/v1/meeting-papers/{pk}/withdraw/").status_code in (403, 404)
    assert bu.post(f"/api/v1/meeting-papers/{pk}/withdraw/").status_code == 204
    assert not Paper.objects.filter(pk=pk).exists()
    assert bu.get(f"/api/v1/board-packs/{packs[0]['id']}/").json()["out_of_date"] is True


def test_files_attached_to_items_before_papers_become_version_one_papers(
    world: World, business_unit: Any
) -> None:
    from importlib import import_module

    from django.apps import apps

    from lift.core.files import attachment_create

    item = _item(world, business_unit)
    for name, description in (("b.pdf", "Budget"), ("a.docx", "")):
        upload = pdf_file(name=name) if name.endswith(".pdf") else docx_file(name=name)
        attachment_create(
            subject=item, uploaded_file=upload, uploaded_by=business_unit, description=description
        )
    migration = import_module("lift.governance.migrations.0002_papers_and_board_packs")
    migration.attachments_to_papers(apps, None)
    papers = list(item.papers.all())
    assert [(p.order, p.title, p.version) for p in papers] == [(1, "a.docx", 1), (2, "Budget", 1)]
    assert all(p.versions.get().file == p.file for p in papers)


def test_a_withdrawn_paper_goes_with_its_versions_and_files(
    world: World,
    business_unit: Any,
    client_for: Any,
    outsider: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = _item(world, business_unit)
    paper = services.paper_add(
        item=item, uploaded_file=pdf_file(), title="Wrong file", by=business_unit
    )
    services.paper_replace(paper=paper, uploaded_file=docx_file(), by=business_unit)
    kept = services.paper_add(item=item, uploaded_file=pdf_file(), title="Kept", by=business_unit)
    names = [v.file.file.name for v in paper.versions.all()]
    url = reverse("governance:paper_withdraw", args=[paper.pk])
    assert_permissions(
        url,
        allowed=[business_unit],
        forbidden=[world.member],
        not_found=[outsider, world.trainer],
    )
    before = Meeting.objects.get(pk=world.upcoming.pk).papers_version
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business_unit).post(url)
    assert response.status_code == 302
    assert list(item.papers.all()) == [kept]
    assert not PaperVersion.objects.filter(paper_id=paper.pk).exists()
    assert Attachment.objects.filter(object_id=item.pk).count() == 1  # the kept paper's
    storage = kept.file.file.storage
    assert not any(storage.exists(name) for name in names)
    assert Meeting.objects.get(pk=world.upcoming.pk).papers_version == before + 1
    assert ChangeLog.objects.filter(reason="Paper withdrawn: Wrong file").exists()
