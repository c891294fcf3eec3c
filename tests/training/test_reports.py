"""The dashboard figures, the annual report (PDF and Word) and the query-count guard."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lift.core.documents import render_docx, render_pdf
from lift.core.models import Agency, Partnership, Person
from lift.training import reports, services
from lift.training.models import Booking, Course, Programme, TrainingSession

from ..factories import person_with_role

pytestmark = pytest.mark.django_db


def _attendances(
    partnership: Partnership,
    agency: Agency,
    session: TrainingSession,
    n: int,
    *,
    scores: bool = True,
) -> None:
    """n attended bookings (bulk, as a data load would) with before/after scores."""
    people = [person_with_role("learner", partnership, agency=agency) for _ in range(n)]
    Booking.objects.bulk_create(
        [
            Booking(
                partnership=partnership,
                session=session,
                learner=p,
                agency=agency,
                status="confirmed",
                attendance="attended" if i % 10 else "no_show",
                reaction_score=4.0 + (i % 2) * 0.5 if i % 10 else None,
                pre_score=2.0 + (i % 3) * 0.25 if scores else None,
                post_score=3.5 + (i % 4) * 0.25 if scores and i % 10 else None,
            )
            for i, p in enumerate(people)
        ]
    )


@pytest.fixture
def delivered(
    partnership: Partnership, programme: Programme, course: Course, agency: Agency
) -> TrainingSession:
    return services.session_create(
        course=course, starts_on=dt.date(2025, 5, 20), capacity=200, venue="Hall"
    )


def test_dashboard_figures(
    partnership: Partnership, programme: Programme, delivered: TrainingSession, agency: Agency
) -> None:
    _attendances(partnership, agency, delivered, 20)
    ttt = services.course_create(
        partnership=partnership,
        title="Train the trainer",
        level=2,
        format="train_the_trainer",
        learning_outcomes="x",
        trainer_kind="external",
    )
    services.cascade_record(
        course=ttt,
        agency=agency,
        delivered_on=dt.date(2025, 7, 1),
        format="briefing",
        delivered_by="Team lead",
        attendees=25,
    )
    services.agency_training_record(
        agency=agency,
        title="Induction",
        level=1,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 9, 30),
        number_trained=60,
    )
    services.programme_link_priority(
        programme=programme, title="Online safety", themes=["online-safety"]
    )
    board = reports.dashboard(partnership, programme)
    assert board.sessions["delivered"] == 1 and board.sessions["places"] == 200
    assert board.bookings["taken"] == 20
    assert board.bookings["attended"] == 18 and board.bookings["no_show"] == 2
    assert board.no_show_rate == 10.0
    assert board.cascade == {"sessions": 1, "reach": 25}
    assert board.single_agency[0]["trained"] == 60
    assert board.paired.n == 18 and board.paired.mean_change > 0 and board.paired.significant
    assert [t.code for t in board.uncovered_priorities] == ["online-safety"]
    assert any("Online safety" in r for r in board.recommendations)


def test_annual_report_renders(
    partnership: Partnership, programme: Programme, delivered: TrainingSession, agency: Agency
) -> None:
    _attendances(partnership, agency, delivered, 12)
    doc = reports.annual_report(partnership, programme)
    pdf = render_pdf(doc)
    assert pdf.startswith(b"%PDF")
    from docx import Document

    word = Document(io.BytesIO(render_docx(doc)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Recommendations" in text and "paired t-test" in text


def test_certificate_renders(
    partnership: Partnership, delivered: TrainingSession, agency: Agency, trainer: Person
) -> None:
    learner = person_with_role("learner", partnership, agency=agency, full_name="Cara Certified")
    booking = services.booking_create(
        session=delivered, learner=learner, by=learner, today=dt.date(2025, 5, 1)
    )
    services.register_mark(
        session=delivered, marks={booking.pk: "attended"}, by=trainer, today=delivered.starts_on
    )
    assert render_pdf(reports.certificate(booking)).startswith(b"%PDF")


def _queries(partnership: Partnership, programme: Programme) -> int:
    with CaptureQueriesContext(connection) as ctx:
        reports.dashboard(partnership, programme)
    return len(ctx.captured_queries)


def test_dashboard_query_count_does_not_grow(
    partnership: Partnership,
    programme: Programme,
    delivered: TrainingSession,
    agency: Agency,
    make_session: Callable[..., TrainingSession],
    other_agency: Agency,
) -> None:
    _attendances(partnership, agency, delivered, 10)
    few = _queries(partnership, programme)
    second = make_session(starts_on=dt.date(2025, 9, 9), capacity=200)
    _attendances(partnership, other_agency, second, 90)
    assert Booking.objects.count() == 100
    assert _queries(partnership, programme) == few
    assert few <= 15
