"""The learning chain's services: the workflow end to end, with its history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lift.core.models import Attachment, ChangeLog
from lift.learning import services
from lift.learning.choices import ActionStatus, Addressee, Response
from lift.learning.models import ActionUpdate, Evidence

from .conftest import TODAY, completed, with_link_evidence

pytestmark = pytest.mark.django_db
S = ActionStatus


def test_full_workflow_to_closed(make_action, lead, chair):
    action = make_action(status=S.PROPOSED)
    services.action_transition(action=action, to=S.AGREED, by=chair)
    services.action_transition(action=action, to=S.IN_PROGRESS, by=lead)
    completed(action, lead)
    assert action.status == S.COMPLETED and action.completed_on is not None
    with_link_evidence(action, lead)
    services.action_transition(action=action, to=S.EVIDENCED, by=lead)
    check = services.impact_check_record(
        action=action,
        by=chair,
        method="reaudit",
        measured="Use of the screening tool in a re-audit of 20 cases",
        result="Used in 17 of 20 cases (85%), up from 6 of 20",
        outcome="improved",
        compared_from="2024 Q1",
        compared_to="2025 Q1",
    )
    services.impact_verify(check=check, by=chair)
    action.refresh_from_db()
    check.refresh_from_db()
    assert action.status == S.CLOSED and action.closed_on is not None
    assert check.verified_by == chair and check.verified_on is not None
    moves = list(
        ActionUpdate.objects.filter(action=action, is_progress=False)
        .order_by("created_at", "id")
        .values_list("status_to", flat=True)
    )
    assert moves == [S.AGREED, S.IN_PROGRESS, S.COMPLETED, S.EVIDENCED, S.CLOSED]


def test_verify_closes_a_completed_action_with_evidence(action, lead, chair):
    completed(action, lead)
    with_link_evidence(action, lead)
    check = services.impact_check_record(
        action=action, by=chair, method="feedback", measured="m", result="r", outcome="partly"
    )
    services.impact_verify(check=check, by=chair)
    action.refresh_from_db()
    assert action.status == S.CLOSED


def test_verify_refused_to_a_lead_and_to_a_second_time(action, lead, chair):
    completed(action, lead)
    with_link_evidence(action, lead)
    check = services.impact_check_record(
        action=action, by=lead, method="dataset", measured="m", result="r", outcome="improved"
    )
    with pytest.raises(ValidationError, match="Board, the Chair"):
        services.impact_verify(check=check, by=lead)
    services.impact_verify(check=check, by=chair)
    with pytest.raises(ValidationError):
        services.impact_verify(check=check, by=chair)


def test_closing_by_transition_needs_a_verified_check(action, lead, chair):
    completed(action, lead)
    with_link_evidence(action, lead)
    services.action_transition(action=action, to=S.EVIDENCED, by=lead)
    with pytest.raises(ValidationError):
        services.action_transition(action=action, to=S.CLOSED, by=chair)
    with pytest.raises(ValidationError):
        services.action_transition(action=action, to=S.CLOSED, by=lead)


def test_impact_check_only_once_completed(action, lead):
    with pytest.raises(ValidationError, match="completed"):
        services.impact_check_record(
            action=action, by=lead, method="reaudit", measured="m", result="r", outcome="improved"
        )


def test_due_date_change_keeps_original_and_clears_escalation(make_action, lead):
    action = make_action(due_on=TODAY - dt.timedelta(days=40))
    services.action_escalate(action=action, today=TODAY)
    original = action.due_on
    with pytest.raises(ValidationError):
        services.action_update_add(
            action=action, by=lead, text="Moving it", due_on=TODAY + dt.timedelta(days=20)
        )
    with time_machine.travel(dt.datetime(2025, 3, 10, 12, 0), tick=False):
        services.action_due_change(
            action=action, by=lead, due_on=TODAY + dt.timedelta(days=20), reason="Trainer off sick"
        )
    action.refresh_from_db()
    assert action.due_on == TODAY + dt.timedelta(days=20)
    assert action.original_due_on == original
    assert action.escalated_on is None
    update = action.updates.get(due_to__isnull=False)
    assert update.due_from == original and "Trainer off sick" in update.text
    entry = ChangeLog.objects.filter(content_type__model="action", object_id=str(action.pk))
    assert any("Trainer off sick" in e.reason for e in entry)


def test_update_with_status_moves_the_action(action, lead):
    services.action_update_add(
        action=action, by=lead, text="All teams trained.", status=S.COMPLETED
    )
    action.refresh_from_db()
    assert action.status == S.COMPLETED
    update = action.updates.get(is_progress=True)
    assert update.status_from == S.IN_PROGRESS and update.status_to == S.COMPLETED


def test_no_updates_after_closing_or_not_accepted(make_action, lead):
    action = make_action(status=S.PROPOSED)
    services.action_transition(action=action, to=S.NOT_ACCEPTED, by=lead, reason="Duplicate")
    with pytest.raises(ValidationError):
        services.action_update_add(action=action, by=lead, text="More")
    with pytest.raises(ValidationError):
        with_link_evidence(action, lead)


def test_superseded_and_reopened(make_action, lead):
    old, new = make_action(), make_action(title="Replacement")
    services.action_transition(action=old, to=S.SUPERSEDED, by=lead, superseded_by=new)
    old.refresh_from_db()
    assert old.superseded_by == new
    completed(new, lead)
    with pytest.raises(ValidationError):
        services.action_transition(action=new, to=S.IN_PROGRESS, by=lead)
    services.action_transition(action=new, to=S.IN_PROGRESS, by=lead, reason="Not finished")
    new.refresh_from_db()
    assert new.status == S.IN_PROGRESS and new.completed_on is None


def test_evidence_file_is_stored_through_attachments(action, lead):
    upload = SimpleUploadedFile("register.txt", b"Names of 40 attendees (fictional)\n")
    evidence = services.evidence_add(
        action=action, by=lead, kind="file", description="Register", uploaded_file=upload
    )
    assert evidence.attachment is not None
    attachment = Attachment.objects.get(pk=evidence.attachment_id)
    assert attachment.subject == action and attachment.original_name == "register.txt"


def test_evidence_file_refused_when_not_what_it_says(action, lead):
    upload = SimpleUploadedFile("report.pdf", b"not a pdf at all")
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            action=action, by=lead, kind="file", description="Report", uploaded_file=upload
        )
    assert "uploaded_file" in exc.value.message_dict
    assert not Evidence.objects.exists()


def test_escalate_once(action):
    assert services.action_escalate(action=action, today=TODAY) is True
    assert services.action_escalate(action=action, today=TODAY) is False


def test_recommendation_respond(partnership, agency, business_unit):
    rec = services.recommendation_create(
        source=None,
        partnership=partnership,
        text="Agencies use a shared chronology template.",
        addressee=Addressee.AGENCIES,
        agencies=[agency],
    )
    with pytest.raises(ValidationError):
        services.recommendation_respond(
            recommendation=rec, by=business_unit, response=Response.PARTLY, reason=""
        )
    services.recommendation_respond(
        recommendation=rec, by=business_unit, response=Response.PARTLY, reason="Health only"
    )
    rec.refresh_from_db()
    assert rec.response == Response.PARTLY and rec.responded_on is not None


def test_library_lesson_to_recommendation(lesson, subgroup_member, business_unit, library_item):
    with pytest.raises(ValidationError):
        services.finding_recommend(finding=lesson, by=business_unit, text="Use chronologies")
    services.finding_judge(finding=lesson, by=subgroup_member, applies=True)
    rec = services.finding_recommend(finding=lesson, by=business_unit, text="Use chronologies")
    assert rec.source == library_item
    assert list(rec.findings.all()) == [lesson]
    assert [t.code for t in rec.themes.all()] == ["neglect"]


def test_theme_create_refuses_a_shared_code(partnership, business_unit):
    with pytest.raises(ValidationError):
        services.theme_create(partnership=partnership, by=business_unit, name="Neglect")
    theme = services.theme_create(
        partnership=partnership, by=business_unit, name="Private fostering"
    )
    assert theme.code == "private-fostering" and theme.partnership == partnership


def test_dissemination_refuses_other_partnerships(partnership, other_partnership, lesson, chair):
    with pytest.raises(ValidationError):
        services.dissemination_create(
            partnership=other_partnership,
            by=chair,
            kind="briefing",
            title="Seven-minute briefing",
            held_on=TODAY,
            audience="Practitioners",
            findings=[lesson],
        )
