"""Audits in a real browser: an auditor declares no previous involvement, completes every
line of enquiry and submits the return; the main audit pages are axe-clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page

from lift.audits import services
from lift.audits.models import Assignment, Audit, AuditReturn
from lift.audits.reference import sync_templates, template_by_urn
from lift.core.models import Person
from tests.factories import PASSWORD, AgencyFactory, PartnershipFactory, person_with_role

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]


@dataclass
class Cast:
    audit: Audit
    assignment: Assignment
    auditor: Person
    lichair: Person
    board: Person
    lead: Person
    programme_url: str


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    sync_templates()
    template = template_by_urn("urn:lift:audits:template:ma-thematic")
    csc = template_by_urn("urn:lift:audits:template:csc-case-audit")
    partnership = PartnershipFactory(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale",
        slug="ashbrook-vale-audits",
    )
    sc = AgencyFactory(partnership=partnership, name="Ashbrook Vale Children's Social Care")
    police = AgencyFactory(
        partnership=partnership, name="Ashbrook Vale Police", agency_type="police"
    )
    bu = person_with_role(
        "business_unit", partnership, full_name="Bryony Unit", email="bu@ashbrook.example"
    )
    lichair = person_with_role(
        "subgroup_chair", partnership, full_name="Lowri Chair", email="li@ashbrook.example"
    )
    board = person_with_role(
        "board_member", partnership, full_name="Bertram Board", email="board@ashbrook.example"
    )
    lead = person_with_role(
        "safeguarding_lead",
        partnership,
        agency=sc,
        full_name="Leah Lead",
        email="lead@ashbrook.example",
    )
    auditor = person_with_role(
        "auditor",
        partnership,
        agency=police,
        full_name="Ayo Auditor",
        email="auditor@ashbrook.example",
    )
    programme = services.programme_create(
        partnership=partnership, year="2015/16", title="Audit programme", by=bu
    )
    audit = services.audit_create(
        programme=programme,
        title="Children stepped down from a child protection plan for neglect",
        by=bu,
        themes=["neglect", "step-down"],
        template=template,
        agencies=[sc, police],
        planned_start=dt.date(2015, 9, 1),
        planned_end=dt.date(2015, 12, 1),
        sampling_rule="Every third plan ending in the quarter.",
    )
    case = services.sample_case_add(
        audit=audit,
        reference="Case MA-01",
        by=bu,
        full_name="Pell Wintercombe",
        date_of_birth=dt.date(2009, 1, 2),
    )
    assignment = services.assignment_create(
        case=case, agency=police, auditor=auditor, by=bu, due_on=dt.date(2030, 1, 31)
    )
    agency_programme = services.agency_programme_create(
        agency=sc, title="Case audit programme", year="2015/16", template=csc, by=lead
    )
    schedule = services.team_schedule_add(
        programme=agency_programme,
        team="Assessment team",
        method="peer",
        frequency="monthly",
        by=lead,
    )
    services.case_audit_record(
        schedule=schedule,
        case_reference="CSC-01",
        audited_on=dt.date(2015, 6, 1),
        auditor=lead,
        by=lead,
        grades={s: csc.scale_for(s)[1] for s in csc.sections.all()},
        overall_grade=csc.grades.filter(section__isnull=True).first(),
    )
    return Cast(
        audit, assignment, auditor, lichair, board, lead, agency_programme.get_absolute_url()
    )


def test_auditor_declares_completes_and_submits_a_return(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.auditor.email, PASSWORD)
    page.goto("/")
    main = page.locator("main")
    # The assignment is on the auditor's to-do list, by case reference, never the child.
    assert "My audit work" not in main.inner_text()
    assert "Pell Wintercombe" not in main.inner_text()
    assert_accessible(page)

    page.get_by_role(
        "link", name="Declare any previous involvement with Case MA-01 (Ashbrook Vale Police)"
    ).click()
    assert "Pell Wintercombe" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("No, I have had no previous involvement").check()
    page.get_by_role("button", name="Confirm declaration").click()
    assert "Declaration recorded" in page.locator("main").inner_text()

    # Declared: the to-do is now the return, and its link opens it.
    page.goto("/")
    page.get_by_role(
        "link", name="Complete and submit the audit return for Case MA-01 (Ashbrook Vale Police)"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Start or continue the return").click()
    template = cast.audit.template
    assert template is not None
    sections = list(template.sections.prefetch_related("questions"))
    for i, section in enumerate(sections):
        assert page.get_by_role("heading", level=1, name=section.title).is_visible()
        if i == 0:
            assert_accessible(page)
        for q in section.questions.all():
            if q.answer_type == "yes_no_partly":
                page.locator(f"input[name=q_{q.pk}][value=yes]").check()
            else:
                page.locator(f"textarea[name=q_{q.pk}]").fill("Seen in the agency's records.")
        page.get_by_label("Good", exact=True).check()
        page.get_by_role("button", name="Save and continue").click()
    assert_accessible(page)
    page.get_by_label("Evidence notes").fill("Chronology and plans read.")
    page.get_by_label("Strengths").fill("Same-day notifications.")
    page.get_by_label("Areas for improvement").fill("Not told the plan had ended.")
    page.get_by_role("button", name="Save and check your answers").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit return").click()
    assert "Return submitted" in page.locator("main").inner_text()
    assert AuditReturn.objects.get(pk=cast.assignment.audit_return_id).status == "submitted"
    page.goto("/")
    assert "Case MA-01" not in page.locator("main").inner_text()  # done: gone from the list


def test_unanswered_return_lists_the_questions(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    services.assignment_declare(assignment=cast.assignment, by=cast.auditor, involved=False)
    login(page, cast.auditor.email, PASSWORD)
    page.goto(cast.assignment.audit_return.get_absolute_url())
    page.get_by_role("button", name="Submit return").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "grade this line of enquiry" in summary.inner_text()
    assert_accessible(page)


@pytest.mark.parametrize("who", ["lichair", "board", "lead"])
def test_main_audit_pages_are_accessible(
    who: str, page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    person = getattr(cast, who)
    login(page, person.email, PASSWORD)
    pages = {
        "lichair": [
            "/audits/",
            cast.audit.get_absolute_url(),
            "/audits/programmes/",
            f"{cast.audit.get_absolute_url()}cases/add/",
            "/audits/templates/",
            f"/audits/templates/{cast.audit.template_id}/",
        ],
        "board": [cast.audit.get_absolute_url(), f"{cast.audit.get_absolute_url()}report/"],
        "lead": ["/audits/agency/", cast.programme_url],
    }[who]
    for target in pages:
        response = page.goto(target)
        assert response is not None and response.status == 200, target
        assert page.get_by_role("heading", level=1).is_visible(), target
        assert_accessible(page)
