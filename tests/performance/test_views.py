"""Every page: permissions (anonymous, out of scope, no permission, in scope), the dataset's
query bound, value entry by the owner agency only, import, and the Board pack."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lift.core.models import Agency, Partnership, Person
from lift.governance.models import Meeting
from lift.performance import services
from lift.performance.models import Indicator, IndicatorValue, ScrutinyFocus
from tests.permissions import assert_permissions

from .conftest import make_indicator


@pytest.fixture
def focus(meeting: Meeting, with_values: Indicator, agency: Agency) -> ScrutinyFocus:
    focus = services.focus_create(
        meeting=meeting, title="Post-birth visits", question="Why late?", indicators=[with_values]
    )
    services.analysis_request_create(
        focus=focus, agency=agency, request="Late visits by team", due_on=dt.date(2030, 1, 1)
    )
    return focus


def test_dataset_and_indicator_pages_permissions(
    with_values: Indicator,
    business_unit: Person,
    lead: Person,
    learner: Person,
    outsider: Person,
    client_for,
) -> None:
    value = with_values.values.first()
    assert value is not None
    for url in [
        reverse("performance:dataset"),
        reverse("performance:indicator_list"),
        reverse("performance:indicatorvalue_list"),
        reverse("performance:scrutinyfocus_list"),
        reverse("performance:analysisrequest_list"),
    ]:
        assert_permissions(url, allowed=[business_unit, lead, outsider], forbidden=[learner])
    # Another partnership's business unit sees its own (empty) dataset, not ours.
    html = client_for(outsider).get(reverse("performance:dataset")).content.decode()
    assert with_values.title not in html
    for url in [
        with_values.get_absolute_url(),
        reverse("performance:indicator_history", args=[with_values.pk]),
        value.get_absolute_url(),
        reverse("performance:indicatorvalue_history", args=[value.pk]),
    ]:
        assert_permissions(url, allowed=[business_unit, lead], not_found=[outsider, learner])


def test_definition_pages_are_for_the_business_unit(
    indicator: Indicator, business_unit: Person, lead: Person, outsider: Person
) -> None:
    assert_permissions(
        reverse("performance:indicator_add"), allowed=[business_unit], forbidden=[lead]
    )
    for name in ("performance:indicator_edit", "performance:indicator_redefine"):
        assert_permissions(
            reverse(name, args=[indicator.pk]),
            allowed=[business_unit],
            not_found=[outsider],
            forbidden=[lead],
        )


def test_value_entry_only_by_the_owner_agency(
    indicator: Indicator,
    business_unit: Person,
    lead: Person,
    make_person,
    other_agency: Agency,
    outsider: Person,
    client_for,
) -> None:
    police = make_person("safeguarding_lead", agency=other_agency)
    url = reverse("performance:indicatorvalue_add", args=[indicator.pk])
    assert_permissions(url, allowed=[lead, business_unit], forbidden=[police], not_found=[outsider])
    response = client_for(police).post(url, {"period": "2015-04", "value": "85"})
    assert response.status_code == 403
    response = client_for(lead).post(url, {"period": "2015-04", "value": "120"})
    assert response.status_code == 200
    assert "outside the valid range" in response.content.decode()
    response = client_for(lead).post(url, {"period": "2015/16 Q1", "value": "85"})
    assert "quarter" in response.content.decode()
    response = client_for(lead).post(
        url, {"period": "2015-04", "value": "85", "numerator": "170", "denominator": "200"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=indicator)
    edit = reverse("performance:indicatorvalue_edit", args=[value.pk])
    assert_permissions(
        edit, allowed=[lead, business_unit], not_found=[outsider], forbidden=[police]
    )


def test_value_revision_requires_a_reason(indicator: Indicator, lead: Person, client_for) -> None:
    value = services.value_enter(
        indicator=indicator, period_start=dt.date(2015, 4, 1), value=Decimal(85), by=lead
    )
    url = reverse("performance:indicatorvalue_edit", args=[value.pk])
    response = client_for(lead).post(url, {"value": "86", "change_reason": ""})
    assert response.status_code == 200
    response = client_for(lead).post(url, {"value": "86", "change_reason": "Late births added"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal(86)


def test_import_page(
    partnership: Partnership,
    indicator: Indicator,
    lead: Person,
    learner: Person,
    outsider: Person,
    client_for,
) -> None:
    url = reverse("performance:value_import")
    assert_permissions(url, allowed=[lead], forbidden=[learner])
    bad = SimpleUploadedFile("v.csv", b"indicator code,period,value\npbv14,2015-04,101\n")
    response = client_for(lead).post(url, {"file": bad})
    assert response.status_code == 200
    assert "Problems in the file" in response.content.decode()
    good = SimpleUploadedFile("v.csv", b"indicator code,period,value\npbv14,2015-04,91\n")
    response = client_for(lead).post(url, {"file": good})
    assert response.status_code == 302
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1


def test_dataset_page_shows_rag_direction_and_sparkline(
    with_values: Indicator, business_unit: Person, client_for
) -> None:
    html = client_for(business_unit).get(reverse("performance:dataset")).content.decode()
    assert "Post-birth visits within 14 days" in html
    assert "Amber" in html  # 86% against 90 with tolerance 5
    assert "Getting worse" in html  # 88 then 86
    assert "<svg" in html and "aria-label=" in html
    assert "style=" not in html.split("<main", 1)[1]
    html = client_for(business_unit).get(reverse("performance:dataset") + "?rag=red").content
    assert b"Post-birth visits within 14 days" not in html


def _many(partnership: Partnership, agency: Agency, n: int) -> None:
    rows = []
    for i in range(n):
        ind = make_indicator(partnership, agency, code=f"i{i}", title=f"Indicator {i}")
        version = ind.versions.get()
        for m in range(24):
            rows.append(
                IndicatorValue(
                    partnership=partnership,
                    indicator=ind,
                    version=version,
                    period_start=dt.date(2014 + (3 + m) // 12, (3 + m) % 12 + 1, 1),
                    value=Decimal(80 + m % 7),
                )
            )
    IndicatorValue.objects.bulk_create(rows)
    for ind in Indicator.objects.filter(partnership=partnership):
        services.indicator_refresh(indicator=ind)


@pytest.mark.parametrize("n", [5, 50])
def test_dataset_page_queries_are_bounded(
    n: int,
    partnership: Partnership,
    agency: Agency,
    business_unit: Person,
    client_for,
    django_assert_max_num_queries,
) -> None:
    _many(partnership, agency, n)
    client = client_for(business_unit)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("performance:dataset"))
    assert response.content.decode().count("lift-sparkline") == n


@pytest.mark.parametrize("months", [12, 120])
def test_indicator_page_queries_are_bounded(
    months: int,
    partnership: Partnership,
    agency: Agency,
    business_unit: Person,
    client_for,
    django_assert_max_num_queries,
) -> None:
    ind = make_indicator(partnership, agency)
    version = ind.versions.get()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            partnership=partnership,
            indicator=ind,
            version=version,
            period_start=dt.date(2010 + m // 12, m % 12 + 1, 1),
            value=Decimal(80 + m % 9),
        )
        for m in range(months)
    )
    services.indicator_refresh(indicator=ind)
    client = client_for(business_unit)
    with django_assert_max_num_queries(20):
        response = client.get(ind.get_absolute_url())
    assert response.status_code == 200
    assert "Upper control limit" in response.content.decode()


def test_focus_pages(
    focus: ScrutinyFocus,
    business_unit: Person,
    lead: Person,
    learner: Person,
    outsider: Person,
    client_for,
) -> None:
    assert_permissions(
        focus.get_absolute_url(), allowed=[business_unit, lead], not_found=[outsider]
    )
    for name in (
        "performance:scrutinyfocus_edit",
        "performance:analysisrequest_add",
        "performance:scrutinyfocus_action_add",
    ):
        assert_permissions(
            reverse(name, args=[focus.pk]),
            allowed=[business_unit],
            not_found=[outsider],
            forbidden=[lead],
        )
    assert_permissions(
        reverse("performance:scrutinyfocus_history", args=[focus.pk]),
        allowed=[business_unit],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("performance:scrutinyfocus_add"),
        allowed=[business_unit],
        forbidden=[lead],
    )
    req = focus.requests.get()
    assert_permissions(req.get_absolute_url(), allowed=[business_unit, lead], not_found=[outsider])
    assert_permissions(
        reverse("performance:analysisrequest_history", args=[req.pk]),
        allowed=[business_unit],
        not_found=[outsider],
    )
    respond = reverse("performance:analysisrequest_respond", args=[req.pk])
    assert_permissions(respond, allowed=[lead, business_unit], not_found=[outsider])
    response = client_for(lead).post(respond, {"response": "Two teams have vacancies."})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "received"


def test_board_pack_is_published_from_the_meeting_as_pdf_and_docx(
    focus: ScrutinyFocus,
    business_unit: Person,
    outsider: Person,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:
    from lift.governance.models import BoardPack

    url = reverse("governance:boardpack_publish", args=[focus.meeting.pk])
    assert_permissions(url, method="post", not_found=[outsider])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(business_unit).post(url)
    assert response.status_code == 302
    assert response["Location"] == focus.meeting.get_absolute_url() + "#board-pack"
    pack = BoardPack.objects.get(meeting=focus.meeting)
    for fmt, doc in (("pdf", pack.pdf), ("docx", pack.docx)):
        assert doc.format == fmt and doc.status == "ready", doc.error
        content = doc.file.read()
        if fmt == "pdf":
            assert content.startswith(b"%PDF")
        else:
            with zipfile.ZipFile(io.BytesIO(content)) as z:
                body = z.read("word/document.xml").decode()
            assert "Dataset exceptions" in body
            assert "Post-birth visits" in body
    page = client_for(business_unit).get(focus.get_absolute_url()).content.decode()
    assert focus.meeting.get_absolute_url() + "#board-pack" in page


def test_impact_page_cites_the_indicator(
    with_values: Indicator,
    agency: Agency,
    business_unit: Person,
    outsider: Person,
    client_for,
) -> None:
    from lift.learning.choices import ActionStatus
    from lift.learning.services import action_create, action_update_add

    action = action_create(
        title="Recruit",
        owner_agency=agency,
        due_on=dt.date(2030, 1, 1),
        success_measure="More visits",
        status=ActionStatus.IN_PROGRESS,
    )
    action_update_add(action=action, by=business_unit, text="Done", status=ActionStatus.COMPLETED)
    url = reverse("performance:indicator_impact", args=[with_values.pk])
    assert_permissions(url, allowed=[business_unit], not_found=[outsider])
    response = client_for(business_unit).post(
        url, {"action": action.pk, "period_from": "2014-04-01", "period_to": "2015-03-01"}
    )
    assert response.status_code == 302
    html = client_for(business_unit).get(with_values.get_absolute_url()).content.decode()
    assert "Actions claiming an effect" in html
    assert "Recruit" in html
