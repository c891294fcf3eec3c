"""A small audit world: a programme, an audit on the ma-thematic template with three
agencies, two sampled cases (with fictional restricted records), and auditors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from lift.audits import services
from lift.audits.models import Audit, AuditProgramme, AuditTemplate, SampleCase
from lift.audits.reference import sync_templates, template_by_urn
from lift.core.models import Agency, Partnership, Person
from tests.factories import AgencyFactory, person_with_role

MA = "urn:lift:audits:template:ma-thematic"
CSC = "urn:lift:audits:template:csc-case-audit"
CHILD_NAME = "Tamsin Quillfeather"  # fictional


@dataclass
class World:
    partnership: Partnership
    social_care: Agency
    police: Agency
    health: Agency
    bu: Person
    subgroup_chair: Person
    board: Person
    lead_police: Person
    auditor_sc: Person
    auditor_police: Person
    auditor_health: Person
    other_auditor: Person
    programme: AuditProgramme
    audit: Audit
    template: AuditTemplate
    case1: SampleCase
    case2: SampleCase
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def ma_template(db: Any) -> AuditTemplate:
    sync_templates()
    return template_by_urn(MA)


@pytest.fixture
def csc_template(db: Any) -> AuditTemplate:
    sync_templates()
    return template_by_urn(CSC)


@pytest.fixture
def world(partnership: Partnership, ma_template: AuditTemplate) -> World:
    sc = AgencyFactory(partnership=partnership, name="Testshire Children's Social Care")
    police = AgencyFactory(partnership=partnership, name="Testshire Police", agency_type="police")
    health = AgencyFactory(
        partnership=partnership, name="Testshire Health", agency_type="health_provider"
    )
    bu = person_with_role("business_unit", partnership, full_name="Bea Business")
    chair = person_with_role("subgroup_chair", partnership, full_name="Sam Subgroup")
    board = person_with_role("board_member", partnership, full_name="Bo Board")
    lead_police = person_with_role(
        "safeguarding_lead", partnership, agency=police, full_name="Pat Police-Lead"
    )
    a_sc = person_with_role("auditor", partnership, agency=sc, full_name="Alex Auditor")
    a_po = person_with_role("auditor", partnership, agency=police, full_name="Pip Police")
    a_he = person_with_role("auditor", partnership, agency=health, full_name="Hal Health")
    other = person_with_role("auditor", partnership, agency=sc, full_name="Olive Other")
    programme = services.programme_create(
        partnership=partnership, year="2015/16", title="Audit programme", by=bu
    )
    audit = services.audit_create(
        programme=programme,
        title="Step-down from child protection plans for neglect",
        by=bu,
        themes=["neglect", "step-down"],
        planned_start=dt.date(2015, 9, 1),
        planned_end=dt.date(2015, 12, 31),
        returns_due_on=dt.date(2015, 10, 30),
        template=ma_template,
        agencies=[sc, police, health],
        sampling_rule="Every child stepped down in April to June 2015.",
    )
    case1 = services.sample_case_add(
        audit=audit,
        reference="Case MA-01",
        by=bu,
        full_name=CHILD_NAME,
        date_of_birth=dt.date(2004, 3, 14),
        record_numbers="CSC-778812",
    )
    case2 = services.sample_case_add(
        audit=audit, reference="Case MA-02", by=bu, full_name="Corin Ashdown-Vale"
    )
    return World(
        partnership,
        sc,
        police,
        health,
        bu,
        chair,
        board,
        lead_police,
        a_sc,
        a_po,
        a_he,
        other,
        programme,
        audit,
        ma_template,
        case1,
        case2,
    )


def answer_everything(audit_return: Any, by: Person, grade_code: str = "good") -> None:
    """Fill every question and grade every line of a return."""
    template = audit_return.audit.template
    for section in template.sections.all():
        answers = {
            q.pk: ("yes" if q.answer_type == "yes_no_partly" else "Seen in the records.")
            for q in section.questions.all()
        }
        grade = next(g for g in template.scale_for(section) if g.code == grade_code)
        services.return_section_save(
            audit_return=audit_return, section=section, by=by, answers=answers, grade=grade
        )
    services.return_summary_save(
        audit_return=audit_return,
        by=by,
        evidence_notes="Chronology and plan read.",
        strengths="Clear plan with the family.",
        areas_for_improvement="Step-down meeting not minuted.",
    )


def cleared_assignment(world: World, case: SampleCase, agency: Agency, auditor: Person) -> Any:
    assignment = services.assignment_create(case=case, agency=agency, auditor=auditor, by=world.bu)
    return services.assignment_declare(assignment=assignment, by=auditor, involved=False)
