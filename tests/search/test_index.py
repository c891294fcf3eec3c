"""The index follows every save and delete, once the transaction commits; filters, ranking
and snippets; `lift search-index --rebuild`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from lift.core.models import Person
from lift.learning.models import Finding, Theme
from lift.search.backends import highlighted, words
from lift.search.models import SearchEntry
from lift.search.selectors import results, search

from .conftest import Made, found

pytestmark = pytest.mark.django_db


def test_an_edit_is_indexed(
    make: Callable[..., Made], business_unit: Person, partnership: Any, committing: Callable
) -> None:
    made = make("learning.finding", "Children were neglected.")
    with committing():
        made.obj.text = "Strategy discussions were held late."
        made.obj.save()
    assert made.key not in found(business_unit, partnership, "neglected")
    assert made.key in found(business_unit, partnership, "strategy discussion")
    assert SearchEntry.objects.filter(kind="learning.finding").count() == 1


def test_a_delete_is_indexed(
    make: Callable[..., Made], business_unit: Person, partnership: Any, committing: Callable
) -> None:
    made = make("learning.action", "Neglect training for staff.")
    assert made.key in found(business_unit, partnership, "neglect")
    with committing():
        made.obj.delete()
    assert not found(business_unit, partnership, "neglect")
    assert not SearchEntry.objects.exists()


def test_text_from_a_records_parts(
    make: Callable[..., Made], business_unit: Person, partnership: Any, committing: Callable
) -> None:
    """A Section 11 answer's narrative is part of its return; a meeting's agenda items are
    part of the meeting; a meeting's new date moves its decisions' date."""
    from lift.governance.models import AgendaItem
    from lift.section11.models import Answer, Requirement

    ret = make("section11.return", "Overall sound.")
    requirement = Requirement.objects.filter(framework=ret.obj.cycle.framework).first()
    with committing():
        Answer.objects.create(
            partnership=partnership,
            agency_return=ret.obj,
            requirement=requirement,
            narrative="Supervision covers neglected children.",
        )
    assert ret.key in found(business_unit, partnership, "supervision neglect")

    decision = make("governance.decision", "Agreed the neglect strategy.")
    meeting = decision.obj.meeting
    with committing():
        AgendaItem.objects.create(
            partnership=partnership, meeting=meeting, title="Escalation protocol", order=1
        )
        meeting.starts_at = meeting.starts_at - dt.timedelta(days=30)
        meeting.save()
    assert f"governance.meeting:{meeting.pk}" in found(business_unit, partnership, "escalation")
    entry = SearchEntry.objects.get(kind="governance.decision")
    assert entry.dated_on == dt.date(2026, 1, 31)


def test_nothing_is_indexed_from_a_rollback(partnership: Any, committing: Callable) -> None:
    with committing():
        try:
            with transaction.atomic():
                Finding.objects.create(
                    partnership=partnership, title="Neglect", text="x", identified_on="2026-1-1"
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert not SearchEntry.objects.exists()


def test_filters(
    make: Callable[..., Made],
    business_unit: Person,
    partnership: Any,
    agency: Any,
    other_agency: Any,
    committing: Callable,
) -> None:
    theme = Theme.objects.filter(partnership=None).order_by("pk").first()
    finding = make("learning.finding", "Neglect of teenagers.")
    action = make("learning.action", "Neglect audit.", agency=other_agency)
    review = make("reviews.review", "Neglect in the family.")
    with committing():
        finding.obj.themes.add(theme)
    bu, p = business_unit, partnership
    assert found(bu, p, "neglect", theme=theme) == {finding.key}
    assert found(bu, p, "neglect", agency=other_agency) == {action.key}
    assert found(bu, p, "neglect", agency=agency) == {review.key}
    assert found(bu, p, "neglect", area="reviews") == {review.key}
    assert found(bu, p, "neglect", area="learning") == {finding.key, action.key}
    # Finding 2 March 2026, action due 2 March 2026, review decided 2 March 2026.
    assert found(bu, p, "neglect", date_from=dt.date(2026, 3, 3)) == set()
    assert len(found(bu, p, "neglect", date_to=dt.date(2026, 3, 2))) == 3


def test_theme_change_is_indexed(
    make: Callable[..., Made], business_unit: Person, partnership: Any, committing: Callable
) -> None:
    theme = Theme.objects.filter(partnership=None).order_by("pk").first()
    made = make("learning.finding", "Neglect.")
    with committing():
        made.obj.themes.add(theme)
    assert found(business_unit, partnership, "neglect", theme=theme) == {made.key}
    with committing():
        made.obj.themes.clear()
    assert not found(business_unit, partnership, "neglect", theme=theme)


def test_ranked_title_first_with_a_highlighted_snippet(
    make: Callable[..., Made], business_unit: Person, partnership: Any, committing: Callable
) -> None:
    body_only = make("learning.finding", "Once: <b>neglect</b> & more.")
    with committing():
        titled = Finding.objects.create(
            partnership=partnership,
            title="Neglect of adolescents",
            text="Neglect was not recognised in adolescents; neglect was chronic.",
            identified_on=dt.date(2026, 1, 1),
        )
    qs = search(business_unit, partnership, query="neglect")
    ordered = [e.object_id for e in qs]
    assert ordered == [titled.pk, body_only.obj.pk]
    shown = {r.object_id: r for r in results(list(qs), "neglect")}
    html = str(shown[body_only.obj.pk].snippet_html)
    assert '<mark class="lift-search__hit">' in html
    # The record's text is never read as HTML (PostgreSQL's headline drops tags; SQLite's
    # snippet keeps them, escaped).
    assert "<b>" not in html and "&amp; more" in html
    assert "neglect" in shown[body_only.obj.pk].snippet
    assert "& more" in shown[body_only.obj.pk].snippet
    assert shown[titled.pk].url == f"/findings/{titled.pk}/"


def test_query_words() -> None:
    assert words('neglect "AND" NEAR(x) * : -') == ["neglect", "and", "near", "x"]
    assert words("") == []
    assert str(highlighted("a\x02<i>b</i>\x03c")) == (
        'a<mark class="lift-search__hit">&lt;i&gt;b&lt;/i&gt;</mark>c'
    )


def test_fts_operators_are_words(
    make: Callable[..., Made], business_unit: Person, partnership: Any
) -> None:
    made = make("learning.finding", "Neglect NEAR the school AND home.")
    assert made.key in found(business_unit, partnership, 'NEAR "school" AND* home:')
    assert not found(business_unit, partnership, "!!! ???")


def test_rebuild_command(make: Callable[..., Made], partnership: Any, capsys: Any) -> None:
    make("learning.finding", "Neglect.")
    make("training.course", "Neglect.")
    SearchEntry.objects.all().delete()
    call_command("search_index", "--rebuild")
    assert SearchEntry.objects.count() == 2
    assert "Search index rebuilt: 2 entries." in capsys.readouterr().out
    call_command("search_index", "--rebuild", "--partnership", partnership.slug)
    assert SearchEntry.objects.count() == 2
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("search_index")
    with pytest.raises(CommandError, match="No partnership"):
        call_command("search_index", "--rebuild", "--partnership", "nowhere")


def test_the_databases_full_text_structures_exist() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'"
            )
            assert "gin (vector)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert "porter" in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_restored_database_is_searchable(
    make: Callable[..., Made], business_unit: Person, partnership: Any, tmp_path: Any
) -> None:
    """A backup's rows are loaded raw, without the signals that index them, and a backup
    may hold no index at all (taken by a LIFT from before search): the restore builds the
    index again from the records, so search finds them."""
    from lift.core.backup import backup_create, backup_restore
    from lift.core.models import Partnership

    made = make("learning.finding", "Children were neglected.")
    SearchEntry.objects.all().delete()  # a backup whose index does not hold the record
    path = tmp_path / "lift.tar.gz"
    backup_create(path)
    call_command("flush", "--noinput", verbosity=0, inhibit_post_migrate=True)
    call_command("migrate", verbosity=0)
    assert not SearchEntry.objects.exists()
    backup_restore(path)
    reader = Person.objects.get(pk=business_unit.pk)
    assert made.key in found(reader, Partnership.objects.get(pk=partnership.pk), "neglected")
