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


def _indicator(partnership, agency, code: str):
    import datetime as dt

    from lift.performance import services as performance

    return performance.indicator_create(
        partnership=partnership,
        code=code,
        title=f"Indicator {code}",
        owner_agency=agency,
        unit="count",
        polarity="higher",
        frequency="quarterly",
        definition="Counted.",
        source="Returns.",
        effective_from=dt.date(2025, 4, 1),
    )


def test_delete_of_a_record_others_depend_on_is_409(partnership, agency, business_unit):
    """Issue 17: DELETE of an agency that records depend on answered 500 (ProtectedError).
    Now 409 with what depends on it (counts by kind, never the records), as the web page
    refuses; an agency nothing depends on is deleted (204)."""
    from rest_framework.authtoken.models import Token

    _indicator(partnership, agency, "ind-a")
    _indicator(partnership, agency, "ind-b")
    unused = AgencyFactory(partnership=partnership, name="Unused agency")
    key = Token.objects.create(user=business_unit).key
    response = api(token=key).delete(f"/api/v1/agencies/{agency.pk}/")
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"] == ("This agency cannot be deleted because other records depend on it.")
    assert {"type": "indicators", "count": 2} in body["dependents"]
    assert "Indicator ind-a" not in response.content.decode()
    assert Agency.objects.filter(pk=agency.pk).exists()
    assert api(token=key).delete(f"/api/v1/agencies/{unused.pk}/").status_code == 204
    assert not Agency.objects.filter(pk=unused.pk).exists()


def test_schema_documents_409_on_delete(client, learner):
    client.force_login(learner)
    paths = client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    deletes = [op for ops in paths.values() for m, op in ops.items() if m == "delete"]
    assert deletes and all("409" in op["responses"] for op in deletes)
    assert "409" not in paths["/api/v1/agencies/"]["get"]["responses"]


def test_an_unknown_or_foreign_partnership_header_is_refused(
    partnership, other_partnership, business_unit
):
    """Issue 18, gap 5: a header naming a partnership the caller holds no role in (or not a
    number) used to fall back silently to their own, so a write could land elsewhere."""
    c = api(business_unit)
    before = Agency.objects.count()
    for header, status in ((str(other_partnership.pk), 404), ("99999", 404), ("abc", 400)):
        listed = c.get("/api/v1/agencies/", HTTP_X_LIFT_PARTNERSHIP=header)
        assert listed.status_code == status, header
        made = c.post(
            "/api/v1/agencies/",
            {"name": "Landed elsewhere", "agency_type": "police"},
            format="json",
            HTTP_X_LIFT_PARTNERSHIP=header,
        )
        assert made.status_code == status
        assert "X-Lift-Partnership" in made.json()["detail"]
    assert Agency.objects.count() == before
    own = c.get("/api/v1/agencies/", HTTP_X_LIFT_PARTNERSHIP=str(partnership.pk))
    assert own.status_code == 200
