"""The annual report API: scoping (404), roles (403), optimistic concurrency (412),
sign-off as an action, a signed-off report refusing every change, PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lift.reports import services
from lift.reports.models import AnnualReport
from lift.voice import services as voice

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/annual/"


def _send(client, method, url, data=None, **headers):
    return getattr(client, method)(
        url, json.dumps(data or {}), content_type="application/json", **headers
    )


@pytest.fixture
def report(partnership, business_unit, make_person):
    youth = make_person("youth_coordinator")
    voice.forum_save(partnership=partnership, by=youth, youth_service="Teen Hub")
    voice.event_create(
        partnership=partnership,
        by=youth,
        kind="information",
        title="Staying safe online",
        theme="Cyber bullying",
        held_on=dt.date(2015, 10, 1),
        audience="Year 9",
        attended=40,
    )
    return services.annual_report_create(partnership=partnership, by=business_unit, year="2015/16")


def test_list_and_detail_in_scope_only(report, business_unit, chair, learner, outsider, client_for):
    for person in (business_unit, chair):
        body = client_for(person).get(URL).json()
        assert [r["year"] for r in body["results"]] == ["2015/16"]
        assert client_for(person).get(f"{URL}{report.pk}/").status_code == 200
    for person in (learner, outsider):
        assert client_for(person).get(URL).json()["results"] == []
        assert client_for(person).get(f"{URL}{report.pk}/").status_code == 404


def test_create_and_narratives(partnership, business_unit, chair, client_for):
    created = _send(client_for(business_unit), "post", URL, {"year": "2016/17", "title": "Draft"})
    assert created.status_code == 201, created.content
    report = AnnualReport.objects.get(pk=created.json()["id"])
    assert report.partnership == partnership
    assert _send(client_for(chair), "post", URL, {"year": "2017/18"}).status_code == 403
    assert _send(client_for(business_unit), "post", URL, {"year": "2016/7"}).status_code == 400


def test_edits_by_the_business_unit_only(report, business_unit, chair, client_for):
    url = f"{URL}{report.pk}/"
    edit = {"foreword": "A year of learning.", "narratives": {"voice": "The forum grew."}}
    assert _send(client_for(chair), "patch", url, edit).status_code == 403
    response = _send(client_for(business_unit), "patch", url, edit)
    assert response.status_code == 200, response.content
    assert response.json()["narratives"] == {"voice": "The forum grew."}
    report.refresh_from_db()
    assert report.foreword == "A year of learning."
    assert _send(client_for(business_unit), "patch", url, {"year": "2016/17"}).status_code == 400


def test_stale_if_match_is_refused(report, business_unit, client_for):
    url = f"{URL}{report.pk}/"
    client = client_for(business_unit)
    etag = client.get(url)["ETag"]
    assert _send(client, "patch", url, {"title": "First"}, HTTP_IF_MATCH=etag).status_code == 200
    stale = _send(client, "patch", url, {"title": "Second"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    report.refresh_from_db()
    assert report.title == "First"


def test_sign_off_freezes_the_report(report, business_unit, chair, learner, client_for):
    url = f"{URL}{report.pk}/"
    assert _send(client_for(learner), "post", url + "sign-off/").status_code == 404
    assert _send(client_for(business_unit), "post", url + "sign-off/").status_code == 403
    signed = _send(client_for(chair), "post", url + "sign-off/")
    assert signed.status_code == 200 and signed.json()["signed_off"] is True
    bu = client_for(business_unit)
    refused = _send(bu, "patch", url, {"foreword": "Too late", "narratives": {"voice": "x"}})
    assert refused.status_code == 400
    assert "signed off" in json.dumps(refused.json())
    assert bu.delete(url).status_code == 400
    assert _send(client_for(chair), "post", url + "sign-off/").status_code == 400
    report.refresh_from_db()
    assert report.foreword == "" and not report.narratives.exists()


def test_sections_and_downloads(report, business_unit, chair, client_for):
    url = f"{URL}{report.pk}/"
    sections = client_for(chair).get(url + "sections/").json()
    assert "voice" in [row["key"] for row in sections]
    pdf = client_for(chair).get(url + "download/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client_for(business_unit).get(url + "download/docx/")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
