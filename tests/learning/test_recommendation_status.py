"""A recommendation's status follows its response and its actions (issue 19, item 5), and
the page, the list's export and the API show the same one."""

from __future__ import annotations

import csv
import io
import re

import pytest
from rest_framework.test import APIClient

from lift.learning import services
from lift.learning.choices import ActionStatus, Addressee, RecommendationStatus, Response
from lift.learning.models import Action, ImpactCheck, Recommendation

from .conftest import completed, with_link_evidence

pytestmark = pytest.mark.django_db
S = ActionStatus
RS = RecommendationStatus


@pytest.fixture
def rec(partnership, agency):
    return services.recommendation_create(
        source=None,
        partnership=partnership,
        text="Agencies use a shared chronology template.",
        addressee=Addressee.AGENCIES,
        agencies=[agency],
        reference="R7",
    )


def accept(rec, by, response=Response.ACCEPTED, reason=""):
    services.recommendation_respond(recommendation=rec, by=by, response=response, reason=reason)


def status_of(rec: Recommendation) -> str:
    """The status as a list reads it (annotated) and as a detail page reads it (property):
    they must agree."""
    listed = Recommendation.objects.with_status().get(pk=rec.pk).status
    fresh = Recommendation.objects.get(pk=rec.pk).status
    assert listed == fresh
    return listed


def checked(action: Action, by) -> ImpactCheck:
    """A completed action with evidence and an impact check waiting for verification."""
    completed(action, by)
    with_link_evidence(action, by)
    return services.impact_check_record(
        action=action, by=by, method="reaudit", measured="m", result="r", outcome="improved"
    )


def verified(action: Action, lead, chair) -> None:
    services.impact_verify(check=checked(action, lead), by=chair)


# --- each transition through the services -----------------------------------------------


def test_awaiting_response_until_responded_even_with_work_under_way(rec, make_action, lead):
    assert status_of(rec) == RS.PENDING
    make_action(recommendation=rec, status=S.IN_PROGRESS)
    assert status_of(rec) == RS.PENDING


@pytest.mark.parametrize(
    ("response", "reason", "expected"),
    [
        (Response.ACCEPTED, "", RS.ACCEPTED),
        (Response.PARTLY, "Health only", RS.PARTLY),
        (Response.NOT_ACCEPTED, "Already in place", RS.NOT_ACCEPTED),
    ],
)
def test_the_response_sets_the_status(rec, business_unit, response, reason, expected):
    accept(rec, business_unit, response, reason)
    assert status_of(rec) == expected


def test_accepted_until_an_action_starts_then_in_progress(rec, make_action, business_unit, lead):
    accept(rec, business_unit)
    action = make_action(recommendation=rec, status=S.PROPOSED)
    assert status_of(rec) == RS.ACCEPTED
    services.action_transition(action=action, to=S.AGREED, by=business_unit)
    assert status_of(rec) == RS.ACCEPTED
    services.action_transition(action=action, to=S.IN_PROGRESS, by=lead)
    assert status_of(rec) == RS.IN_PROGRESS


def test_a_new_action_started_puts_an_accepted_one_in_progress(rec, make_action, business_unit):
    accept(rec, business_unit)
    make_action(recommendation=rec, status=S.IN_PROGRESS)
    assert status_of(rec) == RS.IN_PROGRESS


def test_implemented_when_its_only_action_is_closed_with_impact_verified(
    rec, make_action, business_unit, lead, chair
):
    """The reported bug: it stayed "Awaiting response"... and, accepted, must not stay
    accepted either."""
    accept(rec, business_unit)
    action = make_action(recommendation=rec)
    assert status_of(rec) == RS.IN_PROGRESS
    completed(action, lead)
    assert status_of(rec) == RS.IN_PROGRESS
    with_link_evidence(action, lead)
    services.action_transition(action=action, to=S.EVIDENCED, by=lead)
    assert status_of(rec) == RS.IN_PROGRESS
    check = services.impact_check_record(
        action=action, by=chair, method="reaudit", measured="m", result="r", outcome="improved"
    )
    assert status_of(rec) == RS.IN_PROGRESS
    services.impact_verify(check=check, by=chair)
    assert status_of(rec) == RS.IMPLEMENTED


def test_progress_update_with_a_status_moves_it(rec, make_action, business_unit, lead):
    accept(rec, business_unit)
    action = make_action(recommendation=rec, status=S.AGREED)
    assert status_of(rec) == RS.ACCEPTED
    services.action_update_add(action=action, by=lead, text="Started", status=S.IN_PROGRESS)
    assert status_of(rec) == RS.IN_PROGRESS


def test_two_actions_stay_in_progress_until_both_are_verified(
    rec, make_action, business_unit, lead, chair
):
    accept(rec, business_unit)
    first = make_action(recommendation=rec, title="First")
    second = make_action(recommendation=rec, title="Second")
    verified(first, lead, chair)
    assert status_of(rec) == RS.IN_PROGRESS
    check = checked(second, lead)
    assert status_of(rec) == RS.IN_PROGRESS
    services.impact_verify(check=check, by=chair)
    assert status_of(rec) == RS.IMPLEMENTED


def test_reopening_an_action_keeps_it_in_progress(rec, make_action, business_unit, lead, chair):
    """A closed action cannot be reopened (rules.TRANSITIONS); a completed or evidenced one
    can, and the recommendation is in progress, not implemented, until it is closed again."""
    accept(rec, business_unit)
    first = make_action(recommendation=rec, title="First")
    second = make_action(recommendation=rec, title="Second")
    verified(first, lead, chair)
    completed(second, lead)
    with_link_evidence(second, lead)
    services.action_transition(action=second, to=S.EVIDENCED, by=lead)
    services.action_transition(
        action=second, to=S.IN_PROGRESS, by=lead, reason="Re-audit found gaps"
    )
    assert status_of(rec) == RS.IN_PROGRESS
    verified(second, lead, chair)
    assert status_of(rec) == RS.IMPLEMENTED


def test_new_work_on_an_implemented_one_moves_it_back_to_in_progress(
    rec, make_action, business_unit, lead, chair
):
    accept(rec, business_unit)
    verified(make_action(recommendation=rec, title="First"), lead, chair)
    assert status_of(rec) == RS.IMPLEMENTED
    make_action(recommendation=rec, title="Follow-up", status=S.PROPOSED)
    assert status_of(rec) == RS.IN_PROGRESS


def test_not_accepted_stays_not_accepted_whatever_its_actions(
    rec, make_action, business_unit, lead, chair
):
    accept(rec, business_unit, Response.NOT_ACCEPTED, "Already in place")
    verified(make_action(recommendation=rec), lead, chair)
    assert status_of(rec) == RS.NOT_ACCEPTED


def test_actions_not_accepted_or_superseded_are_not_its_work(
    rec, make_action, business_unit, lead, chair
):
    accept(rec, business_unit)
    refused = make_action(recommendation=rec, status=S.PROPOSED, title="Refused")
    services.action_transition(action=refused, to=S.NOT_ACCEPTED, by=business_unit, reason="No")
    assert status_of(rec) == RS.ACCEPTED  # nothing left to do, nothing done: still accepted
    replacement = make_action(recommendation=rec, title="Replacement")
    old = make_action(recommendation=rec, title="Old")
    services.action_transition(
        action=old, to=S.SUPERSEDED, by=lead, superseded_by=replacement, reason="Merged"
    )
    verified(replacement, lead, chair)
    assert status_of(rec) == RS.IMPLEMENTED


def test_partly_accepted_follows_the_work_too(rec, make_action, business_unit, lead, chair):
    accept(rec, business_unit, Response.PARTLY, "Health only")
    action = make_action(recommendation=rec)
    assert status_of(rec) == RS.IN_PROGRESS
    verified(action, lead, chair)
    assert status_of(rec) == RS.IMPLEMENTED


def test_a_response_after_the_work_shows_the_work(rec, make_action, business_unit, lead, chair):
    verified(make_action(recommendation=rec), lead, chair)
    assert status_of(rec) == RS.PENDING
    accept(rec, business_unit)
    assert status_of(rec) == RS.IMPLEMENTED


def test_an_instance_in_hand_is_not_left_behind(rec, make_action, business_unit, lead, chair):
    """A row loaded with its status, then changed, is asked afresh after save or refresh."""
    loaded = Recommendation.objects.with_status().get(pk=rec.pk)
    assert loaded.status == RS.PENDING
    accept(loaded, business_unit)
    assert loaded.status == RS.ACCEPTED
    make_action(recommendation=rec)
    loaded.refresh_from_db()
    assert loaded.status == RS.IN_PROGRESS


# --- the same on the page, the export and the API ---------------------------------------


def api(person):
    c = APIClient()
    c.force_login(person)
    return c


def exported_statuses(client, query: str = "") -> dict[str, str]:
    response = client.get(f"/recommendations/?export=csv{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    return {row["Ref"]: row["Status"] for row in rows}


def page_status(client, rec: Recommendation) -> str:
    """The value of the page's "Status" row."""
    page = client.get(f"/recommendations/{rec.pk}/").content.decode()
    found = re.search(
        r'<dt class="govuk-summary-list__key">Status</dt>\s*'
        r'<dd class="govuk-summary-list__value">([^<]*)</dd>',
        page,
    )
    assert found is not None, page
    return found.group(1)


def test_page_export_and_api_agree_once_the_last_impact_is_verified(
    rec, make_action, business_unit, lead, chair, client_for
):
    accept(rec, business_unit)
    first = make_action(recommendation=rec, title="First")
    last = make_action(recommendation=rec, title="Last")
    verified(first, lead, chair)
    check = checked(last, lead)
    page, client = client_for(chair), api(chair)

    assert page_status(page, rec) == "In progress"
    assert exported_statuses(page) == {"R7": "In progress"}
    assert client.get(f"/api/v1/recommendations/{rec.pk}/").json()["status"] == RS.IN_PROGRESS

    # The Chair verifies the last action's impact on its page.
    url = f"/actions/{last.pk}/impact/{check.pk}/verify/"
    assert page.post(url, {"confirm": "on"}).status_code == 302

    assert page_status(page, rec) == "Implemented"
    assert exported_statuses(page) == {"R7": "Implemented"}
    detail = client.get(f"/api/v1/recommendations/{rec.pk}/").json()
    assert detail["status"] == RS.IMPLEMENTED and detail["response"] == Response.ACCEPTED
    listed = client.get("/api/v1/recommendations/").json()["results"]
    assert [(r["id"], r["status"]) for r in listed] == [(rec.pk, RS.IMPLEMENTED)]


def test_verified_through_the_api_shows_on_the_page(
    rec, make_action, business_unit, lead, chair, client_for
):
    accept(rec, business_unit)
    action = make_action(recommendation=rec)
    check = checked(action, lead)
    r = api(chair).post(f"/api/v1/actions/{action.pk}/verify/", {"check": check.pk}, format="json")
    assert r.status_code == 200, r.content
    assert page_status(client_for(lead), rec) == "Implemented"
    assert api(lead).get(f"/api/v1/recommendations/{rec.pk}/").json()["status"] == "implemented"


def test_responding_through_the_api_answers_the_new_status(rec, business_unit):
    r = api(business_unit).post(
        f"/api/v1/recommendations/{rec.pk}/respond/", {"response": "accepted"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == RS.ACCEPTED


def test_filter_by_status_on_the_list_and_the_api(
    partnership, agency, rec, make_action, business_unit, lead, chair, client_for
):
    other = services.recommendation_create(
        source=None, partnership=partnership, text="Second one", reference="R8"
    )
    accept(rec, business_unit)
    verified(make_action(recommendation=rec), lead, chair)
    accept(other, business_unit)
    make_action(recommendation=other, status=S.PROPOSED)
    page = client_for(business_unit)
    assert exported_statuses(page) == {"R7": "Implemented", "R8": "Accepted"}
    assert exported_statuses(page, "&status=implemented") == {"R7": "Implemented"}
    assert exported_statuses(page, "&status=accepted") == {"R8": "Accepted"}
    assert exported_statuses(page, "&status=in_progress") == {}
    listed = page.get("/recommendations/?status=implemented&sort=status").content.decode()
    assert "Agencies use a shared chronology template." in listed and "Second one" not in listed

    def api_ids(query: str) -> set[int]:
        r = api(business_unit).get(f"/api/v1/recommendations/?{query}")
        assert r.status_code == 200, r.content
        return {row["id"] for row in r.json()["results"]}

    assert api_ids("status=implemented") == {rec.pk}
    assert api_ids("status=accepted") == {other.pk}
    assert api_ids("status=accepted&response=accepted") == {other.pk}
    assert api(business_unit).get("/api/v1/recommendations/?status=done").status_code == 400


def test_finding_page_shows_its_recommendations_status(
    partnership, agency, make_action, business_unit, lead, chair, client_for
):
    finding = services.finding_create(
        source=None, partnership=partnership, title="Chronologies missing", text="t"
    )
    rec = services.finding_recommend(finding=finding, by=business_unit, text="Keep one")
    accept(rec, business_unit)
    verified(make_action(recommendation=rec), lead, chair)
    page = client_for(business_unit).get(f"/findings/{finding.pk}/").content.decode()
    assert '<strong class="govuk-tag">Implemented</strong>' in page


def test_list_queries_do_not_grow_with_recommendations(
    partnership, agency, make_action, business_unit, client_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n: int) -> None:
        for i in range(n):
            r = services.recommendation_create(
                source=None, partnership=partnership, text=f"Rec {i}", reference=f"Q{i}"
            )
            accept(r, business_unit)
            make_action(recommendation=r)

    def queries(client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    page, client = client_for(business_unit), api(business_unit)
    make(2)
    pk = Recommendation.objects.values_list("pk", flat=True).first()
    urls = ["/recommendations/", "/recommendations/?export=csv", f"/recommendations/{pk}/"]
    for url in urls:
        queries(page, url)  # warm caches (content types, sessions)
    queries(client, "/api/v1/recommendations/")
    few = [queries(page, url) for url in urls] + [queries(client, "/api/v1/recommendations/")]
    make(6)
    many = [queries(page, url) for url in urls] + [queries(client, "/api/v1/recommendations/")]
    assert many == few


# --- the demo ---------------------------------------------------------------------------


def test_the_demo_ends_with_statuses_that_follow_its_work():
    """The demo goes through the services, and the status is derived: R1 and R2 have work
    under way, R3 was not accepted, R4 awaits its response, R5's one action is closed with
    its impact verified."""
    from lift.core import demo
    from lift.learning import demo as learning_demo

    ctx = demo.build_core()
    learning_demo.build(ctx)
    recs = ctx.extra["learning"]["recommendations"]
    assert {ref: rec.status for ref, rec in recs.items()} == {
        "R1": RS.IN_PROGRESS,
        "R2": RS.IN_PROGRESS,
        "R3": RS.NOT_ACCEPTED,
        "R4": RS.PENDING,
        "R5": RS.IMPLEMENTED,
    }
    listed = dict(
        Recommendation.objects.filter(pk__in=[r.pk for r in recs.values()])
        .with_status()
        .values_list("reference", "status")
    )
    assert listed == {ref: rec.status for ref, rec in recs.items()}
