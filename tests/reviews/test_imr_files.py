"""IMR files: uploaded by the agency's safeguarding lead or the nominated author, downloaded
(through core's permission-checked download) only by the business unit, the case team, that
agency and the author."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lift.core.models import Agency, Attachment, Person
from lift.reviews import services
from lift.reviews.models import AgencyRequest, ImrFile, Incident, Review
from tests.permissions import assert_permissions
from tests.reviews.test_services import decide


def _file(name: str = "imr-health.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"IMR: Child A was seen twice by the service.\n", "text/plain")


@pytest.fixture
def imr(incident: Incident, chair: Person, business_unit: Person, agency: Agency) -> AgencyRequest:
    decide(incident, chair)
    return services.agency_request_create(
        incident=incident,
        review=Review.objects.get(incident=incident),
        agency=agency,
        kind="imr",
        requested_on=dt.date(2025, 5, 21),
        due_on=dt.date(2025, 6, 20),
        by=business_unit,
    )


@pytest.fixture
def author(make_person: Callable[..., Person], agency: Agency) -> Person:
    return make_person("auditor", agency=agency, full_name="Ada Author")


@pytest.fixture
def other_lead(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    return make_person("safeguarding_lead", agency=other_agency, full_name="Pat Police")


def test_lead_names_author_who_uploads_and_submits(
    imr: AgencyRequest, lead: Person, author: Person, other_lead: Person, business_unit: Person
) -> None:
    with pytest.raises(ValidationError):
        services.imr_author_nominate(request=imr, author=author, by=other_lead)
    with pytest.raises(ValidationError, match="works for"):
        services.imr_author_nominate(request=imr, author=other_lead, by=lead)
    services.imr_author_nominate(request=imr, author=author, by=lead)
    with pytest.raises(ValidationError, match="Upload the IMR file"):
        services.imr_submit(request=imr, by=author)
    with pytest.raises(ValidationError):
        services.imr_file_add(request=imr, uploaded_file=_file(), by=other_lead)
    item = services.imr_file_add(request=imr, uploaded_file=_file(), by=author, description="v1")
    assert item.attachment is not None and item.attachment.subject == item
    services.imr_submit(request=imr, by=author, submitted_on=dt.date(2025, 6, 1))
    imr.refresh_from_db()
    assert imr.received_on == dt.date(2025, 6, 1) and imr.submitted_by == author
    services.agency_request_quality_assure(request=imr, on=dt.date(2025, 6, 2), by=business_unit)
    with pytest.raises(ValidationError, match="quality assured"):
        services.imr_file_add(request=imr, uploaded_file=_file(), by=lead)


def test_refused_file_stores_nothing(imr: AgencyRequest, lead: Person) -> None:
    bad = SimpleUploadedFile("imr.html", b"<html><script>x</script></html>", "text/html")
    with pytest.raises(ValidationError):
        services.imr_file_add(request=imr, uploaded_file=bad, by=lead)
    assert not Attachment.objects.exists()


def test_upload_page_permissions_and_upload(
    imr: AgencyRequest,
    lead: Person,
    author: Person,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    other_lead: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    services.imr_author_nominate(request=imr, author=author, by=business_unit)
    url = f"/agency-requests/{imr.pk}/files/add/"
    assert_permissions(
        url,
        allowed=[business_unit, lead, author],
        forbidden=[chair, board_member],
        not_found=[other_lead, outsider],
    )
    response = client_for(lead).post(url, {"file": _file(), "description": "Final IMR"})
    assert response.status_code == 302
    assert ImrFile.objects.get().uploaded_by == lead
    assert_permissions(
        f"/agency-requests/{imr.pk}/author/",
        allowed=[business_unit, lead],
        forbidden=[author, chair, board_member],
        not_found=[other_lead, outsider],
    )
    assert_permissions(
        f"/agency-requests/{imr.pk}/submit/",
        allowed=[business_unit, lead, author],
        forbidden=[chair, board_member],
        not_found=[other_lead, outsider],
    )
    submitted = client_for(author).post(f"/agency-requests/{imr.pk}/submit/", {})
    assert submitted.status_code == 302
    imr.refresh_from_db()
    assert imr.received_on is not None and imr.submitted_by == author


def test_download_only_case_team_agency_author_and_business_unit(
    imr: AgencyRequest,
    incident: Incident,
    lead: Person,
    author: Person,
    business_unit: Person,
    chair: Person,
    board_member: Person,
    other_lead: Person,
    outsider: Person,
    make_person: Callable[..., Person],
    client_for: Callable[[Person], Client],
) -> None:
    services.imr_author_nominate(request=imr, author=author, by=lead)
    item = services.imr_file_add(request=imr, uploaded_file=_file(), by=lead)
    assert item.attachment is not None
    team_member = make_person("case_team", case=incident, full_name="Tess Team")
    # A Board member and the Chair (not in the case team) see the request, never the file:
    # to them, as to another agency's lead, it is not found.
    assert_permissions(
        item.attachment.get_absolute_url(),
        allowed=[business_unit, lead, author, team_member],
        not_found=[chair, board_member, other_lead, outsider],
    )
    body = client_for(author).get(item.attachment.get_absolute_url())
    assert b"".join(body.streaming_content) == b"IMR: Child A was seen twice by the service.\n"  # type: ignore[attr-defined]
    page = client_for(board_member).get(imr.get_absolute_url())
    assert page.status_code == 200 and b"imr-health.txt" not in page.content
    page = client_for(lead).get(imr.get_absolute_url())
    assert b"imr-health.txt" in page.content and b"Upload a file" in page.content


def test_quality_assurance_is_the_business_units_not_the_agencys(
    imr: AgencyRequest,
    lead: Person,
    business_unit: Person,
    outsider: Person,
    client_for: Callable[[Person], Client],
) -> None:
    """The agency's lead may record its return as received, but quality assuring it is the
    business unit's or the case team's: the lead is refused the page itself (403), not only
    its button, and nothing is recorded when they post."""
    services.agency_request_receive(request=imr, received_on=dt.date(2025, 6, 1), by=lead)
    url = f"/agency-requests/{imr.pk}/quality-assured/"
    assert_permissions(url, allowed=[business_unit], forbidden=[lead], not_found=[outsider])
    refused = client_for(lead).post(url, {"on": "2025-06-02"})
    assert refused.status_code == 403
    imr.refresh_from_db()
    assert imr.quality_assured_on is None
    done = client_for(business_unit).post(url, {"on": "2025-06-02"})
    assert done.status_code == 302 and done["Location"] == imr.get_absolute_url()
    imr.refresh_from_db()
    assert imr.quality_assured_on == dt.date(2025, 6, 2)
