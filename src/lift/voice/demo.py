"""Demo: Harrowmere's Youth Forum over last financial year and this one (fictional young
people, first names only).

Terms follow the school year and cover it whole: summer (April to August), autumn
(September to December) and spring (January to March), so a financial year holds three.
Last year the Chair met the forum in the summer and autumn terms but the spring meeting was
cancelled (missed); this year every past term was met and the current term's meeting is
planned (or held, near the term's end). Three events on the seed's themes; a consultation
on feeling safe online with "you said, we did" answers shared back; the forum's
presentation on the next Board meeting's agenda. Every date counts from the day the demo
is built.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lift.core.calendar import add_months, financial_year, next_working_day

from . import services

# (season, first month, months long): the school year's terms, holidays included.
SEASONS = [("Spring", 1, 3), ("Summer", 4, 5), ("Autumn", 9, 4)]


def term_of(day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The term (name, first day, last day) a day falls in, e.g. ("Autumn 2026", 1 September
    2026, 31 December 2026)."""
    season, month, months = next(s for s in reversed(SEASONS) if s[1] <= day.month)
    first = dt.date(day.year, month, 1)
    return f"{season} {day.year}", first, add_months(first, months) - dt.timedelta(days=1)


def build(ctx: Any) -> None:
    p = ctx.partnership
    youth = ctx.people["youth"]
    forum = services.forum_save(
        partnership=p,
        by=youth,
        name="Harrowmere Youth Forum",
        youth_service="Harrowmere Youth Service (Teen Hub)",
        agency=ctx.agencies.get("voluntary"),
        description="Young people aged 11 to 19 who meet fortnightly to advise the partnership.",
    )
    today = ctx.today
    last_year = financial_year(today) - 1
    # Every term from the start of last financial year to the one after today's.
    terms = [term_of(last_year.first_day)]
    while terms[-1][1] <= today:
        terms.append(term_of(terms[-1][2] + dt.timedelta(days=1)))
    for name, start, end in terms:
        services.term_create(partnership=p, by=youth, name=name, starts_on=start, ends_on=end)
    summer, autumn, spring = terms[:3]  # last year's three terms

    def day_of(term: tuple[str, dt.date, dt.date], days: int) -> dt.date:
        return term[1] + dt.timedelta(days=days)

    members = [
        ("Amara", "16_17", day_of(autumn, 9), None),
        ("Jayden", "13_15", day_of(autumn, 9), None),
        ("Priya", "13_15", day_of(autumn, 23), None),
        ("Tom", "under_13", day_of(autumn, 37), day_of(autumn, 30)),
        ("Skye", "18_25", day_of(autumn, 65), None),
    ]
    for name, band, joined, guardian in members:
        services.member_add(
            forum=forum,
            by=youth,
            name=name,
            age_band=band,
            joined_on=joined,
            consent_on=joined,
            guardian_consent_on=guardian,
            # Kept for the demo's life; the tick step anonymises at this date.
            retain_until=max(today + dt.timedelta(days=365), joined + dt.timedelta(days=730)),
        )
    for held, title, n in [
        (day_of(autumn, 9), "Welcome session and ground rules", 11),
        (day_of(autumn, 79), "Preparing questions for the Chair", 9),
        (day_of(spring, 55), "Planning the knife crime workshop", 8),
        (ctx.ago(12), "What to ask the Chair this term", 10),
    ]:
        services.session_add(forum=forum, by=youth, held_on=held, title=title, attended=n)

    # The Chair and the forum: last year's spring meeting was cancelled and never rearranged.
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=day_of(summer, 76),
        status="held",
        attended=8,
        topics="Knife crime workshop feedback\nSocial media privacy\nExam stress",
    )
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=day_of(autumn, 86),
        status="held",
        attended=10,
        topics="Waiting times for counselling\nFeeling safe on the late buses\n"
        "What happens after you tell a teacher",
    )
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=day_of(spring, 68),
        status="cancelled",
        notes="Cancelled at short notice (Board development day moved); "
        "not rearranged before the end of term.",
    )
    current = next(t for t in terms if t[1] <= today <= t[2])
    for term in terms[3:]:
        if term is current:
            break
        services.chair_meeting_record(
            forum=forum,
            by=youth,
            meets_on=next_working_day(day_of(term, 45)),
            status="held",
            attended=9,
            topics="The missed spring meeting\nMental health support in schools\n"
            "Youth club opening hours",
        )
    # This term's meeting: planned, or held if the term is nearly over.
    planned = next_working_day(today + dt.timedelta(days=14))
    if planned <= current[2]:
        services.chair_meeting_record(
            forum=forum, by=youth, meets_on=planned, status="planned", notes="At Teen Hub, 5pm."
        )
    else:
        services.chair_meeting_record(
            forum=forum,
            by=youth,
            meets_on=today - dt.timedelta(days=14),
            status="held",
            attended=9,
            topics="Online safety: what changed after the consultation\nThe Board's reply",
        )

    for kind, title, theme, held, audience, n, said in [
        (
            "information",
            "Safer Internet Day assembly",
            "Cyber bullying",
            day_of(autumn, 43),
            "Year 8 and 9 pupils, Harrowmere Academy",
            180,
            "Most had been sent hurtful messages; few knew "
            "how to report them on the apps they use.",
        ),
        (
            "engagement",
            "Knife crime workshop",
            "Gangs and knife crime",
            day_of(spring, 60),
            "Young people at Teen Hub and the Youth Justice Service",
            35,
            "Carrying a knife feels like protection; they want mentors who have lived it.",
        ),
        (
            "consultation",
            "Healthy relationships drop-in",
            "Child sexual exploitation",
            day_of(spring, 26),
            "Young people aged 14 to 18 at the college",
            42,
            "Older 'boyfriends' with cars are seen as "
            "normal; trusted adults should talk about it early.",
        ),
    ]:
        services.event_create(
            partnership=p,
            by=youth,
            kind=kind,
            title=title,
            theme=theme,
            held_on=held,
            audience=audience,
            attended=n,
            what_was_said=said,
        )

    consultation = services.consultation_create(
        partnership=p,
        by=youth,
        topic="Feeling safe online",
        description="What would help young people feel safer online, "
        "asked at three forum sessions.",
        opened_on=day_of(autumn, 30),
        closed_on=day_of(autumn, 90),
        informs=ctx.extra.get("audit"),
    )
    answers = [
        (
            "Teachers don't know the apps we use, so we don't tell them.",
            "we_did",
            "The Training sub-group added an apps briefing "
            "to the schools' designated safeguarding lead course.",
        ),
        (
            "We want to know what happens after we report something.",
            "we_did",
            "Schools' online safety policy template now includes a "
            "'what happens next' leaflet, written with the forum.",
        ),
        (
            "Ban phones in school.",
            "not_done",
            "Schools decide their own phone rules; we shared "
            "your view with head teachers at their termly forum.",
        ),
    ]
    for said, kind, text in answers:
        view = services.view_add(consultation=consultation, by=youth, said=said, themes=[])
        services.view_respond(
            view=view, by=youth, response=kind, response_text=text, responded_on=day_of(spring, 19)
        )
    services.consultation_publish(consultation=consultation, by=youth, on=day_of(spring, 27))

    meeting = ctx.extra.get("next_board_meeting")
    presented_on = timezone.localtime(meeting.starts_at).date() if meeting else today
    services.presentation_schedule(
        partnership=p,
        by=youth,
        # The year it reports on: the one the Board meeting falls in.
        year=financial_year(presented_on).label,
        title="Our year so far: what young people told the partnership",
        summary="Forum members present the year's events, the online safety consultation and "
        "what changed as a result.",
        meeting=meeting,
    )
    ctx.extra["voice"] = {"forum": forum, "consultation": consultation}
