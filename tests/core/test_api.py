"""The core API: authentication, scoping, JSON errors, tokens, schema and docs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lift.core.models import Agency

from ..factories import AgencyFactory

pytestmark = pytest.mark.django_db


def api(person=None, token: str | None = None) -> APIClient:
    c = APIClient()
    if person is not None:
        c.force_authenticate(person)
    if token:
        c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return c


def test_anonymous_refused():
    assert api().get("/api/v1/agencies/").status_code in (401, 403)


def test_agencies_scoped_to_partnership(agency, other_partnership, business_unit, outsider):
    far = AgencyFactory(partnership=other_partnership, name="Far away")
    names = [a["name"] for a in api(business_unit).get("/api/v1/agencies/").json()["results"]]
    assert agency.name in names and "Far away" not in names
    assert api(business_unit).get(f"/api/v1/agencies/{far.pk}/").status_code == 404
    assert api(outsider).get(f"/api/v1/agencies/{agency.pk}/").status_code == 404


def test_create_validates_and_reports_errors(partnership, business_unit, lead):
    response = api(business_unit).post("/api/v1/agencies/", {"name": "", "agency_type": "bad"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has errors." and "agency_type" in body["errors"]
    ok = api(business_unit).post("/api/v1/agencies/", {"name": "New", "agency_type": "police"})
    assert ok.status_code == 201 and Agency.objects.get(name="New").partnership == partnership
    assert (
        api(lead).post("/api/v1/agencies/", {"name": "X", "agency_type": "police"}).status_code
        == 403
    )


def test_token_page_and_token_auth(client, learner, agency):
    client.force_login(learner)
    assert client.get("/accounts/api-token/").status_code == 200
    client.post("/accounts/api-token/", {"action": "create"})
    page = client.get("/accounts/api-token/").content.decode()
    from rest_framework.authtoken.models import Token

    key = Token.objects.get(user=learner).key
    assert key in page
    assert key not in client.get("/accounts/api-token/").content.decode()  # shown once
    assert api(token=key).get("/api/v1/agencies/").status_code == 200
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert api(token=key).get("/api/v1/agencies/").status_code in (401, 403)


def test_schema_and_docs(client, learner):
    client.force_login(learner)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200


def test_history_api_for_business_unit_only(agency, business_unit, lead):
    assert api(business_unit).get("/api/v1/history/").json()["count"] >= 1
    assert api(lead).get("/api/v1/history/").json()["count"] == 0


def test_api_changes_are_attributed(partnership, business_unit):
    from rest_framework.authtoken.models import Token

    from lift.core.models import ChangeLog

    key = Token.objects.create(user=business_unit).key
    response = api(token=key).post("/api/v1/agencies/", {"name": "Via API", "agency_type": "other"})
    assert response.status_code == 201
    entry = ChangeLog.objects.get(
        object_id=str(response.json()["id"]), content_type__model="agency"
    )
    assert entry.actor == business_unit and entry.source == "api"


def test_partnership_header_chooses_among_own(partnership, other_partnership, business_unit):
    from ..factories import give_role

    give_role(business_unit, "business_unit", other_partnership)
    AgencyFactory(partnership=other_partnership, name="Over there")
    c = api(business_unit)
    names = [
        a["name"]
        for a in c.get(
            "/api/v1/agencies/", HTTP_X_LIFT_PARTNERSHIP=str(other_partnership.pk)
        ).json()["results"]
    ]
    assert names == ["Over there"]
