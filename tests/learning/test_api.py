"""The API: scoping, workflow endpoints, and errors as JSON."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lift.learning import services
from lift.learning.choices import ActionStatus

from .conftest import completed, with_link_evidence

pytestmark = pytest.mark.django_db
S = ActionStatus


def api(person):
    c = APIClient()
    c.force_login(person)
    return c


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_action_list_is_scoped(make_action, other_agency, lead, police_lead, chair, outsider):
    ours = make_action()
    theirs = make_action(owner_agency=other_agency, owner=police_lead)
    assert ids(api(lead).get("/api/v1/actions/")) == {ours.pk}
    assert ids(api(chair).get("/api/v1/actions/")) == {ours.pk, theirs.pk}
    assert ids(api(outsider).get("/api/v1/actions/")) == set()
    assert api(police_lead).get(f"/api/v1/actions/{ours.pk}/").status_code == 404
    assert ids(api(chair).get(f"/api/v1/actions/?agency={other_agency.pk}")) == {theirs.pk}


def test_anonymous_is_refused(action):
    assert APIClient().get("/api/v1/actions/").status_code in (401, 403)


def test_transition_endpoint(make_action, lead, police_lead):
    action = make_action(status=S.PROPOSED)
    url = f"/api/v1/actions/{action.pk}/transition/"
    r = api(lead).post(url, {"to": "agreed"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "agreed"
    # A rule broken: an error in the shared JSON shape.
    r = api(lead).post(url, {"to": "completed"}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["detail"] == "The request has errors." and "to" in body["errors"]
    # Bad input.
    r = api(lead).post(url, {"to": "flying"}, format="json")
    assert r.status_code == 400 and "to" in r.json()["errors"]
    # Another agency's lead cannot find it.
    assert api(police_lead).post(url, {"to": "in_progress"}, format="json").status_code == 404


def test_update_endpoint_with_due_date_needs_reason(action, lead):
    url = f"/api/v1/actions/{action.pk}/update/"
    r = api(lead).post(url, {"text": "Delayed", "due_on": "2031-01-01"}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api(lead).post(
        url, {"text": "Delayed", "due_on": "2031-01-01", "reason": "New system"}, format="json"
    )
    assert r.status_code == 201
    assert r.json()["due_on"] == "2031-01-01" and r.json()["original_due_on"] != "2031-01-01"
    assert r.json()["updates"][0]["text"] == "Delayed"


def test_verify_endpoint(action, lead, chair):
    completed(action, lead)
    with_link_evidence(action, lead)
    check = services.impact_check_record(
        action=action, by=lead, method="reaudit", measured="m", result="r", outcome="improved"
    )
    url = f"/api/v1/actions/{action.pk}/verify/"
    assert api(lead).post(url, {"check": check.pk}, format="json").status_code == 403
    r = api(chair).post(url, {"check": 999999}, format="json")
    assert r.status_code == 404
    r = api(chair).post(url, {"check": check.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "closed"


def test_create_action_through_service_rules(agency, lead, business_unit):
    payload = {
        "title": "Audit chronologies",
        "owner_agency": agency.pk,
        "owner": lead.pk,
        "due_on": "2025-12-31",
        "success_measure": "Chronology present in 9 of 10 files",
        "status": "closed",
    }
    r = api(business_unit).post("/api/v1/actions/", payload, format="json")
    assert r.status_code == 400 and "status" in r.json()["errors"]
    payload["status"] = "agreed"
    r = api(business_unit).post("/api/v1/actions/", payload, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["original_due_on"] == "2025-12-31"
    assert api(lead).post("/api/v1/actions/", payload, format="json").status_code == 403


def test_findings_recommendations_library_dissemination_themes(
    lesson, library_item, agency, business_unit, outsider
):
    assert lesson.pk in ids(api(business_unit).get("/api/v1/findings/"))
    assert ids(api(outsider).get("/api/v1/findings/")) == set()
    assert library_item.pk in ids(api(business_unit).get("/api/v1/library/"))
    r = api(business_unit).post(
        "/api/v1/recommendations/",
        {"text": "Share chronologies", "addressee": "agencies", "agencies": []},
        format="json",
    )
    assert r.status_code == 400 and "agencies" in r.json()["errors"]
    r = api(business_unit).post(
        "/api/v1/recommendations/",
        {"text": "Share chronologies", "addressee": "agencies", "agencies": [agency.pk]},
        format="json",
    )
    assert r.status_code == 201
    rec = r.json()["id"]
    r = api(business_unit).post(
        f"/api/v1/recommendations/{rec}/respond/", {"response": "partly"}, format="json"
    )
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api(business_unit).post(
        f"/api/v1/recommendations/{rec}/respond/",
        {"response": "partly", "reason": "Health only"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["response"] == "partly"
    r = api(business_unit).post(
        "/api/v1/dissemination/",
        {
            "kind": "briefing",
            "title": "Seven-minute briefing",
            "held_on": "2025-03-01",
            "audience": "Practitioners",
            "findings": [lesson.pk],
            "agencies_reached": [agency.pk],
            "people_reached": 40,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    themes = api(business_unit).get("/api/v1/themes/?q=negl").json()["results"]
    assert [t["code"] for t in themes] == ["neglect"] and themes[0]["shared"] is True
    r = api(business_unit).post("/api/v1/themes/", {"name": "Private fostering"}, format="json")
    assert r.status_code == 201 and r.json()["code"] == "private-fostering"


def test_patch_that_would_hide_the_record_is_refused(make_action, learner, police_lead):
    """Issue 18, gap 2 through the API: an action's owner (who sees it only because they
    own it) cannot hand it to someone else and lose sight of it; another change saves."""
    from rest_framework.authtoken.models import Token

    owned = make_action(owner=learner)
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=learner).key}")
    url = f"/api/v1/actions/{owned.pk}/"
    r = c.patch(url, {"owner": police_lead.pk}, format="json")
    assert r.status_code == 400, r.content
    assert "no longer be able to see it" in r.content.decode()
    owned.refresh_from_db()
    assert owned.owner == learner
    r = c.patch(url, {"title": "Refresh the screening tool training"}, format="json")
    assert r.status_code == 200, r.content
    owned.refresh_from_db()
    assert owned.owner == learner and owned.title == "Refresh the screening tool training"
