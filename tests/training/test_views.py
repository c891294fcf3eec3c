"""Every training page: who may see it (assert_permissions), and the main journeys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lift.core.models import Agency, Person
from lift.training import services
from lift.training.choices import BookingStatus
from lift.training.models import Booking, Course, Evaluation, Programme, TrainingSession

from ..permissions import assert_permissions

pytestmark = pytest.mark.django_db

PRE = {"recognise": 2, "procedures": 2, "share": 3, "escalate": 2}
POST = {"recognise": 4, "procedures": 4, "share": 4, "escalate": 4}
REACTION = {"overall": 5, "outcomes_met": 4, "trainer": 5, "relevance": 5}
IMPACT = {
    "applied": "yes",
    "example": "I called a strategy meeting sooner.",
    "shared": "yes",
    "confidence_now": 4,
}


@pytest.fixture
def world(
    partnership: Any,
    programme: Programme,
    course: Course,
    agency: Agency,
    other_agency: Agency,
    business_unit: Person,
    trainer: Person,
    managed_learner: Person,
    manager: Person,
    lead: Person,
    other_lead: Person,
    other_learner: Person,
    outsider: Person,
) -> dict[str, Any]:
    today = timezone.localdate()
    upcoming = services.session_create(
        course=course,
        starts_on=today + dt.timedelta(days=30),
        capacity=10,
        venue="Room 1",
        trainer=trainer,
    )
    past = services.session_create(
        course=course, starts_on=today - dt.timedelta(days=120), capacity=10, venue="Room 2"
    )
    before = past.starts_on - dt.timedelta(days=10)
    booking = services.booking_create(
        session=past, learner=managed_learner, by=managed_learner, today=before
    )
    other_booking = services.booking_create(
        session=past, learner=other_learner, by=other_learner, today=before
    )
    services.evaluation_submit(
        booking=booking, kind="pre", respondent=managed_learner, answers=PRE, today=before
    )
    services.register_mark(
        session=past,
        marks={booking.pk: "attended", other_booking.pk: "attended"},
        by=trainer,
        today=past.starts_on,
    )
    services.evaluation_submit(
        booking=booking, kind="post", respondent=managed_learner, answers=POST, today=past.starts_on
    )
    reaction = services.evaluation_submit(
        booking=booking,
        kind="reaction",
        respondent=managed_learner,
        answers=REACTION,
        today=past.starts_on,
    )
    follow_up = services.follow_up_send(booking=booking, role="participant", today=today)
    ttt = services.course_create(
        partnership=partnership,
        title="Train the trainer: neglect toolkit",
        level=2,
        format="train_the_trainer",
        learning_outcomes="Deliver the toolkit briefing",
        trainer_kind="internal",
        trainer_agency=agency,
    )
    cascade = services.cascade_record(
        course=ttt,
        agency=agency,
        delivered_on=today,
        format="briefing",
        delivered_by="Team manager",
        attendees=14,
    )
    register_entry = services.agency_training_record(
        agency=agency,
        title="Induction",
        level=1,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        number_trained=20,
    )
    needs = services.needs_assessment_create(
        partnership=partnership,
        year="2026/27",
        title="Needs assessment",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    return {
        "upcoming": upcoming,
        "past": past,
        "booking": booking,
        "other_booking": other_booking,
        "reaction": reaction,
        "follow_up": follow_up,
        "cascade": cascade,
        "ttt": ttt,
        "register_entry": register_entry,
        "needs": needs,
    }


def test_catalogue_and_lists(
    world: dict[str, Any],
    business_unit: Person,
    learner: Person,
    lead: Person,
    outsider: Person,
    trainer: Person,
    client_for: Callable[[Person], Client],
) -> None:
    for name in ["catalogue", "mine", "course_list", "programme_list"]:
        assert_permissions(reverse(f"training:{name}"), allowed=[business_unit, learner, lead])
    assert_permissions(
        reverse("training:needsassessment_list"), allowed=[business_unit, lead], forbidden=[learner]
    )
    for name in [
        "trainingsession_list",
        "booking_list",
        "evaluation_list",
        "followup_list",
        "dashboard",
        "cascadesession_list",
        "agencytraining_list",
    ]:
        assert_permissions(reverse(f"training:{name}"), allowed=[business_unit, trainer])
    assert_permissions(reverse("training:booking_list"), allowed=[learner, lead])
    assert_permissions(reverse("training:cascadesession_list"), allowed=[lead])
    assert_permissions(reverse("training:dashboard"), forbidden=[learner, lead])
    # Another partnership's business unit sees its own (empty) training, never ours.
    title = world["upcoming"].course.title
    other = client_for(outsider)
    for name in ["catalogue", "course_list", "booking_list", "trainingsession_list"]:
        page = other.get(reverse(f"training:{name}"))
        assert page.status_code == 200 and title not in page.content.decode()


def test_add_pages(
    world: dict[str, Any],
    business_unit: Person,
    trainer: Person,
    learner: Person,
    lead: Person,
    outsider: Person,
) -> None:
    for name in ["programme_add", "course_add", "needsassessment_add"]:
        assert_permissions(
            reverse(f"training:{name}"),
            allowed=[business_unit, trainer],
            forbidden=[learner, lead],
        )
    for name in ["cascadesession_add", "agencytraining_add", "agencytraining_import"]:
        assert_permissions(
            reverse(f"training:{name}"),
            allowed=[business_unit, lead],
            forbidden=[learner],
        )
    assert_permissions(
        reverse("training:settings"),
        allowed=[business_unit],
        forbidden=[learner, trainer],
    )


def test_object_pages(
    world: dict[str, Any],
    business_unit: Person,
    trainer: Person,
    learner: Person,
    lead: Person,
    other_lead: Person,
    manager: Person,
    other_learner: Person,
    outsider: Person,
) -> None:
    w = world
    course, session, booking = w["upcoming"].course, w["upcoming"], w["booking"]
    everyone = [business_unit, trainer, learner, lead]
    for url in [
        reverse("training:course_detail", args=[course.pk]),
        reverse("training:course_history", args=[course.pk]),
        reverse("training:programme_detail", args=[course.programme_id]),
        reverse("training:programme_history", args=[course.programme_id]),
        reverse("training:trainingsession_detail", args=[session.pk]),
        reverse("training:trainingsession_history", args=[session.pk]),
        reverse("training:session_calendar", args=[session.pk]),
        reverse("training:session_book", args=[session.pk]),
    ]:
        assert_permissions(url, allowed=everyone, not_found=[outsider])
    assert_permissions(
        reverse("training:needsassessment_detail", args=[w["needs"].pk]),
        allowed=[business_unit, trainer, lead],
        not_found=[learner, outsider],
    )
    for url in [
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:trainingsession_add", args=[course.pk]),
        reverse("training:material_add", args=[course.pk]),
        reverse("training:trainingsession_edit", args=[session.pk]),
        reverse("training:session_cancel", args=[session.pk]),
        reverse("training:programme_edit", args=[course.programme_id]),
        reverse("training:programme_change_add", args=[course.programme_id]),
        reverse("training:programme_priority_add", args=[course.programme_id]),
    ]:
        assert_permissions(
            url, allowed=[business_unit, trainer], forbidden=[learner, lead], not_found=[outsider]
        )
    # Learners do not see needs assessments at all.
    for url in [
        reverse("training:needs_close", args=[w["needs"].pk]),
        reverse("training:needsassessment_edit", args=[w["needs"].pk]),
    ]:
        assert_permissions(
            url, allowed=[business_unit, trainer], forbidden=[lead], not_found=[learner, outsider]
        )
    assert_permissions(
        reverse("training:programme_approve", args=[course.programme_id]),
        allowed=[business_unit],
        forbidden=[trainer, learner],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("training:session_register", args=[w["past"].pk]),
        allowed=[business_unit, trainer],
        forbidden=[learner, lead],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("training:needs_return_add", args=[w["needs"].pk]),
        allowed=[business_unit, lead],
        not_found=[learner, outsider],
    )
    # A booking: its learner, their manager, their agency's lead and training staff.
    for url in [
        reverse("training:booking_detail", args=[booking.pk]),
        reverse("training:booking_history", args=[booking.pk]),
        reverse("training:booking_certificate", args=[booking.pk]),
    ]:
        assert_permissions(
            url,
            allowed=[learner, manager, lead, business_unit, trainer],
            not_found=[other_lead, other_learner, outsider],
        )
    evaluation = w["reaction"]
    assert_permissions(
        reverse("training:evaluation_detail", args=[evaluation.pk]),
        allowed=[learner, manager, business_unit, trainer],
        not_found=[other_learner, outsider],
    )
    assert_permissions(
        reverse("training:evaluation_finding", args=[evaluation.pk]),
        allowed=[business_unit, trainer],
        forbidden=[learner],
        not_found=[outsider],
    )
    assert_permissions(
        reverse("training:booking_evaluate", args=[w["other_booking"].pk, "reaction"]),
        allowed=[other_learner],
        forbidden=[business_unit],
        not_found=[learner, outsider],
    )
    assert_permissions(
        reverse("training:followup_detail", args=[w["follow_up"].pk]),
        allowed=[learner, manager, business_unit],
        not_found=[other_learner, outsider],
    )
    for name, obj in [("cascadesession", w["cascade"]), ("agencytraining", w["register_entry"])]:
        for suffix in ["detail", "edit", "history", "delete"]:
            assert_permissions(
                reverse(f"training:{name}_{suffix}", args=[obj.pk]),
                allowed=[business_unit, lead],
                not_found=[other_lead, outsider],
            )


def test_booking_workflow_pages(
    world: dict[str, Any],
    partnership: Any,
    managed_learner: Person,
    manager: Person,
    other_learner: Person,
    client_for: Callable[[Person], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    conf = services.training_settings(partnership)
    conf.requires_manager_approval = True
    conf.save()
    session = world["upcoming"]
    c = client_for(managed_learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("training:session_book", args=[session.pk]), {})
    assert response.status_code == 302
    booking = Booking.objects.get(session=session, learner=managed_learner)
    assert booking.status == BookingStatus.PENDING_APPROVAL
    # A second booking is refused with a clear message.
    response = c.post(reverse("training:session_book", args=[session.pk]), {})
    assert response.status_code == 200
    assert "already booked on this session" in response.content.decode()
    # The manager sees it in My training and approves it.
    m = client_for(manager)
    assert "Waiting for your approval" in m.get(reverse("training:mine")).content.decode()
    # ... and on the to-do list of My work (the training panel leaves the step out).
    from django.utils.html import escape

    step = f"Approve {booking.learner}'s booking on {session.course.title}"
    assert escape(step) in m.get("/").content.decode()
    approve_url = reverse("training:booking_approve", args=[booking.pk])
    assert_permissions(approve_url, allowed=[manager], not_found=[other_learner])
    with django_capture_on_commit_callbacks(execute=True):
        response = m.post(approve_url, {"decision": "approve"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert any(m.attachments for m in mail.outbox)
    # The learner cancels it.
    cancel = reverse("training:booking_cancel", args=[booking.pk])
    assert c.get(cancel).status_code == 200
    assert c.post(cancel, {"reason": "Clash"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_register_page_marks_attendance(
    world: dict[str, Any], trainer: Person, client_for: Callable[[Person], Client]
) -> None:
    booking = world["booking"]
    url = reverse("training:session_register", args=[world["past"].pk])
    c = client_for(trainer)
    response = c.post(url, {f"b{booking.pk}": "partial"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.attendance == "partial"


def test_register_refused_on_cancelled_session(
    world: dict[str, Any],
    trainer: Person,
    business_unit: Person,
    managed_learner: Person,
    client_for: Callable[[Person], Client],
) -> None:
    session = world["upcoming"]
    booking = services.booking_create(session=session, learner=managed_learner, by=managed_learner)
    services.session_cancel(session=session, reason="Trainer unwell", by=business_unit)
    # The cancelled session's bookings are cancelled: nobody is on its register.
    response = client_for(trainer).get(reverse("training:session_register", args=[session.pk]))
    assert "Nobody has a confirmed place" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_evaluate_and_follow_up_pages(
    world: dict[str, Any],
    other_learner: Person,
    managed_learner: Person,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    c = client_for(other_learner)
    url = reverse("training:booking_evaluate", args=[world["other_booking"].pk, "reaction"])
    page = c.get(url).content.decode()
    assert "Overall, how would you rate the session?" in page
    response = c.post(url, {"overall": "9"})
    assert response.status_code == 200
    assert c.post(url, {k: str(v) for k, v in REACTION.items()}).status_code == 302
    assert Evaluation.objects.filter(booking=world["other_booking"], kind="reaction").exists()
    follow_up = world["follow_up"]
    f = client_for(managed_learner)
    fu_url = reverse("training:followup_detail", args=[follow_up.pk])
    assert "concrete example" in f.get(fu_url).content.decode()
    assert client_for(business_unit).post(fu_url, IMPACT).status_code == 403
    assert f.post(fu_url, IMPACT).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "answered"
    ev = follow_up.evaluation
    assert ev is not None
    response = client_for(business_unit).post(
        reverse("training:evaluation_finding", args=[ev.pk]),
        {"title": "Earlier strategy meetings", "kind": "strength", "text": "Practice changed."},
    )
    assert response.status_code == 302


def test_certificate_and_reports(
    world: dict[str, Any],
    managed_learner: Person,
    business_unit: Person,
    other_learner: Person,
    client_for: Callable[[Person], Client],
) -> None:
    response = client_for(managed_learner).get(
        reverse("training:booking_certificate", args=[world["booking"].pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    bu = client_for(business_unit)
    assert bu.get(reverse("training:annual_report") + "?format=pdf").content.startswith(b"%PDF")
    docx = bu.get(reverse("training:annual_report") + "?format=docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    page = bu.get(reverse("training:dashboard")).content.decode()
    assert "Places offered, taken and attended" in page


def test_public_catalogue(world: dict[str, Any]) -> None:
    response = Client().get(reverse("training:public_catalogue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert world["upcoming"].course.title in text
    assert "sign in" in text
    assert "Room 2" not in text  # past sessions are not listed


def test_home_panel(
    world: dict[str, Any], managed_learner: Person, client_for: Callable[[Person], Client]
) -> None:
    page = client_for(managed_learner).get("/").content.decode()
    assert "My training" in page
    assert "Impact follow-up" in page


def test_booking_list_query_count(
    world: dict[str, Any],
    business_unit: Person,
    make_person: Any,
    agency: Agency,
    client_for: Callable[[Person], Client],
    django_assert_max_num_queries: Any,
) -> None:
    session = world["upcoming"]
    for _ in range(8):
        p = make_person("learner", agency=agency)
        services.booking_create(session=session, learner=p, by=p)
    c = client_for(business_unit)
    with django_assert_max_num_queries(25):
        assert c.get(reverse("training:booking_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get(reverse("training:trainingsession_list")).status_code == 200


def test_register_query_count_does_not_grow(
    make_session: Callable[..., TrainingSession],
    trainer: Person,
    make_person: Any,
    agency: Agency,
    client_for: Callable[[Person], Client],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    session = make_session(starts_on=today, capacity=100)

    def book(n: int) -> None:
        for _ in range(n):
            p = make_person("learner", agency=agency)
            services.booking_create(
                session=session, learner=p, by=p, today=today - dt.timedelta(days=3)
            )

    c = client_for(trainer)
    url = reverse("training:session_register", args=[session.pk])
    book(5)
    c.get(url)  # the first request after signing in also renews the session
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    book(30)
    with CaptureQueriesContext(connection) as many:
        page = c.get(url)
    assert page.content.decode().count('type="radio"') == 35 * 4
    assert len(many.captured_queries) == len(few.captured_queries)


def test_cascade_materials_upload_and_download(
    world: dict[str, Any],
    business_unit: Person,
    learner: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lift.core.models import Attachment

    ttt = world["ttt"]
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)  # a whole PDF: uploads are parsed, not only sniffed
    pdf = SimpleUploadedFile("toolkit.pdf", buffer.getvalue())
    url = reverse("training:material_add", args=[ttt.pk])
    response = client_for(business_unit).post(url, {"file": pdf, "description": "Slides"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(object_id=ttt.pk)
    page = client_for(learner).get(ttt.get_absolute_url()).content.decode()
    assert "Cascade materials" in page and "toolkit.pdf" in page
    download = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for(learner).get(download).status_code == 200
    assert client_for(outsider).get(download).status_code == 404


def test_lead_cannot_give_their_register_entry_to_another_agency(
    agency: Agency,
    other_agency: Agency,
    lead: Person,
    client_for: Callable[[Person], Client],
) -> None:
    """Issue 18, gap 2: a save that would leave the record out of the person's sight is
    refused and rolled back; changing something else still saves."""
    from lift.training.models import AgencyTraining

    entry = services.agency_training_record(
        agency=agency,
        title="Induction",
        level=1,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        number_trained=20,
    )
    url = reverse("training:agencytraining_edit", args=[entry.pk])
    data = {
        "agency": other_agency.pk,
        "title": "Induction",
        "level": 1,
        "period_start": "2025-04-01",
        "period_end": "2025-06-30",
        "number_trained": 20,
        "notes": "",
    }
    c = client_for(lead)
    response = c.post(url, data)
    assert response.status_code == 200
    assert "afterwards you would no longer be able to see it" in response.content.decode()
    entry.refresh_from_db()
    assert entry.agency == agency
    assert not AgencyTraining.objects.filter(agency=other_agency).exists()
    # The positive control: changing another field saves.
    response = c.post(url, {**data, "agency": agency.pk, "number_trained": 25})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.agency == agency and entry.number_trained == 25


def test_no_link_on_the_catalogue_is_refused(
    world: dict[str, Any],
    business_unit: Person,
    learner: Person,
    lead: Person,
    trainer: Person,
    client_for: Callable[[Person], Client],
) -> None:
    """Issue 22: the catalogue offers only pages the person may open (a learner is not
    offered cascade training, single-agency training or needs assessments, which would
    answer 403); everyone else keeps their links."""
    import re

    offered: dict[str, set[str]] = {}
    for who in (business_unit, learner, lead, trainer):
        c = client_for(who)
        page = c.get(reverse("training:catalogue")).content.decode()
        main = page[page.index("<main") : page.index("</main>")]
        links = set(re.findall(r'href="(/training/[^"#?]*)"', main))
        offered[who.email] = links
        for href in sorted(links):
            assert c.get(href).status_code != 403, f"{who.email} is offered {href}, a 403"
    learner_links = offered[learner.email]
    assert reverse("training:needsassessment_list") not in learner_links
    assert reverse("training:course_list") in learner_links
    assert reverse("training:needsassessment_list") in offered[lead.email]
    assert reverse("training:cascadesession_list") in offered[trainer.email]
    assert reverse("training:settings") in offered[business_unit.email]
