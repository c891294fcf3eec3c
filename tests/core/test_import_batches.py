"""Issue 17, finding 5: an import writes in short transactions (so a sign-in is not kept
waiting behind it) and still keeps nothing when any row is bad."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction

from lift.core.imports import ImportResult, import_all_or_nothing
from lift.core.models import Agency, Partnership
from lift.core.services import agency_create

pytestmark = pytest.mark.django_db(transaction=True)  # no test transaction around the import


def rows(count: int, bad: int | None = None) -> ImportResult:
    names = [f"Batchshire Agency {n}" for n in range(count)]
    if bad is not None:
        names[bad] = f"Bad Agency {bad}"
    return ImportResult(
        rows=[{"name": name} for name in names], line_numbers=list(range(2, count + 2))
    )


@pytest.fixture
def transactions(monkeypatch: Any) -> dict[str, int]:
    """How many transactions were committed and rolled back."""
    counts = {"commit": 0, "rollback": 0}
    connection = connections["default"]
    for name in counts:
        original = getattr(connection, name)

        def counted(original: Any = original, name: str = name) -> None:
            counts[name] += 1
            original()

        monkeypatch.setattr(connection, name, counted)
    return counts


def creator(partnership: Partnership, log: list[Any]) -> Any:
    connection = connections["default"]

    def create(row: dict[str, Any], line: int) -> Agency:
        # Each row runs in its batch's transaction and a savepoint of its own: never inside
        # one transaction for the whole file.
        assert connection.in_atomic_block and len(connection.savepoint_ids) == 1
        if row["name"].startswith("Bad"):
            raise ValidationError({"name": f"{row['name']} is not allowed."})
        transaction.on_commit(lambda: log.append(("sent", line)))
        log.append(("row", line, Agency.objects.filter(name__startswith="Batchshire").count()))
        return agency_create(partnership=partnership, name=row["name"], agency_type="police")

    return create


def test_rows_are_written_in_several_short_transactions(
    partnership: Partnership, transactions: dict[str, int]
) -> None:
    log: list[Any] = []
    created: list[Agency] = []
    result = rows(7)
    assert import_all_or_nothing(result, creator(partnership, log), batch_size=3, collect=created)
    assert result.errors == []
    assert Agency.objects.filter(name__startswith="Batchshire").count() == 7
    assert [a.name for a in created] == [r["name"] for r in result.rows]
    # Checked in three batches that were rolled back, then written in three committed ones.
    assert transactions == {"rollback": 3, "commit": 3}
    written = [entry for entry in log if entry[0] == "row"][7:]
    # While the third batch was written, the first two were already committed.
    assert [count for _, _, count in written] == [0, 1, 2, 3, 4, 5, 6]
    # Work queued for after the commit (e-mails) ran once per row, after the last batch.
    assert [entry for entry in log if entry[0] == "sent"] == [("sent", n) for n in range(2, 9)]
    assert log[-7:] == [("sent", n) for n in range(2, 9)]


@pytest.mark.parametrize("bad", [0, 3, 6])
def test_a_bad_row_anywhere_writes_nothing(
    partnership: Partnership, transactions: dict[str, int], bad: int
) -> None:
    log: list[Any] = []
    created: list[Agency] = []
    result = rows(7, bad=bad)
    assert (
        import_all_or_nothing(result, creator(partnership, log), batch_size=3, collect=created) == 0
    )
    assert result.errors == [(bad + 2, "name", f"Bad Agency {bad} is not allowed.")]
    assert not Agency.objects.filter(partnership=partnership).exists()
    assert created == []
    assert transactions["commit"] == 0
    assert ("sent", 2) not in log


def test_a_row_failing_only_when_written_undoes_the_batches_already_written(
    partnership: Partnership, transactions: dict[str, int]
) -> None:
    """A clash the check cannot see (rows in different batches, or someone else's change
    meanwhile): the committed batches are deleted again and nothing queued is sent."""
    log: list[Any] = []
    attempts: dict[int, int] = {}
    create = creator(partnership, log)

    def flaky(row: dict[str, Any], line: int) -> Agency:
        attempts[line] = attempts.get(line, 0) + 1
        if line == 8 and attempts[line] == 2:
            raise ValidationError({"name": "Someone added this agency meanwhile."})
        return create(row, line)

    result = rows(7)
    assert import_all_or_nothing(result, flaky, batch_size=3) == 0
    assert result.errors == [(8, "name", "Someone added this agency meanwhile.")]
    assert transactions["commit"] >= 2  # two batches had been written
    assert not Agency.objects.filter(partnership=partnership).exists()
    assert not [entry for entry in log if entry[0] == "sent"]


def test_inside_a_callers_transaction_all_rows_are_written_in_it(
    partnership: Partnership,
) -> None:
    with transaction.atomic():
        result = rows(4, bad=3)
        assert import_all_or_nothing(result, creator_in_transaction(partnership), batch_size=2) == 0
        assert not Agency.objects.filter(partnership=partnership).exists()
        assert import_all_or_nothing(rows(4), creator_in_transaction(partnership)) == 4
    assert Agency.objects.filter(partnership=partnership).count() == 4


def creator_in_transaction(partnership: Partnership) -> Any:
    def create(row: dict[str, Any], line: int) -> None:
        if row["name"].startswith("Bad"):
            raise ValidationError({"name": "bad"})
        agency_create(partnership=partnership, name=row["name"], agency_type="police")

    return create
