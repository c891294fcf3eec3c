"""Every child death page: permissions (anonymous, out of scope, no permission, allowed),
the public pages (rate limit, CSRF, expired and reused links, no existing case shown).

The rule of ADR 0007: a record the person may not view is not found (404), whatever the
page (a learner sees no case, analysis, referral or meeting); one they may view but not act
on is forbidden (403); so is a list of a kind of record their roles show them none of."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lift.cdop import services
from lift.cdop.models import AgencyReport, ChildDeath, ChildDeathIdentity
from lift.core.models import AccessLog, Notification
from tests.factories import person_with_role
from tests.permissions import assert_permissions

from .conftest import analysis_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_coordinator(other_partnership):
    return person_with_role(
        "cdop_coordinator", other_partnership, full_name="Elsewhere Coordinator"
    )


@pytest.fixture
def world(case, coordinator, agency, partnership):
    report, token = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    services.agency_report_submit(
        token=token, answers={"involvement": "Health visiting."}, completed_by="Sam"
    )
    analysis = services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    meeting = services.cdopmeeting_create(
        partnership=partnership, held_on=dt.date(2030, 5, 1), by=coordinator
    )
    services.meeting_case_add(meeting=meeting, case=case, by=coordinator)
    review = services.review_meeting_record(
        case=case, held_on=dt.date(2025, 4, 1), attendees="GP\nHV", summary="Facts.", by=coordinator
    )
    referral = services.cdop_referral_create(
        case=case, kind="chair", reasons="Consider.", by=coordinator
    )
    campaign = services.campaign_create(
        partnership=partnership,
        title="Safer sleep",
        kind="campaign",
        audience="public",
        started_on=dt.date(2025, 6, 1),
        by=coordinator,
    )
    return {
        "report": report,
        "analysis": analysis,
        "meeting": meeting,
        "review": review,
        "referral": referral,
        "campaign": campaign,
    }


def test_case_pages(world, case, coordinator, panel_member, chair, learner, other_coordinator):
    for name in ("childdeath_detail", "childdeath_history"):
        assert_permissions(
            reverse(f"cdop:{name}", args=[case.pk]),
            allowed=[coordinator, panel_member, chair],
            not_found=[other_coordinator, learner],
        )
    assert_permissions(
        reverse("cdop:childdeath_edit", args=[case.pk]),
        allowed=[coordinator],
        not_found=[other_coordinator, learner],
        forbidden=[chair, panel_member],
    )
    assert_permissions(
        reverse("cdop:childdeath_list"), allowed=[coordinator, chair], forbidden=[learner]
    )
    assert_permissions(
        reverse("cdop:childdeath_add"), allowed=[coordinator], forbidden=[chair, learner]
    )


def test_case_list_and_page_show_no_identifiers(world, case, chair, coordinator, client_for):
    for person in (chair, coordinator):
        for url in (reverse("cdop:childdeath_list"), case.get_absolute_url()):
            body = client_for(person).get(url).content.decode()
            assert case.reference in body
            assert "Amelie" not in body and "Testcase" not in body and "4857773456" not in body


def test_restricted_record_logged_and_limited(
    world, case, coordinator, panel_member, chair, business_unit, other_coordinator, client_for
):
    identity = ChildDeathIdentity.objects.get(case=case)
    url = identity.get_absolute_url()
    assert_permissions(
        url,
        allowed=[coordinator, panel_member],
        not_found=[chair, business_unit, other_coordinator],
    )
    before = AccessLog.objects.count()
    body = client_for(coordinator).get(url).content.decode()
    assert "Amelie" in body
    assert AccessLog.objects.count() == before + 1
    history = client_for(coordinator).get(
        reverse("cdop:childdeathidentity_history", args=[identity.pk])
    )
    assert history.status_code == 200
    assert_permissions(
        reverse("cdop:childdeathidentity_edit", args=[identity.pk]),
        allowed=[coordinator],
        not_found=[chair, other_coordinator],
        forbidden=[panel_member],
    )


def test_case_history_hides_restricted_values_from_oversight(world, case, chair, client_for):
    body = (
        client_for(chair).get(reverse("cdop:childdeath_history", args=[case.pk])).content.decode()
    )
    assert "Amelie" not in body


def test_reports_pages(
    world, case, coordinator, panel_member, chair, other_coordinator, client_for
):
    report = world["report"]
    assert_permissions(
        report.get_absolute_url(),
        allowed=[coordinator, panel_member],
        not_found=[chair, other_coordinator],
    )
    assert_permissions(
        reverse("cdop:agencyreport_add", args=[case.pk]),
        allowed=[coordinator],
        not_found=[other_coordinator],
        forbidden=[chair, panel_member],
    )
    for name in ("agencyreport_resend", "agencyreport_withdraw"):
        assert_permissions(
            reverse(f"cdop:{name}", args=[report.pk]),
            allowed=[coordinator],
            not_found=[chair, other_coordinator],
        )
    body = client_for(coordinator).get(case.get_absolute_url()).content.decode()
    assert "side by side" in body and "Health visiting." in body
    chair_body = client_for(chair).get(case.get_absolute_url()).content.decode()
    assert "Health visiting." not in chair_body


def test_request_form_sends_link(case, coordinator, other_agency, client_for):
    response = client_for(coordinator).post(
        reverse("cdop:agencyreport_add", args=[case.pk]),
        {
            "agency": other_agency.pk,
            "contact_name": "Pol",
            "contact_email": "pol@example.test",
            "supplementary": ["sudi"],
        },
    )
    assert response.status_code == 302
    assert AgencyReport.objects.get(agency=other_agency).supplementary == ["sudi"]


def test_panel_pages(world, case, coordinator, panel_member, chair, learner, other_coordinator):
    analysis, meeting, review, referral = (
        world["analysis"],
        world["meeting"],
        world["review"],
        world["referral"],
    )
    for url in (
        analysis.get_absolute_url(),
        reverse("cdop:analysis_history", args=[analysis.pk]),
        referral.get_absolute_url(),
    ):
        assert_permissions(
            url,
            allowed=[coordinator, chair, panel_member],
            not_found=[other_coordinator, learner],
        )
    for url in (review.get_absolute_url(),):
        assert_permissions(
            url, allowed=[coordinator, panel_member], not_found=[chair, other_coordinator]
        )
    for url in (
        reverse("cdop:analysis_record", args=[case.pk]),
        reverse("cdop:analysis_recommend", args=[analysis.pk]),
        reverse("cdop:reviewmeeting_add", args=[case.pk]),
        reverse("cdop:cdopreferral_add", args=[case.pk]),
    ):
        assert_permissions(
            url,
            allowed=[coordinator],
            not_found=[other_coordinator],
            forbidden=[chair, panel_member],
        )
    assert_permissions(
        reverse("cdop:cdopreferral_decide", args=[referral.pk]),
        allowed=[chair],
        forbidden=[coordinator],
    )
    assert_permissions(
        meeting.get_absolute_url(),
        allowed=[coordinator, chair],
        not_found=[other_coordinator, learner],
    )
    assert_permissions(
        reverse("cdop:cdopmeeting_list"), allowed=[coordinator, chair], forbidden=[learner]
    )
    for name in (
        "cdopmeeting_case_add",
        "cdopmeeting_member_add",
        "cdopmeeting_paper_add",
        "cdopmeeting_edit",
    ):
        assert_permissions(
            reverse(f"cdop:{name}", args=[meeting.pk]),
            allowed=[coordinator],
            not_found=[other_coordinator],
            forbidden=[chair],
        )


def test_analysis_form_refuses_out_of_list_values(case, coordinator, client_for):
    data = {
        "category": "misadventure",
        "score_child": "3",
        "score_social": "1",
        "score_physical": "1",
        "score_service": "1",
        "modifiable": "none",
        "completed_on": "2025-05-01",
    }
    response = client_for(coordinator).post(reverse("cdop:analysis_record", args=[case.pk]), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not hasattr(ChildDeath.objects.get(pk=case.pk), "analysis")
    data.update({"category": "infection", "score_child": "1"})
    response = client_for(coordinator).post(reverse("cdop:analysis_record", args=[case.pk]), data)
    assert response.status_code == 302


def test_recommend_form_creates_action(world, coordinator, agency, client_for):
    analysis = world["analysis"]
    response = client_for(coordinator).post(
        reverse("cdop:analysis_recommend", args=[analysis.pk]),
        {
            "text": "Do it",
            "agencies": [agency.pk],
            "action_title": "Act",
            "owner_agency": agency.pk,
            "due_on": "2025-12-01",
            "success_measure": "Measured.",
        },
    )
    assert response.status_code == 302
    from lift.learning.models import Action

    assert Action.objects.filter(title="Act", recommendation__source_id=analysis.pk).exists()


def test_reports_and_campaign_pages(
    world, coordinator, chair, learner, business_unit, other_coordinator, client_for
):
    campaign = world["campaign"]
    for url in (reverse("cdop:trends"), reverse("cdop:annual_report") + "?year=2025"):
        assert_permissions(url, allowed=[coordinator, chair], forbidden=[learner])
    assert_permissions(
        campaign.get_absolute_url(),
        allowed=[coordinator, chair, learner],
        not_found=[other_coordinator],
    )
    assert_permissions(reverse("cdop:campaign_list"), allowed=[coordinator, learner])
    assert_permissions(
        reverse("cdop:campaign_add"), allowed=[coordinator, business_unit], forbidden=[chair]
    )
    assert_permissions(
        reverse("cdop:campaign_edit", args=[campaign.pk]),
        allowed=[coordinator],
        not_found=[other_coordinator],
        forbidden=[chair],
    )
    assert_permissions(
        reverse("cdop:settings"), allowed=[coordinator, business_unit], forbidden=[chair]
    )
    pdf = client_for(chair).get(reverse("cdop:annual_report") + "?year=2025&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = client_for(chair).get(reverse("cdop:annual_report") + "?year=2025&format=docx")
    assert docx.status_code == 200


def test_list_query_count(
    world, coordinator, client_for, django_assert_max_num_queries, partnership
):
    for i in range(5):
        services.childdeath_notify(
            partnership=partnership,
            by=coordinator,
            notifier_name="N",
            first_name=f"C{i}",
            date_of_death=dt.date(2025, 2, 1),
            expected="expected",
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("cdop:childdeath_list")).status_code == 200


def test_ncmd_export_coordinator_only(
    world, case, coordinator, chair, other_coordinator, client_for
):
    url = reverse("cdop:ncmd_case", args=[case.pk, "json"])
    assert_permissions(url, allowed=[coordinator], not_found=[other_coordinator], forbidden=[chair])
    before = AccessLog.objects.count()
    client_for(coordinator).get(url)
    assert AccessLog.objects.count() == before + 1
    assert_permissions(
        reverse("cdop:ncmd_bulk") + "?year=2025", allowed=[coordinator], forbidden=[chair]
    )


# --- public pages ---------------------------------------------------------------------------


def notify_data(partnership, **extra):
    data = {
        "partnership": partnership.pk,
        "notifier_name": "Dr Public Test",
        "notifier_email": "public@example.test",
        "first_name": "Zara",
        "date_of_death": "2025-03-01",
        "sex": "female",
        "expected": "unexpected",
        "jar_criteria": ["external-causes"],
        "circumstances": "<script>alert(1)</script> Found in the pond.",
    }
    data.update(extra)
    return data


def test_public_notification_end_to_end(partnership, coordinator, case):
    client = Client()
    page = client.get(reverse("cdop:public_notify"))
    assert page.status_code == 200
    assert case.reference not in page.content.decode()
    response = client.post(reverse("cdop:public_notify"), notify_data(partnership))
    assert response.status_code == 302
    made = ChildDeath.objects.exclude(pk=case.pk).get()
    assert made.notified_via == "public_form"
    done = client.get(response["Location"]).content.decode()
    assert made.reference in done and "Zara" not in done and case.reference not in done
    assert Notification.objects.filter(person=coordinator, title__contains=made.reference).exists()
    # The reference is shown once, to the browser that made it.
    assert made.reference not in Client().get(reverse("cdop:public_notify_done")).content.decode()


def test_public_notification_never_renders_html(partnership, coordinator):
    client = Client()
    response = client.post(
        reverse("cdop:public_notify"),
        notify_data(partnership, notifier_name="<b>x</b>", date_of_death=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body


def test_public_notification_size_limits(partnership, coordinator):
    response = Client().post(
        reverse("cdop:public_notify"), notify_data(partnership, circumstances="x" * 5001)
    )
    assert response.status_code == 200
    assert not ChildDeath.objects.exists()


def test_public_notification_rate_limited_per_ip(partnership, coordinator):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert (
            client.post(reverse("cdop:public_notify"), notify_data(partnership)).status_code == 302
        )
    assert client.post(reverse("cdop:public_notify"), notify_data(partnership)).status_code == 429
    assert ChildDeath.objects.count() == 5
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(reverse("cdop:public_notify"), notify_data(partnership)).status_code == 302


def test_public_notification_needs_csrf(partnership):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("cdop:public_notify"), notify_data(partnership)).status_code == 403
    assert not ChildDeath.objects.exists()


def test_report_link_used_once(case, agency, coordinator):
    _report, token = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    url = reverse("cdop:public_report", args=[token])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    response = client.post(url, {"q_involvement": "Seen at clinic.", "completed_by": "Sam, HV"})
    assert response.status_code == 302
    again = client.get(url)
    assert again.status_code == 410 and "expired or been used" in again.content.decode()
    assert client.post(url, {"q_involvement": "x", "completed_by": "Sam"}).status_code == 410


def test_report_link_expired_and_unknown(case, agency, coordinator, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 12, 9, 0))
    _report, token = services.agency_report_request(
        case=case,
        agency=agency,
        contact_name="Sam",
        contact_email="sam@example.test",
        by=coordinator,
    )
    time_machine.move_to(dt.datetime(2025, 6, 1, 9, 0))
    assert Client().get(reverse("cdop:public_report", args=[token])).status_code == 410
    assert Client().get(reverse("cdop:public_report", args=["not-a-token"])).status_code == 404


def test_meeting_create_form_saves_notes(coordinator, client_for):
    """Issue 17: the web form passed `notes`, which the service did not take (a 500)."""
    from lift.cdop.models import CdopMeeting

    response = client_for(coordinator).post(
        reverse("cdop:cdopmeeting_add"),
        {
            "held_on": "2030-06-01",
            "title": "June panel",
            "location": "Room 4",
            "notes": "Bring the papers.",
        },
    )
    assert response.status_code == 302
    meeting = CdopMeeting.objects.get(title="June panel")
    assert meeting.notes == "Bring the papers." and meeting.location == "Room 4"
    assert response["Location"] == meeting.get_absolute_url()


def test_meeting_form_refuses_the_year_9999_and_control_characters(coordinator, client_for):
    """Issue 17: a meeting in 9999 broke the calendar feeds; a control character the XLSX."""
    from lift.cdop.models import CdopMeeting

    c = client_for(coordinator)
    data = {"held_on": "9999-12-31", "title": "Far panel", "location": "", "notes": ""}
    response = c.post(reverse("cdop:cdopmeeting_add"), data)
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2100" in response.content.decode()
    data.update(held_on="2030-06-01", title="Far\x01panel")
    response = c.post(reverse("cdop:cdopmeeting_add"), data)
    assert "Remove the control characters from title" in response.content.decode()
    assert not CdopMeeting.objects.exists()
