"""Importing the single-agency register: all or nothing, each bad row by line number."""

from __future__ import annotations

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

HEADER = "agency,title,level,period_start,period_end,number_trained,themes,notes\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("register.csv", text.encode(), content_type="text/csv")


def test_good_csv_imports_every_row(partnership: Any, agency: Agency) -> None:
    text = HEADER + (
        f"{agency.name},Safeguarding induction,1,2025-04-01,2025-06-30,42,neglect;early-help,\n"
        f"{agency.name},Child protection refresher,2,2025-04-01,2025-09-30,18,,Two cohorts\n"
    )
    result = import_agency_training(partnership=partnership, uploaded=_csv(text), agencies=[agency])
    assert result.ok and len(result.created) == 2
    first = AgencyTraining.objects.get(title="Safeguarding induction")
    assert first.number_trained == 42 and {t.code for t in first.themes.all()} == {
        "neglect",
        "early-help",
    }


def test_bad_rows_are_reported_by_line_and_nothing_imported(
    partnership: Any, agency: Agency, other_agency: Agency
) -> None:
    text = HEADER + (
        f"{agency.name},Fine row,1,2025-04-01,2025-06-30,10,,\n"
        f"{other_agency.name},Not my agency,1,2025-04-01,2025-06-30,10,,\n"
        f"{agency.name},,4,2025-13-01,2025-06-30,ten,unknown-theme,\n"
        f"{agency.name},Backwards,2,2025-06-30,2025-04-01,5,,\n"
    )
    result = import_agency_training(partnership=partnership, uploaded=_csv(text), agencies=[agency])
    assert not result.ok and result.created == []
    assert AgencyTraining.objects.count() == 0
    assert result.errors[0].startswith("Line 3: agency")
    line4 = result.errors[1]
    assert line4.startswith("Line 4:")
    for problem in [
        "title is empty",
        "level must be 1, 2 or 3",
        "period_start must be a date",
        "number_trained must be a whole number",
        "unknown theme(s) unknown-theme",
    ]:
        assert problem in line4
    assert result.errors[2] == "Line 5: period_end is before period_start."


def test_missing_columns_and_wrong_type(partnership: Any, agency: Agency) -> None:
    result = import_agency_training(
        partnership=partnership, uploaded=_csv("agency,title\nX,Y\n"), agencies=[agency]
    )
    assert result.errors == [
        "Line 1: missing column(s) level, period_start, period_end, number_trained."
    ]
    bad = SimpleUploadedFile("register.txt", b"x")
    assert import_agency_training(
        partnership=partnership, uploaded=bad, agencies=[agency]
    ).errors == ["Upload a .csv or .xlsx file."]


def test_xlsx_import(partnership: Any, agency: Agency) -> None:
    import datetime as dt

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
    result = import_agency_training(partnership=partnership, uploaded=upload, agencies=[agency])
    assert result.ok, result.errors
    assert AgencyTraining.objects.get().period_end == dt.date(2026, 3, 31)


def test_import_page(lead: Person, agency: Agency, client_for: Any) -> None:
    c = client_for(lead)
    url = reverse("training:agencytraining_import")
    bad = _csv(HEADER + f"{agency.name},,1,2025-04-01,2025-06-30,3,,\n")
    page = c.post(url, {"file": bad}).content.decode()
    assert "nothing was imported" in page and "Line 2: title is empty." in page
    good = _csv(HEADER + f"{agency.name},Induction,1,2025-04-01,2025-06-30,3,,\n")
    assert c.post(url, {"file": good}).status_code == 302
    assert AgencyTraining.objects.filter(agency=agency).count() == 1
