"""The audit workflow through its services: design, declarations, returns, completion,
the learning chain, the Board, reminders, single-agency audits and the importer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError

from lift.audits import reference, selectors, services
from lift.audits.choices import AuditStatus, CaseAuditStatus, Declaration, ReturnStatus
from lift.audits.models import AuditTemplate, CaseIdentity, TemplateGrade
from lift.audits.reminders import audit_reminders
from lift.core.models import ChangeLog, Notification, RoleAssignment
from lift.learning.models import Finding, Recommendation
from tests.factories import person_with_role

from .conftest import CHILD_NAME, World, answer_everything, cleared_assignment


def test_templates_load_with_versions_and_scales(ma_template: AuditTemplate) -> None:
    assert ma_template.version == 1 and ma_template.is_current
    codes = list(ma_template.sections.values_list("code", flat=True))
    assert codes == ["quality-of-practice", "multi-agency-working", "outcomes"]
    section = ma_template.sections.first()
    assert [g.code for g in ma_template.scale_for(section)] == [
        "outstanding",
        "good",
        "requires-improvement",
        "inadequate",
    ]
    assert reference.sync_templates() == 0  # idempotent


def test_importer_names_the_file_and_problem(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(
        "urn: urn:lift:audits:template:x\nversion: 1\nname: X\nkind: multi_agency\n"
        "scale:\n  - {code: good, label: Good, score: 3}\n  - {code: good, label: Bad, score: 1}\n"
        "lines: []\n"
    )
    with pytest.raises(ImproperlyConfigured, match=r"broken.yaml: scale\[1\].code 'good'"):
        reference.load_all(tmp_path)


def test_new_version_is_added_and_old_kept(ma_template: AuditTemplate, tmp_path: Path) -> None:
    source = Path(reference.settings.REFERENCE_DIR) / "audits" / "ma-thematic.yaml"
    (tmp_path / "ma.yaml").write_text(source.read_text().replace("version: 1", "version: 2"))
    assert reference.sync_templates(reference.load_all(tmp_path)) == 1
    ma_template.refresh_from_db()
    assert not ma_template.is_current
    assert AuditTemplate.objects.filter(urn=ma_template.urn, version=2, is_current=True).exists()


def test_audit_create_puts_the_creator_in_the_audit_team(world: World) -> None:
    team = RoleAssignment.objects.filter(
        role="case_team",
        case_type=ContentType.objects.get_for_model(world.audit),
        case_id=world.audit.pk,
    )
    assert list(team.values_list("person", flat=True)) == [world.bu.pk]


def test_sample_case_summary_cannot_name_the_child(world: World) -> None:
    with pytest.raises(ValidationError):
        services.sample_case_add(
            audit=world.audit,
            reference="Case MA-09",
            by=world.bu,
            full_name="Ffion Radlett",
            summary="Ffion was stepped down in May.",
        )


def test_identity_history_is_restricted(world: World) -> None:
    identity = world.case1.identity
    services.case_identity_update(identity=identity, by=world.bu, full_name="Tamsin Q. Feather")
    entry = ChangeLog.objects.filter(object_id=identity.pk).order_by("-pk").first()
    assert entry is not None and "full_name" in entry.restricted_fields


def test_assignment_opens_one_return_per_case_and_agency(world: World) -> None:
    a = services.assignment_create(
        case=world.case1, agency=world.social_care, auditor=world.auditor_sc, by=world.bu
    )
    b = services.assignment_create(
        case=world.case1, agency=world.social_care, auditor=world.other_auditor, by=world.bu
    )
    assert a.audit_return_id == b.audit_return_id
    assert a.due_on == world.audit.returns_due_on


def test_assignment_email_names_no_child(world: World, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(
            case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
        )
    n = Notification.objects.get(person=world.auditor_police)
    assert "Case MA-01" in n.title
    for text in [n.title, n.body, *[m.body + m.subject for m in mail.outbox]]:
        for identifier in world.case1.identity.identifiers():
            assert identifier.lower() not in text.lower()


def test_declared_involvement_blocks_and_tells_the_lead(
    world: World, django_capture_on_commit_callbacks
) -> None:
    world.audit.lead = world.subgroup_chair
    world.audit.save()
    x = services.assignment_create(
        case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
    )
    with pytest.raises(ValidationError):  # not theirs to declare
        services.assignment_declare(assignment=x, by=world.bu, involved=False)
    with django_capture_on_commit_callbacks(execute=True):
        x = services.assignment_declare(
            assignment=x, by=world.auditor_police, involved=True, details="I investigated."
        )
    assert x.declaration == Declaration.BLOCKED
    assert Notification.objects.filter(person=world.subgroup_chair, key__endswith=":blocked")
    with pytest.raises(ValidationError):
        services.assignment_declare(assignment=x, by=world.auditor_police, involved=False)


def test_return_workflow_draft_submitted_quality_assured(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    r = x.audit_return
    with pytest.raises(ValidationError) as exc:
        services.return_submit(audit_return=r, by=world.auditor_police)
    assert any("grade this line of enquiry" in m for m in exc.value.messages)
    answer_everything(r, world.auditor_police)
    r = services.return_submit(audit_return=r, by=world.auditor_police)
    assert r.status == ReturnStatus.SUBMITTED and r.submitted_by == world.auditor_police
    with pytest.raises(ValidationError):  # no edits after submission
        answer_everything(r, world.auditor_police)
    r = services.return_send_back(audit_return=r, by=world.lead_police, reason="Add evidence.")
    assert r.status == ReturnStatus.DRAFT
    r = services.return_submit(audit_return=r, by=world.auditor_police)
    r = services.return_quality_assure(audit_return=r, by=world.lead_police, note="Fine.")
    assert r.status == ReturnStatus.QUALITY_ASSURED


def test_grade_outside_the_scale_is_refused(world: World, csc_template: AuditTemplate) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    section = world.template.sections.first()
    with pytest.raises(ValidationError):
        services.return_section_save(
            audit_return=x.audit_return,
            section=section,
            by=world.auditor_police,
            answers={},
            grade=TemplateGrade.objects.filter(template=csc_template).first(),
        )


def test_yes_no_answer_must_be_a_choice(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    section = world.template.sections.first()
    q = section.questions.get(code="qp-assessment")
    with pytest.raises(ValidationError):
        services.return_section_save(
            audit_return=x.audit_return,
            section=section,
            by=world.auditor_police,
            answers={q.pk: "maybe"},
            grade=None,
        )


def test_return_text_naming_the_child_is_refused(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    with pytest.raises(ValidationError) as exc:
        services.return_summary_save(
            audit_return=x.audit_return,
            by=world.auditor_police,
            evidence_notes=f"Spoke to {CHILD_NAME}.",
            strengths="",
            areas_for_improvement="",
        )
    assert "evidence_notes" in exc.value.message_dict


def _complete_ready(world: World) -> None:
    x = cleared_assignment(world, world.case1, world.police, world.auditor_police)
    answer_everything(x.audit_return, world.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=world.auditor_police)
    services.workshop_record(
        audit=world.audit,
        by=world.bu,
        held_on=dt.date(2015, 11, 20),
        attendees="Leads",
        agencies=[world.police],
    )


def test_audit_cannot_complete_without_young_peoples_views(world: World) -> None:
    _complete_ready(world)
    with pytest.raises(ValidationError, match="views of a group of children"):
        services.audit_complete(audit=world.audit, by=world.bu)
    services.views_record(
        audit=world.audit,
        by=world.bu,
        group_description="Youth Forum members",
        held_on=dt.date(2015, 11, 1),
        how_gathered="youth_forum",
        what_they_said="Tell us when the plan ends.",
    )
    audit = services.audit_complete(audit=world.audit, by=world.bu, on=dt.date(2015, 12, 1))
    assert audit.status == AuditStatus.COMPLETED and audit.completed_on == dt.date(2015, 12, 1)


def test_audit_completes_with_an_approved_reason_instead(world: World) -> None:
    _complete_ready(world)
    services.views_waiver_request(audit=world.audit, reason="The forum was suspended.", by=world.bu)
    with pytest.raises(ValidationError):
        services.audit_complete(audit=world.audit, by=world.bu)
    services.views_waiver_approve(audit=world.audit, by=world.subgroup_chair)
    with pytest.raises(ValidationError):  # the Chair has not agreed yet
        services.audit_complete(audit=world.audit, by=world.bu)
    chair = person_with_role("chair", world.partnership, full_name="Cass Chair")
    services.views_waiver_agree(audit=world.audit, by=chair)
    assert services.audit_complete(audit=world.audit, by=world.bu).status == "completed"
    from lift.audits.report import build_overview

    doc = build_overview(world.audit, world.bu)
    text = " ".join(str(getattr(b, "text", "")) for b in doc.sections)
    assert "approved by the sub-group chair on" in text and "agreed by the Chair on" in text


def test_views_can_be_linked_to_a_consultation_later(world: World) -> None:
    views = services.views_record(
        audit=world.audit,
        by=world.bu,
        group_description="Youth Forum",
        held_on=dt.date(2015, 11, 1),
        how_gathered="survey",
        what_they_said="Mixed views.",
    )
    other = world.programme  # any object of the partnership stands in for the voice record
    views = services.views_attach_consultation(views=views, consultation=other, by=world.bu)
    assert views.consultation == other


def test_findings_and_recommendations_have_the_audit_as_source(world: World) -> None:
    finding = services.audit_finding_add(
        audit=world.audit,
        by=world.bu,
        title="Police not told",
        text="Plans ended quietly.",
        kind="improvement",
        themes=["step-down"],
    )
    rec = services.audit_recommendation_add(
        audit=world.audit, by=world.bu, text="Tell the police.", findings=[finding]
    )
    assert finding.source == world.audit and rec.source == world.audit
    assert list(selectors.audit_findings(world.bu, world.audit)) == [finding]
    with pytest.raises(ValidationError):
        services.audit_finding_add(
            audit=world.audit, by=world.bu, title="x", text=f"About {CHILD_NAME}", kind="strength"
        )
    other = Finding.objects.create(
        partnership=world.partnership, title="Elsewhere", text="t", identified_on=dt.date.today()
    )
    with pytest.raises(ValidationError):
        services.audit_recommendation_add(
            audit=world.audit, by=world.bu, text="x", findings=[other]
        )
    assert Recommendation.objects.count() == 1


def test_dissemination_carries_the_audit_findings(world: World) -> None:
    with pytest.raises(ValidationError):
        services.audit_dissemination_record(
            audit=world.audit,
            by=world.bu,
            kind="briefing",
            title="Briefing",
            held_on=dt.date(2016, 1, 5),
            audience="All",
        )
    finding = services.audit_finding_add(
        audit=world.audit, by=world.bu, title="F", text="T", kind="strength"
    )
    d = services.audit_dissemination_record(
        audit=world.audit,
        by=world.bu,
        kind="briefing",
        title="Briefing",
        held_on=dt.date(2016, 1, 5),
        audience="All",
        people_reached=40,
    )
    assert list(d.findings.all()) == [finding]


def test_report_goes_to_a_board_meeting(world: World) -> None:
    from django.utils import timezone

    from lift.governance.services import board_create, meeting_create

    board = board_create(partnership=world.partnership, name="Board", kind="board", by=world.bu)
    meeting = meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=10), by=world.bu
    )
    item = services.audit_report_to_board(audit=world.audit, meeting=meeting, by=world.bu)
    assert item.linked == world.audit
    assert services.board_items(world.audit) == [item]


def test_priority_link(world: World) -> None:
    from lift.governance.services import business_plan_create, priority_create

    plan = business_plan_create(
        partnership=world.partnership, year="2015/16", title="Plan", by=world.bu
    )
    priority = priority_create(
        plan=plan, title="Tackle neglect", success_measures="Fewer re-referrals", by=world.bu
    )
    services.audit_priority_link(audit=world.audit, priority=priority, by=world.bu)
    assert selectors.linked_priorities(world.audit) == [priority]


def _graded(world: World, audit, grade_code: str) -> None:
    case = audit.cases.first()
    x = cleared_assignment(world, case, world.police, world.auditor_police)
    answer_everything(x.audit_return, world.auditor_police, grade_code=grade_code)
    services.return_submit(audit_return=x.audit_return, by=world.auditor_police)


def test_reaudit_comparison_and_impact_helper(world: World) -> None:
    _graded(world, world.audit, "requires-improvement")
    reaudit = services.audit_create(
        programme=world.programme,
        title="Re-audit",
        by=world.bu,
        themes=["step-down"],
        template=world.template,
        agencies=[world.police],
        planned_start=dt.date(2016, 9, 1),
        previous_audit=world.audit,
    )
    services.sample_case_add(audit=reaudit, reference="Case RA-01", by=world.bu, full_name="Z Y")
    _graded(world, reaudit, "good")
    comparison = selectors.reaudit_comparison(reaudit)
    assert comparison is not None
    row = next(r for r in comparison["rows"] if r["code"] == "outcomes")
    assert (row["before"], row["after"], row["change"]) == (2.0, 3.0, 1.0)
    assert (row["before_good_share"], row["after_good_share"]) == (0.0, 100.0)
    assert selectors.impact_comparison(reaudit) == comparison
    assert selectors.impact_comparison(world.programme) is None
    with pytest.raises(ValidationError):  # an audit on another theme cannot be re-audited
        services.audit_create(
            programme=world.programme,
            title="Wrong",
            by=world.bu,
            themes=["thresholds"],
            planned_start=dt.date(2016, 9, 1),
            previous_audit=world.audit,
        )


def test_grade_distribution_is_by_line_and_agency(world: World) -> None:
    _graded(world, world.audit, "good")
    x = cleared_assignment(world, world.case1, world.health, world.auditor_health)
    answer_everything(x.audit_return, world.auditor_health, grade_code="inadequate")
    # A draft does not count.
    dist = selectors.grade_distribution(world.audit)
    good = next(g for g in dist.grades if g.code == "good")
    section = dist.sections[0]
    assert dist.by_section[section.pk][good.pk] == 1
    assert list(dist.by_agency[section.pk]) == ["Testshire Police"]


def test_reminders_due_soon_and_overdue_once(world: World) -> None:
    world.partnership.reminder_days = 7
    world.partnership.save()
    lead = person_with_role("safeguarding_lead", world.partnership, agency=world.police)
    world.police.safeguarding_lead = lead
    world.police.save()
    x = services.assignment_create(
        case=world.case1,
        agency=world.police,
        auditor=world.auditor_police,
        by=world.bu,
        due_on=dt.date(2015, 10, 30),
    )
    assert audit_reminders(dt.date(2015, 10, 1)) == 0
    assert audit_reminders(dt.date(2015, 10, 25)) == 1
    audit_reminders(dt.date(2015, 10, 25))
    assert Notification.objects.filter(key__contains="due-soon").count() == 1
    assert audit_reminders(dt.date(2015, 11, 2)) == 2  # the auditor and the agency's lead
    titles = list(Notification.objects.values_list("title", "body"))
    for title, body in titles:
        assert CHILD_NAME.split()[0] not in title + body
    services.assignment_declare(assignment=x, by=world.auditor_police, involved=False)
    answer_everything(x.audit_return, world.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=world.auditor_police)
    before = Notification.objects.count()
    audit_reminders(dt.date(2015, 11, 20))
    assert Notification.objects.count() == before


# --- single-agency ------------------------------------------------------------------------


@pytest.fixture
def csc(world: World, csc_template: AuditTemplate):
    lead = person_with_role("safeguarding_lead", world.partnership, agency=world.social_care)
    programme = services.agency_programme_create(
        agency=world.social_care,
        title="CSC audits",
        year="2015/16",
        template=csc_template,
        by=lead,
    )
    schedule = services.team_schedule_add(
        programme=programme,
        team="Assessment team",
        method="offline_qa",
        frequency="monthly",
        by=lead,
    )
    return programme, schedule, lead


def _grades(template: AuditTemplate, code: str) -> dict:
    return {
        s: next(g for g in template.scale_for(s) if g.code == code) for s in template.sections.all()
    }


def test_case_audit_feedback_and_acknowledgement(
    world: World, csc, csc_template: AuditTemplate, django_capture_on_commit_callbacks
) -> None:
    _programme, schedule, lead = csc
    worker = person_with_role("learner", world.partnership, agency=world.social_care)
    overall = csc_template.grades.get(section__isnull=True, code="good")
    with pytest.raises(ValidationError):  # every domain graded
        services.case_audit_record(
            schedule=schedule,
            case_reference="CSC-1",
            audited_on=dt.date(2015, 6, 1),
            auditor=world.auditor_sc,
            by=world.auditor_sc,
            grades={},
            overall_grade=overall,
        )
    c = services.case_audit_record(
        schedule=schedule,
        case_reference="CSC-1",
        audited_on=dt.date(2015, 6, 1),
        auditor=world.auditor_sc,
        by=world.auditor_sc,
        grades=_grades(csc_template, "good"),
        overall_grade=overall,
        worker=worker,
        manager=lead,
    )
    with pytest.raises(ValidationError):
        services.case_audit_acknowledge(case_audit=c, by=worker)
    with django_capture_on_commit_callbacks(execute=True):
        c = services.case_audit_feedback(case_audit=c, feedback="Good direct work.", by=lead)
    assert Notification.objects.filter(person=worker, title__contains="CSC-1").exists()
    with pytest.raises(ValidationError):
        services.case_audit_acknowledge(case_audit=c, by=world.bu)
    c = services.case_audit_acknowledge(case_audit=c, by=worker)
    assert c.status == CaseAuditStatus.FEEDBACK_GIVEN
    c = services.case_audit_acknowledge(case_audit=c, by=lead)
    assert c.status == CaseAuditStatus.ACKNOWLEDGED


def test_case_audit_grades_from_the_agency_template_only(world: World, csc) -> None:
    programme, schedule, lead = csc
    wrong = {s: world.template.scale_for(s)[0] for s in programme.template.sections.all()}
    with pytest.raises(ValidationError):
        services.case_audit_record(
            schedule=schedule,
            case_reference="CSC-2",
            audited_on=dt.date(2015, 6, 1),
            auditor=world.auditor_sc,
            by=lead,
            grades=wrong,
            overall_grade=programme.template.grades.filter(section__isnull=True).first(),
        )


def test_agency_summary_over_time_and_by_team(world: World, csc, csc_template) -> None:
    programme, schedule, lead = csc
    other = services.team_schedule_add(
        programme=programme, team="CIN team", method="peer", frequency="quarterly", by=lead
    )
    for i, (sch, code, day) in enumerate(
        [
            (schedule, "good", dt.date(2015, 5, 1)),
            (schedule, "inadequate", dt.date(2015, 8, 1)),
            (other, "good", dt.date(2015, 8, 2)),
        ]
    ):
        services.case_audit_record(
            schedule=sch,
            case_reference=f"CSC-{i}",
            audited_on=day,
            auditor=world.auditor_sc,
            by=lead,
            grades=_grades(csc_template, code),
            overall_grade=csc_template.grades.get(section__isnull=True, code=code),
        )
    s = selectors.agency_summary(programme)
    assert [q["label"] for q in s["quarters"]] == ["2015 Q2", "2015 Q3"]
    assert s["quarters"][1]["average"] == 2.0
    assert {t["team"]: sum(t["counts"]) for t in s["teams"]} == {
        "Assessment team": 2,
        "CIN team": 1,
    }
    assert s["total"] == 3


def test_smt_report_shared_with_the_learning_chain_once(world: World, csc) -> None:
    programme, _schedule, lead = csc
    report = services.smt_report_record(
        programme=programme,
        period_start=dt.date(2015, 4, 1),
        period_end=dt.date(2015, 9, 30),
        reported_on=dt.date(2015, 10, 10),
        findings="Plans lack timescales.",
        by=lead,
    )
    finding = services.smt_report_share(report=report, by=lead, title="Plans lack timescales")
    assert finding.source == report and finding.partnership == world.partnership
    with pytest.raises(ValidationError):
        services.smt_report_share(report=report, by=lead, title="Again")


def test_my_open_assignments(world: World) -> None:
    x = services.assignment_create(
        case=world.case1, agency=world.police, auditor=world.auditor_police, by=world.bu
    )
    assert list(selectors.my_open_assignments(world.auditor_police, world.partnership)) == [x]
    services.assignment_declare(assignment=x, by=world.auditor_police, involved=True, details="d")
    assert not selectors.my_open_assignments(world.auditor_police, world.partnership).exists()


def test_identity_never_created_without_case(world: World) -> None:
    assert CaseIdentity.objects.filter(case__audit=world.audit).count() == 2
