"""The Section 11 API: scoping (another agency's return is 404), the rules behind writes
(ratings on the scale, read-only after submission), and the workflow actions."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from lift.section11.choices import CycleStatus, ReturnStatus
from lift.section11.models import Answer

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def _api(person: Any) -> APIClient:
    c = APIClient()
    c.force_login(person)
    return c


@pytest.fixture
def opened(make_framework: Any, make_cycle: Any, agency: Any, other_agency: Any) -> Any:
    return make_cycle(make_framework(), [agency, other_agency])


def test_frameworks_list_includes_shared_ones(business_unit: Any, lead: Any) -> None:
    data = _api(lead).get("/api/v1/section11/frameworks/").json()
    codes = {row["code"] for row in data["results"]}
    assert {"pan-london", "voluntary-short"} <= codes
    pan = next(r for r in data["results"] if r["code"] == "pan-london")
    reqs = _api(lead).get(f"/api/v1/section11/frameworks/{pan['id']}/requirements/").json()
    assert len(reqs) >= 24 and reqs[0]["ref"] == "1.1"


def test_returns_are_scoped_to_the_agency(
    opened: Any, lead: Any, make_person: Any, other_agency: Any, business_unit: Any
) -> None:
    mine = opened.returns.get(agency__name__contains="Children")
    other = opened.returns.exclude(pk=mine.pk).get()
    c = _api(lead)
    listed = c.get("/api/v1/section11/returns/").json()["results"]
    assert [r["id"] for r in listed] == [mine.pk]
    assert listed[0]["total"] == 4 and listed[0]["answered"] == 0
    assert c.get(f"/api/v1/section11/returns/{other.pk}/").status_code == 404
    other_answer = Answer.objects.filter(agency_return=other).first()
    assert (
        c.patch(
            f"/api/v1/section11/answers/{other_answer.pk}/", {"self_rating": "fully"}, format="json"
        ).status_code
        == 404
    )
    assert len(_api(business_unit).get("/api/v1/section11/returns/").json()["results"]) == 2


def test_answer_rating_on_scale_then_submit_then_read_only(opened: Any, lead: Any) -> None:
    ret = opened.returns.get(agency__name__contains="Children")
    c = _api(lead)
    answer = Answer.objects.filter(agency_return=ret).first()
    url = f"/api/v1/section11/answers/{answer.pk}/"
    bad = c.patch(url, {"self_rating": "excellent"}, format="json")
    assert bad.status_code == 400 and "not on the framework's scale" in str(bad.json())
    ok = c.patch(url, {"self_rating": "fully", "narrative": "Yes."}, format="json")
    assert ok.status_code == 200 and ok.json()["self_rating"] == "fully"
    early = c.post(f"/api/v1/section11/returns/{ret.pk}/submit/")
    assert early.status_code == 400 and "Rate every requirement" in str(early.json())
    rate_all(ret, lead)
    done = c.post(f"/api/v1/section11/returns/{ret.pk}/submit/")
    assert done.status_code == 200 and done.json()["status"] == ReturnStatus.SUBMITTED
    late = c.patch(url, {"self_rating": "not-met"}, format="json")
    assert late.status_code == 400


def test_business_unit_cannot_answer_for_an_agency(opened: Any, business_unit: Any) -> None:
    answer = Answer.objects.filter(agency_return__cycle=opened).first()
    response = _api(business_unit).patch(
        f"/api/v1/section11/answers/{answer.pk}/", {"self_rating": "fully"}, format="json"
    )
    assert response.status_code == 403


def test_cycle_close_needs_a_reason_while_returns_are_unmoderated(
    opened: Any, business_unit: Any, lead: Any
) -> None:
    url = f"/api/v1/section11/cycles/{opened.pk}/close/"
    assert _api(lead).post(url, {}, format="json").status_code == 403
    refused = _api(business_unit).post(url, {}, format="json")
    assert refused.status_code == 400 and "not moderated" in str(refused.json())
    closed = _api(business_unit).post(url, {"reason": "Restructure"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == CycleStatus.CLOSED


def test_open_a_cycle_through_the_api(
    make_framework: Any, make_cycle: Any, agency: Any, business_unit: Any
) -> None:
    planned = make_cycle(make_framework(), [agency], open_=False)
    response = _api(business_unit).post(
        f"/api/v1/section11/cycles/{planned.pk}/open/", {}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == CycleStatus.OPEN
    assert planned.returns.get().answers.count() == 4


def test_anonymous_is_refused() -> None:
    for url in ("/api/v1/section11/returns/", "/api/v1/section11/cycles/"):
        assert APIClient().get(url).status_code in (401, 403)
