"""Demo story for Harrowmere's Child Death Overview Panel (all fictional: invented case
numbers, first names only inside the restricted records, no real child or place).

Over two years the panel reviews deaths across the categories; one death is notified by a
hospital paediatrician through the public form; agencies return their reporting forms
through their links; the panel's analyses record modifiable factors, consanguinity recurs
in genetic and congenital deaths, a recommendation on safer sleep becomes an action, one
case is referred to the L&I sub-group for a learning lessons review and one to the Chair;
a consanguinity awareness campaign runs with faith and community organisations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from . import services
from .choices import NotifiedVia
from .reference import cdop_reference

# (first name, age in days at death, expected, JAR criteria, category, scores
#  child/social/physical/service, factors, modifiable factors, outcome, days ago)
CASES: list[tuple[Any, ...]] = [
    (
        "Ayaan",
        2,
        "expected",
        [],
        "chromosomal-genetic-congenital",
        (2, 1, 1, 1),
        ["consanguinity"],
        ["consanguinity"],
        "identified",
        690,
    ),
    (
        "Maisie",
        40,
        "unexpected",
        ["sudden-no-apparent-cause"],
        "sudden-unexpected-unexplained",
        (1, 2, 2, 1),
        ["unsafe-sleeping", "parental-smoking", "overcrowding"],
        ["unsafe-sleeping", "parental-smoking"],
        "identified",
        640,
    ),
    (
        "Iqra",
        9,
        "expected",
        [],
        "chromosomal-genetic-congenital",
        (2, 1, 1, 0),
        ["consanguinity"],
        ["consanguinity"],
        "identified",
        600,
    ),
    ("Theo", 3200, "expected", [], "malignancy", (1, 1, 1, 1), [], [], "none", 560),
    (
        "Hamza",
        1,
        "expected",
        [],
        "perinatal-neonatal",
        (2, 1, 1, 1),
        ["prematurity"],
        [],
        "none",
        520,
    ),
    (
        "Zainab",
        700,
        "expected",
        [],
        "chromosomal-genetic-congenital",
        (2, 1, 1, 2),
        ["consanguinity", "access-to-services"],
        ["consanguinity", "access-to-services"],
        "identified",
        470,
    ),
    (
        "Leo",
        5900,
        "unexpected",
        ["external-causes"],
        "trauma-external",
        (1, 1, 2, 1),
        ["road-safety"],
        ["road-safety"],
        "identified",
        430,
    ),
    (
        "Eva",
        300,
        "unexpected",
        [],
        "infection",
        (1, 1, 1, 2),
        ["delayed-recognition"],
        ["delayed-recognition"],
        "identified",
        380,
    ),
    (
        "Yusuf",
        5,
        "expected",
        [],
        "chromosomal-genetic-congenital",
        (2, 1, 1, 1),
        ["consanguinity"],
        [],
        "none",
        300,
    ),
    (
        "Ruby",
        5400,
        "unexpected",
        ["external-causes"],
        "suicide-self-harm",
        (2, 2, 1, 2),
        ["bullying", "information-sharing"],
        ["bullying", "information-sharing"],
        "identified",
        250,
    ),
    (
        "Aaliyah",
        20,
        "expected",
        [],
        "perinatal-neonatal",
        (2, 1, 1, 1),
        ["prematurity", "consanguinity"],
        [],
        "insufficient",
        190,
    ),
    (
        "Oscar",
        2400,
        "expected",
        [],
        "chronic-medical",
        (2, 1, 1, 1),
        ["disability"],
        [],
        "none",
        150,
    ),
    ("Noah", 150, "unexpected", ["sudden-no-apparent-cause"], "", (0, 0, 0, 0), [], [], "", 40),
    ("Lily", 4000, "expected", [], "", (0, 0, 0, 0), [], [], "", 25),
]

AGENCY_ANSWERS = {
    "health": {
        "involvement": "Health visiting from birth; last contact at the routine review.",
        "child-health": "Growth and development within the expected range.",
        "family-environment": "Two parents at home; a sibling aged three.",
        "service-issues": "Interpreter booked for one of four contacts only.",
    },
    "social_care": {
        "involvement": "No open episode. One contact in the previous year, no further action.",
        "family-environment": "Parents described as caring; housing overcrowded.",
        "safeguarding": "No child protection or child in need plan.",
    },
    "police": {
        "involvement": "Attended with the ambulance service under the joint agency response.",
        "physical-environment": "Scene consistent with the account given.",
        "safeguarding": "No previous police contact with the family.",
    },
}


def build(ctx: Any) -> None:
    p = ctx.partnership
    coordinator = ctx.people["cdop"]
    agencies = ctx.agencies
    today = ctx.today

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    cfg = services.settings_for(p)
    ref = cdop_reference()
    meetings = []
    for days in (400, 180, -21):
        meeting = services.cdopmeeting_create(
            partnership=p,
            held_on=today - dt.timedelta(days=days),
            title=f"CDOP meeting, {(today - dt.timedelta(days=days)):%B %Y}",
            location="Harrowmere Civic Centre, Room 4",
            by=coordinator,
        )
        for key in ("lead_health", "lead_police", "lead_sc"):
            services.meeting_member_add(meeting=meeting, person=ctx.people[key], by=coordinator)
        meetings.append(meeting)

    cases = []
    for i, row in enumerate(CASES):
        (
            name,
            age_days,
            expected,
            jar,
            category,
            scores,
            factors,
            modifiable_factors,
            outcome,
            days,
        ) = row
        died = ago(days)
        via_public = i == len(CASES) - 2  # a hospital paediatrician used the public form
        case = services.childdeath_notify(
            partnership=p,
            by=None if via_public else coordinator,
            via=NotifiedVia.PUBLIC_FORM if via_public else NotifiedVia.COORDINATOR,
            notifier_name="Dr Imogen Faulkner" if via_public else "Ward manager, neonatal unit",
            notifier_role="Consultant paediatrician" if via_public else "Ward manager",
            notifier_organisation="Harrowmere General Hospital (fictional)",
            notifier_email="i.faulkner@hospital.example" if via_public else "",
            first_name=name,
            date_of_birth=died - dt.timedelta(days=age_days),
            date_of_death=died,
            expected=expected,
            jar_criteria=jar,
            jar_started_on=died if jar else None,
            circumstances="Fictional demo circumstances.",
            notified_on=died + dt.timedelta(days=1),
        )
        if jar:
            services.childdeath_update(
                case=case, by=coordinator, jar_completed_on=died + dt.timedelta(days=5)
            )
        cases.append(case)
        for key in ("health", "social_care", "police") if jar else ("health", "social_care"):
            _report, token = services.agency_report_request(
                case=case,
                agency=agencies[key],
                contact_name=f"{agencies[key].name} CDOP contact",
                contact_email=f"cdop.{key}@agency.example",
                supplementary=["sudi"] if "sudden-no-apparent-cause" in jar else [],
                by=coordinator,
                today=died + dt.timedelta(days=2),
            )
            if days > 60:
                services.agency_report_submit(
                    token=token,
                    received_at=timezone.make_aware(
                        dt.datetime.combine(died + dt.timedelta(days=12), dt.time(10))
                    ),
                    answers=AGENCY_ANSWERS[key],
                    completed_by=f"Named professional, {agencies[key].name}",
                )
        if days > 120:
            services.review_meeting_record(
                case=case,
                held_on=died + dt.timedelta(days=30),
                attendees="GP\nHealth visitor\nPaediatrician\nSocial worker",
                summary="The professionals agreed the chronology and the questions for the panel.",
                by=coordinator,
            )
            meeting = meetings[0] if days > 400 else meetings[1]
            services.meeting_case_add(meeting=meeting, case=case, by=coordinator)
            services.analysis_record(
                case=case,
                by=coordinator,
                category=category,
                modifiable=outcome,
                scores=dict(zip(("child", "social", "physical", "service"), scores, strict=True)),
                factors=factors,
                modifiable_factors=modifiable_factors,
                # The factors by name, as the panel writes them (their codes are internal).
                learning_points="Fictional learning point: "
                + (", ".join(ref.label(ref.factors, f).lower() for f in factors) or "none recorded")
                + ".",
                completed_on=meeting.held_on,
                meeting=meeting,
            )
        else:
            services.meeting_case_add(meeting=meetings[2], case=case, by=coordinator)

    sudi = cases[1]
    rec, _action = services.analysis_recommend(
        analysis=sudi.analysis,
        text="Health visitors repeat safer sleep advice at every contact, with an interpreter "
        "where needed.",
        agencies=[agencies["health"]],
        action_title="Safer sleep advice at every health visiting contact",
        owner_agency=agencies["health"],
        due_on=today + dt.timedelta(days=45),
        success_measure="Audit of 30 records shows safer sleep advice recorded at 90% of contacts.",
        owner=ctx.people["lead_health"],
        by=coordinator,
    )
    services.analysis_recommend(
        analysis=cases[5].analysis,
        text="Offer genetic counselling information in community languages through GP practices.",
        agencies=[agencies["icb"]],
        action_title="Genetic counselling leaflet in five community languages",
        owner_agency=agencies["icb"],
        due_on=today + dt.timedelta(days=90),
        success_measure="Leaflet available in every GP practice; referrals to genetic "
        "counselling rise.",
        by=coordinator,
    )
    services.cdop_referral_create(
        case=cases[9],
        kind="learning_lessons",
        reasons="Agencies held pieces of information about bullying that were not shared: "
        "multi-agency learning for a learning lessons review.",
        by=coordinator,
        referred_on=ago(200),
    )
    services.cdop_referral_create(
        case=cases[6],
        kind="chair",
        reasons="To consider whether the criteria for a serious case review are met.",
        by=coordinator,
        referred_on=ago(400),
    )
    services.campaign_create(
        partnership=p,
        title="Cousin marriage and your baby's health: community conversations",
        kind="campaign",
        audience="public",
        partners="Harrowmere Central Mosque (fictional), Harrowmere Interfaith Forum (fictional), "
        "Harrowmere Family Support (charity)",
        factor="consanguinity",
        started_on=ago(330),
        ended_on=ago(150),
        reach=1450,
        description="Talks after Friday prayers, leaflets in five languages, and a helpline for "
        "genetic counselling, led with faith and community organisations.",
        published=True,
        by=coordinator,
    )
    services.campaign_create(
        partnership=p,
        title="Consanguinity workshops for health and social care staff",
        kind="workshop",
        audience="professionals",
        partners="Harrowmere Community Health Trust",
        factor="consanguinity",
        started_on=ago(280),
        reach=85,
        by=coordinator,
    )
    services.campaign_create(
        partnership=p,
        title="CDOP newsletter: safer sleep",
        kind="newsletter",
        audience="both",
        factor="unsafe-sleeping",
        started_on=ago(90),
        reach=2300,
        description="Safer sleep for every baby, every sleep: a back-to-basics guide for "
        "parents and carers, sent to every family with a new baby.",
        published=True,
        by=coordinator,
    )
    ctx.extra["cdop_recommendation"] = rec
    ctx.extra["cdop_settings"] = cfg
