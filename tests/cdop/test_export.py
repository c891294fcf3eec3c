"""The NCMD export: documented, stable field list and format version."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lift.cdop import export, services
from lift.cdop.reference import cdop_reference

from .conftest import analysis_kwargs

pytestmark = pytest.mark.django_db

DOCUMENTED = [
    "case_number",
    "partnership",
    "notified_on",
    "notified_via",
    "nhs_number",
    "first_name",
    "family_name",
    "date_of_birth",
    "date_of_death",
    "sex",
    "age_band",
    "year_of_death",
    "expected",
    "joint_agency_response",
    "jar_criteria",
    "jar_started_on",
    "jar_completed_on",
    "reporting_forms_requested",
    "reporting_forms_received",
    "reporting_agencies",
    "review_meeting_on",
    "panel_meeting_on",
    "category",
    "category_number",
    "score_child",
    "score_social",
    "score_physical",
    "score_service",
    "factors",
    "modifiable",
    "analysis_completed_on",
]


def test_field_list_is_stable():
    assert export.field_names() == DOCUMENTED
    assert cdop_reference().export_format_version == "1.0"


def test_json_record(case, coordinator, agency):
    _r, token = services.agency_report_request(
        case=case, agency=agency, contact_name="S", contact_email="s@example.test", by=coordinator
    )
    services.agency_report_submit(token=token, answers={"involvement": "x"}, completed_by="S")
    services.analysis_record(case=case, by=coordinator, **analysis_kwargs())
    data = json.loads(export.as_json([case]))
    assert data["format"] == "lift-cdop-ncmd" and data["format_version"] == "1.0"
    row = data["cases"][0]
    assert list(row) == DOCUMENTED
    assert row["case_number"] == case.reference
    assert row["nhs_number"] == "4857773456"
    assert row["category_number"] == 10 and row["score_social"] == 2
    assert row["reporting_agencies"] == [agency.name]
    assert row["jar_criteria"] == ["sudden-no-apparent-cause"]


def test_csv_header_and_lists(case):
    rows = list(csv.reader(io.StringIO(export.as_csv([case]))))
    assert rows[0] == ["format_version", *DOCUMENTED]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["format_version"] == "1.0"
    assert row["joint_agency_response"] == "true"
    assert row["category"] == ""
