"""All-or-nothing imports: good CSV and XLSX files, and each way a file can be refused."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from openpyxl import Workbook

from lift.core.imports import (
    Column,
    ImportResult,
    ImportSpec,
    import_all_or_nothing,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    read_rows,
)
from lift.core.models import Agency, Partnership
from lift.core.services import agency_create

SPEC = ImportSpec(
    columns=[
        Column("name", required=True, aliases=("agency name",)),
        Column(
            "type",
            required=True,
            parser=parse_choice({"police": "Police", "health_provider": "Health"}),
        ),
        Column("staff", parser=parse_int, aliases=("number of staff",)),
        Column("joined", parser=parse_date),
        Column("contact", parser=parse_email),
    ]
)


def csv_file(text: str, encoding: str = "utf-8", name: str = "agencies.csv") -> Any:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list[Any]], name: str = "agencies.xlsx") -> Any:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD_CSV = (
    "Agency name,Type,Number of staff,Joined,Contact\n"
    "Testshire Police,Police,1200,31/03/2024,Duty@Police.example.test\n"
    "\n"
    "Testshire Health,health,-5,2024-04-01,\n"
)


# --- reading good files -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_good_csv_with_or_without_bom(encoding: str) -> None:
    result = read_rows(csv_file(GOOD_CSV, encoding), SPEC)
    assert result.errors == []
    assert result.line_numbers == [2, 4]
    assert result.rows == [
        {
            "name": "Testshire Police",
            "type": "police",
            "staff": 1200,
            "joined": dt.date(2024, 3, 31),
            "contact": "duty@police.example.test",
        },
        {
            "name": "Testshire Health",
            "type": "health_provider",
            "staff": -5,  # a negative number is allowed where the column takes numbers
            "joined": dt.date(2024, 4, 1),
            "contact": None,
        },
    ]


def test_good_xlsx() -> None:
    upload = xlsx_file(
        [
            ["name", "type", "staff", "joined"],
            ["  Testshire Police ", "Police", 1200, dt.datetime(2024, 3, 31)],
            ["Testshire Health", "Health", -5, None],
        ]
    )
    result = read_rows(upload, SPEC)
    assert result.errors == []
    assert result.rows[0] == {
        "name": "Testshire Police",
        "type": "police",
        "staff": 1200,
        "joined": dt.date(2024, 3, 31),
    }
    assert result.rows[1]["staff"] == -5
    assert result.line_numbers == [2, 3]


# --- refused files ----------------------------------------------------------------------


def errors_of(upload: Any, spec: ImportSpec = SPEC) -> list[tuple[int, str, str]]:
    result = read_rows(upload, spec)
    assert not result.ok
    assert result.rows == [] or result.errors
    return [tuple(e) for e in result.errors]  # type: ignore[misc]


def test_other_encoding_is_refused_with_advice() -> None:
    [(line, _, message)] = errors_of(csv_file("name,type\nCafé £,police\n", "cp1252"))
    assert line == 0
    assert "The file is not UTF-8: save it as CSV UTF-8" in message


def test_empty_file_needs_headings() -> None:
    [(_, _, message)] = errors_of(csv_file(""))
    assert "first row must be the column headings" in message


def test_unknown_and_missing_columns_are_listed() -> None:
    errors = errors_of(csv_file("Agency name,Colour,Flavour\nPolice,blue,mint\n"))
    assert (1, "Colour, Flavour", errors[0][2]) == errors[0]
    assert "Unknown columns: Colour, Flavour" in errors[0][2]
    assert (1, "type", "The column “type” is missing.") in errors


def test_duplicate_column_is_refused() -> None:
    errors = errors_of(csv_file("name,type,agency name\na,police,b\n"))
    assert errors == [(1, "name", "The column “agency name” appears twice.")]


def test_row_errors_name_the_line_and_column() -> None:
    text = "name,type,staff,joined,contact\n,police,ten,32/13/2024,not-an-email\nOK,fire,1,,\n"
    errors = errors_of(csv_file(text))
    assert errors == [
        (2, "name", "Enter the name."),
        (2, "staff", "“ten” is not a whole number."),
        (2, "joined", "“32/13/2024” is not a date: write it as 31/12/2025."),
        (2, "contact", "“not-an-email” is not an e-mail address."),
        (3, "type", "“fire” is not one of: Police, Health."),
    ]


@pytest.mark.parametrize("value", ["=1+1", "@SUM(A1)", "+cmd", "-2+3", "=HYPERLINK(A1)"])
def test_text_that_a_spreadsheet_would_run_is_refused(value: str) -> None:
    text = f'name,type\n"{value}",police\n'
    [(line, column, message)] = errors_of(csv_file(text))
    assert (line, column) == (2, "name")
    assert "formula" in message


def test_a_signed_number_passes_only_if_the_column_parses_it() -> None:
    assert read_rows(csv_file("name,type,staff\nA,police,-5\n"), SPEC).ok
    # "-5" read as a date fails as a formula risk, not as a bad date.
    [(line, column, message)] = errors_of(csv_file("name,type,joined\nA,police,-5\n"))
    assert (line, column) == (2, "joined")
    assert "formula" in message


def test_xlsx_formula_is_refused_with_its_cell() -> None:
    upload = xlsx_file([["name", "type", "staff"], ["A", "police", "=SUM(1,2)"]])
    [(line, column, message)] = errors_of(upload)
    assert (line, column) == (2, "staff")
    assert "Cell C2 holds a formula" in message


def test_too_many_rows(settings: Any) -> None:
    spec = ImportSpec(columns=SPEC.columns, max_rows=3)
    text = "name,type\n" + "".join(f"Agency {i},police\n" for i in range(4))
    result = read_rows(csv_file(text), spec)
    assert result.rows == []
    assert result.errors == [(0, "", "The file has more than 3 rows. Split it into smaller files.")]


def test_other_file_types_are_refused() -> None:
    [(_, _, message)] = errors_of(SimpleUploadedFile("agencies.pdf", b"%PDF-1.4"))
    assert "CSV or an Excel" in message


def test_a_fake_xlsx_is_refused() -> None:
    [(_, _, message)] = errors_of(SimpleUploadedFile("agencies.xlsx", b"name,type\n"))
    assert "not a real XLSX" in message


def test_headings_but_no_rows() -> None:
    [(_, _, message)] = errors_of(csv_file("name,type\n"))
    assert "no rows" in message


# --- saving -----------------------------------------------------------------------------


def make_agency(partnership: Partnership) -> Any:
    def create(row: dict[str, Any], line: int) -> None:
        if row["name"].startswith("Bad"):
            raise ValidationError({"name": [f"{row['name']} is not allowed."]})
        agency_create(partnership=partnership, name=row["name"], agency_type=row["type"])

    return create


def test_import_creates_every_row(partnership: Partnership) -> None:
    result = read_rows(
        csv_file("name,type\nTestshire Police,police\nTestshire Health,Health\n"), SPEC
    )
    assert import_all_or_nothing(result, make_agency(partnership)) == 2
    assert set(Agency.objects.filter(partnership=partnership).values_list("name", flat=True)) == {
        "Testshire Police",
        "Testshire Health",
    }


def test_one_bad_row_rolls_back_everything(partnership: Partnership) -> None:
    text = "name,type\nTestshire Police,police\nBad Agency,health\nBadder,police\n"
    result = read_rows(csv_file(text), SPEC)
    assert import_all_or_nothing(result, make_agency(partnership)) == 0
    assert not Agency.objects.filter(partnership=partnership).exists()
    assert result.errors == [
        (3, "name", "Bad Agency is not allowed."),
        (4, "name", "Badder is not allowed."),
    ]


def test_nothing_runs_when_the_file_had_errors(partnership: Partnership) -> None:
    result = ImportResult(rows=[{"name": "x", "type": "police"}], line_numbers=[2])
    result.add_error(2, "staff", "bad")

    def explode(row: dict[str, Any], line: int) -> None:
        raise AssertionError("must not run")

    assert import_all_or_nothing(result, explode) == 0


def test_error_table_template() -> None:
    html = render_to_string(
        "core/includes/import_errors.html",
        {"import_errors": [(0, "", "Whole <b>file</b>"), (3, "name", "Enter the name.")]},
    )
    assert "Whole file" in html
    assert "Whole &lt;b&gt;file&lt;/b&gt;" in html
    assert '<td class="govuk-table__cell">3</td>' in html
    assert "govuk-error-summary" in html
    assert render_to_string("core/includes/import_errors.html", {}).strip() == ""
