"""The API: same access as the pages; restricted identifiers only to the case team."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from lift.core.models import AccessLog, Partnership, Person
from lift.reviews.models import ChildIdentity, Decision, Incident, Letter, Referral
from tests.reviews.test_services import decide
from tests.reviews.test_views import assert_no_identifiers


def test_incidents_and_reviews_carry_no_identifiers(
    incident: Incident,
    identity: ChildIdentity,
    chair: Person,
    business_unit: Person,
    board_member: Person,
    client_for: Callable[[Person], Client],
) -> None:
    decide(incident, chair)
    for person in (business_unit, chair, board_member):
        c = client_for(person)
        for url in (
            "/api/v1/incidents/",
            f"/api/v1/incidents/{incident.pk}/",
            "/api/v1/reviews/",
            "/api/v1/panel-letters/",
            "/api/v1/history/",
        ):
            response = c.get(url)
            assert response.status_code in (200, 403), url
            assert_no_identifiers(response.content)


def test_restricted_records_only_for_the_case_team(
    identity: ChildIdentity,
    chair: Person,
    board_member: Person,
    team_member: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    for person in (chair, board_member, outsider):
        c = client_for(person)
        listing = c.get("/api/v1/restricted-records/")
        assert listing.status_code == 200
        assert_no_identifiers(listing.content)
        assert c.get(f"/api/v1/restricted-records/{identity.pk}/").status_code == 404
    before = AccessLog.objects.count()
    c = client_for(team_member)
    detail = c.get(f"/api/v1/restricted-records/{identity.pk}/")
    assert detail.status_code == 200 and detail.json()["full_name"] == "Jayden Thornbury-Quell"
    assert AccessLog.objects.count() == before + 1
    c.get("/api/v1/restricted-records/")
    assert AccessLog.objects.count() == before + 2


def test_mark_letter_sent_needs_date(
    incident: Incident,
    chair: Person,
    business_unit: Person,
    board_member: Person,
    client_for: Callable[[Person], Client],
) -> None:
    decide(incident, chair)
    letter = Letter.objects.get()
    url = f"/api/v1/panel-letters/{letter.pk}/mark_sent/"
    assert (
        client_for(business_unit).post(url, {}, content_type="application/json").status_code == 400
    )
    assert client_for(board_member).post(
        url, {"sent_on": "2025-05-21"}, content_type="application/json"
    ).status_code in (403, 404)
    ok = client_for(business_unit).post(
        url, {"sent_on": "2025-05-21"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["sent_on"] == "2025-05-21"


def test_referral_create_and_decide(
    partnership: Partnership,
    lead: Person,
    make_person: Callable[..., Person],
    client_for: Callable[[Person], Client],
) -> None:
    created = client_for(lead).post(
        "/api/v1/referrals/",
        {"source_kind": "agency", "pseudonym": "Child F", "reasons": "Missed chances"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert Referral.objects.get(pk=pk).referrer == lead
    url = f"/api/v1/referrals/{pk}/decide/"
    data = {"decision": "accepted", "reasons": "Lessons", "methodology": "scie-systems"}
    assert client_for(lead).post(url, data, content_type="application/json").status_code in (
        403,
        404,
    )
    lichair = make_person("subgroup_chair")
    ok = client_for(lichair).post(url, data, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["review"] is not None
    assert not Decision.objects.exists()
