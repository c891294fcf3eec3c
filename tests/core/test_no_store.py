"""Nothing a signed-in person was shown is kept by a browser or proxy cache: pages, API
answers and downloads carry `Cache-Control: no-store` (issue 17 item 11). The public site
keeps its own cacheable header."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from lift.cdop import services as cdop_services
from lift.cdop.models import ChildDeathIdentity
from lift.core.files import attachment_create
from lift.core.models import Agency, GeneratedDocument, Partnership, Person
from lift.core.models.documents import DocumentStatus
from lift.reviews import services as review_services
from lift.reviews.models import ChildIdentity

from .test_files import upload

pytestmark = pytest.mark.django_db


def no_store(response: object) -> bool:
    value = response["Cache-Control"]  # type: ignore[index]
    return "no-store" in value and "public" not in value


@pytest.fixture
def identity(partnership: Partnership, business_unit: Person, agency: Agency) -> ChildIdentity:
    incident = review_services.incident_create(
        partnership=partnership,
        by=business_unit,
        pseudonym="Child A",
        incident_type="serious_harm",
        incident_on=dt.date(2025, 4, 28),
        became_aware_on=dt.date(2025, 4, 29),
        notified_on=dt.date(2025, 5, 2),
        criteria=["abuse-or-neglect", "seriously-harmed"],
        summary="Child A was admitted to hospital with injuries.",
        agencies=[agency],
    )
    return review_services.identity_create(
        incident=incident,
        by=business_unit,
        pseudonym="Child A",
        is_subject=True,
        full_name="Jayden Thornbury-Quell",
        date_of_birth=dt.date(2019, 3, 4),
        postcode="HM4 7QZ",
    )


@pytest.fixture
def team_member(make_person: Callable[..., Person], identity: ChildIdentity) -> Person:
    return make_person("case_team", case=identity.incident, full_name="Tess Team")


def test_restricted_record_page_is_not_stored(
    identity: ChildIdentity, team_member: Person, client_for: Callable[[Person], Client]
) -> None:
    response = client_for(team_member).get(f"/restricted-records/{identity.pk}/")
    assert response.status_code == 200 and b"Jayden Thornbury-Quell" in response.content
    assert no_store(response)
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_restricted_record_over_the_api_with_a_token_is_not_stored(
    identity: ChildIdentity, team_member: Person
) -> None:
    token = Token.objects.create(user=team_member)
    response = Client().get(
        f"/api/v1/restricted-records/{identity.pk}/", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Jayden Thornbury-Quell"
    assert no_store(response)
    listing = Client().get("/api/v1/restricted-records/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert listing.status_code == 200 and no_store(listing)


def test_cdop_restricted_record_page_is_not_stored(
    partnership: Partnership, make_person: Callable[..., Person], client_for: Callable[..., Client]
) -> None:
    coordinator = make_person("cdop_coordinator", full_name="Cora Coordinator")
    case = cdop_services.childdeath_notify(
        partnership=partnership,
        by=coordinator,
        notifier_name="Dr Nadia Test",
        notifier_email="nadia@example.test",
        first_name="Amelie",
        family_name="Testcase",
        date_of_birth=dt.date(2024, 11, 2),
        date_of_death=dt.date(2025, 3, 10),
        nhs_number="485 777 3456",
        expected="unexpected",
        jar_criteria=["sudden-no-apparent-cause"],
        jar_started_on=dt.date(2025, 3, 10),
        notified_on=dt.date(2025, 3, 11),
    )
    identity = ChildDeathIdentity.objects.get(case=case)
    response = client_for(coordinator).get(identity.get_absolute_url())
    assert response.status_code == 200 and b"Testcase" in response.content
    assert no_store(response)


def test_ordinary_signed_in_pages_are_not_stored(
    learner: Person, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    for person, url in ((learner, "/"), (business_unit, "/"), (business_unit, "/agencies/")):
        response = client_for(person).get(url)
        assert response.status_code == 200, url
        assert no_store(response), url
        assert "Cookie" in response["Vary"], url


def test_file_downloads_are_not_stored(
    agency: Agency, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    attachment = attachment_create(
        subject=agency,
        uploaded_file=upload("minutes.txt", b"Board minutes, fictional.\n"),
        uploaded_by=business_unit,
    )
    response = client_for(business_unit).get(
        reverse("core:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200
    assert no_store(response)


def test_generated_documents_are_not_stored(
    agency: Agency, business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    document = GeneratedDocument(
        partnership=agency.partnership,
        kind="agency_report",
        subject=agency,
        format="html",
        status=DocumentStatus.READY,
        filename="report.html",
        requested_by=business_unit,
    )
    document.file.save("report.html", ContentFile(b"<!DOCTYPE html><p>Report</p>"), save=False)
    document.save()
    response = client_for(business_unit).get(document.get_download_url())
    assert response.status_code == 200
    assert no_store(response)


def test_public_pages_keep_their_cacheable_header(
    partnership: Partnership, learner: Person, client_for: Callable[..., Client]
) -> None:
    url = reverse("reports:public_home")
    assert Client().get(url)["Cache-Control"] == "public, max-age=300"
    assert client_for(learner).get(url)["Cache-Control"] == "private, no-cache"


def test_the_sign_in_page_is_not_stored() -> None:
    response = Client().get(reverse("accounts:login"))
    assert response.status_code == 200 and no_store(response)
