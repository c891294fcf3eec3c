"""All-or-nothing imports from CSV (UTF-8) and XLSX files.

Declare the columns, read the file, and create the rows only if every row is good:

    spec = ImportSpec(columns=[
        Column("email", required=True, parser=parse_email, aliases=("e-mail",)),
        Column("courses", parser=parse_int),
        Column("completed on", parser=parse_date, aliases=("date",)),
    ])
    result = read_rows(request.FILES["file"], spec)
    if result.ok:
        created = import_all_or_nothing(result, lambda row, line: learner_create(**row))
    # show result.errors with {% include "core/includes/import_errors.html" %}

Errors are (line number, column, message); the line number is the row number a person
sees in a spreadsheet (the heading row is 1). Text that a spreadsheet would run as a
formula (starting = + - @) is refused, so an export of our data cannot carry one back in.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.signals import post_save
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 50_000
MAX_ERRORS = 500  # stop collecting after this many: the file needs fixing anyway

# Leading characters that make a spreadsheet treat text as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


class RowError(NamedTuple):
    line: int  # 0 for the whole file, 1 for the heading row
    column: str
    message: str


@dataclass(frozen=True)
class Column:
    """One column: its name, whether it must be present and filled in, how to turn the
    text into a value (raise ValueError with a message the user will read), and other
    headings people use for it."""

    name: str
    required: bool = False
    parser: Callable[[str], Any] = str
    aliases: tuple[str, ...] = ()

    def headings(self) -> set[str]:
        return {_norm(self.name), *(_norm(a) for a in self.aliases)}


@dataclass(frozen=True)
class ImportSpec:
    columns: list[Column]
    max_rows: int = DEFAULT_MAX_ROWS

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)  # one per row in `rows`

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(line, column, message))


class _Stop(Exception):
    """Reading stops: the file as a whole is unusable."""


# --- parsers ----------------------------------------------------------------------------


def parse_text(value: str) -> str:
    return value


def parse_int(value: str) -> int:
    cleaned = value.replace(",", "")
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        raise ValueError(f"“{value}” is not a whole number.")
    return int(cleaned)


def parse_decimal(value: str) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"“{value}” is not a number.") from exc
    if not number.is_finite():
        raise ValueError(f"“{value}” is not a number.")
    return number


def parse_date(value: str) -> dt.date:
    """31/12/2025, 31-12-2025, 2025-12-31 (and spreadsheet dates, read as 2025-12-31)."""
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date: write it as 31/12/2025.")


def parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in {"yes", "y", "true", "1"}:
        return True
    if lowered in {"no", "n", "false", "0"}:
        return False
    raise ValueError(f"“{value}” should be Yes or No.")


def parse_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValueError(f"“{value}” is not an e-mail address.") from exc
    return value.lower()


def parse_choice(choices: Any) -> Callable[[str], str]:
    """A parser accepting a choice's value or label, in any case. `choices` is a Django
    choices list (`Role.choices`), a dict of value -> label, or a list of strings."""
    if isinstance(choices, dict):
        pairs = [(str(k), str(v)) for k, v in choices.items()]
    else:
        pairs = [
            (str(c[0]), str(c[1])) if isinstance(c, tuple | list) else (str(c), str(c))
            for c in choices
        ]
    lookup: dict[str, str] = {}
    for key, label in pairs:
        lookup[_norm(str(key))] = str(key)
        lookup[_norm(str(label))] = str(key)
    allowed = ", ".join(str(label) for _, label in pairs)

    def parse(value: str) -> str:
        found = lookup.get(_norm(value))
        if found is None:
            raise ValueError(f"“{value}” is not one of: {allowed}.")
        return found

    return parse


# --- reading ----------------------------------------------------------------------------


def _norm(heading: str) -> str:
    return re.sub(r"[\s_]+", " ", str(heading).replace("\ufeff", "")).strip().lower()


def read_rows(uploaded_file: Any, spec: ImportSpec, *, fmt: str | None = None) -> ImportResult:
    """Read and check every row of a CSV or XLSX file against `spec`.

    Nothing is saved. `result.rows` holds parsed values by column name, for rows without
    problems; `result.errors` every problem found.
    """
    result = ImportResult()
    name = str(getattr(uploaded_file, "name", "") or "")
    kind = (fmt or name.rsplit(".", 1)[-1]).lower()
    try:
        size = getattr(uploaded_file, "size", None)
        limit = int(settings.LIFT_MAX_UPLOAD_BYTES)
        if isinstance(size, int) and size > limit:
            raise _Stop(f"The file must be smaller than {filesizeformat(limit)}.")
        if kind == "csv":
            records = _csv_records(uploaded_file)
        elif kind == "xlsx":
            records = _xlsx_records(uploaded_file)
        else:
            raise _Stop("The file must be a CSV or an Excel (XLSX) file.")
        _check(records, spec, result)
    except _Stop as stop:
        result.add_error(0, "", str(stop))
    return result


# A record: its row number and its cells as (text, is_text, cell reference or "").
Cell = tuple[str, bool, str]
Record = tuple[int, list[Cell]]


def _csv_records(uploaded_file: Any) -> Iterator[Record]:
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    raw = uploaded_file.read()
    if isinstance(raw, str):
        text = raw
    else:
        if b"\x00" in raw:
            raise _Stop("The file is not a CSV file (it contains binary data).")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                raw.decode("cp1252")
            except UnicodeDecodeError:
                raise _Stop(
                    "The file is not UTF-8 text: save it as CSV UTF-8 and upload it again."
                ) from None
            raise _Stop(
                "The file is not UTF-8: save it as CSV UTF-8 (in Excel: File, Save As, "
                "“CSV UTF-8 (Comma delimited)”) and upload it again."
            ) from None
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [(value, True, "") for value in row]
    except csv.Error as exc:
        raise _Stop(f"The file is not a well-formed CSV file: {exc}.") from exc


def _xlsx_records(uploaded_file: Any) -> Iterator[Record]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from .files import check_upload

    if getattr(uploaded_file, "name", "").lower().endswith(".xlsx"):
        try:
            check_upload(uploaded_file)  # a real workbook, not a zip bomb or a macro file
        except ValidationError as exc:
            raise _Stop(" ".join(exc.messages)) from exc
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    try:
        # data_only=False: a formula shows as its text ("=SUM(A1:A3)"), so it can be refused.
        workbook = load_workbook(uploaded_file, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _Stop("The file is not an Excel (XLSX) workbook that can be read.") from exc
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells: list[Cell] = []
            for index, cell in enumerate(row, start=1):
                ref = f"{get_column_letter(index)}{number}"
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", "") == "f" or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    cells.append((str(value), False, f"formula:{ref}"))
                    continue
                cells.append((_cell_text(value), isinstance(value, str), ref))
            yield number, cells
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _check(records: Iterator[Record], spec: ImportSpec, result: ImportResult) -> None:
    header: Record | None = None
    for record in records:
        if any(text.strip() for text, _, _ in record[1]):
            header = record
            break
    if header is None:
        raise _Stop("The file is empty: its first row must be the column headings.")
    positions = _match_headings(header, spec, result)
    if result.errors:
        return
    count = 0
    for number, cells in records:
        if not any(text.strip() for text, _, _ in cells):
            continue  # blank rows are skipped
        count += 1
        if count > spec.max_rows:
            result.rows.clear()
            result.line_numbers.clear()
            raise _Stop(
                f"The file has more than {spec.max_rows:,} rows. Split it into smaller files."
            )
        row = _check_row(number, cells, positions, spec, result)
        if row is not None:
            result.rows.append(row)
            result.line_numbers.append(number)
        if len(result.errors) >= MAX_ERRORS:
            result.add_error(0, "", f"Checking stopped after {MAX_ERRORS} problems.")
            return
    if count == 0:
        result.add_error(0, "", "The file has headings but no rows to import.")


def _match_headings(header: Record, spec: ImportSpec, result: ImportResult) -> dict[str, int]:
    line, cells = header
    by_heading = {h: column for column in spec.columns for h in column.headings()}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, (text, _, _) in enumerate(cells):
        heading = _norm(text)
        if not heading:
            continue
        column = by_heading.get(heading)
        if column is None:
            unknown.append(text.strip())
        elif column.name in positions:
            result.add_error(line, column.name, f"The column “{text.strip()}” appears twice.")
        else:
            positions[column.name] = index
    if unknown:
        result.add_error(
            line,
            ", ".join(unknown),
            "Unknown column"
            + ("s" if len(unknown) > 1 else "")
            + f": {', '.join(unknown)}. The columns can be: {', '.join(spec.column_names())}.",
        )
    for column in spec.columns:
        if column.required and column.name not in positions:
            result.add_error(line, column.name, f"The column “{column.name}” is missing.")
    return positions


def _check_row(
    number: int,
    cells: list[Cell],
    positions: dict[str, int],
    spec: ImportSpec,
    result: ImportResult,
) -> dict[str, Any] | None:
    row: dict[str, Any] = {}
    before = len(result.errors)
    for column in spec.columns:
        index = positions.get(column.name)
        if index is None:
            continue
        text, is_text, ref = cells[index] if index < len(cells) else ("", True, "")
        if ref.startswith("formula:"):
            result.add_error(
                number,
                column.name,
                f"Cell {ref.removeprefix('formula:')} holds a formula. Replace it with its "
                "value (copy, then paste as values).",
            )
            continue
        value = text.strip()
        if not value:
            if column.required:
                result.add_error(number, column.name, f"Enter the {column.name}.")
            row[column.name] = None
            continue
        if (
            is_text
            and value.startswith(FORMULA_START)
            and not (_NUMBER.match(value) and _parses(column, value))
        ):
            result.add_error(
                number,
                column.name,
                "The value starts with “" + value[0].strip() + "”, so a spreadsheet "
                "could run it as a formula. Remove that first character.",
            )
            continue
        try:
            row[column.name] = column.parser(value)
        except (ValueError, ValidationError) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            result.add_error(number, column.name, message or f"“{value}” is not valid.")
    return row if len(result.errors) == before else None


def _parses(column: Column, value: str) -> bool:
    try:
        column.parser(value)
    except (ValueError, ValidationError):
        return False
    return True


# --- saving -----------------------------------------------------------------------------


# Rows written per transaction. On SQLite a transaction holds the database's one write lock
# from its start (transaction_mode IMMEDIATE), so a 20,000-row import written in one
# transaction kept every other writer (a sign-in, a task) waiting for most of a minute; in
# batches, others get the lock between them.
# settings.LIFT_IMPORT_BATCH_ROWS overrides it.
IMPORT_BATCH_ROWS = 500


def import_all_or_nothing(
    result: ImportResult,
    create_row: Callable[[dict[str, Any], int], Any],
    *,
    batch_size: int | None = None,
    collect: list[Any] | None = None,
) -> int:
    """Create every row, or none, without holding the write lock for the whole file.

    Runs only when the file had no problems. `create_row(row, line_number)` should call a
    service; a ValidationError it raises becomes a row error (with the line number and,
    for a field error, the field as the column), every row is still tried so all problems
    are reported, and nothing is kept. Returns how many rows were created (0 when anything
    failed); `collect`, if given, receives what `create_row` returned for each row created.

    Outside a transaction the import is staged:

    1. Check: every row goes through `create_row` in transactions of `batch_size` rows that
       are each rolled back, so every rule of the service is applied and nothing is kept
       (e-mails a service queues with on_commit are dropped with them).
    2. Write: only if no row failed, the rows again, each batch committed in a transaction
       of its own. E-mails and other on_commit work are held until the last batch is
       written. If a row fails now (a clash between rows of different batches, or a change
       someone made meanwhile), the rows already written are deleted again, the held work
       is dropped, and the import reports the problem and returns 0, as before.

    Between batches other requests may read (and write) the database, so they can briefly
    see the first batches of an import that is still running. Inside a caller's
    transaction all rows are written in it and rolled back together on any failure.
    """
    if result.errors:
        return 0
    size = max(1, batch_size or int(getattr(settings, "LIFT_IMPORT_BATCH_ROWS", IMPORT_BATCH_ROWS)))
    rows = list(zip(result.rows, result.line_numbers, strict=True))
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        return _import_in_one_transaction(result, rows, create_row, collect)
    # 1. Check, in short transactions that are all rolled back.
    for batch in _batches(rows, size):
        with transaction.atomic():
            failed = _try_rows(result, batch, create_row, None)
            transaction.set_rollback(True)
        if failed and len(result.errors) >= MAX_ERRORS:
            break
    if result.errors:
        return 0
    # 2. Write, batch by batch, holding on_commit work until every batch is in.
    held: list[tuple[Any, bool]] = []
    written: list[Any] = []
    with _created_objects() as created:
        for batch in _batches(rows, size):
            with transaction.atomic():
                failed = _try_rows(result, batch, create_row, written)
                if failed:
                    transaction.set_rollback(True)
                else:
                    held.extend((func, robust) for _, func, robust in connection.run_on_commit)
                    connection.run_on_commit = []
            if failed:
                _undo(created)
                return 0
    for func, robust in held:
        if robust:
            try:
                func()
            except Exception:  # as Django does for robust on_commit work
                logger.exception("Work queued by an import after its commit failed.")
        else:
            func()
    if collect is not None:
        collect.extend(written)
    return len(rows)


def _import_in_one_transaction(
    result: ImportResult,
    rows: list[tuple[dict[str, Any], int]],
    create_row: Callable[[dict[str, Any], int], Any],
    collect: list[Any] | None,
) -> int:
    written: list[Any] = []
    with transaction.atomic():
        failed = _try_rows(result, rows, create_row, written)
        if failed:
            transaction.set_rollback(True)
    if failed:
        return 0
    if collect is not None:
        collect.extend(written)
    return len(rows)


def _batches(
    rows: list[tuple[dict[str, Any], int]], size: int
) -> Iterator[list[tuple[dict[str, Any], int]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _try_rows(
    result: ImportResult,
    rows: list[tuple[dict[str, Any], int]],
    create_row: Callable[[dict[str, Any], int], Any],
    written: list[Any] | None,
) -> bool:
    """Create each row in a savepoint of its own; True if any failed (errors recorded)."""
    failed = False
    for row, line in rows:
        try:
            with transaction.atomic():
                value = create_row(dict(row), line)
        except ValidationError as exc:
            failed = True
            for column, message in _messages(exc):
                result.add_error(line, column, message)
            if len(result.errors) >= MAX_ERRORS:
                result.add_error(0, "", f"Importing stopped after {MAX_ERRORS} problems.")
                break
            continue
        if written is not None:
            written.append(value)
    return failed


@contextlib.contextmanager
def _created_objects() -> Iterator[list[models.Model]]:
    """Every model instance created (saved for the first time) in this thread inside the
    block, except the append-only history, which is never deleted."""
    from .models.history import AppendOnly

    created: list[models.Model] = []
    thread = threading.get_ident()

    def note(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        if (
            kwargs.get("created")
            and not kwargs.get("raw")
            and threading.get_ident() == thread
            and not isinstance(instance, AppendOnly)
        ):
            created.append(instance)

    post_save.connect(note, weak=False, dispatch_uid=f"lift-import-{id(created)}")
    try:
        yield created
    finally:
        post_save.disconnect(dispatch_uid=f"lift-import-{id(created)}")


def _undo(created: list[models.Model]) -> None:
    """Delete what the committed batches created, newest first, in one transaction."""
    with transaction.atomic():
        for instance in reversed(created):
            type(instance)._base_manager.filter(pk=instance.pk).delete()


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if field_name == "__all__" else field_name, message)
            for field_name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]
