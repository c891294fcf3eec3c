"""Learning from inspection: rules, services and every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lift.core.models import Notification
from lift.inspections import rules, services
from lift.inspections.models import ProgressReport
from tests.factories import person_with_role
from tests.permissions import assert_permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(partnership, agency, business_unit):
    return services.inspection_create(
        partnership=partnership,
        agency=agency,
        inspectorate="ofsted",
        title="Inspection of children's services",
        started_on=dt.date(2025, 1, 13),
        ended_on=dt.date(2025, 1, 24),
        published_on=dt.date(2025, 3, 4),
        by=business_unit,
    )


def test_grade_on_scale():
    rules.GradeOnScale.check("ofsted", "requires-improvement")
    with pytest.raises(ValidationError):
        rules.GradeOnScale.check("ofsted", "adequate")  # an HMICFRS grade, not Ofsted's
    rules.GradeOnScale.check("hmicfrs", "adequate")


def test_inspectorate_in_list():
    rules.InspectorateInList.check("cqc")
    with pytest.raises(ValidationError):
        rules.InspectorateInList.check("estyn-ish")


def test_inspection_dates_in_order():
    rules.InspectionDatesInOrder.check(dt.date(2025, 1, 1), dt.date(2025, 1, 2), None)
    with pytest.raises(ValidationError):
        rules.InspectionDatesInOrder.check(dt.date(2025, 1, 2), dt.date(2025, 1, 1), None)


def test_progress_due_clamps_month_end():
    assert rules.progress_due(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


def test_progress_reports_scheduled_on_interval(inspection, business_unit):
    first = inspection.progress_reports.get()
    assert first.number == 1 and first.due_on == dt.date(2025, 6, 4)
    services.progress_report_present(
        report=first, by=business_unit, presented_on=dt.date(2025, 6, 3)
    )
    second = inspection.progress_reports.get(number=2)
    assert second.due_on == dt.date(2025, 9, 4)
    services.inspection_update(inspection=inspection, by=business_unit, progress_interval_months=6)
    second.refresh_from_db()
    assert second.due_on == dt.date(2025, 12, 4)
    with pytest.raises(ValidationError):
        services.progress_report_present(report=first, by=business_unit)


def test_judgement_refused_off_scale(inspection, business_unit):
    services.judgement_add(
        inspection=inspection, area="Overall effectiveness", grade="good", by=business_unit
    )
    with pytest.raises(ValidationError):
        services.judgement_add(
            inspection=inspection, area="Leaders", grade="adequate", by=business_unit
        )


def test_recommendation_and_action_plan_in_learning_chain(inspection, agency, business_unit):
    rec = services.inspection_recommend(
        inspection=inspection, text="Improve supervision.", by=business_unit
    )
    assert rec.source == inspection and list(rec.agencies.all()) == [agency]
    action = services.action_plan_add(
        recommendation=rec,
        title="Monthly supervision audit",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="90% of supervision on time.",
        by=business_unit,
    )
    state = services.progress_state(inspection, dt.date(2025, 10, 1))
    assert state["total"] == 1 and state["overdue"] == 1
    assert action.recommendation == rec


def test_presented_at_board_meeting_goes_on_agenda(inspection, business_unit, partnership):
    from django.utils import timezone

    from lift.governance import services as gov
    from lift.governance.models import AgendaItem

    board = gov.board_create(
        partnership=partnership, kind="board", name="Test LSCB", quorum=2, by=business_unit
    )
    meeting = gov.meeting_create(
        board=board, starts_at=timezone.now() + dt.timedelta(days=7), by=business_unit
    )
    report = inspection.progress_reports.get()
    services.progress_report_present(report=report, by=business_unit, meeting=meeting)
    item = AgendaItem.objects.get(pk=report.agenda_item_id)
    assert item.meeting == meeting and item.linked == report


def test_reminders_due_soon_and_overdue_once(inspection, business_unit, lead):
    report = inspection.progress_reports.get()
    assert services.progress_reminders(dt.date(2025, 5, 1)) == 0
    soon = services.progress_reminders(dt.date(2025, 6, 2))
    assert soon == 2  # the business unit and the inspected agency's lead
    assert services.progress_reminders(dt.date(2025, 6, 3)) == 0
    assert services.progress_reminders(dt.date(2025, 6, 5)) == 2
    assert (
        Notification.objects.filter(key__startswith=f"inspections:progress:{report.pk}").count()
        == 4
    )


def test_pages(
    inspection,
    business_unit,
    lead,
    learner,
    outsider,
    chair,
    partnership,
    client_for,
    make_person,
    other_agency,
):
    other_lead = make_person("safeguarding_lead", agency=other_agency)
    report = inspection.progress_reports.get()
    for url in (
        inspection.get_absolute_url(),
        reverse("inspections:inspection_history", args=[inspection.pk]),
        report.get_absolute_url(),
    ):
        assert_permissions(
            url,
            allowed=[business_unit, lead, chair],
            not_found=[outsider, other_lead, learner],  # a learner sees no inspection
        )
    assert_permissions(
        reverse("inspections:inspection_list"), allowed=[business_unit, lead], forbidden=[learner]
    )
    assert_permissions(
        reverse("inspections:inspection_add"), allowed=[business_unit, lead], forbidden=[learner]
    )
    for name in (
        "inspection_edit",
        "judgement_add",
        "recommendation_add",
        "action_add",
        "report_add",
    ):
        assert_permissions(
            reverse(f"inspections:{name}", args=[inspection.pk]),
            allowed=[business_unit, lead],
            not_found=[outsider, other_lead, learner],  # a learner sees no inspection
        )
    assert_permissions(
        reverse("inspections:progressreport_present", args=[report.pk]),
        allowed=[business_unit],
        not_found=[outsider],
        forbidden=[lead],
    )
    for fmt, ctype in (("pdf", "application/pdf"), ("docx", "application/vnd")):
        response = client_for(business_unit).get(report.get_absolute_url() + f"?format={fmt}")
        assert response.status_code == 200 and response["Content-Type"].startswith(ctype)


def test_create_and_judge_through_pages(business_unit, agency, client_for):
    client = client_for(business_unit)
    response = client.post(
        reverse("inspections:inspection_add"),
        {
            "inspectorate": "cqc",
            "agency": agency.pk,
            "title": "CQC visit",
            "started_on": "2025-02-01",
            "ended_on": "2025-02-03",
            "progress_interval_months": "3",
        },
    )
    assert response.status_code == 302
    made = ProgressReport.objects.get().inspection
    bad = client.post(
        reverse("inspections:judgement_add", args=[made.pk]), {"area": "Safe", "grade": "adequate"}
    )
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    good = client.post(
        reverse("inspections:judgement_add", args=[made.pk]), {"area": "Safe", "grade": "good"}
    )
    assert good.status_code == 302


def test_other_partnership_cannot_use_our_agency(other_partnership, agency):
    person = person_with_role("business_unit", other_partnership)
    with pytest.raises(ValidationError):
        services.inspection_create(
            partnership=other_partnership,
            agency=agency,
            inspectorate="ofsted",
            title="x",
            started_on=dt.date(2025, 1, 1),
            ended_on=dt.date(2025, 1, 2),
            by=person,
        )


def test_api_scoped(inspection, business_unit, outsider, client_for):
    rows = client_for(business_unit).get("/api/v1/inspections/").json()["results"]
    assert rows[0]["title"] == inspection.title and rows[0]["inspectorate_label"] == "Ofsted"
    assert client_for(outsider).get("/api/v1/inspections/").json()["results"] == []
    due = client_for(business_unit).get("/api/v1/inspection-progress-reports/").json()["results"]
    assert due[0]["number"] == 1


def test_the_progress_report_for_everyone_at_a_meeting_gives_the_counts_alone(
    inspection, business_unit, agency
):
    """In the Board pack (no reader) the plan's counts stand alone; a named reader gets the
    recommendations and the actions they may see."""
    from lift.core.documents import Heading, Para
    from lift.inspections.documents import progress_doc

    rec = services.inspection_recommend(
        inspection=inspection, text="Strengthen supervision.", by=business_unit
    )
    services.action_plan_add(
        recommendation=rec,
        title="Monthly supervision audit",
        owner_agency=agency,
        due_on=dt.date(2025, 9, 1),
        success_measure="Every team audited",
        by=business_unit,
    )
    report = inspection.progress_reports.get()
    for_all = progress_doc(report, None).sections
    text = " ".join(b.text for b in for_all if isinstance(b, Para))
    assert "The plan has 1 recommendation and 1 action." in text
    assert not any(isinstance(b, Heading) and b.text.startswith("R1:") for b in for_all)
    for_bu = progress_doc(report, business_unit).sections
    assert any(isinstance(b, Heading) and b.text.startswith("R1:") for b in for_bu)
