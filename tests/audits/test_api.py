"""The audits API: the same scoping as the pages, and the workflow steps as actions."""

from __future__ import annotations

import datetime as dt

from django.test import Client

from lift.audits import services
from lift.audits.choices import Declaration, ReturnStatus

from .conftest import World, answer_everything, cleared_assignment


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(person)
    return c


def test_lists_are_scoped(world: World, outsider) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/audits/").status_code in (401, 403)
    assert _client(world.board).get("/api/v1/audits/").json()["count"] == 1
    assert _client(outsider).get("/api/v1/audits/").json()["count"] == 0
    assert _client(outsider).get(f"/api/v1/audits/{world.audit.pk}/").status_code == 404
    templates = _client(world.board).get("/api/v1/audit-templates/").json()
    assert {t["urn"] for t in templates["results"]} >= {"urn:lift:audits:template:ma-thematic"}


def test_programme_create_needs_the_role(world: World) -> None:
    data = {"year": "2016/17", "title": "Next year"}
    assert _client(world.board).post("/api/v1/audit-programmes/", data).status_code == 403
    response = _client(world.bu).post("/api/v1/audit-programmes/", data)
    assert response.status_code == 201, response.content


def test_declare_and_submit_through_the_api(world: World) -> None:
    x = services.assignment_create(
        case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
    )
    auditor = _client(world.auditor_police)
    assert auditor.get(f"/api/v1/audit-returns/{x.audit_return_id}/").status_code == 404
    assert (
        _client(world.bu).post(f"/api/v1/audit-assignments/{x.pk}/declare/", {}).status_code == 403
    )
    response = auditor.post(
        f"/api/v1/audit-assignments/{x.pk}/declare/", {"involved": False}, "application/json"
    )
    assert response.status_code == 200 and response.json()["declaration"] == Declaration.CLEARED
    response = auditor.post(f"/api/v1/audit-returns/{x.audit_return_id}/submit/")
    assert response.status_code == 400
    assert any("grade this line" in e for e in response.json()["errors"]["non_field_errors"])
    answer_everything(x.audit_return, world.auditor_police)
    response = auditor.post(f"/api/v1/audit-returns/{x.audit_return_id}/submit/")
    assert response.status_code == 200 and response.json()["status"] == ReturnStatus.SUBMITTED
    assert response.json()["grades"]["outcomes"] == "good"
    # The auditor cannot quality-assure; the agency's lead can.
    qa = f"/api/v1/audit-returns/{x.audit_return_id}/quality_assure/"
    assert auditor.post(qa, {}).status_code == 403
    response = _client(world.lead_police).post(qa, {"note": "Checked."})
    assert response.status_code == 200 and response.json()["status"] == "quality_assured"


def test_auditor_sees_only_their_returns(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    cleared_assignment(world, world.case2, world.health, world.auditor_health)
    body = _client(world.auditor_police).get("/api/v1/audit-returns/").json()
    assert [r["id"] for r in body["results"]] == [x.audit_return_id]


def test_complete_action_applies_the_rules(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    answer_everything(x.audit_return, world.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=world.auditor_police)
    services.workshop_record(
        audit=world.audit, by=world.bu, held_on=dt.date(2015, 11, 2), attendees="A"
    )
    target = f"/api/v1/audits/{world.audit.pk}/complete/"
    assert _client(world.board).post(target).status_code == 403  # sees it, may not (ADR 0007)
    response = _client(world.subgroup_chair).post(target)
    assert response.status_code == 400
    services.views_record(
        audit=world.audit,
        by=world.bu,
        group_description="Forum",
        held_on=dt.date(2015, 11, 1),
        how_gathered="survey",
        what_they_said="Tell us.",
    )
    response = _client(world.subgroup_chair).post(target)
    assert response.status_code == 200 and response.json()["status"] == "completed"
