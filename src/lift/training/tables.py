"""Tables of the training lists (HTML, CSV and Excel alike)."""

from __future__ import annotations

from lift.core.tables import Column, Table

PROGRAMME_TABLE = Table(
    [
        Column("title", "Programme", link=True),
        Column("year", "Year"),
        Column("status", "Status"),
        Column("approved_on", "Approved"),
    ]
)

COURSE_TABLE = Table(
    [
        Column("title", "Course", link=True),
        Column("level_short", "Level", sort="level"),
        Column("format", "Format"),
        Column("programme.year", "Programme", sort="programme__year"),
        Column("paid_by", "Paid by"),
    ]
)

SESSION_TABLE = Table(
    [
        Column("course.title", "Course", link=True, sort="course__title"),
        Column("starts_on", "Date"),
        Column("where", "Where", sort=None),
        Column("capacity", "Places", numeric=True),
        Column("places_left", "Left", numeric=True, sort="places_left"),
        Column("status", "Status"),
    ]
)

BOOKING_TABLE = Table(
    [
        Column("learner.full_name", "Learner", link=True, sort="learner__full_name"),
        Column("agency.name", "Agency", sort="agency__name"),
        Column("session.course.title", "Course", sort="session__course__title"),
        Column("session.starts_on", "Date", sort="session__starts_on"),
        Column("status", "Status"),
        Column("attendance", "Attendance"),
        Column("charge", "Charge", numeric=True),
    ]
)

EVALUATION_TABLE = Table(
    [
        Column("kind", "Questionnaire", link=True),
        Column("booking.session.course.title", "Course", sort="booking__session__course__title"),
        Column("respondent.full_name", "From", sort="respondent__full_name"),
        Column("score", "Score", numeric=True),
        Column("submitted_on", "Answered"),
    ]
)

FOLLOWUP_TABLE = Table(
    [
        Column(
            "booking.session.course.title",
            "Course",
            link=True,
            sort="booking__session__course__title",
        ),
        Column("role", "Asked"),
        Column("respondent.full_name", "Sent to", sort="respondent__full_name"),
        Column("sent_on", "Sent"),
        Column("status", "Status"),
    ]
)

CASCADE_TABLE = Table(
    [
        Column("course.title", "Course", link=True, sort="course__title"),
        Column("agency.name", "Agency", sort="agency__name"),
        Column("delivered_on", "Date"),
        Column("format", "Format"),
        Column("attendees", "Attendees", numeric=True),
    ]
)

AGENCY_TRAINING_TABLE = Table(
    [
        Column("title", "Training", link=True),
        Column("agency.name", "Agency", sort="agency__name"),
        Column("level", "Level", value=lambda row: f"Level {row.level}", sort="level"),
        Column("period_start", "From"),
        Column("period_end", "To"),
        Column("number_trained", "Staff trained", numeric=True),
    ]
)

NEEDS_TABLE = Table(
    [
        Column("title", "Assessment", link=True),
        Column("year", "For year"),
        Column("closes_on", "Closes"),
        Column("status", "Status"),
    ]
)
