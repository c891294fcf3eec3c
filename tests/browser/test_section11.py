"""Section 11 in a real browser: a safeguarding lead answers each requirement (one per page),
checks the answers and submits the return; the lay member reads the peer challenge page and
the overview report's heat map. axe-core finds no violation on any page visited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from lift.core.models import Agency, Partnership, Person, RoleAssignment
from lift.core.roles import Role
from lift.core.views.accounts import ensure_totp_device
from lift.section11 import services
from lift.section11.frameworks import framework_load, parse_text
from lift.section11.models import Cycle

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]
PASSWORD = "correct horse battery staple"


def _framework_text() -> str:
    urn = "urn:lift:section11:ashbrook-short"
    return yaml.safe_dump(
        {
            "id": "ashbrook-short",
            "urn": urn,
            "version": 1,
            "name": "Ashbrook short self-assessment",
            "short_name": "Ashbrook short",
            "scale": {
                "key": "rag",
                "name": "Fully, partially or not met",
                "levels": [
                    {"value": "fully", "label": "Fully met", "score": 3, "colour": "green"},
                    {
                        "value": "partially",
                        "label": "Partially met",
                        "score": 2,
                        "colour": "yellow",
                    },
                    {"value": "not-met", "label": "Not met", "score": 1, "colour": "red"},
                ],
            },
            "standards": [
                {
                    "ref": str(s),
                    "urn": f"{urn}:standard:{s}",
                    "title": title,
                    "requirements": [
                        {
                            "ref": f"{s}.{q}",
                            "urn": f"{urn}:requirement:{s}.{q}",
                            "text": text,
                            "guidance": "Say what you do and how you know it works.",
                            "evidence": ["Policy", "Audit"],
                            "essential": q == 1,
                        }
                        for q, text in enumerate(reqs, start=1)
                    ],
                }
                for s, (title, reqs) in enumerate(
                    [
                        (
                            "Senior management have commitment to the importance of "
                            "safeguarding and promoting children's welfare",
                            ["A named senior manager is accountable for safeguarding."],
                        ),
                        (
                            "There is effective information sharing",
                            ["Staff know when to share information without consent."],
                        ),
                    ],
                    start=1,
                )
            ],
        },
        sort_keys=False,
    )


@dataclass
class Cast:
    partnership: Partnership
    lead: Person
    lay: Person
    panel_lead: Person
    cycle: Cycle


@pytest.fixture
def cast(transactional_db: Any) -> Cast:
    """A fictional partnership, two agencies, their leads, a lay member, an open cycle."""
    partnership = Partnership.objects.create(
        name="Ashbrook Vale Safeguarding Children Partnership",
        short_name="Ashbrook Vale SCP",
        slug="ashbrook-vale",
        area="Ashbrook Vale",
        regime="lscb-2015",
    )
    social_care = Agency.objects.create(
        partnership=partnership, name="Ashbrook Vale Children's Services", agency_type="social_care"
    )
    police = Agency.objects.create(
        partnership=partnership, name="Ashbrook Vale Police", agency_type="police"
    )

    def person(email: str, name: str, role: str, agency: Agency | None) -> Person:
        p = Person.objects.create_user(email, PASSWORD, full_name=name, agency=agency)
        RoleAssignment.objects.create(person=p, partnership=partnership, role=role, agency=agency)
        return p

    lead = person("sam.lead@example.org", "Sam Okonkwo-Hale", Role.SAFEGUARDING_LEAD, social_care)
    panel_lead = person("ali.police@example.org", "Ali Brennan", Role.SAFEGUARDING_LEAD, police)
    lay = person("lee.lay@example.org", "Lee Ashworth", Role.LAY_MEMBER, None)
    framework, _ = framework_load(
        parsed=parse_text(_framework_text(), "ashbrook-short.yaml"), partnership=partnership
    )
    cycle = services.cycle_create(
        partnership=partnership,
        name="2015-17",
        framework=framework,
        agencies=[social_care, police],
        starts_on=dt.date(2015, 9, 1),
        deadline=dt.date(2015, 12, 18),
        challenge_starts_on=dt.date(2016, 1, 11),
        challenge_ends_on=dt.date(2016, 2, 26),
    )
    services.cycle_open(cycle=cycle)
    panel = services.panel_create(cycle=cycle, name="Panel A")
    services.panel_member_add(panel=panel, person=lay, is_lay=True, is_chair=True)
    services.panel_member_add(panel=panel, person=panel_lead)
    return Cast(partnership, lead, lay, panel_lead, cycle)


def test_lead_answers_and_submits_the_return(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, cast.lead.email, PASSWORD)
    page.goto("/")
    # The return is a step on the lead's to-do list (so its panel line gives way to it).
    todo = page.locator("section.lift-todo-list")
    assert "0 of 2 requirements answered" in todo.inner_text()
    assert "Everything here is on your to-do list above." in (
        page.locator("section", has_text="Our Section 11 return").inner_text()
    )
    todo.get_by_role(
        "link",
        name="Complete and submit the Section 11 return for "
        "Ashbrook Vale Children's Services, 2015-17",
    ).click()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Ashbrook Vale Children's Services")
    )
    assert_accessible(page)

    page.get_by_role("link", name="Continue the return").click()
    assert page.get_by_role("heading", name="Requirement 1.1").is_visible()
    assert_accessible(page)
    # Submitting without a rating shows a GOV.UK error summary.
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Fully met").check()
    page.get_by_label("How you meet this requirement").fill(
        "The director of children's services is accountable; reported to the Board yearly."
    )
    page.get_by_label("Links to evidence").fill("https://intranet.example.org/policy")
    page.get_by_role("button", name="Save and continue").click()

    assert page.get_by_role("heading", name="Requirement 2.1").is_visible()
    page.get_by_label("Partially met").check()
    page.get_by_role("button", name="Save and continue").click()

    assert page.get_by_role("heading", name="Check your answers before submitting").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the return").click()
    assert page.locator(".govuk-tag", has_text="Submitted").first.is_visible()
    assert "2 of 2 requirements answered" in page.locator("#progress").inner_text()
    assert page.get_by_role("link", name="Continue the return").count() == 0
    assert_accessible(page)

    page.goto(cast.cycle.get_absolute_url())
    assert_accessible(page)
    page.goto(cast.cycle.framework.get_absolute_url())
    assert_accessible(page)


def test_lay_member_reads_the_challenge_and_the_heat_map(
    page: Page, cast: Cast, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    ret = cast.cycle.returns.get(agency__name__contains="Children")
    for answer in ret.answers.all():
        services.answer_save(answer=answer, by=cast.lead, self_rating="fully", narrative="Yes.")
    services.return_submit(agency_return=ret, by=cast.lead)
    services.return_assign_panel(agency_return=ret, panel=cast.cycle.panels.get())
    services.challenge_start(agency_return=ret, by=cast.lay)
    login(page, cast.lay.email, PASSWORD)
    page.goto(f"/section11/returns/{ret.pk}/challenge/")
    assert_accessible(page)
    page.get_by_role("link", name="Moderate requirement 1.1").click()
    page.get_by_label("Partially met").check()
    page.get_by_label("Why (optional)").fill("The annual report did not reach the Board.")
    page.get_by_role("button", name="Save the moderated rating").click()
    assert "Changed" in page.locator(f"#answer-{ret.answers.first().pk}").inner_text()
    assert_accessible(page)
    page.goto(f"/section11/{cast.cycle.pk}/report/")
    assert page.get_by_role("heading", name="Heat map: ratings by agency and standard").is_visible()
    assert page.locator(".lift-heatmap .govuk-tag--yellow").count() >= 1
    assert_accessible(page)


def test_business_unit_uploads_a_framework_file(
    cast: Cast, page: Page, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    """A malformed file is refused with the loader's reason and nothing stored; a second
    framework (another area's tool) loads without code changes."""
    bu = Person.objects.create_user("bo.unit@example.org", PASSWORD, full_name="Bo Unit")
    RoleAssignment.objects.create(person=bu, partnership=cast.partnership, role=Role.BUSINESS_UNIT)
    ensure_totp_device(bu, "6132333435363738393031323334353637383930")  # the role needs MFA
    login(page, bu.email, PASSWORD)
    page.goto("/section11/frameworks/upload/")
    assert_accessible(page)
    page.get_by_label("Framework file").set_input_files(
        {"name": "broken.yaml", "mimeType": "text/yaml", "buffer": b"id: [unclosed\n"}
    )
    page.get_by_role("button", name="Check and load the framework").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    text = _framework_text().replace("ashbrook-short", "ashbrook-schools")
    text = text.replace("Ashbrook short", "Ashbrook schools")
    page.get_by_label("Framework file").set_input_files(
        {"name": "schools.yaml", "mimeType": "text/yaml", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Check and load the framework").click()
    page.wait_for_load_state()
    assert "Framework loaded" in page.content()
    assert_accessible(page)
