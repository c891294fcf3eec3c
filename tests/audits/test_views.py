"""Every audits page: permissions (anonymous, in scope, out of scope, no permission) and the
behaviour of the workflow pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lift.audits import services
from lift.audits.choices import Declaration, ReturnStatus
from lift.audits.models import AgencyAuditProgramme, Assignment, CaseAudit
from lift.core.models import AccessLog, Person
from tests.factories import person_with_role
from tests.permissions import assert_permissions

from .conftest import CHILD_NAME, World, answer_everything, cleared_assignment


@dataclass
class Scene:
    w: World
    police_x: Assignment  # cleared, return submitted
    health_x: Assignment  # awaiting declaration
    sc_x: Assignment  # cleared, return in draft
    youth: Person
    learner: Person
    outsider: Person
    other_lead: Person
    views: Any
    workshop: Any
    programme: AgencyAuditProgramme
    case_audit: CaseAudit
    report: Any
    sc_lead: Person
    worker: Person


@pytest.fixture
def scene(world: World, other_agency, outsider: Person, csc_template) -> Scene:
    w = world
    police_x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    answer_everything(police_x.audit_return, w.auditor_police)
    services.return_submit(audit_return=police_x.audit_return, by=w.auditor_police)
    health_x = services.assignment_create(
        case=w.case1, agency=w.health, auditor=w.auditor_health, by=w.bu
    )
    sc_x = cleared_assignment(w, w.case2, w.social_care, w.auditor_sc)
    youth = person_with_role("youth_coordinator", w.partnership)
    learner = person_with_role("learner", w.partnership, agency=w.social_care)
    other_lead = person_with_role("safeguarding_lead", w.partnership, agency=other_agency)
    views = services.views_record(
        audit=w.audit,
        by=w.bu,
        group_description="Youth Forum",
        held_on=dt.date(2015, 11, 1),
        how_gathered="youth_forum",
        what_they_said="Tell us in person.",
    )
    workshop = services.workshop_record(
        audit=w.audit, by=w.bu, held_on=dt.date(2015, 11, 20), attendees="Leads"
    )
    sc_lead = person_with_role("safeguarding_lead", w.partnership, agency=w.social_care)
    worker = person_with_role("learner", w.partnership, agency=w.social_care)
    programme = services.agency_programme_create(
        agency=w.social_care,
        title="CSC audits",
        year="2015/16",
        template=csc_template,
        by=sc_lead,
    )
    schedule = services.team_schedule_add(
        programme=programme, team="Assessment", method="peer", frequency="monthly", by=sc_lead
    )
    case_audit = services.case_audit_record(
        schedule=schedule,
        case_reference="CSC-1",
        audited_on=dt.date(2015, 6, 1),
        auditor=w.auditor_sc,
        by=w.auditor_sc,
        grades={s: csc_template.scale_for(s)[1] for s in csc_template.sections.all()},
        overall_grade=csc_template.grades.filter(section__isnull=True).first(),
        worker=worker,
        manager=sc_lead,
    )
    report = services.smt_report_record(
        programme=programme,
        period_start=dt.date(2015, 4, 1),
        period_end=dt.date(2015, 6, 30),
        reported_on=dt.date(2015, 7, 10),
        findings="Plans lack dates.",
        by=sc_lead,
    )
    return Scene(
        w,
        police_x,
        health_x,
        sc_x,
        youth,
        learner,
        outsider,
        other_lead,
        views,
        workshop,
        programme,
        case_audit,
        report,
        sc_lead,
        worker,
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"audits:{name}", args=args)


def test_programme_and_audit_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    p, a = w.programme.pk, w.audit.pk
    assert_permissions(
        url("audit_list"),
        allowed=[w.bu, w.board, w.lead_police, w.auditor_police],
        forbidden=[s.learner],
    )
    assert_permissions(url("auditprogramme_list"), allowed=[w.bu, w.board], forbidden=[s.learner])
    assert_permissions(url("auditprogramme_add"), allowed=[w.bu], forbidden=[w.board, s.learner])
    assert_permissions(
        url("auditprogramme_detail", p),
        allowed=[w.bu, w.board, w.lead_police],
        not_found=[s.outsider, s.learner],
    )
    assert_permissions(
        url("auditprogramme_edit", p), allowed=[w.bu], not_found=[s.outsider], forbidden=[w.board]
    )
    assert_permissions(
        url("auditprogramme_history", p), allowed=[w.bu, w.board], not_found=[s.outsider]
    )
    assert_permissions(url("audit_add"), allowed=[w.bu], forbidden=[w.board, s.learner])
    assert_permissions(
        url("audit_detail", a),
        allowed=[w.bu, w.board, w.lead_police, w.auditor_police, w.auditor_health, s.youth],
        not_found=[s.outsider, s.other_lead, s.learner],
    )
    for name in (
        "audit_edit",
        "audit_status",
        "audit_team_add",
        "audit_priority",
        "workshop_add",
        "audit_finding_add",
        "audit_recommendation_add",
        "audit_overview_summary",
        "audit_dissemination_add",
    ):
        assert_permissions(
            url(name, a),
            allowed=[w.bu],
            not_found=[s.outsider],
            forbidden=[w.board, w.lead_police, w.auditor_police],
        )
    assert_permissions(url("audit_history", a), allowed=[w.bu, w.board], not_found=[s.outsider])
    assert_permissions(
        url("samplecase_add", a),
        allowed=[w.bu],
        not_found=[s.outsider],
        forbidden=[w.board, w.auditor_police],
    )
    assert_permissions(
        url("assignment_add", a),
        allowed=[w.bu],
        not_found=[s.outsider],
        forbidden=[w.board, w.auditor_police],
    )
    assert_permissions(
        url("views_add", a), allowed=[w.bu, s.youth], not_found=[s.outsider], forbidden=[w.board]
    )
    assert_permissions(url("views_waiver", a), allowed=[w.bu, s.youth], forbidden=[w.board])
    assert_permissions(
        url("audit_complete", a),
        allowed=[w.bu, w.subgroup_chair],
        not_found=[s.outsider],
        forbidden=[w.board, w.lead_police],
    )
    assert_permissions(
        url("audit_board", a),
        allowed=[w.bu],
        not_found=[s.outsider],
        forbidden=[w.board, w.lead_police],
    )
    assert_permissions(url("audittemplate_list"), allowed=[w.bu, s.learner])
    assert_permissions(url("audittemplate_detail", w.template.pk), allowed=[w.bu, s.learner])


def test_waiver_approval_page(scene: Scene) -> None:
    w = scene.w
    services.views_waiver_request(audit=w.audit, reason="Forum not meeting.", by=w.bu)
    assert_permissions(
        url("views_waiver_approve", w.audit.pk),
        allowed=[w.subgroup_chair],
        not_found=[scene.outsider],
        forbidden=[w.bu, w.board],
    )
    c = Client()
    c.force_login(w.subgroup_chair)
    response = c.post(url("views_waiver_approve", w.audit.pk), {})
    assert response.status_code == 302
    w.audit.refresh_from_db()
    assert w.audit.views_waiver_approved_by == w.subgroup_chair


def test_waiver_agreement_page_is_the_chairs(scene: Scene) -> None:
    from lift.audits.models import YoungPeoplesViews
    from tests.factories import person_with_role

    w = scene.w
    chair = person_with_role("chair", w.partnership, full_name="Cass Chair")
    YoungPeoplesViews.objects.filter(audit=w.audit).delete()  # this audit has none
    services.views_waiver_request(audit=w.audit, reason="Forum not meeting.", by=w.bu)
    page = url("views_waiver_agree", w.audit.pk)
    c = Client()
    c.force_login(chair)
    assert c.get(page).status_code == 404  # not yet approved by the sub-group chair
    services.views_waiver_approve(audit=w.audit, by=w.subgroup_chair)
    assert "Awaiting the Chair" in c.get(url("audit_detail", w.audit.pk)).content.decode()
    assert_permissions(
        page,
        allowed=[chair],
        not_found=[scene.outsider],
        forbidden=[w.bu, w.board, w.subgroup_chair],
    )
    detail = c.get(url("audit_detail", w.audit.pk)).content.decode()
    assert "Agree to the reason" in detail
    assert c.post(page, {}).status_code == 302
    w.audit.refresh_from_db()
    assert w.audit.views_waiver_agreed_by == chair
    assert w.audit.views_waiver_agreed_on is not None
    assert c.get(page).status_code == 404  # agreed once
    assert "Agreed by Cass Chair (Chair)" in c.get(url("audit_detail", w.audit.pk)).content.decode()


def test_sample_and_restricted_record_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    case, identity = w.case1.pk, w.case1.identity.pk
    assert_permissions(
        url("samplecase_detail", case),
        allowed=[w.bu, w.auditor_police],
        not_found=[s.outsider, w.board, w.lead_police, w.auditor_health],
    )
    assert_permissions(
        url("samplecase_edit", case),
        allowed=[w.bu],
        not_found=[s.outsider],
        forbidden=[w.auditor_police],
    )
    assert_permissions(url("samplecase_history", case), allowed=[w.bu], not_found=[s.outsider])
    before = AccessLog.objects.count()
    assert_permissions(
        url("caseidentity_detail", identity),
        allowed=[w.bu, w.auditor_police],
        not_found=[s.outsider, w.board, w.lead_police, w.auditor_health, w.other_auditor],
    )
    assert AccessLog.objects.count() == before + 2  # each read is logged
    assert_permissions(
        url("caseidentity_edit", identity),
        allowed=[w.bu],
        not_found=[w.board],
        forbidden=[w.auditor_police],
    )
    assert_permissions(
        url("caseidentity_history", identity),
        allowed=[w.bu],
        not_found=[w.board],
        forbidden=[w.auditor_police],
    )


def test_assignment_and_return_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    # Anyone may open the list of their own assignments (empty for most).
    assert_permissions(url("assignment_list"), allowed=[w.bu, w.auditor_police, w.lead_police])
    learner = Client()
    learner.force_login(s.learner)
    assert "0 results" in learner.get(url("assignment_list")).content.decode()
    px, hx = s.police_x.pk, s.health_x.pk
    assert_permissions(
        url("assignment_detail", px),
        allowed=[w.bu, w.auditor_police, w.lead_police],
        not_found=[s.outsider, w.board, w.auditor_health],
    )
    assert_permissions(url("assignment_history", px), allowed=[w.bu], not_found=[s.outsider])
    assert_permissions(
        url("assignment_declare", hx),
        allowed=[w.auditor_health],
        not_found=[w.auditor_police, s.outsider],
        forbidden=[w.bu],
    )
    assert_permissions(url("assignment_declare", px), not_found=[w.auditor_police])
    pr, sr = s.police_x.audit_return_id, s.sc_x.audit_return_id
    assert_permissions(
        url("auditreturn_detail", pr),
        allowed=[w.bu, w.auditor_police, w.lead_police],
        not_found=[s.outsider, w.board, w.auditor_health, w.auditor_sc],
    )
    assert_permissions(url("auditreturn_history", pr), allowed=[w.bu], not_found=[s.outsider])
    assert_permissions(
        url("auditreturn_qa", pr),
        allowed=[w.bu, w.lead_police],
        not_found=[w.board, s.outsider],
        forbidden=[w.auditor_police],
    )
    assert_permissions(
        url("auditreturn_send_back", pr), allowed=[w.lead_police], forbidden=[w.auditor_police]
    )
    section = w.template.sections.first().pk
    for target in (
        reverse("audits:auditreturn_section", args=[sr, section]),
        url("auditreturn_summary", sr),
    ):
        assert_permissions(
            target,
            allowed=[w.auditor_sc, w.bu],
            not_found=[s.outsider, w.board, w.auditor_police, w.other_auditor],
        )
    # A submitted return's pages for editing are gone.
    assert_permissions(url("auditreturn_summary", pr), not_found=[w.auditor_police])
    c = Client()
    c.force_login(w.auditor_sc)
    assert c.get(url("auditreturn_submit", sr)).status_code == 302


def test_views_and_workshop_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    v, k = s.views.pk, s.workshop.pk
    assert_permissions(
        url("youngpeoplesviews_detail", v),
        allowed=[w.bu, w.board, s.youth],
        not_found=[s.outsider, w.auditor_police],
    )
    assert_permissions(
        url("youngpeoplesviews_edit", v),
        allowed=[w.bu, s.youth],
        not_found=[s.outsider],
        forbidden=[w.board],
    )
    assert_permissions(url("youngpeoplesviews_history", v), allowed=[w.bu], not_found=[s.outsider])
    assert_permissions(
        url("workshop_detail", k), allowed=[w.bu, w.board, w.auditor_police], not_found=[s.outsider]
    )
    assert_permissions(
        url("workshop_edit", k), allowed=[w.bu], not_found=[s.outsider], forbidden=[w.board]
    )
    assert_permissions(url("workshop_history", k), allowed=[w.bu], not_found=[s.outsider])


def test_report_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    a = w.audit.pk
    assert_permissions(
        url("audit_report", a),
        allowed=[w.bu, w.board, w.lead_police],
        not_found=[s.outsider, s.other_lead, s.learner],
        forbidden=[w.auditor_police],
    )
    assert_permissions(
        reverse("audits:audit_report_download", args=[a, "docx"]),
        allowed=[w.board],
        not_found=[s.outsider],
        forbidden=[w.auditor_police],
    )
    c = Client()
    c.force_login(w.board)
    assert c.get(reverse("audits:audit_report_download", args=[a, "exe"])).status_code == 404


def test_single_agency_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    p, ca, rep = s.programme.pk, s.case_audit.pk, s.report.pk
    assert_permissions(
        url("agencyauditprogramme_list"),
        allowed=[s.sc_lead, w.auditor_sc],
        forbidden=[w.board, s.learner],
    )
    assert_permissions(
        url("agencyauditprogramme_add"), allowed=[s.sc_lead], forbidden=[w.bu, w.auditor_sc]
    )
    # Not shared: the business unit does not see it.
    assert_permissions(
        url("agencyauditprogramme_detail", p),
        allowed=[s.sc_lead, w.auditor_sc],
        not_found=[w.bu, w.lead_police, s.outsider, w.board],
    )
    assert_permissions(
        url("agencyauditprogramme_edit", p),
        allowed=[s.sc_lead],
        not_found=[w.bu],
        forbidden=[w.auditor_sc],
    )
    assert_permissions(
        url("agencyauditprogramme_history", p), allowed=[s.sc_lead], not_found=[w.bu]
    )
    assert_permissions(url("schedule_add", p), allowed=[s.sc_lead], forbidden=[w.auditor_sc])
    assert_permissions(url("smtreport_add", p), allowed=[s.sc_lead], forbidden=[w.auditor_sc])
    schedule = s.case_audit.schedule_id
    assert_permissions(
        url("caseaudit_add", schedule),
        allowed=[s.sc_lead, w.auditor_sc],
        not_found=[w.bu, w.lead_police, s.outsider],
    )
    assert_permissions(
        url("caseaudit_detail", ca),
        allowed=[s.sc_lead, w.auditor_sc],
        not_found=[w.bu, w.lead_police, s.outsider, s.worker],
    )
    assert_permissions(url("caseaudit_history", ca), allowed=[s.sc_lead], not_found=[w.bu])
    assert_permissions(
        url("caseaudit_feedback", ca), allowed=[w.auditor_sc], not_found=[s.worker, w.bu]
    )
    assert_permissions(
        url("seniormanagementreport_detail", rep),
        allowed=[s.sc_lead],
        not_found=[w.bu, w.lead_police],
    )
    assert_permissions(url("seniormanagementreport_history", rep), allowed=[s.sc_lead])
    assert_permissions(
        url("seniormanagementreport_share", rep),
        allowed=[s.sc_lead],
        not_found=[w.bu],
        forbidden=[w.auditor_sc],
    )
    # The agency shares its programme: the business unit sees it and its reports, never the
    # case audits.
    s.programme.share_with_business_unit = True
    s.programme.save()
    assert_permissions(url("agencyauditprogramme_detail", p), allowed=[w.bu])
    assert_permissions(url("seniormanagementreport_detail", rep), allowed=[w.bu])
    assert_permissions(url("caseaudit_detail", ca), not_found=[w.bu])
    # After feedback the worker reads it and acknowledges.
    services.case_audit_feedback(case_audit=s.case_audit, feedback="Well done.", by=w.auditor_sc)
    assert_permissions(url("caseaudit_detail", ca), allowed=[s.worker])
    assert_permissions(
        url("caseaudit_acknowledge", ca),
        allowed=[s.worker, s.sc_lead],
        not_found=[w.bu],
        forbidden=[w.auditor_sc],
    )
    c = Client()
    c.force_login(s.worker)
    assert c.post(url("caseaudit_acknowledge", ca), {}).status_code == 302
    s.case_audit.refresh_from_db()
    assert s.case_audit.worker_acknowledged_on is not None


# --- the workflow through the pages -------------------------------------------------------


def test_declaration_comes_before_the_case(scene: Scene) -> None:
    s, w = scene, scene.w
    c = Client()
    c.force_login(w.auditor_health)
    page = c.get(url("assignment_detail", s.health_x.pk)).content.decode()
    assert "Make your declaration" in page and "Case MA-01" in page
    assert "Complete your return" not in page
    assert c.get(url("auditreturn_detail", s.health_x.audit_return_id)).status_code == 404
    assert c.get(url("samplecase_detail", w.case1.pk)).status_code == 404
    declare = c.get(url("assignment_declare", s.health_x.pk)).content.decode()
    assert CHILD_NAME in declare  # so the auditor can tell whether they know the family
    assert AccessLog.objects.filter(person=w.auditor_health, purpose="involvement check").exists()
    response = c.post(url("assignment_declare", s.health_x.pk), {"involved": "yes", "details": ""})
    assert "Say briefly what your previous involvement was" in response.content.decode()
    response = c.post(url("assignment_declare", s.health_x.pk), {"involved": "no"})
    assert response.status_code == 302
    page = c.get(url("assignment_detail", s.health_x.pk)).content.decode()
    assert "Complete your return" in page
    assert c.get(url("auditreturn_detail", s.health_x.audit_return_id)).status_code == 200


def test_declared_involvement_blocks_through_the_page(scene: Scene) -> None:
    s, w = scene, scene.w
    c = Client()
    c.force_login(w.auditor_health)
    c.post(url("assignment_declare", s.health_x.pk), {"involved": "yes", "details": "I knew them."})
    s.health_x.refresh_from_db()
    assert s.health_x.declaration == Declaration.BLOCKED
    page = c.get(url("assignment_detail", s.health_x.pk)).content.decode()
    assert "you will not audit it" in page
    assert c.get(url("auditreturn_detail", s.health_x.audit_return_id)).status_code == 404
    assert c.get(url("caseidentity_detail", w.case1.identity.pk)).status_code == 404


def test_completing_a_return_through_the_pages(scene: Scene) -> None:
    s, w = scene, scene.w
    r = s.sc_x.audit_return
    c = Client()
    c.force_login(w.auditor_sc)
    response = c.post(url("auditreturn_submit", r.pk))
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert "Quality of practice: grade this line of enquiry" in page
    sections = list(w.template.sections.all())
    for i, section in enumerate(sections):
        data: dict[str, str] = {}
        for q in section.questions.all():
            data[f"q_{q.pk}"] = "yes" if q.answer_type == "yes_no_partly" else "Seen in records."
        grade = w.template.scale_for(section)[1]
        data.update({"grade": str(grade.pk), "rationale": "Sound."})
        target = reverse("audits:auditreturn_section", args=[r.pk, section.pk])
        response = c.post(target, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        if i + 1 < len(sections):
            assert response["Location"].endswith(f"lines/{sections[i + 1].pk}/")
    bad = {"grade": "999999", "q_0": "x"}
    response = c.post(reverse("audits:auditreturn_section", args=[r.pk, sections[0].pk]), bad)
    assert response.status_code == 200  # a grade off the scale is refused
    response = c.post(
        url("auditreturn_summary", r.pk),
        # case 2's child (this auditor's); case 1's would pass: they cannot open its record
        {"evidence_notes": "Met Corin Ashdown-Vale", "strengths": "", "areas_for_improvement": ""},
    )
    assert "identifies a child" in response.content.decode()
    c.post(
        url("auditreturn_summary", r.pk),
        {
            "evidence_notes": "Read the file.",
            "strengths": "Clear plan.",
            "areas_for_improvement": "Late review.",
        },
    )
    response = c.post(url("auditreturn_submit", r.pk))
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == ReturnStatus.SUBMITTED


def test_adding_a_case_and_assigning_through_the_pages(scene: Scene) -> None:
    w = scene.w
    c = Client()
    c.force_login(w.bu)
    response = c.post(
        url("samplecase_add", w.audit.pk),
        {
            "reference": "Case MA-03",
            "summary": "Plan ended in May.",
            "full_name": "Odile Trenow",
            "date_of_birth": "2011-02-03",
        },
    )
    assert response.status_code == 302
    case = w.audit.cases.get(reference="Case MA-03")
    response = c.post(
        url("assignment_add", w.audit.pk),
        {
            "case": case.pk,
            "agency": w.police.pk,
            "auditor": w.auditor_health.pk,
        },
    )
    assert "their own agency" in response.content.decode()
    response = c.post(
        url("assignment_add", w.audit.pk),
        {
            "case": case.pk,
            "agency": w.police.pk,
            "auditor": w.auditor_police.pk,
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(case=case, auditor=w.auditor_police).exists()


def test_complete_refused_without_views_on_the_page(world: World) -> None:
    w = world
    x = cleared_assignment(w, w.case1, w.police, w.auditor_police)
    answer_everything(x.audit_return, w.auditor_police)
    services.return_submit(audit_return=x.audit_return, by=w.auditor_police)
    services.workshop_record(audit=w.audit, by=w.bu, held_on=dt.date(2015, 11, 2), attendees="A")
    c = Client()
    c.force_login(w.subgroup_chair)
    response = c.post(url("audit_complete", w.audit.pk), {})
    assert "views of a group of children and young people" in response.content.decode()


def test_my_work_lists_my_audit_steps_on_the_to_do_list(scene: Scene) -> None:
    """The assignments are on the auditors' to-do lists (tests/audits/test_todo.py), which
    replaced the "My audit work" panel: each links to the page that does the step, names
    the case reference only, and a submitted return is no longer there."""
    w = scene.w
    c = Client()
    c.force_login(w.auditor_health)
    page = c.get("/").content.decode()
    declare = reverse("audits:assignment_declare", args=[scene.health_x.pk])
    assert f'href="{declare}"' in page
    assert "Declare any previous involvement with Case MA-01 (Testshire Health)" in page
    assert "My audit work" not in page and CHILD_NAME not in page
    c.force_login(w.auditor_sc)
    page = c.get("/").content.decode()
    assert f'href="{scene.sc_x.audit_return.get_absolute_url()}"' in page
    assert "Complete and submit the audit return for Case MA-02" in page
    c.force_login(w.auditor_police)  # submitted: nothing left to do
    assert "Case MA-01" not in c.get("/").content.decode()


def test_navigation_has_audits(scene: Scene) -> None:
    c = Client()
    c.force_login(scene.w.board)
    home = c.get("/").content.decode()
    assert 'class="govuk-service-navigation__link" href="/quality/"' in home
    area = c.get("/quality/").content.decode()
    assert f'<a class="govuk-link" href="{url("audit_list")}">' in area


def test_list_query_counts_stay_flat(scene: Scene, django_assert_max_num_queries) -> None:
    w = scene.w
    for i in range(3, 9):
        case = services.sample_case_add(
            audit=w.audit, reference=f"Case MA-{i:02}", by=w.bu, full_name=f"Child {i} Testname"
        )
        services.assignment_create(case=case, agency=w.police, auditor=w.auditor_police, by=w.bu)
    c = Client()
    c.force_login(w.bu)
    with django_assert_max_num_queries(20):
        assert c.get(url("assignment_list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(url("audit_list")).status_code == 200
