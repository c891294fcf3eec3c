"""The annual report: assembly from live data, sign-off freezing, rendering, pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lift.reports import services
from lift.reports.documents import live_sections, report_doc
from lift.reports.registry import annual_sections
from lift.voice import services as voice
from tests.permissions import assert_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(make_person):
    return make_person("youth_coordinator")


@pytest.fixture
def report(partnership, business_unit):
    return services.annual_report_create(partnership=partnership, by=business_unit, year="2015/16")


@pytest.fixture
def with_voice(partnership, youth):
    forum = voice.forum_save(partnership=partnership, by=youth, youth_service="Teen Hub")
    voice.event_create(
        partnership=partnership,
        by=youth,
        kind="information",
        title="Staying safe online",
        theme="Cyber bullying",
        held_on=dt.date(2015, 10, 1),
        audience="Year 9",
        attended=60,
    )
    return forum


def test_every_area_registers_a_section():
    keys = {s.key for s in annual_sections()}
    assert {"governance", "learning", "training", "cdop", "performance", "voice"} <= keys
    assert "business_plan" in keys


def test_sections_without_data_are_left_out(report, with_voice):
    keys = [key for key, _, _ in live_sections(report)]
    assert keys == ["voice"]
    doc = report_doc(report)
    titles = [b.text for b in doc.sections if type(b).__name__ == "Heading"]
    assert "Young people's voice" in titles
    assert "Performance headlines" not in titles
    assert "Child death reviews: the CDOP's annual report" not in titles


def test_sign_off_freezes_the_report(report, with_voice, business_unit, partnership, youth):
    services.annual_report_update(
        report=report,
        by=business_unit,
        foreword="A year of listening.",
        narratives={"voice": "We listened."},
    )
    services.annual_report_sign_off(report=report, by=business_unit)
    report.refresh_from_db()
    assert report.is_signed_off and report.snapshot
    before = report_doc(report)
    # New data after sign-off does not change the signed-off report.
    voice.event_create(
        partnership=partnership,
        by=youth,
        kind="engagement",
        title="Knife crime workshop",
        theme="Gangs and knife crime",
        held_on=dt.date(2016, 2, 1),
        attended=30,
        audience="Year 10",
    )
    after = report_doc(report)
    assert after == before
    with pytest.raises(ValidationError) as exc:
        services.annual_report_update(report=report, by=business_unit, foreword="Changed")
    assert "signed off" in str(exc.value)
    with pytest.raises(ValidationError):
        services.annual_report_sign_off(report=report, by=business_unit)
    with pytest.raises(ValidationError):
        services.annual_report_delete(report=report, by=business_unit)


def test_renders_as_pdf_and_docx(report, with_voice, client_for, business_unit):
    from docx import Document

    c = client_for(business_unit)
    url = reverse("reports:annualreport_detail", args=[report.pk])
    pdf = c.get(url + "?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = c.get(url + "?format=docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Young people's voice" in text
    assert "Performance headlines" not in text


def test_pages_and_permissions(report, business_unit, chair, make_person, outsider, learner):
    board = make_person("board_member")
    for name in ("annualreport_detail", "annualreport_history"):
        assert_permissions(
            reverse(f"reports:{name}", args=[report.pk]),
            allowed=[business_unit, chair, board],
            not_found=[outsider, learner],  # a learner sees no annual report
        )
    assert_permissions(
        reverse("reports:annualreport_list"),
        allowed=[business_unit, chair, board],
        forbidden=[learner],
    )
    assert_permissions(
        reverse("reports:annualreport_add"), allowed=[business_unit], forbidden=[chair]
    )
    assert_permissions(
        reverse("reports:annualreport_edit", args=[report.pk]),
        allowed=[business_unit],
        not_found=[outsider],
        forbidden=[chair],
    )
    assert_permissions(
        reverse("reports:annualreport_sign_off", args=[report.pk]),
        allowed=[chair],
        not_found=[outsider],
        forbidden=[board, business_unit],
    )


def test_edit_of_a_signed_off_report_is_refused_with_a_message(report, business_unit, client_for):
    services.annual_report_sign_off(report=report, by=business_unit)
    c = client_for(business_unit)
    response = c.post(
        reverse("reports:annualreport_edit", args=[report.pk]), {"foreword": "x"}, follow=True
    )
    assert "signed off and cannot be changed" in response.content.decode()
    report.refresh_from_db()
    assert report.foreword == ""


def test_narrative_through_the_page(report, with_voice, business_unit, client_for):
    c = client_for(business_unit)
    url = reverse("reports:annualreport_edit", args=[report.pk])
    response = c.post(
        url,
        {
            "foreword": "Our year",
            "narrative_voice": "Young people told us a lot.",
            "priorities_next_year": "Neglect",
        },
    )
    assert response.status_code == 302
    page = c.get(reverse("reports:annualreport_detail", args=[report.pk])).content.decode()
    assert "Young people told us a lot." in page and "Priorities for next year" in page


def test_background_build(report, business_unit, client_for, django_capture_on_commit_callbacks):
    from lift.core.models.documents import GeneratedDocument

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business_unit).post(
            reverse("reports:annualreport_detail", args=[report.pk]), {"format": "docx"}
        )
    assert response.status_code == 302
    assert GeneratedDocument.objects.get().status == "ready"
