"""API writes through the services: incidents (ETag / If-Match), the Chair's decision,
review stage transitions, and IMR files. In scope, out of scope (404), wrong role (403),
stale version (412)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.test import Client

from lift.core.models import Agency, Person
from lift.reviews import services
from lift.reviews.choices import ReviewStatus
from lift.reviews.models import AgencyRequest, ChildIdentity, Decision, ImrFile, Incident, Review
from lift.reviews.reference import reference
from tests.reviews.test_services import decide, reasons_for
from tests.reviews.test_views import assert_no_identifiers

JSON = "application/json"


def _post(c: Client, url: str, data: dict[str, Any]) -> Any:
    return c.post(url, data, content_type=JSON)


def test_create_incident(
    business_unit: Person,
    board_member: Person,
    agency: Agency,
    client_for: Callable[[Person], Client],
) -> None:
    data = {
        "pseudonym": "Child Q",
        "incident_type": "serious_harm",
        "incident_on": "2025-05-01",
        "became_aware_on": "2025-05-02",
        "criteria": ["abuse-or-neglect", "seriously-harmed"],
        "summary": "Child Q was hurt.",
        "agencies": [agency.pk],
    }
    assert _post(client_for(board_member), "/api/v1/incidents/", data).status_code == 403
    bad = _post(
        client_for(business_unit), "/api/v1/incidents/", {**data, "incident_on": "2025-06-01"}
    )
    assert bad.status_code == 400
    created = _post(client_for(business_unit), "/api/v1/incidents/", data)
    assert created.status_code == 201, created.content
    incident = Incident.objects.get(pk=created.json()["id"])
    assert incident.reference.startswith("SI-2025-") and incident.recorded_by == business_unit
    assert list(incident.agencies.all()) == [agency]
    assert "summary" not in created.json()


def test_update_incident_with_if_match(
    incident: Incident,
    identity: ChildIdentity,
    business_unit: Person,
    chair: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/api/v1/incidents/{incident.pk}/"
    bu = client_for(business_unit)
    first = bu.get(url)
    etag = first["ETag"]
    ok = bu.patch(url, {"pseudonym": "Child AA"}, content_type=JSON, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["pseudonym"] == "Child AA"
    # Someone else saves it meanwhile (a later version): the old ETag is now stale.
    Incident.objects.filter(pk=incident.pk).update(
        updated_at=F("updated_at") + dt.timedelta(minutes=5)
    )
    stale = bu.patch(url, {"pseudonym": "Child AB"}, content_type=JSON, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current"]["pseudonym"] == "Child AA"
    assert_no_identifiers(stale.content)
    assert Incident.objects.get(pk=incident.pk).pseudonym == "Child AA"
    # The Chair sees the incident but may not change it; another partnership does not see it.
    assert client_for(chair).patch(url, {"pseudonym": "X"}, content_type=JSON).status_code == 403
    assert client_for(outsider).patch(url, {"pseudonym": "X"}, content_type=JSON).status_code == 404
    bad = bu.patch(url, {"became_aware_on": "2025-01-01"}, content_type=JSON)
    assert bad.status_code == 400


def test_decision_action_is_the_chairs(
    incident: Incident,
    business_unit: Person,
    chair: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    url = f"/api/v1/incidents/{incident.pk}/decide/"
    data = {
        "decided_on": "2025-05-20",
        "outcome": "statutory",
        "reasons": "The criteria are met.",
        "criteria_reasons": reasons_for(incident.regime),
    }
    assert _post(client_for(business_unit), url, data).status_code == 403
    assert _post(client_for(outsider), url, data).status_code == 404
    backdated = _post(client_for(chair), url, {**data, "decided_on": "2025-04-01"})
    assert backdated.status_code == 400
    ok = _post(client_for(chair), url, data)
    assert ok.status_code == 201, ok.content
    assert Decision.objects.get(incident=incident).decided_by == chair
    assert Review.objects.filter(incident=incident).exists()


def test_review_stage_transitions_and_guard(
    incident: Incident,
    identity: ChildIdentity,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    decide(incident, chair)
    review = Review.objects.get(incident=incident)
    review.report_text = "Jayden's story."
    review.save()
    base = f"/api/v1/reviews/{review.pk}"
    bu = client_for(business_unit)
    assert (
        _post(
            client_for(board_member), f"{base}/complete/", {"completed_on": "2025-05-20"}
        ).status_code
        == 403
    )
    assert (
        _post(client_for(outsider), f"{base}/complete/", {"completed_on": "2025-05-20"}).status_code
        == 404
    )
    done = _post(bu, f"{base}/complete/", {"completed_on": "2025-05-20"})
    assert done.status_code == 200 and done.json()["status"] == ReviewStatus.FINAL
    answers = {q.key: "Considered." for q in reference().questions}
    decision = {
        "answers": answers,
        "decision": "publish",
        "decided_on": "2025-05-21",
        "planned_on": "2025-06-02",
    }
    assert (
        _post(client_for(board_member), f"{base}/decide_publication/", decision).status_code == 403
    )
    decided = _post(bu, f"{base}/decide_publication/", decision)
    assert decided.status_code == 200, decided.content
    letter = review.letters.get(kind="publication-yes")
    services.letter_mark_sent(letter=letter, sent_on=dt.date(2025, 5, 22), by=business_unit)
    refused = _post(bu, f"{base}/publish/", {"published_on": "2025-06-02"})
    assert refused.status_code == 400
    assert b"name of Child A" in refused.content
    assert_no_identifiers(refused.content)
    review.report_text = "Child A's story."
    review.save()
    published = _post(bu, f"{base}/publish/", {"published_on": "2025-06-02"})
    assert published.status_code == 200, published.content
    assert published.json()["status"] == ReviewStatus.PUBLISHED


@pytest.fixture
def imr(incident: Incident, chair: Person, business_unit: Person, agency: Agency) -> AgencyRequest:
    decide(incident, chair)
    return services.agency_request_create(
        incident=incident,
        review=Review.objects.get(incident=incident),
        agency=agency,
        kind="imr",
        requested_on=dt.date(2025, 5, 21),
        due_on=dt.date(2025, 6, 20),
        by=business_unit,
    )


def test_imr_upload_and_submit(
    imr: AgencyRequest,
    lead: Person,
    board_member: Person,
    make_person: Callable[..., Person],
    other_agency: Agency,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    other_lead = make_person("safeguarding_lead", agency=other_agency)
    url = f"/api/v1/agency-requests/{imr.pk}"

    def upload(person: Person) -> Any:
        f = SimpleUploadedFile("imr.txt", b"IMR text for Child A.\n", "text/plain")
        return client_for(person).post(f"{url}/upload/", {"file": f, "description": "IMR"})

    assert upload(board_member).status_code == 403  # sees the request, may not upload
    assert upload(other_lead).status_code == 404  # another agency's request
    assert upload(outsider).status_code == 404
    assert _post(client_for(lead), f"{url}/submit/", {}).status_code == 400  # no file yet
    ok = upload(lead)
    assert ok.status_code == 201, ok.content
    assert ok.json()["files"][0]["name"] == "imr.txt"
    assert ImrFile.objects.count() == 1
    # The Board member sees the request but not the file.
    assert client_for(board_member).get(f"{url}/").json()["files"] == []
    assert _post(client_for(board_member), f"{url}/submit/", {}).status_code == 403
    submitted = _post(client_for(lead), f"{url}/submit/", {"submitted_on": "2025-06-01"})
    assert submitted.status_code == 200 and submitted.json()["received_on"] == "2025-06-01"
