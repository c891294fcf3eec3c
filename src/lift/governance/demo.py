"""Harrowmere's governance: the Board, its Executive and sub-groups, the partner boards, a
Board meeting six weeks ago whose decisions created actions, the next Board meeting (next
month), and this financial year's business plan. Fictional throughout; every date counts
from the day the demo is built and every year label comes from those dates.

Runs before learning.demo (app order), so the next meeting's agenda links to what exists
now (the business plan, agencies); later areas add items to ctx.extra["next_board_meeting"].
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lift.core.calendar import add_months, next_working_day

from . import services
from .choices import AttendanceStatus, GroupKind, MeetingStatus, MemberRole, Purpose, ReportStatus


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def next_board_day(today: dt.date) -> dt.date:
    """The Board meets on the second Tuesday of the month (the next working day if that is a
    bank holiday): its next meeting in the demo is next month's."""
    first = add_months(today.replace(day=1), 1)
    return next_working_day(first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7))


def build(ctx: Any) -> None:
    p = ctx.partnership
    people = ctx.people
    agencies = ctx.agencies
    bu = people["bu"]
    today = ctx.today
    year = ctx.year

    def group(kind: str, name: str, **kw: Any) -> Any:
        return services.board_create(partnership=p, kind=kind, name=name, by=bu, **kw)

    board = group(
        GroupKind.BOARD,
        "Harrowmere Local Safeguarding Children Board",
        short_name="LSCB",
        purpose="Co-ordinates and checks how well agencies in Harrowmere keep children safe.",
        terms_of_reference=(
            "The Board meets every two months. It agrees the business plan, receives the "
            "reports of its sub-groups, holds partner agencies to account for integrating "
            "learning into practice, and publishes an annual report."
        ),
        quorum=5,
        meets_every_months=2,
    )
    executive = group(
        GroupKind.EXECUTIVE,
        "LSCB Executive",
        short_name="Executive",
        purpose="Drives the business plan between Board meetings; approves the training programme.",
        reports_to=board,
        quorum=3,
        meets_every_months=2,
    )
    li = group(
        GroupKind.SUBGROUP,
        "Learning and Improvement sub-group",
        short_name="L&I",
        purpose="Runs the audit programme and learning reviews and disseminates their lessons.",
        reports_to=executive,
        responsibility_set="learning-improvement",
        quorum=3,
        meets_every_months=2,
    )
    training = group(
        GroupKind.SUBGROUP,
        "Training sub-group",
        short_name="Training",
        purpose="Plans, delivers and evaluates multi-agency safeguarding training.",
        reports_to=executive,
        responsibility_set="training",
        quorum=3,
        meets_every_months=3,
    )
    cdop = group(
        GroupKind.CDOP,
        "Child Death Overview Panel",
        short_name="CDOP",
        purpose="Reviews the deaths of all children normally resident in Harrowmere.",
        reports_to=board,
        meets_every_months=2,
    )
    partners = {}
    for key, name in [
        ("ctpb", "Harrowmere Children's Trust Partnership Board"),
        ("sab", "Harrowmere Safeguarding Adults Board"),
        ("hwb", "Harrowmere Health and Wellbeing Board"),
        ("csp", "Harrowmere Community Safety Partnership Board"),
    ]:
        partners[key] = group(GroupKind.PARTNER_BOARD, name, meets_every_months=3)
    joint = group(
        GroupKind.JOINT,
        "Joint meeting of the Community Safety Partnership and the LSCB Executive",
        short_name="CSP / Executive",
        purpose=(
            "Six-monthly: monitors action plans from joint domestic homicide and serious case "
            "reviews."
        ),
        joint_of=[partners["csp"], executive],
        meets_every_months=6,
    )

    def seat(g: Any, key: str, role: str = MemberRole.MEMBER, agency: str | None = None) -> None:
        services.membership_add(
            board=g,
            person=people[key],
            role=role,
            agency=agencies[agency] if agency else None,
            starts_on=(year - 1).first_day,
            by=bu,
        )

    seat(board, "chair", MemberRole.CHAIR)
    seat(board, "board", MemberRole.VICE_CHAIR, "social_care")
    seat(board, "lay", MemberRole.LAY_MEMBER)
    seat(board, "lichair", agency="social_care")
    seat(board, "lead_police", agency="police")
    seat(board, "lead_health", agency="health")
    seat(board, "bu", MemberRole.ADVISER)
    seat(executive, "chair", MemberRole.CHAIR)
    seat(executive, "board", agency="social_care")
    seat(executive, "lichair", agency="social_care")
    seat(executive, "bu", MemberRole.ADVISER)
    seat(li, "lichair", MemberRole.CHAIR, "social_care")
    seat(li, "subgroup", agency="health")
    seat(li, "lead_police", agency="police")
    seat(li, "cdop", MemberRole.ADVISER)
    seat(li, "auditor", agency="social_care")
    seat(training, "trainer", MemberRole.CHAIR)
    seat(training, "lead_health", agency="health")
    seat(training, "manager", agency="health")
    seat(cdop, "cdop", MemberRole.CHAIR)
    seat(cdop, "subgroup", agency="health")
    seat(joint, "chair", MemberRole.CHAIR)
    seat(joint, "lead_police", agency="police")

    for code, status, note in [
        ("li-audit-programme", ReportStatus.ON_TRACK, "Neglect step-down audit reported."),
        ("li-learning-reviews", ReportStatus.ON_TRACK, "One learning lessons review running."),
        ("li-national-learning", ReportStatus.AT_RISK, "Library backlog of six national reviews."),
    ]:
        services.responsibility_report(
            board=li, code=code, year=year.label, status=status, note=note, by=people["lichair"]
        )
    services.responsibility_report(
        board=training,
        code="tr-needs-assessment",
        year=year.label,
        status=ReportStatus.COMPLETE,
        note="Needs assessment agreed by the Executive.",
        by=bu,
    )

    # This financial year's business plan, approved at the Board's April meeting.
    plan = services.business_plan_create(
        partnership=p,
        year=year.label,
        title="LSCB Business Plan",
        summary=f"Four priorities agreed by the Board for {year.label}.",
        approved_by=board,
        approved_on=min(year.first_day + dt.timedelta(days=19), ctx.ago(1)),
        by=bu,
    )
    priorities = {}
    for key, title, theme, lead, agency, measures in [
        (
            "neglect",
            "Tackle neglect earlier and more consistently",
            "neglect",
            "board",
            "social_care",
            "Fewer children re-referred for neglect within 12 months of a plan ending.",
        ),
        (
            "cse",
            "Identify and protect children at risk of sexual exploitation",
            "child-sexual-exploitation",
            "lead_police",
            "police",
            "Every child flagged at risk has a multi-agency plan within 10 working days.",
        ),
        (
            "early_help",
            "Make early help helpful",
            "early-help",
            "lichair",
            "social_care",
            "Families say early help made a difference; fewer step-ups to child protection.",
        ),
        (
            "voice",
            "Hear the voice of the child in every plan",
            "voice-of-the-child",
            "subgroup",
            "health",
            "Audits find the child's wishes recorded and acted on in 9 out of 10 plans.",
        ),
    ]:
        priorities[key] = services.priority_create(
            plan=plan,
            title=title,
            success_measures=measures,
            themes=[theme],
            lead=people[lead],
            lead_agency=agencies[agency],
            by=bu,
        )

    # A past Board meeting, minuted, whose decisions created actions.
    past_day = today - dt.timedelta(days=42)
    past = services.meeting_create(
        board=board,
        starts_at=_at(past_day, 10),
        ends_at=_at(past_day, 12, 30),
        location="Harrowmere Civic Centre, Committee Room 2",
        by=bu,
    )
    items = [
        services.agenda_item_add(
            meeting=past,
            # Before the plan's year starts the Board sees the draft, after it the progress.
            title=f"Business plan {plan.year}: "
            + ("progress report" if past_day in year else "draft for approval"),
            linked=plan,
            purpose=Purpose.ASSURANCE,
            presenter=people["bu"],
            by=bu,
        ),
        services.agenda_item_add(
            meeting=past,
            title="Neglect step-down audit: overview report",
            linked=priorities["neglect"],
            purpose=Purpose.DECISION,
            presenter=people["lichair"],
            by=bu,
        ),
        services.agenda_item_add(
            meeting=past,
            title="Police response to missing children",
            linked=agencies["police"],
            purpose=Purpose.DISCUSSION,
            presenter=people["lead_police"],
            by=bu,
        ),
    ]
    services.meeting_status_set(meeting=past, status=MeetingStatus.PAPERS_SENT, by=bu)
    services.meeting_status_set(meeting=past, status=MeetingStatus.HELD, by=bu)
    for key, came, deputy in [
        ("chair", AttendanceStatus.ATTENDED, ""),
        ("board", AttendanceStatus.ATTENDED, ""),
        ("lay", AttendanceStatus.ATTENDED, ""),
        ("lichair", AttendanceStatus.ATTENDED, ""),
        ("lead_police", AttendanceStatus.APOLOGIES, "DS Karen Whitlow (deputy)"),
        ("lead_health", AttendanceStatus.APOLOGIES, ""),
        ("bu", AttendanceStatus.ATTENDED, ""),
    ]:
        services.attendance_record(
            meeting=past, person=people[key], status=came, deputy=deputy, by=bu
        )
    minutes = [
        "The business manager reported that two of four priorities are on track.",
        "The L&I chair presented the audit. Plans ended too early in four of ten cases.",
        "DS Whitlow described the new return-home interview arrangements.",
    ]
    for item, text in zip(items, minutes, strict=True):
        services.minutes_record(item=item, minutes=text, by=bu)
    decision = services.decision_record(
        meeting=past,
        agenda_item=items[1],
        text=(
            "Children's social care to review every child protection plan for neglect before "
            "it ends, with a multi-agency step-down meeting."
        ),
        by=bu,
    )
    services.decision_action_create(
        decision=decision,
        title="Multi-agency step-down meeting before any neglect plan ends",
        owner_agency=agencies["social_care"],
        owner=people["lead_sc"],
        due_on=today + dt.timedelta(days=60),
        success_measure="Re-audit finds a step-down meeting in every sampled case.",
        themes=["neglect"],
        serves=priorities["neglect"],
        by=bu,
    )
    services.decision_action_create(
        decision=decision,
        title="Health visitors attend neglect step-down meetings",
        owner_agency=agencies["health"],
        owner=people["lead_health"],
        due_on=today - dt.timedelta(days=7),
        success_measure="Health visitor attendance recorded at 9 in 10 step-down meetings.",
        themes=["neglect"],
        serves=priorities["neglect"],
        by=bu,
    )
    decision2 = services.decision_record(
        meeting=past,
        agenda_item=items[2],
        text="Police to report return-home interview completion to the next Executive.",
        by=bu,
    )
    services.decision_action_create(
        decision=decision2,
        title="Report return-home interview completion rates to the Executive",
        owner_agency=agencies["police"],
        owner=people["lead_police"],
        due_on=today + dt.timedelta(days=21),
        success_measure="Completion rate reported monthly, with reasons for any missed.",
        themes=["child-sexual-exploitation"],
        serves=priorities["cse"],
        by=bu,
    )
    services.meeting_status_set(meeting=past, status=MeetingStatus.MINUTES_APPROVED, by=bu)

    # The next Board meeting, next month: later areas add their items to it.
    next_day = next_board_day(today)
    upcoming = services.meeting_create(
        board=board,
        starts_at=_at(next_day, 10),
        ends_at=_at(next_day, 12, 30),
        location="Harrowmere Civic Centre, Committee Room 2",
        online_link="https://meet.example.test/harrowmere-lscb",
        by=bu,
    )
    services.agenda_item_add(
        meeting=upcoming,
        title="Minutes and actions of the last meeting",
        linked=past,
        purpose=Purpose.DECISION,
        presenter=people["chair"],
        by=bu,
    )
    plan_item = services.agenda_item_add(
        meeting=upcoming,
        title=f"Business plan {plan.year}: priorities and progress",
        linked=plan,
        purpose=Purpose.ASSURANCE,
        presenter=people["bu"],
        by=bu,
    )
    early_help_item = services.agenda_item_add(
        meeting=upcoming,
        title="Early help: was early help helpful?",
        linked=priorities["early_help"],
        purpose=Purpose.DISCUSSION,
        presenter=people["lichair"],
        by=bu,
    )
    _papers(upcoming, bu, plan_item, early_help_item, year=str(plan.year))
    services.meeting_create(
        board=li,
        starts_at=_at(today + dt.timedelta(days=7), 14),
        location="Harrowmere Civic Centre, Room 4",
        by=bu,
    )
    services.meeting_create(
        board=executive,
        starts_at=_at(today + dt.timedelta(days=28), 9, 30),
        location="Online",
        online_link="https://meet.example.test/harrowmere-exec",
        by=bu,
    )
    services.meeting_create(
        board=joint,
        starts_at=_at(today + dt.timedelta(days=35), 14),
        location="Harrowmere Police Station, Conference Room",
        by=bu,
    )

    ctx.extra["boards"] = {
        "board": board,
        "executive": executive,
        "li": li,
        "training": training,
        "cdop": cdop,
        "joint": joint,
        **partners,
    }
    ctx.extra["next_board_meeting"] = upcoming
    # Published once the papers are in; made in the background when the demo is saved, so
    # the items later areas add to the agenda are in it too.
    ctx.extra["board_pack"] = services.board_pack_publish(meeting=upcoming, by=bu)
    ctx.extra["business_plan"] = plan
    ctx.extra["priorities"] = priorities


# --- The next Board meeting's papers, made when the demo is built ------------------------


def _pdf_paper(title: str, year: str) -> bytes:
    """A short fictional report as a tagged PDF, as a partner would send one."""
    from django.utils.html import escape
    from weasyprint import HTML

    html = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>
@page {{ size: A4; margin: 25mm; }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; }}
h1 {{ font-size: 20pt; }} .next {{ break-before: page; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p>Harrowmere Safeguarding Children Board, business unit. Business plan {escape(year)}.</p>
<h2>Where we are</h2>
<p>Four of the six priorities are on track. The neglect toolkit is in use in every
locality; the early help evaluation reports to this meeting.</p>
<p>Two priorities are behind: the child exploitation pathway waits for the police
restructure, and the training needs analysis closed a month late.</p>
<h2 class="next">What we ask the Board</h2>
<ul><li>Note the progress on the four priorities on track.</li>
<li>Agree the revised dates for the two that are behind.</li></ul>
</body></html>"""
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return bytes(pdf)


def _docx_paper() -> bytes:
    import io

    from docx import Document

    document = Document()
    document.add_heading("Early help evaluation: summary for the Board", level=1)
    document.add_paragraph(
        "The L&I sub-group asked families and practitioners whether early help helped. "
        "Forty-two families and thirty practitioners answered."
    )
    document.add_heading("What families told us", level=2)
    for text in (
        "Most families said one worker who knew them well made the difference.",
        "Families waited too long between the first contact and the first visit.",
        "Plans ended without a clear goodbye or a number to call.",
    ):
        document.add_paragraph(text, style="List Bullet")
    document.add_heading("Measures", level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Measure", "Last year", "This year"), strict=True):
        cell.text = text
    for row in (
        ("Families re-referred within a year", "24%", "19%"),
        ("Plans ended well", "61%", "72%"),
    ):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx_paper(year: str) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Contributions"
    sheet.append(["Agency", f"Contribution {year} (£)", "Paid"])
    for row in (
        ("Harrowmere Council", 96000, "Yes"),
        ("Harrowmere and Vale Police", 28000, "Yes"),
        ("Harrowmere Integrated Care Board", 41000, "No"),
        ("Vale Probation Service", 4000, "Yes"),
    ):
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _papers(meeting: Any, bu: Any, plan_item: Any, early_help_item: Any, *, year: str) -> None:
    """Three small fictional papers: a partner's PDF (replaced once, so it has two
    versions), the L&I sub-group's Word summary and the budget workbook, which came late."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = "application/pdf"
    report = services.paper_add(
        item=plan_item,
        uploaded_file=SimpleUploadedFile(
            "business-plan-progress.pdf", _pdf_paper("Business plan progress", year), pdf
        ),
        title="Business plan progress report",
        by=bu,
    )
    services.paper_replace(
        paper=report,
        uploaded_file=SimpleUploadedFile(
            "business-plan-progress-v2.pdf",
            _pdf_paper("Business plan progress (revised)", year),
            pdf,
        ),
        by=bu,
    )
    services.paper_add(
        item=plan_item,
        uploaded_file=SimpleUploadedFile("partner-contributions.xlsx", _xlsx_paper(year)),
        title=f"Partner contributions {year}",
        late=True,
        by=bu,
    )
    services.paper_add(
        item=early_help_item,
        uploaded_file=SimpleUploadedFile("early-help-evaluation.docx", _docx_paper()),
        title="Early help evaluation: summary",
        by=bu,
    )
