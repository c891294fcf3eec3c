"""Demo: Harrowmere's Youth Forum in 2015/16 (fictional young people, first names only).

The Chair met the forum in the autumn and summer terms but the spring meeting was cancelled
(missed); three events on the seed's themes; a consultation on feeling safe online with
"you said, we did" answers shared back; the forum's annual presentation on the next Board
meeting's agenda.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from . import services

D = dt.date


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
    today = timezone.localdate()
    members = [
        ("Amara", "16_17", D(2015, 9, 10), None),
        ("Jayden", "13_15", D(2015, 9, 10), None),
        ("Priya", "13_15", D(2015, 9, 24), None),
        ("Tom", "under_13", D(2015, 10, 8), D(2015, 10, 1)),
        ("Skye", "18_25", D(2015, 11, 5), None),
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
        (D(2015, 9, 10), "Welcome session and ground rules", 11),
        (D(2015, 11, 19), "Preparing questions for the Chair", 9),
        (D(2016, 2, 25), "Planning the knife crime workshop", 8),
    ]:
        services.session_add(forum=forum, by=youth, held_on=held, title=title, attended=n)

    for name, start, end in [
        ("Autumn 2015", D(2015, 9, 3), D(2015, 12, 18)),
        ("Spring 2016", D(2016, 1, 4), D(2016, 3, 24)),
        ("Summer 2016", D(2016, 4, 11), D(2016, 7, 22)),
    ]:
        services.term_create(partnership=p, by=youth, name=name, starts_on=start, ends_on=end)
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=D(2015, 11, 26),
        status="held",
        attended=10,
        topics="Waiting times for counselling\nFeeling safe on the late buses\n"
        "What happens after you tell a teacher",
    )
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=D(2016, 3, 10),
        status="cancelled",
        notes="Cancelled at short notice (Board development day moved); "
        "not rearranged before Easter.",
    )
    services.chair_meeting_record(
        forum=forum,
        by=youth,
        meets_on=D(2016, 6, 16),
        status="held",
        attended=8,
        topics="The missed spring meeting\nKnife crime workshop feedback\nSocial media privacy",
    )

    for kind, title, theme, held, audience, n, said in [
        (
            "information",
            "Safer Internet Day assembly",
            "Cyber bullying",
            D(2015, 10, 14),
            "Year 8 and 9 pupils, Harrowmere Academy",
            180,
            "Most had been sent hurtful messages; few knew "
            "how to report them on the apps they use.",
        ),
        (
            "engagement",
            "Knife crime workshop",
            "Gangs and knife crime",
            D(2016, 3, 2),
            "Young people at Teen Hub and the Youth Justice Service",
            35,
            "Carrying a knife feels like protection; they want mentors who have lived it.",
        ),
        (
            "consultation",
            "Healthy relationships drop-in",
            "Child sexual exploitation",
            D(2016, 1, 27),
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
        opened_on=D(2015, 10, 1),
        closed_on=D(2015, 11, 30),
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
            view=view, by=youth, response=kind, response_text=text, responded_on=D(2016, 1, 20)
        )
    services.consultation_publish(consultation=consultation, by=youth, on=D(2016, 1, 28))

    meeting = ctx.extra.get("next_board_meeting")
    services.presentation_schedule(
        partnership=p,
        by=youth,
        year="2015/16",
        title="Our year: what young people told the partnership",
        summary="Forum members present the year's events, the online safety consultation and "
        "what changed as a result.",
        meeting=meeting,
    )
    ctx.extra["voice"] = {"forum": forum, "consultation": consultation}
