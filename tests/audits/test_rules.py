"""One test per named rule of the audits area."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lift.audits import rules, services
from lift.audits.choices import Declaration, ReturnStatus
from lift.audits.models import Audit
from tests.factories import person_with_role

from .conftest import CHILD_NAME, World, answer_everything, cleared_assignment


def test_template_kind_matches(world: World, csc_template) -> None:
    rules.TemplateKindMatches.check(world.template, "multi_agency")
    with pytest.raises(ValidationError):
        rules.TemplateKindMatches.check(csc_template, "multi_agency")


def test_reaudit_of_earlier_audit_on_same_theme(world: World) -> None:
    later = Audit(
        partnership=world.partnership,
        programme=world.programme,
        title="Later",
        planned_start=dt.date(2016, 9, 1),
    )
    later.save()
    neglect = list(world.audit.themes.values_list("pk", flat=True))
    rules.ReauditOfEarlierAuditOnSameTheme.check(later, world.audit, neglect)
    with pytest.raises(ValidationError):  # no shared theme
        rules.ReauditOfEarlierAuditOnSameTheme.check(later, world.audit, [])
    later.planned_start = dt.date(2015, 1, 1)
    with pytest.raises(ValidationError):  # not earlier
        rules.ReauditOfEarlierAuditOnSameTheme.check(later, world.audit, neglect)


def test_agency_participates(world: World, other_agency) -> None:
    rules.AgencyParticipates.check(world.audit, world.police.pk)
    with pytest.raises(ValidationError):
        rules.AgencyParticipates.check(world.audit, other_agency.pk)


def test_auditor_audits_own_agency(world: World) -> None:
    rules.AuditorAuditsOwnAgency.check(world.auditor_police, world.police)
    with pytest.raises(ValidationError):
        rules.AuditorAuditsOwnAgency.check(world.auditor_police, world.health)


def test_declaration_before_case(world: World) -> None:
    x = services.assignment_create(
        case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
    )
    with pytest.raises(ValidationError):
        rules.DeclarationBeforeCase.check(x)
    x.declaration = Declaration.CLEARED
    rules.DeclarationBeforeCase.check(x)


def test_declared_involvement_blocks(world: World) -> None:
    x = services.assignment_create(
        case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
    )
    x = services.assignment_declare(
        assignment=x, by=world.auditor_police, involved=True, details="Investigated in 2014."
    )
    with pytest.raises(ValidationError):
        rules.DeclaredInvolvementBlocks.check(x)
    with pytest.raises(ValidationError):  # and the return cannot be edited by them
        services.return_summary_save(
            audit_return=x.audit_return,
            by=world.auditor_police,
            evidence_notes="",
            strengths="",
            areas_for_improvement="",
        )


def test_declaration_once(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    with pytest.raises(ValidationError):
        rules.DeclarationOnce.check(x)


def test_involvement_needs_details() -> None:
    rules.InvolvementNeedsDetails.check(False, "")
    with pytest.raises(ValidationError):
        rules.InvolvementNeedsDetails.check(True, "  ")


def test_return_editable_only_as_draft(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    rules.ReturnEditableOnlyAsDraft.check(x.audit_return)
    x.audit_return.status = ReturnStatus.SUBMITTED
    with pytest.raises(ValidationError):
        rules.ReturnEditableOnlyAsDraft.check(x.audit_return)


def test_grade_on_scale(world: World, csc_template) -> None:
    section = world.template.sections.first()
    rules.GradeOnScale.check(section, world.template.scale_for(section)[0])
    foreign = csc_template.grades.first()
    with pytest.raises(ValidationError):
        rules.GradeOnScale.check(section, foreign)


def test_required_questions_answered_lists_what_is_missing(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    missing = rules.RequiredQuestionsAnswered.missing(x.audit_return)
    assert "Quality of practice: grade this line of enquiry" in missing
    assert any("assessment of needs and risks" in m for m in missing)
    # Optional questions are not listed.
    assert not any("management oversight" in m for m in missing)
    with pytest.raises(ValidationError) as exc:
        rules.RequiredQuestionsAnswered.check(x.audit_return)
    assert len(exc.value.messages) == len(missing) + 1
    answer_everything(x.audit_return, world.auditor_police)
    rules.RequiredQuestionsAnswered.check(x.audit_return)


def test_quality_assured_by_another(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    answer_everything(x.audit_return, world.auditor_police)
    r = services.return_submit(audit_return=x.audit_return, by=world.auditor_police)
    with pytest.raises(ValidationError):
        rules.QualityAssuredByAnother.check(r, world.auditor_police)
    rules.QualityAssuredByAnother.check(r, world.lead_police)


def test_no_identifiers_in_text(world: World) -> None:
    ids = world.case1.identity.identifiers()
    rules.NoIdentifiersInText.check({"text": "Case MA-01 was seen weekly."}, ids)
    for text in (
        f"{CHILD_NAME} was seen weekly.",
        "tamsin said she felt safe",  # a part of the name, any case
        "Born 14/03/2004.",
        "Record CSC-778812 read.",
    ):
        with pytest.raises(ValidationError):
            rules.NoIdentifiersInText.check({"text": text}, ids)
    assert "[identifier removed]" in rules.redact(f"Seen: {CHILD_NAME}", ids)


def test_waiver_approved_by_subgroup_chair(world: World) -> None:
    with pytest.raises(ValidationError):  # no reason yet
        rules.WaiverApprovedBySubgroupChair.check(world.audit, world.subgroup_chair)
    services.views_waiver_request(audit=world.audit, reason="Forum not meeting.", by=world.bu)
    with pytest.raises(ValidationError):
        rules.WaiverApprovedBySubgroupChair.check(world.audit, world.bu)
    rules.WaiverApprovedBySubgroupChair.check(world.audit, world.subgroup_chair)


def test_young_peoples_views_before_completion(world: World) -> None:
    with pytest.raises(ValidationError):
        rules.YoungPeoplesViewsBeforeCompletion.check(world.audit)
    services.views_waiver_request(audit=world.audit, reason="Forum not meeting.", by=world.bu)
    with pytest.raises(ValidationError):  # a reason alone is not enough
        rules.YoungPeoplesViewsBeforeCompletion.check(world.audit)
    services.views_waiver_approve(audit=world.audit, by=world.subgroup_chair)
    with pytest.raises(ValidationError):  # the sub-group chair's approval is not enough
        rules.YoungPeoplesViewsBeforeCompletion.check(world.audit)
    services.views_waiver_agree(audit=world.audit, by=_board_chair(world))
    rules.YoungPeoplesViewsBeforeCompletion.check(world.audit)


def _board_chair(world: World) -> Any:
    return person_with_role("chair", world.partnership, full_name="Cass Chair")


def test_waiver_agreed_by_the_chair_after_the_subgroup_chair(world: World) -> None:
    chair = _board_chair(world)
    services.views_waiver_request(audit=world.audit, reason="Forum not meeting.", by=world.bu)
    with pytest.raises(ValidationError, match="sub-group chair must approve"):
        rules.WaiverAgreedByChair.check(world.audit, chair)
    services.views_waiver_approve(audit=world.audit, by=world.subgroup_chair)
    for not_the_chair in (world.subgroup_chair, world.bu, world.board):
        with pytest.raises(ValidationError, match="Only the Chair"):
            rules.WaiverAgreedByChair.check(world.audit, not_the_chair)
    rules.WaiverAgreedByChair.check(world.audit, chair)
    services.views_waiver_agree(audit=world.audit, by=chair)
    # A new reason needs both again.
    services.views_waiver_request(audit=world.audit, reason="Forum suspended.", by=world.bu)
    world.audit.refresh_from_db()
    assert world.audit.views_waiver_approved_by is None
    assert world.audit.views_waiver_agreed_by is None


def test_returns_in_before_completion(world: World) -> None:
    with pytest.raises(ValidationError):
        rules.ReturnsInBeforeCompletion.check(world.audit)
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    with pytest.raises(ValidationError):
        rules.ReturnsInBeforeCompletion.check(world.audit)
    answer_everything(x.audit_return, world.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=world.auditor_police)
    rules.ReturnsInBeforeCompletion.check(world.audit)


def test_workshop_before_completion(world: World) -> None:
    with pytest.raises(ValidationError):
        rules.WorkshopBeforeCompletion.check(world.audit)
    services.workshop_record(
        audit=world.audit, by=world.bu, held_on=dt.date(2015, 11, 20), attendees="Leads"
    )
    rules.WorkshopBeforeCompletion.check(world.audit)


def test_not_auditing_own_case(world: World) -> None:
    rules.NotAuditingOwnCase.check(world.auditor_sc, world.other_auditor)
    with pytest.raises(ValidationError):
        rules.NotAuditingOwnCase.check(world.auditor_sc, world.auditor_sc)


def test_feedback_before_acknowledgement(world: World) -> None:
    from lift.audits.models import CaseAudit

    case_audit = CaseAudit(feedback_given_on=None)
    with pytest.raises(ValidationError):
        rules.FeedbackBeforeAcknowledgement.check(case_audit)
    case_audit.feedback_given_on = dt.date(2015, 6, 1)
    rules.FeedbackBeforeAcknowledgement.check(case_audit)


def test_acknowledged_by_worker_or_manager(world: World) -> None:
    from lift.audits.models import CaseAudit

    worker = person_with_role("learner", world.partnership, agency=world.social_care)
    case_audit = CaseAudit(worker=worker, manager=world.other_auditor)
    assert rules.AcknowledgedByWorkerOrManager.check(case_audit, worker) == "worker"
    assert rules.AcknowledgedByWorkerOrManager.check(case_audit, world.other_auditor) == "manager"
    with pytest.raises(ValidationError):
        rules.AcknowledgedByWorkerOrManager.check(case_audit, world.bu)
