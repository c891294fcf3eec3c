"""The training dashboard and the annual training report for the Board (seed (viii)).

Every figure is an aggregate computed in the database, in a fixed number of queries
whatever the number of attendances. The before/after change is tested with a paired
t-test from three sums (see stats.py).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, FloatField, Model, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lift.core import calendar
from lift.core.documents import (
    Bullets,
    Callout,
    Chart,
    Doc,
    DocTable,
    Heading,
    KeyValue,
    Para,
)
from lift.core.models import Agency, Partnership
from lift.core.wording import counted, noun
from lift.learning.models import Theme

from .choices import (
    LEVEL_SHORT,
    Attendance,
    BookingStatus,
    EvaluationKind,
    FollowUpRole,
    FollowUpStatus,
    SessionStatus,
)
from .models import (
    AgencyTraining,
    Booking,
    CascadeSession,
    Course,
    Evaluation,
    FollowUp,
    Programme,
    ProgrammePriority,
    TrainingSession,
)
from .stats import PairedTest, paired_t_test


@dataclass
class Period:
    start: dt.date
    end: dt.date
    label: str
    programme: Programme | None = None


def financial_year(today: dt.date) -> Period:
    fy = calendar.financial_year(today)
    return Period(fy.first_day, fy.last_day, fy.label)


def period_for(partnership: Partnership, programme: Programme | None) -> Period:
    if programme is not None:
        return Period(programme.starts_on, programme.ends_on, programme.year, programme)
    return financial_year(timezone.localdate())


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class Dashboard:
    period: Period
    sessions: dict[str, Any]
    bookings: dict[str, Any]
    by_agency: list[Any]
    by_level: list[Any]
    by_course: list[Any]
    cascade: dict[str, Any]
    cascade_by_agency: list[Any]
    single_agency: list[Any]
    follow_ups: dict[str, dict[str, int]]
    paired: PairedTest
    evidence: list[Evaluation]
    themes_priority: list[Theme]
    themes_covered: set[int]
    recommendations: list[str] = field(default_factory=list)

    @property
    def no_show_rate(self) -> float | None:
        b = self.bookings
        return _pct(b["no_show"] + b["cancelled_late"], b["taken"])

    @property
    def attendance_rate(self) -> float | None:
        return _pct(self.bookings["attended"] + self.bookings["partial"], self.bookings["taken"])

    @property
    def fill_rate(self) -> float | None:
        return _pct(self.bookings["taken"], self.sessions["places"] or 0)

    @property
    def follow_up_rate(self) -> float | None:
        sent = sum(v["sent"] for v in self.follow_ups.values())
        answered = sum(v["answered"] for v in self.follow_ups.values())
        return _pct(answered, sent)

    @property
    def uncovered_priorities(self) -> list[Theme]:
        return [t for t in self.themes_priority if t.pk not in self.themes_covered]


# What the dashboard's figures are counted from: a change to any of these rows changes
# the data version below.
_DASHBOARD_SOURCES: tuple[type[Model], ...] = (
    TrainingSession,
    Booking,
    FollowUp,
    Evaluation,
    CascadeSession,
    AgencyTraining,
    Course,
    Programme,
    ProgrammePriority,
    Agency,
)


@functools.cache
def _version_sql() -> str:
    """One SELECT of scalar subqueries: each source table's MAX(updated_at) and COUNT(*)
    for the partnership. Written out rather than built through the ORM, whose compiling of
    twenty subqueries took longer than the query (the large tables' (partnership,
    updated_at) indexes answer MAX without a scan)."""
    q = connection.ops.quote_name
    parts = []
    for model in _DASHBOARD_SOURCES:
        table = q(model._meta.db_table)
        column = q("partnership_id")  # DomainModel's partnership foreign key
        parts.append(f"(SELECT MAX({q('updated_at')}) FROM {table} WHERE {column} = %s)")
        parts.append(f"(SELECT COUNT(*) FROM {table} WHERE {column} = %s)")
    return "SELECT " + ", ".join(parts)


def dashboard_version(partnership: Partnership, programme: Programme | None = None) -> str:
    """The version of the dashboard's data, in one query: for each table the figures come
    from, its latest change (`updated_at`, moved on by every save) and its number of rows
    (moved on by every insert and delete) in the partnership; and today's date, since
    sessions count as delivered once they have ended. Equal versions give equal figures,
    so the drawn dashboard is reused while the version holds (core.charts.cached_svg)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [partnership.pk] * (2 * len(_DASHBOARD_SOURCES)))
        found = cursor.fetchone()
    return repr(
        (
            timezone.localdate().isoformat(),
            programme.pk if programme is not None else None,
            [str(v) for v in found or ()],
        )
    )


def dashboard(partnership: Partnership, programme: Programme | None = None) -> Dashboard:
    """The training figures of a programme year (or the current financial year)."""
    period = period_for(partnership, programme)
    today = timezone.localdate()
    sessions = TrainingSession.objects.filter(
        partnership=partnership, starts_on__gte=period.start, starts_on__lte=period.end
    )
    live = sessions.exclude(status=SessionStatus.CANCELLED)
    # Places offered, taken and attended are counted for sessions already delivered.
    held = Q(status=SessionStatus.SCHEDULED, ends_on__lt=today)
    s = sessions.aggregate(
        scheduled=Count("pk", filter=Q(status=SessionStatus.SCHEDULED)),
        delivered=Count("pk", filter=held),
        courses=Count("course", distinct=True, filter=held),
        places=Coalesce(Sum("capacity", filter=held), 0),
        cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
    )

    bookings = Booking.objects.filter(
        partnership=partnership,
        session__starts_on__gte=period.start,
        session__starts_on__lte=period.end,
        session__status=SessionStatus.SCHEDULED,
    )
    waiting = Q(session__ends_on__gte=today, status=BookingStatus.WAITLISTED)
    delivered = Q(session__ends_on__lt=today)
    holding = [BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL, BookingStatus.OFFERED]
    taken = delivered & (Q(status__in=holding) | Q(cancelled_late=True))
    paired = delivered & Q(pre_score__isnull=False, post_score__isnull=False)
    diff = F("post_score") - F("pre_score")
    # One grouped query (agency x course) gives every booking figure; the totals and the
    # breakdowns are summed from its few hundred rows.
    groups: list[Any] = list(
        bookings.values(
            name=F("agency__name"),
            level=F("session__course__level"),
            title=F("session__course__title"),
        )
        .annotate(
            waitlisted=Count("pk", filter=waiting),
            requests=Count("pk", filter=delivered),
            taken=Count("pk", filter=taken),
            present=Count("pk", filter=delivered & Q(attendance=Attendance.ATTENDED)),
            partial=Count("pk", filter=delivered & Q(attendance=Attendance.PARTIAL)),
            no_show=Count("pk", filter=delivered & Q(attendance=Attendance.NO_SHOW)),
            cancelled_late=Count("pk", filter=delivered & Q(attendance=Attendance.CANCELLED_LATE)),
            reaction_sum=Sum("reaction_score", filter=delivered),
            reactions=Count("reaction_score", filter=delivered),
            pairs=Count("pk", filter=paired),
            sum_pre=Sum("pre_score", filter=paired),
            sum_post=Sum("post_score", filter=paired),
            sum_diff=Sum(diff, filter=paired, output_field=FloatField()),
            sum_diff_sq=Sum(diff * diff, filter=paired, output_field=FloatField()),
        )
        .order_by()
    )
    keys = [
        "waitlisted",
        "requests",
        "taken",
        "present",
        "partial",
        "no_show",
        "cancelled_late",
        "reaction_sum",
        "reactions",
        "pairs",
        "sum_pre",
        "sum_post",
        "sum_diff",
        "sum_diff_sq",
    ]
    b: dict[str, Any] = {k: sum((g[k] or 0) for g in groups) for k in keys}
    b["attended"] = b["present"]
    b["reaction"] = b["reaction_sum"] / b["reactions"] if b["reactions"] else None
    paired_test = paired_t_test(
        n=b["pairs"],
        sum_diff=b["sum_diff"],
        sum_diff_sq=b["sum_diff_sq"],
        sum_before=b["sum_pre"],
        sum_after=b["sum_post"],
    )

    def breakdown(key: str) -> list[dict[str, Any]]:
        out: dict[Any, dict[str, Any]] = {}
        for g in groups:
            row = out.setdefault(
                g[key],
                {key: g[key], "taken": 0, "attended": 0, "no_show": 0, "r_sum": 0.0, "r_n": 0},
            )
            row["taken"] += g["taken"]
            row["attended"] += g["present"] + g["partial"]
            row["no_show"] += g["no_show"] + g["cancelled_late"]
            row["r_sum"] += g["reaction_sum"] or 0.0
            row["r_n"] += g["reactions"]
        rows = [r for r in out.values() if r["taken"] or r["attended"]]
        for r in rows:
            r["reaction"] = r["r_sum"] / r["r_n"] if r["r_n"] else None
        return rows

    by_agency = sorted(breakdown("name"), key=lambda r: (-r["attended"], r["name"] or ""))[:50]
    by_level = sorted(breakdown("level"), key=lambda r: r["level"])
    by_course = sorted(breakdown("title"), key=lambda r: (-r["attended"], r["title"]))[:30]
    cascades = CascadeSession.objects.filter(
        partnership=partnership, delivered_on__gte=period.start, delivered_on__lte=period.end
    )
    cascade_by_agency = list(
        cascades.values(name=F("agency__name"))
        .annotate(sessions=Count("pk"), reach=Sum("attendees"))
        .order_by("-reach", "name")
    )
    cascade = {
        "sessions": sum(row["sessions"] for row in cascade_by_agency),
        "reach": sum(row["reach"] or 0 for row in cascade_by_agency),
    }
    single_agency = list(
        AgencyTraining.objects.filter(
            partnership=partnership, period_start__lte=period.end, period_end__gte=period.start
        )
        .values("level")
        .annotate(entries=Count("pk"), trained=Sum("number_trained"))
        .order_by("level")
    )
    follow_ups: dict[str, dict[str, int]] = {
        role: {"sent": 0, "answered": 0} for role in FollowUpRole.values
    }
    for row in (
        FollowUp.objects.filter(
            partnership=partnership,
            booking__session__starts_on__gte=period.start,
            booking__session__starts_on__lte=period.end,
        )
        .values("role")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(status=FollowUpStatus.ANSWERED)))
    ):
        follow_ups[row["role"]] = {"sent": row["sent"], "answered": row["answered"]}
    evidence = list(
        Evaluation.objects.filter(
            partnership=partnership,
            kind__in=[EvaluationKind.IMPACT_PARTICIPANT, EvaluationKind.IMPACT_MANAGER],
            booking__session__starts_on__gte=period.start,
            booking__session__starts_on__lte=period.end,
        )
        .select_related("question_set", "booking__session__course")
        .order_by("-submitted_on", "-pk")[:6]
    )
    themes_priority: list[Theme] = []
    themes_covered: set[int] = set()
    if programme is not None:
        covered = Course.themes.through.objects.filter(
            theme_id=OuterRef("pk"), course__in=live.filter(ends_on__lt=today).values("course")
        )
        themes_priority = list(
            Theme.objects.filter(
                Q(pk__in=programme.themes.values("pk"))
                | Q(pk__in=ProgrammePriority.objects.filter(programme=programme).values("themes"))
            )
            .annotate(covered=Exists(covered))
            .order_by("name")
        )
        themes_covered = {t.pk for t in themes_priority if getattr(t, "covered", False)}
    board = Dashboard(
        period=period,
        sessions=s,
        bookings=b,
        by_agency=by_agency,
        by_level=by_level,
        by_course=by_course,
        cascade=cascade,
        cascade_by_agency=cascade_by_agency,
        single_agency=single_agency,
        follow_ups=follow_ups,
        paired=paired_test,
        evidence=evidence,
        themes_priority=themes_priority,
        themes_covered=themes_covered,
    )
    board.recommendations = recommendations(board)
    return board


def recommendations(board: Dashboard) -> list[str]:
    """Recommendations for further development that follow from the figures."""
    out = []
    if board.no_show_rate is not None and board.no_show_rate > 10:
        out.append(
            f"Reduce non-attendance ({board.no_show_rate}% of places taken were not used): "
            "ask agencies' safeguarding leads to follow up no-shows and late cancellations."
        )
    if board.fill_rate is not None and board.fill_rate < 70:
        out.append(
            f"Only {board.fill_rate}% of places offered were taken: review the timing, "
            "publicity and format of under-subscribed courses."
        )
    waiting = board.bookings["waitlisted"]
    if waiting:
        out.append(
            f"{counted(waiting, 'person', 'people')} {noun(waiting, 'is', 'are')} on "
            f"{noun(waiting, 'a waiting list', 'waiting lists')}: consider extra sessions of "
            "over-subscribed courses."
        )
    uncovered = board.uncovered_priorities
    if uncovered:
        out.append(
            "Commission training on the business plan priority themes not yet covered: "
            + ", ".join(t.name for t in uncovered)
            + "."
        )
    rate = board.follow_up_rate
    if rate is not None and rate < 60:
        out.append(
            f"Impact follow-ups had a {rate}% response rate: ask line managers to discuss "
            "the follow-up in supervision."
        )
    if board.paired.n >= 2 and not board.paired.significant:
        out.append(
            "The before/after questions show no clear change in confidence and knowledge: "
            "review the learning outcomes and methods of the courses evaluated."
        )
    if not out:
        out.append(
            "Continue the programme's current approach; keep sampling participants and their "
            "managers for evidence of impact on practice."
        )
    return out


def _n(v: Any) -> Any:
    return 0 if v is None else v


def _r(v: float | None, places: int = 2) -> str:
    return "" if v is None else f"{v:.{places}f}"


def _chart(kind: str, title: str, categories: list[str], series: dict[str, Any], **kw: Any) -> Any:
    """A chart, or a sentence saying there is no data yet (an empty chart would be a
    heading with nothing under it)."""
    chart = Chart(kind, title, categories, series, **kw)
    if chart.has_data:
        return chart
    return Para(f"{title}: there is no data for this chart yet.")


def _cascade_sentence(sessions: int, reach: int) -> str:
    if not sessions:
        return "No cascade sessions of the train-the-trainer courses were recorded."
    return (
        f"Agencies ran {counted(sessions, 'cascade session')} with the materials of the "
        f"train-the-trainer courses, reaching {counted(reach, 'member of staff', 'staff')}."
    )


def _feedback_sentence(reactions: int, mean: float | None) -> str:
    if not reactions:
        return "No attendees gave feedback at the end of their session."
    return (
        f"{counted(reactions, 'attendee')} gave feedback at the end of their session; the mean "
        f"score was {_r(mean) or 'not available'} out of 5."
    )


def annual_report(partnership: Partnership, programme: Programme | None = None) -> Doc:
    """The annual training report to the Board: provision, attendance, effectiveness and
    impact, with recommendations (seed: Training sub-group (viii))."""
    board = dashboard(partnership, programme)
    b, s = board.bookings, board.sessions
    p = board.paired
    sections: list[Any] = [
        Heading("Summary", 1),
        KeyValue(
            [
                ("Programme year", board.period.label),
                (
                    "Approved by",
                    f"{programme.approved_by_body}, {programme.approved_on:%-d %B %Y}"
                    if programme is not None and programme.is_approved and programme.approved_on
                    else "Not recorded",
                ),
                ("Sessions delivered", s["delivered"]),
                ("Courses delivered", s["courses"]),
                ("Places offered", s["places"]),
                ("Places taken", b["taken"]),
                ("Attended (in full or part)", b["attended"] + b["partial"]),
                (
                    "No-show and late cancellation rate",
                    f"{_r(board.no_show_rate, 1)}%"
                    if board.no_show_rate is not None
                    else "No places taken",
                ),
                ("Mean reaction score (1 to 5)", _r(b["reaction"]) or "No feedback"),
                (
                    "Follow-up response rate",
                    f"{board.follow_up_rate}%"
                    if board.follow_up_rate is not None
                    else "No follow-ups sent",
                ),
            ]
        ),
        Heading("Provision and attendance", 1),
        _chart(
            "bar",
            "Places offered, taken and attended",
            ["Offered", "Taken", "Attended"],
            {"Places": [s["places"], b["taken"], b["attended"] + b["partial"]]},
            y_label="Places",
        ),
        _chart(
            "barh",
            "Attendance by agency",
            [row["name"] or "No agency recorded" for row in board.by_agency],
            {
                "Attended": [row["attended"] for row in board.by_agency],
                "Did not attend": [row["no_show"] for row in board.by_agency],
            },
            y_label="People",
        ),
        _chart(
            "bar",
            "Attendance by level",
            [LEVEL_SHORT.get(row["level"], str(row["level"])) for row in board.by_level],
            {
                "Places taken": [row["taken"] for row in board.by_level],
                "Attended": [row["attended"] for row in board.by_level],
            },
            y_label="People",
        ),
        DocTable(
            "Courses",
            ["Course", "Places taken", "Attended", "Did not attend", "Mean reaction (1 to 5)"],
            [
                [row["title"], row["taken"], row["attended"], row["no_show"], _r(row["reaction"])]
                for row in board.by_course
            ],
            numeric=(1, 2, 3, 4),
        ),
        Heading("Cascade and single-agency training", 1),
        Para(_cascade_sentence(board.cascade["sessions"] or 0, board.cascade["reach"] or 0)),
        _chart(
            "bar",
            "Reach of cascade training by agency",
            [row["name"] for row in board.cascade_by_agency],
            {"Staff reached": [row["reach"] for row in board.cascade_by_agency]},
            y_label="Staff",
        ),
        DocTable(
            "Single-agency safeguarding training recorded by partner agencies",
            ["Level", "Entries", "Staff trained"],
            [
                [
                    LEVEL_SHORT.get(row["level"], str(row["level"])),
                    row["entries"],
                    _n(row["trained"]),
                ]
                for row in board.single_agency
            ],
            numeric=(1, 2),
        ),
        Heading("Effectiveness: reaction and learning", 1),
        Para(_feedback_sentence(b["reactions"] or 0, b["reaction"])),
        Para(
            "Learning (Kirkpatrick level 2) is measured with the same confidence and knowledge "
            "questions before and after each course. " + p.summary()
        ),
        _chart(
            "bar",
            "Confidence and knowledge before and after (mean score, 1 to 5)",
            ["Before", "After"],
            {
                "Mean score": [
                    round(p.mean_before, 2) if p.mean_before is not None else None,
                    round(p.mean_after, 2) if p.mean_after is not None else None,
                ]
            },
            y_label="Score",
        ),
        Callout(
            "Method: paired t-test of each learner's after-course score minus their "
            "before-course score, two-sided, with a 95% confidence interval for the mean change."
        ),
        Heading("Impact on practice (follow-up)", 1),
        DocTable(
            "Impact follow-ups",
            ["Asked", "Sent", "Answered", "Response rate"],
            [
                [
                    "Participants" if role == FollowUpRole.PARTICIPANT else "Line managers",
                    v["sent"],
                    v["answered"],
                    f"{_pct(v['answered'], v['sent'])}%" if v["sent"] else "",
                ]
                for role, v in board.follow_ups.items()
            ],
            numeric=(1, 2),
        ),
    ]
    from .questionsets import evidence_text

    quotes = [
        f"{e.get_kind_display().split(':')[-1].strip().capitalize()}, "
        f"{e.booking.session.course.title}: {evidence_text(e.question_set, e.answers)}"
        for e in board.evidence
    ]
    sections.append(
        Bullets(quotes) if quotes else Para("No impact evidence has been received yet.")
    )
    sections.append(Heading("Themes covered against the business plan priorities", 1))
    if board.themes_priority:
        sections.append(
            DocTable(
                "Priority themes",
                ["Theme", "Covered by a course delivered"],
                [
                    [t.name, "Yes" if t.pk in board.themes_covered else "No"]
                    for t in board.themes_priority
                ],
            )
        )
    else:
        sections.append(Para("No programme priorities are recorded for this period."))
    sections += [Heading("Recommendations", 1), Bullets(board.recommendations)]
    for block in sections:  # every chart says what it covers and where it comes from
        if isinstance(block, Chart):
            block.period = block.period or f"Programme year {board.period.label}"
            block.source = block.source or f"LIFT, {partnership.name} training records"
    return Doc(
        title=f"Annual training report {board.period.label}",
        subtitle=(
            "Multi-agency safeguarding training: provision, attendance, effectiveness and impact"
        ),
        partnership=partnership,
        sections=sections,
        date=timezone.localdate(),
    )


def certificate(booking: Booking) -> Doc:
    """A certificate of attendance for someone who attended."""
    session = booking.session
    course = session.course
    return Doc(
        title="Certificate of attendance",
        subtitle=course.title,
        partnership=booking.partnership,
        toc=False,
        date=session.ends_on,
        sections=[
            Para(f"This is to certify that {booking.learner.full_name} attended"),
            KeyValue(
                [
                    ("Course", course.title),
                    ("Level", course.get_level_display()),
                    ("Format", course.get_format_display()),
                    ("Date", session.dates_text),
                    ("Duration", f"{course.duration_hours} hours"),
                    (
                        "Trainer",
                        course.trainer_name or (str(session.trainer) if session.trainer else ""),
                    ),
                ]
            ),
            Heading("Learning outcomes", 2),
            Bullets(course.outcomes()),
        ],
    )


def build_annual_report(subject: Any, progress: Any) -> Doc:
    """Background builder of the annual training report of a programme
    (`register_document("training_annual_report", ...)`)."""
    progress(10)
    return annual_report(subject.partnership, subject)
