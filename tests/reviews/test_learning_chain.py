"""Pages list only the learning chain the reader may open (issue 18, gap 3).

The chain of a source (a review, an inspection...) comes from
`lift.learning.selectors.chain_for(user, source)`, which narrows each level by
`restrict(user, "view")`; before, the pages read it unrestricted and listed, by title and
link, actions that answer "not found" to a safeguarding lead of another agency.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from lift.core.models import Agency, Partnership, Person
from lift.inspections import services as inspections
from lift.learning.models import Action
from lift.learning.selectors import chain_for
from lift.learning.services import action_create, finding_create, recommendation_create
from lift.reviews.models import Incident, Review
from tests.reviews.test_services import decide

OTHER_TITLE = "Police brief their custody sergeants"


def action_links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]*/actions/\d+/)"', html))


def assert_lists_only(client: Client, url: str, own: Action) -> None:
    """The page lists the reader's action (and its link opens) and not the other one."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert own.title in html
    assert OTHER_TITLE not in html
    links = action_links(html)
    assert links <= {own.get_absolute_url()}
    for link in links:
        assert client.get(link).status_code == 200


@pytest.fixture
def review(incident: Incident, chair: Person) -> Review:
    decide(incident, chair)
    return Review.objects.get(incident=incident)


def test_review_page_lists_only_actions_the_reader_may_open(
    review: Review,
    lead: Person,
    agency: Agency,
    other_agency: Agency,
    client_for: Callable[[Person | None], Client],
) -> None:
    own = action_create(
        title="Audit our referrals",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="Audit done",
        source=review,
    )
    other = action_create(
        title=OTHER_TITLE,
        owner_agency=other_agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="Briefing held",
        source=review,
    )
    client = client_for(lead)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert_lists_only(client, review.get_absolute_url(), own)
    assert action_links(client.get(review.get_absolute_url()).content.decode()) == {
        own.get_absolute_url()
    }


def test_inspection_and_progress_report_list_only_actions_the_reader_may_open(
    partnership: Partnership,
    agency: Agency,
    other_agency: Agency,
    business_unit: Person,
    lead: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    inspection = inspections.inspection_create(
        partnership=partnership,
        agency=agency,
        inspectorate="ofsted",
        title="Inspection of children's services",
        started_on=dt.date(2025, 1, 13),
        ended_on=dt.date(2025, 1, 24),
        published_on=dt.date(2025, 3, 4),
        by=business_unit,
    )
    rec = inspections.inspection_recommend(
        inspection=inspection, text="Improve supervision.", by=business_unit
    )
    own = inspections.action_plan_add(
        recommendation=rec,
        title="Monthly supervision audit",
        owner_agency=agency,
        due_on=dt.date(2025, 6, 30),
        success_measure="Audits show supervision monthly",
        by=business_unit,
    )
    inspections.action_plan_add(
        recommendation=rec,
        title=OTHER_TITLE,
        owner_agency=other_agency,
        due_on=dt.date(2025, 6, 30),
        success_measure="Briefing held",
        by=business_unit,
    )
    client = client_for(lead)
    assert_lists_only(client, inspection.get_absolute_url(), own)
    report = inspection.progress_reports.get()
    assert_lists_only(client, report.get_absolute_url(), own)
    # The Board's oversight sees the whole plan.
    page = client_for(business_unit).get(report.get_absolute_url()).content.decode()
    assert own.title in page and OTHER_TITLE in page


def test_chain_for_restricts_every_level(
    review: Review,
    agency: Agency,
    other_agency: Agency,
    business_unit: Person,
    lead: Person,
    learner: Person,
) -> None:
    finding = finding_create(
        source=review,
        title="Referrals were not followed up",
        text="Two referrals had no reply.",
        identified_on=dt.date(2025, 6, 1),
    )
    rec = recommendation_create(source=review, text="Follow up every referral.")
    # An action carrying the review's recommendation, though its own source is the incident.
    carried = action_create(
        title="Follow-up checklist",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="Checklist used",
        recommendation=rec,
        source=review.incident,
    )
    owned = action_create(
        title=OTHER_TITLE,
        owner_agency=other_agency,
        owner=learner,
        due_on=dt.date(2025, 9, 1),
        success_measure="Briefing held",
        source=review,
    )

    whole = chain_for(business_unit, review)
    assert list(whole.findings) == [finding]
    assert list(whole.recommendations) == [rec]
    assert set(whole.actions) == {carried, owned}

    # A lead reads the partnership's learning but only their own agency's actions.
    theirs = chain_for(lead, review)
    assert list(theirs.findings) == [finding]
    assert list(theirs.recommendations) == [rec]
    assert list(theirs.actions) == [carried]

    # A learner reads no findings or recommendations, only the action they own.
    own = chain_for(learner, review)
    assert not own.findings.exists() and not own.recommendations.exists()
    assert list(own.actions) == [owned]
