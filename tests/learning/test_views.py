"""Pages: permissions for every view, the workflow through the forms, exports, query
counts and the calendar feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from lift.core.models import ChangeLog
from lift.learning import services
from lift.learning.choices import ActionStatus, Addressee
from lift.learning.models import Action, Evidence, Finding, Recommendation, Theme
from lift.learning.views.feeds import token_for

from ..permissions import assert_permissions
from .conftest import TODAY, completed, with_link_evidence

pytestmark = pytest.mark.django_db
S = ActionStatus


# --- permissions of every view ----------------------------------------------------------


def test_tracker_lists(chair, business_unit, board_member, lead, learner, police_lead, outsider):
    assert_permissions("/actions/", allowed=[chair, business_unit, lead, learner, outsider])
    assert_permissions("/actions/ours/", allowed=[lead, police_lead, chair])
    assert_permissions(
        "/actions/overdue/",
        allowed=[chair, business_unit, board_member],
        forbidden=[lead, learner],
    )
    assert_permissions("/actions/add/", allowed=[business_unit, chair], forbidden=[lead, learner])
    assert_permissions("/actions/calendar.ics", allowed=[lead, chair])


def test_action_pages(action, chair, business_unit, board_member, lead, police_lead, outsider):
    pk = action.pk
    for url in (f"/actions/{pk}/", f"/actions/{pk}/history/"):
        assert_permissions(
            url,
            allowed=[chair, business_unit, board_member, lead],
            not_found=[police_lead, outsider],
        )
    for url in (
        f"/actions/{pk}/edit/",
        f"/actions/{pk}/status/completed/",
        f"/actions/{pk}/status/superseded/",
        f"/actions/{pk}/updates/add/",
        f"/actions/{pk}/due-date/",
        f"/actions/{pk}/evidence/add/",
        f"/actions/{pk}/impact/add/",
    ):
        assert_permissions(
            url,
            allowed=[chair, business_unit, lead],
            not_found=[police_lead, outsider],
            forbidden=[board_member],
        )


def test_verify_page_only_for_verifiers(
    action, chair, business_unit, board_member, lead, police_lead, outsider
):
    completed(action, lead)
    with_link_evidence(action, lead)
    check = services.impact_check_record(
        action=action, by=lead, method="reaudit", measured="m", result="r", outcome="improved"
    )
    assert_permissions(
        f"/actions/{action.pk}/impact/{check.pk}/verify/",
        allowed=[chair, business_unit, board_member],
        not_found=[police_lead, outsider],
        forbidden=[lead],
    )


def test_unknown_move_is_not_found(action, chair, client_for):
    c = client_for(chair)
    assert c.get(f"/actions/{action.pk}/status/closed/").status_code == 404
    assert c.get(f"/actions/{action.pk}/status/nonsense/").status_code == 404


def test_finding_pages(lesson, business_unit, chair, subgroup_member, lead, learner, outsider):
    pk = lesson.pk
    assert_permissions("/findings/", allowed=[business_unit, lead, subgroup_member])
    assert_permissions("/findings/add/", allowed=[business_unit, chair], forbidden=[lead])
    for url in (f"/findings/{pk}/", f"/findings/{pk}/history/"):
        assert_permissions(url, allowed=[business_unit, lead], not_found=[outsider, learner])
    assert_permissions(
        f"/findings/{pk}/edit/", allowed=[business_unit], not_found=[outsider], forbidden=[lead]
    )
    assert_permissions(
        f"/findings/{pk}/applies/",
        allowed=[business_unit, subgroup_member],
        not_found=[outsider],
        forbidden=[lead],
    )
    assert_permissions(
        f"/findings/{pk}/recommend/",
        allowed=[business_unit, chair],
        not_found=[outsider],
        forbidden=[lead, subgroup_member],
    )


@pytest.fixture
def recommendation(partnership, agency):
    return services.recommendation_create(
        source=None,
        partnership=partnership,
        text="Agencies use a shared chronology template.",
        addressee=Addressee.AGENCIES,
        agencies=[agency],
        reference="R1",
    )


def test_recommendation_pages(
    recommendation, business_unit, chair, lead, police_lead, learner, outsider
):
    pk = recommendation.pk
    assert_permissions("/recommendations/", allowed=[business_unit, lead])
    assert_permissions("/recommendations/add/", allowed=[business_unit], forbidden=[lead])
    for url in (f"/recommendations/{pk}/", f"/recommendations/{pk}/history/"):
        assert_permissions(url, allowed=[business_unit, lead], not_found=[outsider, learner])
    assert_permissions(
        f"/recommendations/{pk}/edit/",
        allowed=[business_unit],
        not_found=[outsider],
        forbidden=[lead],
    )
    # A lead responds for their own agency only: another agency's lead sees the
    # recommendation but may not respond (403, ADR 0007).
    assert_permissions(
        f"/recommendations/{pk}/respond/",
        allowed=[business_unit, chair, lead],
        not_found=[outsider],
        forbidden=[police_lead],
    )


def test_theme_pages(partnership, business_unit, chair, lead, outsider):
    own = services.theme_create(partnership=partnership, by=business_unit, name="Private fostering")
    shared = Theme.objects.get(code="neglect", partnership__isnull=True)
    assert_permissions("/themes/", allowed=[business_unit, lead])
    assert_permissions("/themes/recurring/", allowed=[business_unit, lead, chair])
    assert_permissions("/themes/add/", allowed=[business_unit], forbidden=[lead, chair])
    for url in (f"/themes/{own.pk}/", f"/themes/{own.pk}/history/"):
        assert_permissions(url, allowed=[business_unit, lead], not_found=[outsider])
    assert_permissions(f"/themes/{shared.pk}/", allowed=[business_unit, lead, outsider])
    assert_permissions(
        f"/themes/{own.pk}/edit/", allowed=[business_unit], not_found=[outsider, lead]
    )
    # The shared taxonomy is edited in reference/themes.yaml, not in the product.
    assert_permissions(f"/themes/{shared.pk}/edit/", not_found=[business_unit])


def test_library_pages(library_item, business_unit, chair, lead, learner, outsider):
    pk = library_item.pk
    assert_permissions("/library/", allowed=[business_unit, lead, learner])
    assert_permissions("/library/add/", allowed=[business_unit], forbidden=[lead])
    for url in (f"/library/{pk}/", f"/library/{pk}/history/"):
        assert_permissions(url, allowed=[business_unit, lead, learner], not_found=[outsider])
    assert_permissions(
        f"/library/{pk}/edit/", allowed=[business_unit], not_found=[outsider], forbidden=[lead]
    )
    assert_permissions(
        f"/library/{pk}/lessons/add/",
        allowed=[business_unit, chair],
        not_found=[outsider],
        forbidden=[lead],
    )


@pytest.fixture
def briefing(partnership, lesson, agency, chair):
    return services.dissemination_create(
        partnership=partnership,
        by=chair,
        kind="briefing",
        title="Seven-minute briefing: cumulative neglect",
        held_on=TODAY,
        audience="Front-line practitioners",
        findings=[lesson],
        agencies_reached=[agency],
        people_reached=64,
    )


def test_dissemination_pages(briefing, business_unit, lead, learner, outsider, make_person):
    trainer = make_person("trainer")
    pk = briefing.pk
    assert_permissions("/dissemination/", allowed=[business_unit, lead, learner])
    assert_permissions("/dissemination/add/", allowed=[business_unit, trainer], forbidden=[lead])
    for url in (f"/dissemination/{pk}/", f"/dissemination/{pk}/history/"):
        assert_permissions(url, allowed=[business_unit, lead, learner], not_found=[outsider])
    assert_permissions(
        f"/dissemination/{pk}/edit/",
        allowed=[business_unit, trainer],
        not_found=[outsider],
        forbidden=[lead],
    )


# --- the workflow through the pages -----------------------------------------------------


def test_lead_updates_evidences_and_completes(action, lead, client_for):
    c = client_for(lead)
    r = c.post(f"/actions/{action.pk}/updates/add/", {"text": "Two of three teams trained."})
    assert r.status_code == 302
    r = c.post(
        f"/actions/{action.pk}/evidence/add/",
        {"kind": "link", "description": "Register", "url": "https://example.org/register"},
    )
    assert r.status_code == 302
    upload = SimpleUploadedFile("notes.txt", b"Training notes (fictional)\n")
    r = c.post(
        f"/actions/{action.pk}/evidence/add/",
        {"kind": "file", "description": "Notes", "uploaded_file": upload},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    r = c.post(f"/actions/{action.pk}/status/completed/", {"reason": ""})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == S.COMPLETED
    page = c.get(action.get_absolute_url()).content.decode()
    assert "Two of three teams trained." in page
    file_evidence = Evidence.objects.get(kind="file")
    assert f"/files/{file_evidence.attachment_id}/" in page
    # The download goes through the permission check of the action.
    assert c.get(f"/files/{file_evidence.attachment_id}/").status_code == 200


def test_download_refused_to_another_agency(action, lead, police_lead, client_for):
    upload = SimpleUploadedFile("notes.txt", b"Training notes (fictional)\n")
    evidence = services.evidence_add(
        action=action, by=lead, kind="file", description="Notes", uploaded_file=upload
    )
    assert client_for(police_lead).get(f"/files/{evidence.attachment_id}/").status_code == 404


def test_rule_errors_show_on_the_form(make_action, lead, client_for):
    action = make_action(status=S.PROPOSED)
    c = client_for(lead)
    r = c.post(f"/actions/{action.pk}/status/not_accepted/", {"reason": ""})
    assert r.status_code == 200 and "govuk-error-summary" in r.content.decode()
    r = c.post(f"/actions/{action.pk}/status/completed/", {"reason": ""})
    assert r.status_code == 200
    assert "cannot move to that status" in r.content.decode()
    r = c.post(
        f"/actions/{action.pk}/evidence/add/", {"kind": "link", "description": "x", "url": ""}
    )
    assert "Evidence needs a file, a link or a note" in r.content.decode()
    r = c.post(f"/actions/{action.pk}/due-date/", {"due_on": "2030-01-01", "reason": ""})
    assert r.status_code == 200
    action.refresh_from_db()
    assert action.status == S.PROPOSED and action.due_on != dt.date(2030, 1, 1)


def test_chair_records_and_verifies_impact(action, lead, chair, client_for):
    completed(action, lead)
    with_link_evidence(action, lead)
    c = client_for(chair)
    r = c.post(
        f"/actions/{action.pk}/impact/add/",
        {
            "method": "reaudit",
            "measured": "Use of the screening tool in 20 cases",
            "result": "17 of 20",
            "outcome": "improved",
            "compared_from": "2024 Q1",
            "compared_to": "2025 Q1",
            "checked_on": "2025-03-01",
        },
    )
    assert r.status_code == 302
    check = action.impact_checks.get()
    url = f"/actions/{action.pk}/impact/{check.pk}/verify/"
    assert c.post(url, {}).status_code == 200  # the confirmation is needed
    assert c.post(url, {"confirm": "on"}).status_code == 302
    action.refresh_from_db()
    assert action.status == S.CLOSED
    entry = ChangeLog.objects.filter(
        content_type__model="action", object_id=str(action.pk), actor=chair
    )
    assert entry.exists()


def test_supersede_page_names_the_replacement(make_action, lead, client_for):
    old, new = make_action(), make_action(title="Wider action")
    r = client_for(lead).post(
        f"/actions/{old.pk}/status/superseded/", {"superseded_by": new.pk, "reason": "Merged"}
    )
    assert r.status_code == 302
    old.refresh_from_db()
    assert old.status == S.SUPERSEDED and old.superseded_by == new


def test_add_action_from_recommendation(recommendation, agency, lead, business_unit, client_for):
    c = client_for(business_unit)
    page = c.get(f"/actions/add/?recommendation={recommendation.pk}")
    assert page.status_code == 200
    r = c.post(
        "/actions/add/",
        {
            "title": "Adopt the chronology template",
            "recommendation": recommendation.pk,
            "owner_agency": agency.pk,
            "owner": lead.pk,
            "due_on": "2025-09-30",
            "priority": "high",
            "success_measure": "Template used in 9 of 10 audited cases",
            "status": "agreed",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    action = Action.objects.get(title="Adopt the chronology template")
    assert action.recommendation == recommendation and action.partnership == agency.partnership


def test_respond_needs_reason(recommendation, lead, client_for):
    c = client_for(lead)
    url = f"/recommendations/{recommendation.pk}/respond/"
    assert c.post(url, {"response": "not_accepted", "reason": ""}).status_code == 200
    assert c.post(url, {"response": "accepted"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.response == "accepted"


def test_library_lesson_judged_and_recommended(
    library_item, business_unit, subgroup_member, client_for
):
    c = client_for(business_unit)
    r = c.post(
        f"/library/{library_item.pk}/lessons/add/",
        {"title": "Use chronologies", "text": "They show cumulative harm.", "kind": "improvement"},
    )
    assert r.status_code == 302
    finding = Finding.objects.get(title="Use chronologies")
    assert finding.source == library_item
    r = client_for(subgroup_member).post(f"/findings/{finding.pk}/applies/", {"applies": "yes"})
    assert r.status_code == 302
    r = c.post(
        f"/findings/{finding.pk}/recommend/",
        {"text": "Every agency keeps a chronology", "addressee": "partnership"},
    )
    assert r.status_code == 302
    rec = Recommendation.objects.get(text="Every agency keeps a chronology")
    assert rec.findings.get() == finding
    page = c.get(finding.get_absolute_url()).content.decode()
    assert library_item.get_absolute_url() in page  # the source is linked


def test_finding_shows_dissemination(briefing, lesson, business_unit, client_for):
    page = client_for(business_unit).get(lesson.get_absolute_url()).content.decode()
    assert briefing.title in page and "reaching 64 people" in page


def test_business_unit_adds_a_theme(business_unit, client_for, partnership):
    r = client_for(business_unit).post(
        "/themes/add/", {"name": "Private fostering", "code": "", "description": ""}
    )
    assert r.status_code == 302
    assert Theme.objects.get(partnership=partnership, code="private-fostering")


def test_forms_create_findings_and_disseminations(business_unit, lesson, agency, client_for):
    c = client_for(business_unit)
    neglect = Theme.objects.get(code="neglect")
    r = c.post(
        "/findings/add/",
        {
            "title": "Fathers not seen",
            "text": "Assessments rarely included fathers.",
            "kind": "improvement",
            "identified_on": "2025-02-01",
            "themes": [neglect.pk],
        },
    )
    assert r.status_code == 302
    r = c.post(
        "/dissemination/add/",
        {
            "kind": "newsletter",
            "title": "Spring newsletter",
            "held_on": "2025-03-01",
            "audience": "All partners",
            "findings": [lesson.pk],
            "agencies_reached": [agency.pk],
            "people_reached": "300",
            "summary": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]


# --- exports, counts and query counts ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/actions/", "/actions/ours/", "/findings/", "/recommendations/", "/library/", "/themes/"],
)
def test_every_list_exports(url, action, lesson, business_unit, client_for):
    c = client_for(business_unit)
    csv = c.get(url + "?export=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    xlsx = c.get(url + "?export=xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_recurring_themes_page_and_export(library_item, business_unit, client_for):
    for year in (2023, 2025):
        services.lesson_add(
            item=library_item,
            by=business_unit,
            title=f"Lesson {year}",
            text="t",
            themes=["neglect"],
            identified_on=dt.date(year, 5, 1),
        )
    c = client_for(business_unit)
    assert "Neglect" in c.get("/themes/recurring/").content.decode()
    body = b"".join(c.get("/themes/recurring/?export=csv").streaming_content).decode()
    assert "Neglect,2,1,2,2023,2025" in body
    assert c.get("/themes/recurring/?export=xlsx").status_code == 200


def test_dissemination_and_overdue_export(briefing, make_action, chair, client_for):
    make_action(due_on=dt.date(2020, 1, 1))
    c = client_for(chair)
    assert c.get("/dissemination/?export=csv").status_code == 200
    body = b"".join(c.get("/actions/overdue/?export=csv").streaming_content).decode()
    assert "Refresh neglect screening tool training" in body


def test_tracker_filters_and_counts(make_action, other_agency, police_lead, chair, client_for):
    make_action()
    make_action(owner_agency=other_agency, owner=police_lead, due_on=dt.date(2020, 1, 1))
    c = client_for(chair)
    r = c.get(f"/actions/?agency={other_agency.pk}")
    assert r.context["page_obj"].paginator.count == 1
    assert r.context["counts"].total == 1
    assert c.get("/actions/?overdue=true").context["page_obj"].paginator.count == 1
    r = c.get("/actions/?status=in_progress&area=&due_within=")
    assert r.context["page_obj"].paginator.count == 2


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_tracker_query_count_is_flat(
    make_action, agency, chair, client_for, django_assert_max_num_queries
):
    c = client_for(chair)
    neglect = Theme.objects.get(code="neglect")
    for i in range(5):
        make_action(title=f"Action {i}", themes=[neglect])
    _queries(c, "/actions/")  # warm caches (content types, sessions)
    few = _queries(c, "/actions/")
    for i in range(5, 50):
        make_action(title=f"Action {i}", themes=[neglect])
    with django_assert_max_num_queries(few):
        c.get("/actions/")
    assert _queries(c, "/actions/") == few


def test_tracker_does_not_list_everyone_as_an_owner(
    make_action, agency, partnership, chair, lead, client_for, django_assert_max_num_queries
):
    """The owner filter is a name search: a partnership of thousands of people once drew a
    <select> of every one of them on each request to the tracker."""
    from ..factories import person_with_role

    make_action()
    c = client_for(chair)
    _queries(c, "/actions/")
    few = _queries(c, "/actions/")
    for i in range(30):
        person_with_role("learner", partnership, agency=agency, full_name=f"Quiet Learner {i}")
    with django_assert_max_num_queries(few):
        r = c.get("/actions/")
    html = r.content.decode()
    assert "Quiet Learner" not in html
    assert 'name="owner_name"' in html
    first = lead.full_name.split()[0]
    assert c.get(f"/actions/?owner_name={first}").context["page_obj"].paginator.count == 1
    assert c.get("/actions/?owner_name=Nobody").context["page_obj"].paginator.count == 0
    assert c.get(f"/actions/?owner={lead.pk}").context["page_obj"].paginator.count == 1


def test_tracker_counts_by_theme_count_each_action_once(make_action, chair, client_for):
    neglect = Theme.objects.get(code="neglect")
    others = list(Theme.objects.exclude(pk=neglect.pk)[:2])
    make_action(themes=[neglect, *others])
    make_action(themes=[neglect])
    make_action()
    r = client_for(chair).get(f"/actions/?theme={neglect.pk}")
    assert r.context["page_obj"].paginator.count == 2
    assert r.context["counts"].total == 2


# --- calendar feeds ---------------------------------------------------------------------


def test_calendar_feed_for_the_signed_in_person(make_action, lead, police_lead, client_for):
    mine = make_action()
    make_action(owner=police_lead, title="Not mine")
    r = client_for(lead).get("/actions/calendar.ics")
    assert r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = cal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"Action due: {mine.title}"]
    assert events[0].decoded("dtstart") == mine.due_on


def test_calendar_feed_by_secret_token(make_action, lead, client):
    make_action()
    url = f"/actions/calendar/{token_for(lead)}.ics"
    r = client.get(url)  # no session: a calendar app
    assert r.status_code == 200
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 1
    assert client.get("/actions/calendar/not-a-token.ics").status_code == 404
    tampered = token_for(lead)[:-2] + "xx"
    assert client.get(f"/actions/calendar/{tampered}.ics").status_code == 404


def test_closed_actions_leave_the_calendar(action, lead, chair, client_for):
    completed(action, lead)
    r = client_for(lead).get("/actions/calendar.ics")
    assert Calendar.from_ical(r.content).walk("VEVENT") == []


# --- home panels ------------------------------------------------------------------------


def test_home_panels(make_action, lead, chair, client_for):
    make_action(title="Our late action", due_on=dt.date(2020, 1, 1))
    lead_home = client_for(lead).get("/").content.decode()
    assert "Our agency&#x27;s actions" in lead_home and "Our late action" in lead_home
    chair_home = client_for(chair).get("/").content.decode()
    assert "Overdue and escalated actions" in chair_home and "Our late action" in chair_home


def test_supersede_offers_only_actions_the_person_may_see(
    make_action, lead, police_lead, other_agency, client_for
):
    """Issue 18, gap 1: another agency's action (404 to the lead) is neither offered as the
    replacement nor accepted when its id is posted."""
    own = make_action()
    police = make_action(
        title="Police-only hidden action", owner_agency=other_agency, owner=police_lead
    )
    c = client_for(lead)
    assert c.get(f"/actions/{police.pk}/").status_code == 404
    page = c.get(f"/actions/{own.pk}/status/superseded/")
    assert page.status_code == 200
    assert "Police-only hidden action" not in page.content.decode()
    r = c.post(
        f"/actions/{own.pk}/status/superseded/", {"superseded_by": police.pk, "reason": "Merged"}
    )
    assert r.status_code == 200
    assert "Select a valid choice" in r.content.decode()
    own.refresh_from_db()
    assert own.status == S.IN_PROGRESS and own.superseded_by is None
