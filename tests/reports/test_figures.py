"""The annual report's figures are the database's for the report's financial year, and its
sentences follow the figures (zero, one, many), on the page and in the PDF."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lift.cdop.annual_report import cdop_section
from lift.core.documents import DocTable, Para, render_pdf
from lift.core.wording import counted, listed, times, was
from lift.governance import services as governance
from lift.governance.annual_report import governance_section
from lift.governance.choices import GroupKind, MeetingStatus
from lift.governance.models import Meeting, Membership
from lift.learning.annual_report import action_sentences
from lift.reports import services
from lift.reports.documents import live_doc, report_doc

pytestmark = pytest.mark.django_db

YEAR = "2015/16"
START, END = dt.date(2015, 4, 1), dt.date(2016, 3, 31)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _meeting(board, day, status, by):
    meeting = governance.meeting_create(board=board, starts_at=_at(day), by=by)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    return meeting


def _pdf_text(doc) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _table(doc, caption: str) -> DocTable:
    return next(b for b in doc.sections if isinstance(b, DocTable) and b.caption == caption)


@pytest.fixture
def report(partnership, business_unit):
    return services.annual_report_create(partnership=partnership, by=business_unit, year=YEAR)


@pytest.fixture
def groups(partnership, business_unit, make_person):
    """A Board that met 3 times of the 4 its terms expect (one more meeting cancelled, one
    not recorded, one held after the year), an L&I sub-group that met all 4 times, and an
    Executive with no set frequency that never met."""
    bu = business_unit
    board = governance.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", by=bu,
        meets_every_months=3,
    )  # fmt: skip
    li = governance.board_create(
        partnership=partnership, kind=GroupKind.SUBGROUP, name="L&I sub-group", by=bu,
        meets_every_months=3,
    )  # fmt: skip
    governance.board_create(
        partnership=partnership, kind=GroupKind.EXECUTIVE, name="Executive", by=bu
    )
    governance.board_create(
        partnership=partnership, kind=GroupKind.PARTNER_BOARD, name="Community Safety", by=bu,
        meets_every_months=3,
    )  # fmt: skip
    for day in (dt.date(2015, 5, 1), dt.date(2015, 9, 1)):
        _meeting(board, day, MeetingStatus.MINUTES_APPROVED, bu)
    _meeting(board, dt.date(2016, 3, 1), MeetingStatus.HELD, bu)
    _meeting(board, dt.date(2015, 12, 1), MeetingStatus.CANCELLED, bu)
    _meeting(board, dt.date(2016, 2, 1), MeetingStatus.PLANNED, bu)
    _meeting(board, dt.date(2016, 4, 5), MeetingStatus.HELD, bu)  # the next year
    for month in (4, 7, 10, 1):
        day = dt.date(2015 if month > 3 else 2016, month, 15)
        _meeting(li, day, MeetingStatus.HELD, bu)
    for _ in range(3):
        governance.membership_add(
            board=board, person=make_person("board_member"), by=bu, starts_on=dt.date(2014, 1, 1)
        )
    governance.membership_add(
        board=board,
        person=make_person("board_member"),
        by=bu,
        starts_on=dt.date(2013, 1, 1),
        ends_on=dt.date(2015, 1, 31),  # left before the year
    )
    return board, li


def _held(board) -> int:
    return Meeting.objects.filter(
        board=board,
        starts_at__date__gte=START,
        starts_at__date__lte=END,
        status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED],
    ).count()


def _members(board) -> int:
    return (
        Membership.objects.filter(board=board, starts_on__lte=END)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=START))
        .values("person")
        .distinct()
        .count()
    )


def test_governance_figures_are_the_databases(report, groups, client_for, business_unit):
    board, li = groups
    doc = live_doc(report)
    table = _table(doc, "Boards and groups: members and meetings in the year")
    rows = {row[0]: row for row in table.rows}
    assert set(rows) == {"The Board", "L&I sub-group", "Executive"}
    for group in (board, li):
        _, _, members, held, cancelled, expected = rows[group.name]
        assert members == _members(group)
        assert held == _held(group)
        assert (
            cancelled
            == group.meetings.filter(
                status=MeetingStatus.CANCELLED, starts_at__date__gte=START, starts_at__date__lte=END
            ).count()
        )
        assert expected == 12 // group.meets_every_months
    assert rows["The Board"][2:] == [3, 3, 1, 4]
    assert rows["L&I sub-group"][2:] == [0, 4, 0, 4]
    assert rows["Executive"][2:] == [0, 0, 0, ""]

    total = _held(board) + _held(li)
    words = (
        f"The partnership had 3 boards and groups. 2 of them met in the year, holding "
        f"{total} meetings between them. 1 group met less often than its terms of reference "
        "expect: The Board (3 of 4 meetings). 1 meeting was cancelled. 1 meeting that was "
        "due is not recorded as held or cancelled. It worked with 1 partner board: "
        "Community Safety."
    )
    assert any(isinstance(b, Para) and b.text == words for b in doc.sections)
    page = client_for(business_unit).get(reverse("reports:annualreport_detail", args=[report.pk]))
    text = _squash(re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert words in text.replace("&amp;", "&")
    assert "as planned" not in text and "met 0 times" not in text
    pdf = _pdf_text(report_doc(report))
    assert "holding 7 meetings between them" in pdf
    assert "The Board (3 of 4 meetings)" in pdf


def test_no_meetings_held_is_said_so(report, partnership, business_unit, client_for):
    governance.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", by=business_unit,
        meets_every_months=2,
    )  # fmt: skip
    governance.board_create(
        partnership=partnership, kind=GroupKind.EXECUTIVE, name="Executive", by=business_unit
    )
    blocks = governance_section(partnership, START, END)
    assert blocks is not None
    words = blocks[0].text
    assert words.startswith("The partnership had 2 boards and groups. No meetings were held in")
    assert "The Board (0 of 6 meetings)" in words
    assert "met 0" not in words and "as often as" not in words and "as planned" not in words
    page = client_for(business_unit).get(reverse("reports:annualreport_detail", args=[report.pk]))
    text = _squash(re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "No meetings were held in the year." in text and "met 0 times" not in text
    assert "No meetings were held in the year." in _pdf_text(report_doc(report))


def test_one_group_one_meeting(partnership, business_unit):
    board = governance.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", by=business_unit,
        meets_every_months=12,
    )  # fmt: skip
    _meeting(board, dt.date(2015, 6, 1), MeetingStatus.HELD, business_unit)
    blocks = governance_section(partnership, START, END)
    assert blocks is not None
    assert blocks[0].text == (
        "The partnership had 1 board or group. It met once in the year. The Board met at "
        "least as often as its terms of reference expect."
    )


def test_a_year_in_progress_counts_what_is_expected_so_far(partnership, business_unit):
    today = timezone.localdate()
    start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    end = dt.date(start.year + 1, 3, 31)
    board = governance.board_create(
        partnership=partnership, kind=GroupKind.BOARD, name="The Board", by=business_unit,
        meets_every_months=1,
    )  # fmt: skip
    blocks = governance_section(partnership, start, end)
    assert blocks is not None
    months = (today.year - start.year) * 12 + today.month - start.month
    assert "so far this year" in blocks[0].text
    assert blocks[1].headers[-1] == "Meetings expected to date"
    assert blocks[1].rows[0][-1] == months
    assert board.name in blocks[0].text or months == 0


def test_signed_off_public_report_carries_the_figures(report, groups, business_unit):
    from django.test import Client

    services.annual_report_sign_off(report=report, by=business_unit)
    # A meeting recorded after sign-off does not change the signed report.
    _meeting(groups[1], dt.date(2016, 3, 20), MeetingStatus.HELD, business_unit)
    page = Client().get(reverse("reports:public_annual_report"), {"year": YEAR})
    text = _squash(re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert "holding 7 meetings between them" in text
    assert "The Board (3 of 4 meetings)" in text


@pytest.mark.parametrize(
    ("figures", "words"),
    [
        (
            (0, 0, 0),
            "No actions were opened in the year. No actions were completed or closed. "
            "No action's impact was verified.",
        ),
        (
            (1, 1, 1),
            "1 action was opened in the year. 1 action was completed or closed. "
            "The impact of 1 action was verified.",
        ),
        (
            (30, 5, 2),
            "30 actions were opened in the year. 5 actions were completed or closed. "
            "The impact of 2 actions was verified.",
        ),
    ],
)
def test_action_sentences_follow_the_figures(figures, words):
    assert " ".join(action_sentences(*figures)) == words


def test_wording_helpers():
    assert counted(0, "meeting") == "no meetings"
    assert counted(1, "meeting") == "1 meeting"
    assert counted(1204, "meeting") == "1,204 meetings"
    assert counted(2, "board or group", "boards and groups") == "2 boards and groups"
    assert (was(0), was(1), was(2)) == ("were", "was", "were")
    assert (times(0), times(1), times(2), times(5)) == ("not at all", "once", "twice", "5 times")
    assert listed(["A", "B", "C"]) == "A, B and C" and listed(["A"]) == "A"


def test_cdop_figures_are_for_the_financial_year(partnership, make_person):
    from lift.cdop import services as cdop
    from lift.core.documents import KeyValue

    coordinator = make_person("cdop_coordinator")

    def notify(on: dt.date, n: int) -> None:
        for i in range(n):
            cdop.childdeath_notify(
                partnership=partnership,
                by=coordinator,
                notifier_name="N",
                first_name=f"K{i}",
                date_of_death=on - dt.timedelta(days=1),
                expected="expected",
                notified_on=on,
            )

    notify(dt.date(2015, 3, 20), 5)  # the year before
    notify(dt.date(2015, 6, 1), 3)
    notify(dt.date(2016, 2, 1), 3)  # January to March: still 2015/16
    notify(dt.date(2016, 5, 1), 5)  # the year after
    blocks = cdop_section(partnership, START, END)
    assert blocks is not None
    assert blocks[0].text.startswith("The year's figures are for 1 April 2015 to 31 March 2016")
    summary = next(b for b in blocks if isinstance(b, KeyValue))
    assert dict(summary.rows)["Deaths notified"] == "6"


def test_report_page_queries_do_not_grow_with_the_data(
    report, groups, partnership, business_unit, client_for, django_assert_max_num_queries
):
    """The report's own queries are a fixed number, whatever the data: one aggregate per
    figure, never one per group, meeting or member."""
    c = client_for(business_unit)
    url = reverse("reports:annualreport_detail", args=[report.pk])
    with django_assert_max_num_queries(40) as first:
        assert c.get(url).status_code == 200
    for n in range(5):
        extra = governance.board_create(
            partnership=partnership, kind=GroupKind.SUBGROUP, name=f"Group {n}", by=business_unit
        )
        _meeting(extra, dt.date(2015, 6, 1 + n), MeetingStatus.HELD, business_unit)
        governance.membership_add(
            board=extra,
            person=groups[0].memberships.first().person,
            by=business_unit,
            starts_on=START,
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert c.get(url).status_code == 200


def test_sign_off_draws_the_page_once(
    report, groups, business_unit, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    """Signing off draws the report in the background; its pages then open from the
    drawing, not by drawing again."""
    from lift.reports import documents

    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_sign_off(report=report, by=business_unit)

    def not_again(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(documents, "render_html", not_again)
    page = client_for(business_unit).get(reverse("reports:annualreport_detail", args=[report.pk]))
    assert "holding 7 meetings between them" in page.content.decode()
    public = client_for(None).get(reverse("reports:public_annual_report"), {"year": YEAR})
    assert "holding 7 meetings between them" in public.content.decode()


def test_training_sentences_follow_the_figures():
    from lift.training.reports import _cascade_sentence, _feedback_sentence
    from lift.training.stats import paired_t_test

    assert _cascade_sentence(0, 0) == (
        "No cascade sessions of the train-the-trainer courses were recorded."
    )
    assert _cascade_sentence(1, 1) == (
        "Agencies ran 1 cascade session with the materials of the train-the-trainer courses, "
        "reaching 1 member of staff."
    )
    assert "ran 3 cascade sessions" in _cascade_sentence(3, 75) and "75 staff" in (
        _cascade_sentence(3, 75)
    )
    assert _feedback_sentence(0, None) == "No attendees gave feedback at the end of their session."
    assert _feedback_sentence(1, 4.0).startswith("1 attendee gave feedback")
    assert _feedback_sentence(26, 4.31).startswith("26 attendees gave feedback")
    assert paired_t_test(n=0, sum_diff=0, sum_diff_sq=0).summary() == (
        "No learner answered both before and after, so there is no test."
    )
    assert paired_t_test(n=1, sum_diff=1, sum_diff_sq=1).summary() == (
        "Only 1 learner answered before and after: too few for a test."
    )


def test_the_narrative_is_written_beside_what_the_figures_say(
    report, groups, business_unit, client_for
):
    page = client_for(business_unit).get(reverse("reports:annualreport_edit", args=[report.pk]))
    text = html.unescape(_squash(re.sub(r"<[^>]+>", " ", page.content.decode())))
    assert "Commentary shown before this section's figures, which say: The partnership had 3 " in (
        text
    )
    assert "1 group met less often than its terms of reference expect" in text
