"""Importing the single-agency register (through lift.core.imports): all or nothing, each
bad row reported by its row number and column."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lift.core.models import Agency, Person
from lift.training.imports import import_agency_training
from lift.training.models import AgencyTraining

pytestmark = pytest.mark.django_db

HEADER = "agency,title,level,period start,period end,number trained,themes,notes\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")


def test_good_csv_imports_every_row(partnership: Any, agency: Agency) -> None:
    text = HEADER + (
        f"{agency.name},Safeguarding induction,1,01/04/2025,30/06/2025,42,neglect;early-help,\n"
        f"{agency.name},Child protection refresher,2,2025-04-01,2025-09-30,18,,Two cohorts\n"
    )
    result, created = import_agency_training(
        partnership=partnership, uploaded=_csv(text), agencies=[agency]
    )
    assert result.ok and len(created) == 2
    first = AgencyTraining.objects.get(title="Safeguarding induction")
    assert first.number_trained == 42
    assert {t.code for t in first.themes.all()} == {"neglect", "early-help"}


def test_bad_rows_are_reported_by_line_and_nothing_imported(
    partnership: Any, agency: Agency, other_agency: Agency
) -> None:
    text = HEADER + (
        f"{agency.name},Fine row,1,01/04/2025,30/06/2025,10,,\n"
        f"{other_agency.name},Not my agency,1,01/04/2025,30/06/2025,10,,\n"
        f"{agency.name},,4,31/13/2025,30/06/2025,ten,unknown-theme,\n"
    )
    result, created = import_agency_training(
        partnership=partnership, uploaded=_csv(text), agencies=[agency]
    )
    assert not result.ok and created == []
    assert AgencyTraining.objects.count() == 0
    by_line: dict[int, set[str]] = {}
    for line, column, _message in result.errors:
        by_line.setdefault(line, set()).add(column)
    assert by_line == {
        3: {"agency"},
        4: {"title", "level", "period start", "number trained", "themes"},
    }


def test_a_row_refused_by_the_service_rolls_back_the_file(partnership: Any, agency: Agency) -> None:
    text = HEADER + (
        f"{agency.name},Fine row,1,01/04/2025,30/06/2025,10,,\n"
        f"{agency.name},Backwards,2,30/06/2025,01/04/2025,5,,\n"
    )
    result, created = import_agency_training(
        partnership=partnership, uploaded=_csv(text), agencies=[agency]
    )
    assert created == [] and AgencyTraining.objects.count() == 0
    assert [(e.line, e.column) for e in result.errors] == [(3, "period_end")]


def test_missing_columns_and_wrong_type(partnership: Any, agency: Agency) -> None:
    result, _ = import_agency_training(
        partnership=partnership, uploaded=_csv("agency,title\nX,Y\n"), agencies=[agency]
    )
    assert {e.column for e in result.errors} == {
        "level",
        "period start",
        "period end",
        "number trained",
    }
    bad = SimpleUploadedFile("register.txt", b"x")
    result, _ = import_agency_training(partnership=partnership, uploaded=bad, agencies=[agency])
    assert [e.line for e in result.errors] == [0]


def test_xlsx_import(partnership: Any, agency: Agency) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Agency", "Title", "Level", "Period start", "Period end", "Number trained"])
    sheet.append(
        [
            agency.name,
            "Level 1 e-learning",
            1,
            dt.datetime(2025, 4, 1),
            dt.datetime(2026, 3, 31),
            120,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("register.xlsx", out.getvalue())
    result, created = import_agency_training(
        partnership=partnership, uploaded=upload, agencies=[agency]
    )
    assert result.ok, result.errors
    assert created[0].period_end == dt.date(2026, 3, 31)


def test_import_page(lead: Person, agency: Agency, client_for: Any) -> None:
    c = client_for(lead)
    url = reverse("training:agencytraining_import")
    bad = _csv(HEADER + f"{agency.name},,1,01/04/2025,30/06/2025,3,,\n")
    page = c.post(url, {"file": bad}).content.decode()
    assert "Nothing was imported" in page and "Enter the title." in page
    good = _csv(HEADER + f"{agency.name},Induction,1,01/04/2025,30/06/2025,3,,\n")
    assert c.post(url, {"file": good}).status_code == 302
    assert AgencyTraining.objects.filter(agency=agency).count() == 1
