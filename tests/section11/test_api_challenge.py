"""The Section 11 API for peer challenge and follow-up: panels and their members, the
return's challenge steps, challenge questions and the agency's responses, the six-month
follow-ups and the Chair's letters. For each: in scope, out of scope 404, wrong role 403,
stale If-Match 412 (nothing changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lift.section11 import services
from lift.section11.choices import ReturnStatus
from lift.section11.models import (
    Answer,
    ChallengeQuestion,
    Escalation,
    Framework,
    Panel,
    PanelMember,
    Section11Return,
)

from .conftest import framework_yaml, rate_all

pytestmark = pytest.mark.django_db

API = "/api/v1/section11"


def _api(person: Any) -> APIClient:
    c = APIClient()
    c.force_login(person)
    return c


@pytest.fixture
def world(
    make_framework: Any,
    make_cycle: Any,
    agency: Any,
    other_agency: Any,
    lead: Any,
    make_person: Any,
    lay: Any,
) -> dict[str, Any]:
    cycle = make_cycle(make_framework(), [agency, other_agency])
    ret = cycle.returns.get(agency=agency)
    rate_all(ret, lead)
    services.return_submit(agency_return=ret, by=lead)
    other_lead = make_person("safeguarding_lead", agency=other_agency, full_name="Olu Other")
    return {"cycle": cycle, "ret": ret, "other_lead": other_lead, "lay": lay}


def test_panels_create_members_and_update_with_if_match(
    world: Any, business_unit: Any, chair: Any, lead: Any, outsider: Any
) -> None:
    bu = _api(business_unit)
    created = bu.post(
        f"{API}/panels/", {"cycle": world["cycle"].pk, "name": "Panel A"}, format="json"
    )
    assert created.status_code == 201, created.json()
    panel_id = created.json()["id"]
    assert created.json()["members"] == []
    # Wrong role: the Chair reads panels but may not create or change them.
    assert (
        _api(chair)
        .post(f"{API}/panels/", {"cycle": world["cycle"].pk, "name": "B"}, format="json")
        .status_code
        == 403
    )
    assert _api(chair).get(f"{API}/panels/{panel_id}/").status_code == 200
    assert (
        _api(chair).patch(f"{API}/panels/{panel_id}/", {"name": "X"}, format="json").status_code
        == 403
    )
    # Out of scope: another partnership, and an agency lead not on the panel.
    assert _api(outsider).get(f"{API}/panels/{panel_id}/").status_code == 404
    assert _api(lead).get(f"{API}/panels/{panel_id}/").status_code == 404
    assert _api(lead).get(f"{API}/panels/").json()["results"] == []
    # Members: the other agency's lead (chair of the panel) and a lay member.
    url = f"{API}/panels/{panel_id}/add_member/"
    added = bu.post(url, {"person": world["other_lead"].pk, "is_chair": True}, format="json")
    assert added.status_code == 201 and added.json()["members"][0]["is_chair"] is True
    bu.post(url, {"person": world["lay"].pk, "is_lay": True}, format="json")
    assert _api(world["other_lead"]).get(f"{API}/panels/{panel_id}/").status_code == 200
    assert _api(chair).post(url, {"person": lead.pk}, format="json").status_code == 403
    nobody = bu.post(url, {"person": outsider.pk}, format="json")
    assert nobody.status_code == 400 and "person of this partnership" in str(nobody.json())
    # PATCH with If-Match: the current ETag works, an old one is 412 and changes nothing.
    read = bu.get(f"{API}/panels/{panel_id}/")
    etag = read["ETag"]
    ok = bu.patch(
        f"{API}/panels/{panel_id}/",
        {"name": "Panel A (health)", "cycle": 999},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert ok.status_code == 200 and ok.json()["cycle"] == world["cycle"].pk
    stale = bu.patch(
        f"{API}/panels/{panel_id}/", {"name": "Lost"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert Panel.objects.get(pk=panel_id).name == "Panel A (health)"
    assert bu.delete(f"{API}/panels/{panel_id}/").status_code == 405
    # Remove a member: gone from the panel, and their panel role ends (role end dates are
    # inclusive, so from tomorrow).
    member = PanelMember.objects.get(panel_id=panel_id, person=world["other_lead"])
    gone = bu.post(f"{API}/panels/{panel_id}/remove_member/", {"member": member.pk}, format="json")
    assert gone.status_code == 200 and len(gone.json()["members"]) == 1
    assert not PanelMember.objects.filter(pk=member.pk).exists()
    assert world["other_lead"].role_assignments.get(role="case_team").ends_on is not None


def test_panel_member_cannot_sit_on_their_own_agencys_challenge(
    world: Any, business_unit: Any, lead: Any
) -> None:
    panel = services.panel_create(cycle=world["cycle"], name="Panel A")
    services.return_assign_panel(agency_return=world["ret"], panel=panel)
    refused = _api(business_unit).post(
        f"{API}/panels/{panel.pk}/add_member/", {"person": lead.pk}, format="json"
    )
    assert refused.status_code == 400
    assert not PanelMember.objects.filter(panel=panel).exists()


@pytest.fixture
def panel(world: Any) -> Panel:
    panel = services.panel_create(cycle=world["cycle"], name="Panel A")
    services.panel_member_add(panel=panel, person=world["other_lead"], is_chair=True)
    services.panel_member_add(panel=panel, person=world["lay"], is_lay=True)
    return panel


def test_challenge_through_the_api_questions_responses_and_conclusion(
    world: Any, panel: Panel, business_unit: Any, lead: Any, chair: Any, outsider: Any
) -> None:
    ret = world["ret"]
    member, bu, agency = _api(world["other_lead"]), _api(business_unit), _api(lead)
    base = f"{API}/returns/{ret.pk}"
    # Assigning is the business unit's (the lead sees the return: 403; outsider 404).
    assert (
        agency.post(f"{base}/assign_panel/", {"panel": panel.pk}, format="json").status_code == 403
    )
    assert (
        _api(outsider).post(f"{base}/assign_panel/", {"panel": panel.pk}, format="json").status_code
        == 404
    )
    # Before assignment the panel member cannot see the return at all.
    assert member.post(f"{base}/start_challenge/").status_code == 404
    etag = bu.get(f"{base}/")["ETag"]
    assigned = bu.post(
        f"{base}/assign_panel/", {"panel": panel.pk}, format="json", HTTP_IF_MATCH=etag
    )
    assert assigned.status_code == 200 and assigned.json()["panel"] == panel.pk
    # The same (now stale) version again: 412.
    again = bu.post(f"{base}/start_challenge/", HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    assert Section11Return.objects.get(pk=ret.pk).status == ReturnStatus.SUBMITTED
    # The agency cannot start its own challenge (403); the panel can.
    assert agency.post(f"{base}/start_challenge/").status_code == 403
    started = member.post(f"{base}/start_challenge/")
    assert started.status_code == 200 and started.json()["status"] == ReturnStatus.UNDER_CHALLENGE
    standard = ret.cycle.framework.standards.first()
    other_fw = Framework.objects.get(urn="urn:lift:section11:pan-london", partnership=None)
    bad = member.post(
        f"{base}/ask/",
        {"standard": other_fw.standards.first().pk, "question": "?"},
        format="json",
    )
    assert bad.status_code == 400 and "standard" in bad.json()["errors"]
    asked = member.post(
        f"{base}/ask/",
        {"standard": standard.pk, "question": "How do you know staff are trained?"},
        format="json",
    )
    assert asked.status_code == 201 and asked.json()["standard_ref"] == "1"
    qid = asked.json()["id"]
    assert (
        agency.post(f"{base}/ask/", {"standard": standard.pk, "question": "?"}).status_code == 403
    )
    # Questions: the agency and the panel see them; the other partnership does not.
    assert [q["id"] for q in agency.get(f"{API}/questions/").json()["results"]] == [qid]
    assert member.get(f"{API}/questions/?agency_return={ret.pk}").json()["count"] == 1
    assert _api(outsider).get(f"{API}/questions/{qid}/").status_code == 404
    assert _api(outsider).get(f"{API}/questions/").json()["results"] == []
    # Responding is the agency's (the panel member: 403); a stale If-Match is 412.
    url = f"{API}/questions/{qid}/respond/"
    assert member.post(url, {"response": "We say so."}, format="json").status_code == 403
    etag = agency.get(f"{API}/questions/{qid}/")["ETag"]
    first = agency.post(
        url, {"response": "Training records, audited."}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200 and first.json()["response"] == "Training records, audited."
    stale = agency.post(url, {"response": "Overwritten"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert ChallengeQuestion.objects.get(pk=qid).response == "Training records, audited."
    assert agency.post(url, {"response": " "}, format="json").status_code == 400
    # Conclusion needs every moderated rating, then moderates the return.
    early = member.post(f"{base}/conclude/", {"conclusion": "Sound."}, format="json")
    assert early.status_code == 400 and "moderated rating" in str(early.json())
    for answer in Answer.objects.filter(agency_return=ret):
        services.answer_moderate(answer=answer, rating="partially", by=world["other_lead"])
    assert agency.post(f"{base}/conclude/", {"conclusion": "x"}, format="json").status_code == 403
    done = member.post(f"{base}/conclude/", {"conclusion": "Sound plans."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == ReturnStatus.MODERATED
    assert agency.post(url, {"response": "Late"}, format="json").status_code == 400


def test_reopen_needs_a_reason_and_the_business_unit(
    world: Any, business_unit: Any, lead: Any
) -> None:
    url = f"{API}/returns/{world['ret'].pk}/reopen/"
    assert _api(lead).post(url, {"reason": "Mine"}, format="json").status_code == 403
    assert _api(business_unit).post(url, {}, format="json").status_code == 400
    done = _api(business_unit).post(url, {"reason": "Evidence missing"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == ReturnStatus.DRAFT


@pytest.fixture
def follow_up(world: Any, lead: Any, business_unit: Any) -> Any:
    today = timezone.localdate()
    ret = world["ret"]
    services.return_action_add(
        agency_return=ret,
        by=lead,
        title="Audit supervision",
        due_on=today - dt.timedelta(days=30),
        success_measure="Supervision audit shows monthly sessions",
    )
    report = services.overview_create(
        cycle=world["cycle"], summary="Both returned.", key_areas="Supervision", by=business_unit
    )
    services.overview_present(
        report=report, board_date=today - dt.timedelta(days=200), by=business_unit
    )
    return services.follow_up_generate(report=report, by=business_unit)


def test_letters_recorded_responded_and_downloaded(
    world: Any, follow_up: Any, chair: Any, business_unit: Any, lead: Any, outsider: Any
) -> None:
    ret = world["ret"]
    chair_api = _api(chair)
    assert [f["id"] for f in chair_api.get(f"{API}/follow-ups/").json()["results"]] == [
        follow_up.pk
    ]
    assert _api(outsider).get(f"{API}/follow-ups/{follow_up.pk}/").status_code == 404
    body = {
        "follow_up": follow_up.pk,
        "agency": ret.agency_id,
        "addressee": "Director of Children's Services",
        "letter_text": "Please tell the Board when the actions will be done.",
    }
    # Wrong role: the agency's lead cannot write the Chair's letter.
    assert _api(lead).post(f"{API}/letters/", body, format="json").status_code == 403
    no_overdue = chair_api.post(
        f"{API}/letters/", {**body, "agency": world["other_lead"].agency_id}, format="json"
    )
    assert no_overdue.status_code == 400 and "no overdue" in str(no_overdue.json())
    sent = chair_api.post(f"{API}/letters/", body, format="json")
    assert sent.status_code == 201, sent.json()
    letter = sent.json()
    assert letter["overdue_count"] == 1 and letter["sent_by"] == chair.pk
    assert chair_api.post(f"{API}/letters/", body, format="json").status_code == 400  # once
    lid = letter["id"]
    # The agency's lead reads its own letter; the other agency's lead and partnership: 404.
    assert _api(lead).get(f"{API}/letters/{lid}/").status_code == 200
    assert _api(world["other_lead"]).get(f"{API}/letters/{lid}/").status_code == 404
    assert _api(outsider).get(f"{API}/letters/{lid}/").status_code == 404
    pdf = _api(lead).get(f"{API}/letters/{lid}/letter/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = chair_api.get(f"{API}/letters/{lid}/letter/docx/")
    assert docx.status_code == 200 and "wordprocessingml" in docx["Content-Type"]
    assert _api(outsider).get(f"{API}/letters/{lid}/letter/pdf/").status_code == 404
    # The response: the Chair's (lead 403), not before the letter, and If-Match.
    url = f"{API}/letters/{lid}/respond/"
    today = timezone.localdate().isoformat()
    reply = {"response": "Done by March.", "response_on": today}
    assert _api(lead).post(url, reply, format="json").status_code == 403
    early = chair_api.post(url, {**reply, "response_on": "2000-01-01"}, format="json")
    assert early.status_code == 400 and "response_on" in early.json()["errors"]
    etag = chair_api.get(f"{API}/letters/{lid}/")["ETag"]
    ok = chair_api.post(url, reply, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["response"] == "Done by March."
    stale = chair_api.post(url, {**reply, "response": "Other"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Escalation.objects.get(pk=lid).response == "Done by March."


def test_framework_delete_through_the_api_refused_while_in_use(
    world: Any, business_unit: Any, partnership: Any, lead: Any, make_framework: Any
) -> None:
    bu = _api(business_unit)
    in_use = world["cycle"].framework
    refused = bu.delete(f"{API}/frameworks/{in_use.pk}/")
    assert refused.status_code == 400 and "cannot be deleted" in str(refused.json())
    assert Framework.objects.filter(pk=in_use.pk).exists()
    shared = Framework.objects.get(urn="urn:lift:section11:pan-london", partnership=None)
    assert bu.delete(f"{API}/frameworks/{shared.pk}/").status_code == 403
    spare = make_framework(code="spare")
    assert _api(lead).delete(f"{API}/frameworks/{spare.pk}/").status_code == 403
    stale = bu.delete(f"{API}/frameworks/{spare.pk}/", HTTP_IF_MATCH='"2000-01-01T00:00:00+00:00"')
    assert stale.status_code == 412 and Framework.objects.filter(pk=spare.pk).exists()
    assert bu.delete(f"{API}/frameworks/{spare.pk}/").status_code == 204
    assert not Framework.objects.filter(pk=spare.pk).exists()
    assert framework_yaml  # the fixture module's generator is shared with the upload tests
