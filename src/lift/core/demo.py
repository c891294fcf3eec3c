"""The fictional demo partnership: Harrowmere (not a real place), its agencies and people.

Each app adds its own story in `lift.<app>.demo.build(ctx)`, called in LIFT_APPS order.

The demo holds together in time: every date in it is counted from the day it is built
(`ctx.today`, with `ctx.ago(n)` and `ctx.ahead(n)`), and every year label ("2026/27", a
Section 11 cycle's "2025-27", "Autumn 2026") is made from those dates by `core.calendar`.
Harrowmere works under the 2015 rules (its regime is data) but its story is as recent as
Kingsbrook's. Only references to real publications keep their real dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .calendar import FinancialYear, financial_year
from .models import Agency, Partnership, Person
from .roles import Role
from .services import agency_create, partnership_create, person_create, role_assign

DEMO_PASSWORD = "harrowmere-demo"
DEMO_SLUG = "harrowmere"
# Fixed TOTP keys for the demo people whose roles need two-factor sign-in.
DEMO_TOTP_KEYS = {
    "bu@harrowmere.example": "3132333435363738393031323334353637383930",
    "chair@harrowmere.example": "4132333435363738393031323334353637383930",
    "cdop@harrowmere.example": "5132333435363738393031323334353637383930",
}

AGENCIES = [
    ("social_care", "Harrowmere Children's Social Care", "social_care"),
    ("police", "Harrowmere and Vale Police", "police"),
    ("health", "Harrowmere Community Health Trust", "health_provider"),
    ("icb", "Harrowmere Integrated Care Board", "icb"),
    ("education", "Harrowmere Education Service", "education"),
    ("probation", "Vale Probation Service", "probation"),
    ("yjs", "Harrowmere Youth Justice Service", "youth_justice"),
    ("voluntary", "Harrowmere Family Support (charity)", "voluntary"),
]

# (key, email, name, job title, role, agency key, what they can do)
PEOPLE = [
    (
        "bu",
        "bu@harrowmere.example",
        "Priya Natarajan",
        "Business manager",
        Role.BUSINESS_UNIT,
        None,
        "Runs the partnership: every record, people and roles, history search. Two-factor sign-in.",
    ),
    (
        "chair",
        "chair@harrowmere.example",
        "Graham Oduya",
        "Independent chair",
        Role.CHAIR,
        None,
        "Decides on reviews, sees overdue and escalated actions, verifies impact. "
        "Two-factor sign-in.",
    ),
    (
        "board",
        "board@harrowmere.example",
        "Helen Marsh",
        "Director of Children's Services",
        Role.BOARD_MEMBER,
        "social_care",
        "Reads the partnership's work across agencies; Board papers.",
    ),
    (
        "lay",
        "lay@harrowmere.example",
        "Tom Birch",
        "Lay member",
        Role.LAY_MEMBER,
        None,
        "Reads the partnership's work; sits on peer challenge panels.",
    ),
    (
        "lichair",
        "li-chair@harrowmere.example",
        "Ruth Adebayo",
        "Head of Quality Assurance",
        Role.SUBGROUP_CHAIR,
        "social_care",
        "Chairs the Learning and Improvement sub-group.",
    ),
    (
        "subgroup",
        "subgroup@harrowmere.example",
        "Sam Kowalski",
        "Named nurse",
        Role.SUBGROUP_MEMBER,
        "health",
        "Sub-group member: reads the learning chain and reviews.",
    ),
    (
        "lead_sc",
        "lead.socialcare@harrowmere.example",
        "Dawn Fletcher",
        "Safeguarding lead",
        Role.SAFEGUARDING_LEAD,
        "social_care",
        "Sees and updates their agency's actions and returns.",
    ),
    (
        "lead_police",
        "lead.police@harrowmere.example",
        "Mark Ellison",
        "Detective Inspector",
        Role.SAFEGUARDING_LEAD,
        "police",
        "Police safeguarding lead: the police's actions and returns.",
    ),
    (
        "lead_health",
        "lead.health@harrowmere.example",
        "Aisha Rahman",
        "Named professional",
        Role.SAFEGUARDING_LEAD,
        "health",
        "Health safeguarding lead: health's actions and returns.",
    ),
    (
        "lead_charity",
        "lead.charity@harrowmere.example",
        "Esther Pengelly",
        "Designated safeguarding lead",
        Role.SAFEGUARDING_LEAD,
        "voluntary",
        "The family support charity's safeguarding lead: its Section 11 returns.",
    ),
    (
        "auditor",
        "auditor@harrowmere.example",
        "Joe Hartley",
        "Practice auditor",
        Role.AUDITOR,
        "social_care",
        "Audits their own agency's cases when assigned.",
    ),
    (
        "trainer",
        "trainer@harrowmere.example",
        "Nina Clarke",
        "Training co-ordinator",
        Role.TRAINER,
        None,
        "Runs the training programme, sessions and registers.",
    ),
    (
        "learner",
        "learner@harrowmere.example",
        "Ben Ogundipe",
        "Health visitor",
        Role.LEARNER,
        "health",
        "Books training and answers evaluations.",
    ),
    (
        "manager",
        "manager@harrowmere.example",
        "Claire Dunn",
        "Health visiting team leader",
        Role.LINE_MANAGER,
        "health",
        "Approves staff training and answers impact follow-ups.",
    ),
    (
        "cdop",
        "cdop@harrowmere.example",
        "Fiona Grant",
        "CDOP co-ordinator",
        Role.CDOP_COORDINATOR,
        None,
        "Runs child death reviews. Two-factor sign-in.",
    ),
    (
        "youth",
        "youth@harrowmere.example",
        "Leo Mensah",
        "Youth service worker",
        Role.YOUTH_COORDINATOR,
        None,
        "Runs the Youth Forum's records.",
    ),
    (
        "scrutineer",
        "scrutineer@harrowmere.example",
        "Pat Quinn",
        "Independent scrutineer",
        Role.SCRUTINEER,
        None,
        "Reads everything the partnership shares, changes nothing.",
    ),
]


@dataclass
class DemoContext:
    partnership: Partnership
    other_partnership: Partnership
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # The day the demo is built: every date in the story is counted from it.
    today: dt.date = field(default_factory=timezone.localdate)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def ahead(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    @property
    def year(self) -> FinancialYear:
        """The financial year the demo is built in."""
        return financial_year(self.today)


def logins() -> list[tuple[str, str, str]]:
    return [(email, role.label, does) for _k, email, _n, _j, role, _a, does in PEOPLE]


def build_core() -> DemoContext:
    partnership = partnership_create(
        name="Harrowmere Safeguarding Children Partnership",
        short_name="Harrowmere SCP",
        slug=DEMO_SLUG,
        area="Borough of Harrowmere (fictional)",
        regime="lscb-2015",
        brand_colour="#5a2d82",
        report_concern_text=(
            "If you are worried about a child in Harrowmere, call the children's services front "
            "door on 0100 000 0000 (fictional). In an emergency call 999."
        ),
        contact_email="partnership@harrowmere.example",
        contact_phone="01632 960 100 (fictional)",
        postal_address="Harrowmere Safeguarding Children Partnership\nCivic Centre\nMarket Street\n"
        "Harrowmere\nHM1 1AA (fictional)",
    )
    other = partnership_create(
        name="Kingsbrook Safeguarding Children Partnership",
        short_name="Kingsbrook SCP",
        slug="kingsbrook",
        area="Kingsbrook (fictional)",
        regime="current",
        brand_colour="#00703c",
        contact_email="scp@kingsbrook.example",
        contact_phone="01632 960 200 (fictional)",
        postal_address="Kingsbrook Safeguarding Children Partnership\nTown Hall\nKingsbrook\n"
        "KB1 2BB (fictional)",
    )
    ctx = DemoContext(partnership=partnership, other_partnership=other)
    for key, name, agency_type in AGENCIES:
        ctx.agencies[key] = agency_create(
            partnership=partnership, name=name, agency_type=agency_type
        )
    for key, email, name, job, role, agency_key, _does in PEOPLE:
        agency = ctx.agencies[agency_key] if agency_key else None
        person = person_create(
            partnership=partnership,
            email=email,
            full_name=name,
            job_title=job,
            role=role,
            agency=agency,
            password=DEMO_PASSWORD,
        )
        ctx.people[key] = person
    for key, agency_key in [
        ("lead_sc", "social_care"),
        ("lead_police", "police"),
        ("lead_health", "health"),
        ("lead_charity", "voluntary"),
    ]:
        agency = ctx.agencies[agency_key]
        agency.safeguarding_lead = ctx.people[key]
        agency.save()
    learner = ctx.people["learner"]
    learner.line_manager = ctx.people["manager"]
    learner.save()
    # Someone added this week who has not yet followed their invitation (People shows
    # "Invited", and the business unit can send it again).
    person_create(
        partnership=partnership,
        email="priya.newstart@harrowmere.example",
        full_name="Priya Newstart",
        job_title="Health visitor",
        role=Role.LEARNER,
        agency=ctx.agencies["health"],
        invited_by=ctx.people["bu"],
    )
    # The business unit also supports Kingsbrook (current rules), to show switching.
    role_assign(partnership=other, person=ctx.people["bu"], role=Role.BUSINESS_UNIT)
    agency_create(
        partnership=other, name="Kingsbrook Children's Services", agency_type="social_care"
    )
    return ctx
