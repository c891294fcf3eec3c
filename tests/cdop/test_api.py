"""The child death API: scoping, no identifiers, suppressed trends, NCMD export."""

from __future__ import annotations

import pytest

from tests.factories import person_with_role

from .conftest import analysis_kwargs

pytestmark = pytest.mark.django_db


def test_cases_scoped_and_without_identifiers(
    case, coordinator, chair, learner, other_partnership, client_for
):
    body = client_for(chair).get("/api/v1/cdop/cases/").json()
    assert [c["reference"] for c in body["results"]] == [case.reference]
    text = str(body)
    assert "Amelie" not in text and "4857773456" not in text and "nadia" not in text
    outsider = person_with_role("cdop_coordinator", other_partnership)
    assert client_for(outsider).get("/api/v1/cdop/cases/").json()["results"] == []
    assert client_for(outsider).get(f"/api/v1/cdop/cases/{case.pk}/").status_code == 404
    assert client_for(learner).get("/api/v1/cdop/cases/").json()["results"] == []


def test_ncmd_export_for_coordinator_only(case, coordinator, chair, client_for):
    response = client_for(coordinator).get(f"/api/v1/cdop/cases/{case.pk}/ncmd/")
    assert response.status_code == 200
    assert response.json()["cases"][0]["first_name"] == "Amelie"
    assert client_for(chair).get(f"/api/v1/cdop/cases/{case.pk}/ncmd/").status_code == 403


def test_trends_suppressed(case, coordinator, chair, client_for):
    from lift.cdop import services

    services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    data = client_for(chair).get("/api/v1/cdop/cases/trends/?year=2025").json()
    assert data["deaths"]["rows"]["All deaths"]["2025"] is None
    assert data["suppression_threshold"] == 5


def test_analysis_api(case, coordinator, chair, client_for):
    from lift.cdop import services

    services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    row = client_for(chair).get("/api/v1/cdop/analyses/").json()["results"][0]
    assert row["case_number"] == case.reference and row["scores"]["social"] == 2
