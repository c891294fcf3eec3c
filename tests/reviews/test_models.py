"""Model invariants and the reference files' validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction

from lift.core.models import Person
from lift.reviews import services
from lift.reviews.models import ChildIdentity, Incident, Letter
from lift.reviews.reference import reference
from tests.reviews.test_services import decide


def test_letter_cannot_record_a_sender_without_a_date(incident: Incident, chair: Person) -> None:
    decide(incident, chair)
    letter = Letter.objects.get()
    letter.sent_by = chair
    with pytest.raises(IntegrityError), transaction.atomic():
        letter.save()


def test_one_subject_per_notification(
    incident: Incident, identity: ChildIdentity, business_unit: Person
) -> None:
    with pytest.raises(ValidationError):
        services.identity_create(
            incident=incident,
            by=business_unit,
            pseudonym="Child Z",
            full_name="Someone Else",
            is_subject=True,
        )


def test_identity_str_never_shows_the_name(identity: ChildIdentity) -> None:
    assert "Jayden" not in str(identity) and "Child A" in str(identity)


def test_invalid_nhs_number_refused(incident: Incident, business_unit: Person) -> None:
    with pytest.raises(ValidationError, match="NHS"):
        services.identity_create(
            incident=incident,
            by=business_unit,
            pseudonym="Sibling B",
            relationship="sibling",
            full_name="X Y",
            nhs_number="123 456 7890",
        )


def test_every_regime_has_criteria_and_every_letter_kind_a_template() -> None:
    from lift.core.reference import regimes
    from lift.reviews.choices import LetterKind

    ref = reference()
    for regime_id in regimes():
        crit = ref.for_regime(regime_id)
        assert crit.at("notification") and crit.at("review")
    assert {t.key for t in ref.letters} == set(LetterKind.values)
    assert "scie-systems" in {m.key for m in ref.methodologies}
    assert len(ref.questions) == 7


def _copy_reference(tmp_path: Path, settings: Any) -> Path:
    import shutil

    shutil.copytree(Path(settings.REFERENCE_DIR), tmp_path / "reference")
    settings.REFERENCE_DIR = str(tmp_path / "reference")
    reference.cache_clear()
    return tmp_path / "reference" / "reviews"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("criteria.yaml", "    stage: review", "    stage: later", "must be one of notification"),
        ("criteria.yaml", "- [custody]", "- [custodi]", "unknown criterion 'custodi'"),
        ("letters.yaml", "{{ reviewers }}", "{{ secret_key }}", "unknown placeholder 'secret_key'"),
        ("methodologies.yaml", "key: hybrid", "kee: hybrid", "unknown key 'kee'"),
    ],
)
def test_malformed_reference_names_file_and_problem(
    tmp_path: Path, settings: Any, file: str, old: str, new: str, message: str
) -> None:
    folder = _copy_reference(tmp_path, settings)
    path = folder / file
    path.write_text(path.read_text().replace(old, new, 1))
    try:
        with pytest.raises(ImproperlyConfigured) as exc:
            reference()
        assert f"reference/reviews/{file}" in str(exc.value) and message in str(exc.value)
    finally:
        reference.cache_clear()


def test_review_report_upload_and_download(
    incident: Incident, chair: Person, business_unit: Person, board_member: Person, client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    decide(incident, chair)
    review = incident.reviews.get()
    c = client_for(business_unit)
    upload = SimpleUploadedFile(
        "report.txt", b"Child A overview report.", content_type="text/plain"
    )
    response = c.post(f"/reviews/{review.pk}/report/", {"file": upload, "description": "Final"})
    assert response.status_code == 302, response.content[-2000:]
    page = c.get(f"/reviews/{review.pk}/")
    assert b"report.txt" in page.content
    from lift.core.models import Attachment

    attachment = Attachment.objects.get()
    assert client_for(board_member).get(attachment.get_absolute_url()).status_code == 200
    assert client_for(board_member).post(f"/reviews/{review.pk}/report/").status_code == 403


def test_joint_dhr_reported_to_governance_meeting(
    incident: Incident, chair: Person, business_unit: Person
) -> None:
    gov = pytest.importorskip("lift.governance.services")
    decide(incident, chair)
    dhr = services.joint_dhr_record(
        incident=incident,
        by=business_unit,
        cspb_chair="Olu Marchetti",
        decided_on=dt.date(2025, 5, 21),
        panels="joint",
        reports="separate",
        executive_reporting_on=dt.date(2025, 9, 10),
    )
    executive = gov.board_create(
        partnership=incident.partnership, kind="executive", name="Executive", by=business_unit
    )
    cspb = gov.board_create(
        partnership=incident.partnership,
        kind="partner_board",
        name="Community Safety Partnership Board",
        by=business_unit,
    )
    board = gov.board_create(
        partnership=incident.partnership,
        kind="joint",
        name="Joint CSP and Executive",
        joint_of=[executive, cspb],
        by=business_unit,
    )
    meeting = gov.meeting_create(
        board=board, starts_at=dt.datetime(2025, 9, 10, 10, 0, tzinfo=dt.UTC), by=business_unit
    )
    services.joint_dhr_report_to_meeting(dhr=dhr, meeting=meeting, by=business_unit)
    dhr.refresh_from_db()
    assert dhr.agenda_item_id is not None
    from lift.reviews.selectors import forward_plan_items

    assert not any(i["group_kind"] == "joint" for i in forward_plan_items(incident.partnership))
