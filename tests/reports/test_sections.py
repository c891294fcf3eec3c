"""Sections of the annual report written by a group's chair: the business unit asks, the
chair writes a draft and submits it, the business unit can return it; sign-off waits for
every section asked; the signed report freezes the chairs' text; the chair's to-do list;
the pages' permissions and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lift.core import todo
from lift.core.history import for_object
from lift.governance import services as governance
from lift.governance.choices import GroupKind, MemberRole
from lift.reports import services
from lift.reports.choices import SectionStatus
from lift.reports.documents import report_doc
from lift.reports.models import Narrative
from lift.reports.public import public_annual_reports
from lift.reports.todo import SECTION_DUE, section_due_candidates
from tests.permissions import assert_permissions

pytestmark = pytest.mark.django_db

LI_TEXT = "The sub-group finished its audit programme.\n\nNeglect came up again."


@pytest.fixture
def report(partnership, business_unit):
    return services.annual_report_create(partnership=partnership, by=business_unit, year="2015/16")


@pytest.fixture
def li_chair(make_person):
    """The L&I chair, with the sub-group chair role."""
    return make_person("subgroup_chair", full_name="Ruth Adebayo")


@pytest.fixture
def trainer(make_person):
    """The Training sub-group's chair is a trainer: no role that reads the annual report."""
    return make_person("trainer", full_name="Nina Clarke")


def _group(partnership, business_unit, name, short, kind, chair):
    board = governance.board_create(
        partnership=partnership, kind=kind, name=name, short_name=short, by=business_unit
    )
    governance.membership_add(
        board=board,
        person=chair,
        role=MemberRole.CHAIR,
        starts_on=dt.date(2015, 1, 1),
        by=business_unit,
    )
    board.refresh_from_db()
    return board


@pytest.fixture
def li(partnership, business_unit, li_chair):
    return _group(
        partnership,
        business_unit,
        "Learning and Improvement sub-group",
        "L&I",
        GroupKind.SUBGROUP,
        li_chair,
    )


@pytest.fixture
def training(partnership, business_unit, trainer):
    return _group(
        partnership, business_unit, "Training sub-group", "Training", GroupKind.SUBGROUP, trainer
    )


@pytest.fixture
def board_member(make_person):
    return make_person("board_member", full_name="Helen Marsh")


@pytest.fixture
def asked(report, li, business_unit):
    return services.section_assign(
        report=report, key="learning", board=li, due_on=dt.date(2016, 4, 30), by=business_unit
    )


def test_the_chair_writes_and_submits_and_the_business_unit_returns(asked, li_chair, business_unit):
    assert asked.board.chair == li_chair and asked.status == SectionStatus.DRAFT
    with pytest.raises(ValidationError, match="Write the section"):
        services.section_submit(narrative=asked, by=li_chair)
    n = services.section_write(narrative=asked, text=LI_TEXT, by=li_chair)
    n = services.section_submit(narrative=n, by=li_chair)
    assert n.is_submitted and n.submitted_by == li_chair and n.submitted_on is not None
    with pytest.raises(ValidationError, match="submitted to the business unit"):
        services.section_write(narrative=n, text="Changed", by=li_chair)
    n = services.section_return(narrative=n, by=business_unit, reason="Add the audit figures")
    assert n.status == SectionStatus.DRAFT and n.submitted_on is None
    reasons = [c.reason for c in for_object(n)]
    assert "Submitted to the business unit" in reasons
    assert "Returned for changes: Add the audit figures" in reasons
    assert "Asked the chair of Learning and Improvement sub-group to write it" in reasons


def test_the_business_unit_cannot_overwrite_a_chairs_section(report, asked, business_unit):
    with pytest.raises(ValidationError, match="written by the chair"):
        services.annual_report_update(
            report=report, by=business_unit, narratives={"learning": "Our own words"}
        )
    # taking it back lets the business unit write it again (and there is nothing to submit)
    mine = services.section_assign(report=report, key="learning", board=None, by=business_unit)
    with pytest.raises(ValidationError, match="asked of a group's chair"):
        services.section_submit(narrative=mine, by=business_unit)
    services.annual_report_update(
        report=report, by=business_unit, narratives={"learning": "Our own words"}
    )
    assert Narrative.objects.get(report=report, key="learning").text == "Our own words"


def test_asking_is_checked(report, partnership, business_unit, other_partnership, make_person):
    chairless = governance.board_create(
        partnership=partnership, kind=GroupKind.CDOP, name="CDOP", by=business_unit
    )
    with pytest.raises(ValidationError, match="has no chair"):
        services.section_assign(report=report, key="cdop", board=chairless, by=business_unit)
    with pytest.raises(ValidationError, match="Choose a section"):
        services.section_assign(report=report, key="nonsense", board=None, by=business_unit)
    elsewhere = governance.board_create(
        partnership=other_partnership, kind=GroupKind.CDOP, name="CDOP", by=None
    )
    with pytest.raises(ValidationError, match="partnership's groups"):
        services.section_assign(report=report, key="cdop", board=elsewhere, by=business_unit)
    assert not Narrative.objects.filter(report=report).exists()


def test_sign_off_waits_for_every_section_and_freezes_the_chairs_text(
    report, asked, li_chair, chair, partnership
):
    with pytest.raises(ValidationError, match="Learning and improvement"):
        services.annual_report_sign_off(report=report, by=chair)
    n = services.section_write(narrative=asked, text=LI_TEXT, by=li_chair)
    # a draft is not in the report
    assert "Neglect came up again." not in [
        getattr(b, "text", "") for b in report_doc(report).sections
    ]
    services.section_submit(narrative=n, by=li_chair)
    signed = services.annual_report_sign_off(report=report, by=chair)
    texts = [getattr(b, "text", "") for b in report_doc(signed).sections]
    # the area has no figures this year: the chair's section is there all the same
    assert "Learning and improvement: the L&I sub-group's evaluation" in texts
    assert "Neglect came up again." in texts
    assert "Written by Ruth Adebayo, chair of the Learning and Improvement sub-group." in texts
    # frozen: the public version is the signed snapshot, whatever happens to the group
    asked.board.name = "Renamed group"
    asked.board.save()
    public = public_annual_reports(partnership).get()
    frozen = [b.get("text") for b in public.snapshot["sections"]]
    assert "Written by Ruth Adebayo, chair of the Learning and Improvement sub-group." in frozen
    page = (
        Client()
        .get(reverse("reports:public_annual_report"), {"partnership": partnership.slug})
        .content.decode()
    )
    assert "chair of the Learning and Improvement sub-group." in page
    assert "Renamed group" not in page
    for step in (
        lambda: services.section_write(narrative=n, text="x", by=li_chair),
        lambda: services.section_return(narrative=n, by=chair),
        lambda: services.section_assign(report=report, key="training", board=None, by=chair),
    ):
        with pytest.raises(ValidationError, match="signed off"):
            step()


def test_the_chair_has_a_to_do_step_until_submitted(
    report, training, trainer, business_unit, partnership, li_chair
):
    assert section_due_candidates(partnership) == set()
    n = services.section_assign(
        report=report,
        key="training",
        board=training,
        due_on=dt.date(2016, 4, 30),
        by=business_unit,
    )
    assert section_due_candidates(partnership) == {trainer.pk}
    items = todo.items_for(trainer, partnership, only=[SECTION_DUE])
    assert [(i.title, i.due_on, i.url) for i in items] == [
        (
            "Write the Training section of Annual report 2015/16",
            dt.date(2016, 4, 30),
            reverse("reports:section", args=[report.pk, "training"]),
        )
    ]
    assert todo.items_for(li_chair, partnership, only=[SECTION_DUE]) == []
    assert todo.items_for(business_unit, partnership, only=[SECTION_DUE]) == []
    n = services.section_write(narrative=n, text="Courses filled well.", by=trainer)
    services.section_submit(narrative=n, by=trainer)
    assert todo.items_for(trainer, partnership, only=[SECTION_DUE]) == []
    assert section_due_candidates(partnership) == set()


def test_section_pages(
    report, training, trainer, li_chair, business_unit, board_member, learner, outsider, client_for
):
    services.section_assign(report=report, key="training", board=training, by=business_unit)
    url = reverse("reports:section", args=[report.pk, "training"])
    # the trainer chairs the group: they may open their section, not the report itself
    assert_permissions(
        url,
        allowed=[trainer, business_unit, board_member, li_chair],
        not_found=[outsider, learner],
    )
    assert client_for(trainer).get(report.get_absolute_url()).status_code in (403, 404)
    # the trainer writes and submits
    c = client_for(trainer)
    page = c.get(url).content.decode()
    assert "Save and submit to the business unit" in page and "Nina Clarke" in page
    response = c.post(url, {"text": "", "action": "submit"})
    assert "Write the section before you submit it." in response.content.decode()
    assert c.post(url, {"text": "Courses filled well.", "action": "save"}).status_code == 302
    assert c.post(url, {"text": "Courses filled well.", "action": "submit"}).status_code == 302
    n = Narrative.objects.get(report=report, key="training")
    assert n.is_submitted and n.text == "Courses filled well."
    # a reader cannot write it; a chair cannot return it; the business unit can
    assert client_for(board_member).post(url, {"text": "x"}).status_code == 403
    assert client_for(trainer).post(url, {"action": "return"}).status_code == 403
    bu = client_for(business_unit)
    assert "Return to the chair for changes" in bu.get(url).content.decode()
    assert bu.post(url, {"action": "return", "reason": "Add the waiting lists"}).status_code == 302
    assert not Narrative.objects.get(pk=n.pk).is_submitted
    history = client_for(trainer).get(url).content.decode()
    assert "Returned for changes: Add the waiting lists (Bea Business)" in history
    assert "Submitted to the business unit (Nina Clarke)" in history


def test_asking_through_the_page(report, training, business_unit, chair, client_for):
    url = reverse("reports:section_assign", args=[report.pk])
    assert_permissions(url, allowed=[business_unit], forbidden=[chair])
    c = client_for(business_unit)
    response = c.post(url, {"key": "training", "board": "", "due_on": "2016-04-30"})
    assert "A due date is for a section a group" in response.content.decode()
    response = c.post(url, {"key": "training", "board": training.pk, "due_on": "2016-04-30"})
    assert response.status_code == 302
    page = c.get(report.get_absolute_url()).content.decode()
    assert "Sections written by the groups" in page and "Not started" in page
    chair_client = client_for(chair)
    sign_off_url = reverse("reports:annualreport_sign_off", args=[report.pk])
    sign_off = chair_client.get(sign_off_url).content
    assert b"Sections still to come" in sign_off and b"Sign off the report" not in sign_off
    response = chair_client.post(sign_off_url, follow=True)
    assert b"cannot be signed off until every section" in response.content
    report.refresh_from_db()
    assert not report.is_signed_off


@pytest.mark.django_db(transaction=True)
def test_pages_are_kept_while_nothing_changes_and_follow_every_write(
    report,
    li,
    training,
    li_chair,
    trainer,
    business_unit,
    client_for,
    django_assert_max_num_queries,
):
    """A draft's page and a section's page are drawn from the live data once per data
    version (transactional: the version changes when a write commits)."""
    for key, board in (("learning", li), ("training", training)):
        services.section_assign(report=report, key=key, board=board, by=business_unit)
    c = client_for(business_unit)
    c.get(report.get_absolute_url())  # drawn once, kept while nothing changes
    with django_assert_max_num_queries(12):
        assert c.get(report.get_absolute_url()).status_code == 200
    url = reverse("reports:section", args=[report.pk, "training"])
    t = client_for(trainer)
    t.get(url)
    with django_assert_max_num_queries(12):
        assert t.get(url).status_code == 200
    n = Narrative.objects.get(report=report, key="learning")
    n = services.section_write(narrative=n, text="Audits were finished on time.", by=li_chair)
    services.section_submit(narrative=n, by=li_chair)
    assert "Audits were finished on time." in c.get(report.get_absolute_url()).content.decode()


def test_performance_headlines_are_the_first_and_latest_values_of_the_year(
    partnership, agency, other_agency
):
    """Read as plain values (not model instances, slow at partnership scale): the first and
    latest value of the financial year per indicator, in title order."""
    from decimal import Decimal

    from lift.performance import services as performance
    from lift.performance.annual_report import performance_section
    from tests.performance.conftest import make_indicator

    visits = make_indicator(partnership, agency)
    rate = make_indicator(
        partnership,
        other_agency,
        code="s47",
        title="Section 47 enquiries per 10,000 children",
        unit="rate_10k",
        polarity="neither",
        frequency="monthly",
        target=None,
    )
    for indicator, values in ((visits, [70, 80, 90, 95]), (rate, [30, 31])):
        for i, v in enumerate(values):  # March 2015 (the year before) to June 2015
            performance.value_enter(
                indicator=indicator,
                period_start=dt.date(2015, 3 + i, 1),
                value=Decimal(v),
                by=None,
            )
    blocks = performance_section(partnership, dt.date(2015, 4, 1), dt.date(2016, 3, 31))
    assert blocks is not None
    table = blocks[1]
    assert table.rows == [
        ["Post-birth visits within 14 days", agency.name, 80.0, 95.0, 90.0],
        ["Section 47 enquiries per 10,000 children", other_agency.name, 31.0, 31.0, ""],
    ]
    assert performance_section(partnership, dt.date(2016, 4, 1), dt.date(2017, 3, 31)) is None


# --- the API ---------------------------------------------------------------------------

SECTIONS_URL = "/api/v1/reports/annual-report-sections/"


def _send(client, method, url, data=None):
    import json

    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_the_api_asks_writes_submits_and_returns(
    report, training, trainer, business_unit, board_member, outsider, client_for
):
    bu, t = client_for(business_unit), client_for(trainer)
    ask = f"/api/v1/reports/annual/{report.pk}/ask/"
    assert (
        _send(
            client_for(board_member), "post", ask, {"key": "training", "board": training.pk}
        ).status_code
        == 403
    )
    response = _send(
        bu, "post", ask, {"key": "training", "board": training.pk, "due_on": "2016-04-30"}
    )
    assert response.status_code == 200, response.content
    section = response.json()
    assert section["chair"] == "Nina Clarke" and section["status"] == "draft"
    url = f"{SECTIONS_URL}{section['id']}/"
    # the chair sees their own section (not the report); others out of scope see nothing
    assert [row["id"] for row in t.get(SECTIONS_URL).json()["results"]] == [section["id"]]
    assert client_for(outsider).get(url).status_code == 404
    assert _send(client_for(board_member), "patch", url, {"text": "x"}).status_code == 403
    assert _send(t, "post", url + "submit/").status_code == 400  # nothing written yet
    assert _send(t, "patch", url, {"text": "Courses filled well."}).status_code == 200
    submitted = _send(t, "post", url + "submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert _send(t, "patch", url, {"text": "Changed"}).status_code == 400
    assert _send(t, "post", url + "return/").status_code == 403
    returned = _send(bu, "post", url + "return/", {"reason": "Add the waiting lists"})
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert _send(bu, "post", SECTIONS_URL, {"key": "cdop"}).status_code == 405


def test_the_public_page_says_plainly_that_no_report_is_signed_yet(report, asked, partnership):
    page = (
        Client()
        .get(reverse("reports:public_annual_report"), {"partnership": partnership.slug})
        .content.decode()
    )
    assert "No annual report is published yet." in page
    assert "once the partnership's Chair has signed it off" in page
    assert "L&amp;I sub-group" not in page and "Download PDF" not in page


def test_signing_off_renders_the_downloads_in_the_background(
    report, chair, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    """The signed report's PDF and Word file are rendered by the sign-off's background task,
    so the public downloads do not wait for WeasyPrint; a draft's page offers the PDF as a
    background build only."""
    from lift.core import documents as core_documents

    page = client_for(chair).get(report.get_absolute_url()).content.decode()
    assert 'href="?format=pdf"' not in page and "built in the background" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_sign_off(report=report, by=chair)

    def not_again(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(core_documents, "render", not_again)
    url = reverse("reports:public_annual_report")
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        response = Client().get(url, {"partnership": report.partnership.slug, "format": fmt})
        assert response.status_code == 200 and response.content.startswith(magic)
    assert 'href="?format=pdf"' in client_for(chair).get(report.get_absolute_url()).content.decode()
