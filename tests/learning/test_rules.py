"""One test per rule in lift.learning.rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError

from lift.learning import rules, services
from lift.learning.choices import ActionStatus, Addressee, Response
from lift.learning.rules import TRANSITIONS

from .conftest import TODAY, completed, with_link_evidence

pytestmark = pytest.mark.django_db
S = ActionStatus


def test_every_status_has_its_moves_as_data():
    assert set(TRANSITIONS) == set(S.values)
    # The main line of the workflow.
    line = [S.PROPOSED, S.AGREED, S.IN_PROGRESS, S.COMPLETED, S.EVIDENCED, S.CLOSED]
    for a, b in itertools.pairwise(line):
        assert b in TRANSITIONS[a]
    for finished in (S.CLOSED, S.NOT_ACCEPTED, S.SUPERSEDED):
        assert TRANSITIONS[finished] == frozenset()


def test_action_transition_allowed(make_action):
    action = make_action(status=S.PROPOSED)
    with pytest.raises(ValidationError) as exc:
        rules.ActionTransitionAllowed.check(action, S.COMPLETED)
    assert "to" in exc.value.message_dict
    assert "agreed" in exc.value.message_dict["to"][0]
    rules.ActionTransitionAllowed.check(action, S.AGREED)


def test_action_closed_needs_evidence_and_impact(action, lead, chair):
    completed(action, lead)
    with pytest.raises(ValidationError, match="without evidence"):
        rules.ActionClosedNeedsEvidenceAndImpact.check(action)
    with_link_evidence(action, lead)
    check = services.impact_check_record(
        action=action, by=lead, method="reaudit", measured="m", result="r", outcome="improved"
    )
    with pytest.raises(ValidationError):  # a check that is not verified is not enough
        rules.ActionClosedNeedsEvidenceAndImpact.check(action)
    check.verified_on = TODAY
    check.save()
    rules.ActionClosedNeedsEvidenceAndImpact.check(action)


def test_action_evidenced_needs_evidence(action, lead):
    completed(action, lead)
    with pytest.raises(ValidationError, match="evidence"):
        rules.ActionEvidencedNeedsEvidence.check(action)
    with_link_evidence(action, lead)
    rules.ActionEvidencedNeedsEvidence.check(action)


def test_impact_verified_by_oversight(action, lead, chair, business_unit, board_member):
    with pytest.raises(ValidationError, match="Board, the Chair or the business unit"):
        rules.ImpactVerifiedByOversight.check(action, lead)
    for person in (chair, business_unit, board_member):
        rules.ImpactVerifiedByOversight.check(action, person)


def test_due_date_change_needs_reason():
    day = dt.date(2025, 5, 1)
    with pytest.raises(ValidationError) as exc:
        rules.DueDateChangeNeedsReason.check(day, day + dt.timedelta(days=7), "  ")
    assert "reason" in exc.value.message_dict
    rules.DueDateChangeNeedsReason.check(day, day + dt.timedelta(days=7), "Staff sickness")
    rules.DueDateChangeNeedsReason.check(day, day, "")  # not a change
    rules.DueDateChangeNeedsReason.check(day, None, "")


def test_action_completed_needs_progress(make_action, lead):
    action = make_action(status=S.AGREED)
    with pytest.raises(ValidationError, match="progress update"):
        rules.ActionCompletedNeedsProgress.check(action)
    # A status change alone is not a progress update.
    services.action_transition(action=action, to=S.IN_PROGRESS, by=lead)
    with pytest.raises(ValidationError, match="progress update"):
        rules.ActionCompletedNeedsProgress.check(action)
    services.action_update_add(action=action, by=lead, text="Half the teams trained.")
    rules.ActionCompletedNeedsProgress.check(action)


def test_evidence_needs_content():
    for kind, field in (("file", "uploaded_file"), ("link", "url"), ("note", "note")):
        with pytest.raises(ValidationError) as exc:
            rules.EvidenceNeedsContent.check(kind=kind, url="", note="", has_file=False)
        assert field in exc.value.message_dict
    rules.EvidenceNeedsContent.check(
        kind="link", url="https://example.org", note="", has_file=False
    )
    rules.EvidenceNeedsContent.check(
        kind="note", url="", note="Seen in supervision", has_file=False
    )
    rules.EvidenceNeedsContent.check(kind="file", url="", note="", has_file=True)


def test_superseded_needs_replacement(make_action):
    old, new = make_action(), make_action(title="A wider action")
    with pytest.raises(ValidationError) as exc:
        rules.SupersededNeedsReplacement.check(old, None)
    assert "superseded_by" in exc.value.message_dict
    with pytest.raises(ValidationError, match="itself"):
        rules.SupersededNeedsReplacement.check(old, old)
    rules.SupersededNeedsReplacement.check(old, new)


def test_action_not_accepted_needs_reason():
    with pytest.raises(ValidationError, match="not accepted"):
        rules.ActionNotAcceptedNeedsReason.check(" ")
    rules.ActionNotAcceptedNeedsReason.check("Covered by the police's own plan")


def test_action_reopen_needs_reason():
    with pytest.raises(ValidationError, match="reopened"):
        rules.ActionReopenNeedsReason.check("")
    rules.ActionReopenNeedsReason.check("The re-audit found no change")


def test_recommendation_response_needs_reason():
    for response in (Response.NOT_ACCEPTED, Response.PARTLY):
        with pytest.raises(ValidationError) as exc:
            rules.RecommendationResponseNeedsReason.check(response, "")
        assert "reason" in exc.value.message_dict
    rules.RecommendationResponseNeedsReason.check(Response.ACCEPTED, "")


def test_recommendation_agencies_named(partnership, agency, other_partnership):
    with pytest.raises(ValidationError, match="at least one agency"):
        rules.RecommendationAgenciesNamed.check(Addressee.AGENCIES, [], partnership.pk)
    rules.RecommendationAgenciesNamed.check(Addressee.AGENCIES, [agency], partnership.pk)
    rules.RecommendationAgenciesNamed.check(Addressee.BOARD, [], partnership.pk)
    with pytest.raises(ValidationError, match="this partnership"):
        rules.RecommendationAgenciesNamed.check(Addressee.AGENCIES, [agency], other_partnership.pk)


def test_lesson_applies_locally_first(lesson, business_unit):
    with pytest.raises(ValidationError, match="applies locally"):
        rules.LessonAppliesLocallyFirst.check(lesson)
    services.finding_judge(finding=lesson, by=business_unit, applies=True)
    rules.LessonAppliesLocallyFirst.check(lesson)


def test_every_rule_has_a_message():
    for rule in rules.RULES:
        assert rule.__doc__ and rule.message().endswith("."), rule
