"""Services of young people's voice, and the retention task with time frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from lift.core import history
from lift.core.tasks import tick
from lift.learning.models import Finding
from lift.voice import selectors, services
from lift.voice.models import ForumMember

pytestmark = pytest.mark.django_db


def test_member_default_retention(forum, youth):
    m = services.member_add(
        forum=forum,
        by=youth,
        name="Rowan",
        age_band="16_17",
        joined_on=dt.date(2015, 9, 1),
        consent_on=dt.date(2015, 9, 1),
    )
    assert m.retain_until == dt.date(2017, 9, 1)  # the forum's 24 months


def test_retention_task_anonymises_on_the_date(forum, youth, member):
    with time_machine.travel(dt.datetime(2017, 8, 31, 12, 0), tick=False):
        tick()
    member.refresh_from_db()
    assert member.name == "Ash" and member.anonymised_on is None
    with time_machine.travel(dt.datetime(2017, 9, 1, 12, 0), tick=False):
        results = tick()
        assert results["voice_members_retention"] == 1
        assert tick()["voice_members_retention"] == 0  # idempotent
    member.refresh_from_db()
    assert member.anonymised_on == dt.date(2017, 9, 1)
    assert member.name == services.ANONYMISED_NAME
    # The name never reached the append-only change log.
    for entry in history.for_object(member):
        assert "Ash" not in str(entry.changes)
    with pytest.raises(ValidationError):
        services.member_update(member=member, by=youth, name="Ash")


def test_counts_without_names(forum, member, partnership):
    counts = selectors.member_counts(partnership, dt.date(2016, 1, 1))
    assert counts.total == 1
    assert ("13 to 15", 1) in counts.by_band


def test_term_rows(forum, youth, terms, partnership):
    services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2015, 10, 5), status="held", topics="Buses\nExams"
    )
    services.chair_meeting_record(
        forum=forum, by=youth, meets_on=dt.date(2016, 2, 1), status="cancelled"
    )
    rows = selectors.term_rows(partnership, dt.date(2016, 5, 1))
    assert [r.status for r in rows] == ["met", "missed", "not_yet_met"]
    assert rows[0].topics == ["Buses", "Exams"]


def test_events_year(partnership, forum, youth):
    for i, day in enumerate([dt.date(2015, 5, 1), dt.date(2016, 3, 31), dt.date(2016, 4, 1)]):
        services.event_create(
            partnership=partnership,
            by=youth,
            kind="information",
            title=f"Event {i}",
            theme="Cyber bullying",
            held_on=day,
            audience="Year 9",
            attended=20,
        )
    year = selectors.events_year(partnership, "2015/16")
    assert year.count == 2 and year.target == 3 and not year.against.met
    assert year.attended == 40


def test_views_become_findings_and_responses_are_published(consultation, youth):
    view = services.view_add(consultation=consultation, by=youth, said="Teach us about apps")
    finding = Finding.objects.get(pk=view.finding_id)
    assert finding.source == consultation
    assert finding.source_type == ContentType.objects.get_for_model(consultation)
    with pytest.raises(ValidationError):
        services.consultation_publish(consultation=consultation, by=youth)
    services.view_respond(
        view=view, by=youth, response="we_did", response_text="Assemblies in every school"
    )
    services.consultation_publish(consultation=consultation, by=youth, on=dt.date(2016, 1, 5))
    assert consultation.published_on == dt.date(2016, 1, 5)


def test_consultation_informs_another_record(partnership, other_partnership, youth, forum):
    c = services.consultation_create(
        partnership=partnership, by=youth, topic="T", opened_on=dt.date(2016, 1, 1), informs=forum
    )
    assert c.informs == forum
    from lift.voice.models import YouthForum

    elsewhere = YouthForum.objects.create(partnership=other_partnership, youth_service="X")
    with pytest.raises(ValidationError):
        services.consultation_create(
            partnership=partnership,
            by=youth,
            topic="T",
            opened_on=dt.date(2016, 1, 1),
            informs=elsewhere,
        )


def test_presentation_goes_on_the_board_agenda(partnership, business_unit, chair):
    from django.utils import timezone

    from lift.governance import services as gov
    from lift.governance.models import AgendaItem

    board = gov.board_create(partnership=partnership, by=business_unit, kind="board", name="LSCB")
    meeting = gov.meeting_create(
        board=board, by=business_unit, starts_at=timezone.now() + dt.timedelta(days=30)
    )
    p = services.presentation_schedule(
        partnership=partnership,
        by=business_unit,
        year="2015/16",
        title="What we did this year",
        meeting=meeting,
    )
    item = AgendaItem.objects.get(pk=p.agenda_item_id)
    assert item.linked == p and item.meeting == meeting
    # Scheduling again for the same year does not add a second item.
    services.presentation_schedule(
        partnership=partnership, by=business_unit, year="2015/16", title="Again", meeting=meeting
    )
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1
    assert ForumMember.objects.count() == 0
    # Moved to a later meeting: off the first agenda, on the second.
    later = gov.meeting_create(
        board=board, by=business_unit, starts_at=timezone.now() + dt.timedelta(days=60)
    )
    p = services.presentation_schedule(
        partnership=partnership, by=business_unit, year="2015/16", title="Moved", meeting=later
    )
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
    assert AgendaItem.objects.get(pk=p.agenda_item_id).meeting == later
    # Once the meeting is held, the presentation stays where it was presented.
    later.status = "held"
    later.save()
    with pytest.raises(ValidationError, match="has been held"):
        services.presentation_schedule(
            partnership=partnership, by=business_unit, year="2015/16", title="X", meeting=meeting
        )
    assert AgendaItem.objects.get(pk=p.agenda_item_id).meeting == later


def test_the_annual_report_gives_each_terms_status_as_it_is_written(forum, youth, partnership):  # type: ignore[no-untyped-def]
    """A term that ran past the report's year end and has ended since, without a meeting,
    reads "Missed", not "Not yet met" (it was only not yet met on the year's last day)."""
    import time_machine

    from lift.core.documents import DocTable
    from lift.voice.annual_report import voice_section

    services.term_create(
        partnership=partnership,
        by=youth,
        name="Spring 2016",
        starts_on=dt.date(2016, 1, 4),
        ends_on=dt.date(2016, 4, 8),
    )

    def term_statuses() -> list[str]:
        blocks = voice_section(partnership, dt.date(2015, 4, 1), dt.date(2016, 3, 31)) or []
        tables = [b for b in blocks if isinstance(b, DocTable) and "Spring 2016" in str(b.rows)]
        return [str(cell) for table in tables for row in table.rows for cell in row]

    with time_machine.travel(dt.datetime(2016, 3, 31, 12, 0), tick=False):
        assert "Not yet met" in term_statuses()
    with time_machine.travel(dt.datetime(2016, 12, 7, 12, 0), tick=False):
        cells = term_statuses()
    assert "Missed" in cells and "Not yet met" not in cells
