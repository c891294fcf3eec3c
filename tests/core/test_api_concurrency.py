"""Optimistic concurrency on API updates: ETag = updated_at; stale If-Match gets 412."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lift.core.models import Agency

pytestmark = pytest.mark.django_db


def api(person) -> APIClient:
    c = APIClient()
    c.force_authenticate(person)
    return c


def test_retrieve_returns_etag_of_saved_version(agency, business_unit):
    response = api(business_unit).get(f"/api/v1/agencies/{agency.pk}/")
    agency.refresh_from_db()
    assert response.status_code == 200
    assert response["ETag"] == f'"{agency.updated_at.isoformat()}"'


def test_stale_if_match_is_refused_with_current_version(agency, business_unit):
    first = api(business_unit)
    second = api(business_unit)
    url = f"/api/v1/agencies/{agency.pk}/"
    etag = first.get(url)["ETag"]
    ok = second.patch(url, {"name": "Saved by second"}, HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = first.patch(url, {"name": "Lost by first"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert "changed by someone else" in body["detail"]
    assert body["current"]["name"] == "Saved by second"
    assert stale["ETag"] == ok["ETag"]
    assert Agency.objects.get(pk=agency.pk).name == "Saved by second"
    # With the current version the first person's change goes through.
    again = first.patch(url, {"name": "Merged by first"}, HTTP_IF_MATCH=stale["ETag"])
    assert again.status_code == 200
    assert Agency.objects.get(pk=agency.pk).name == "Merged by first"


def test_put_with_stale_if_match_is_refused(agency, business_unit):
    url = f"/api/v1/agencies/{agency.pk}/"
    data = {"name": "Put name", "agency_type": agency.agency_type}
    stale = api(business_unit).put(url, data, HTTP_IF_MATCH='"2000-01-01T00:00:00+00:00"')
    assert stale.status_code == 412
    assert Agency.objects.get(pk=agency.pk).name == agency.name


def test_without_if_match_or_with_wildcard_update_is_accepted(agency, business_unit):
    url = f"/api/v1/agencies/{agency.pk}/"
    assert api(business_unit).patch(url, {"name": "No header"}).status_code == 200
    assert api(business_unit).patch(url, {"name": "Any"}, HTTP_IF_MATCH="*").status_code == 200
    assert Agency.objects.get(pk=agency.pk).name == "Any"


def test_weak_etag_form_is_accepted(agency, business_unit):
    url = f"/api/v1/agencies/{agency.pk}/"
    etag = api(business_unit).get(url)["ETag"]
    ok = api(business_unit).patch(url, {"name": "Weak"}, HTTP_IF_MATCH=f"W/{etag}")
    assert ok.status_code == 200


def test_stale_check_does_not_leak_other_partnerships(agency, outsider):
    url = f"/api/v1/agencies/{agency.pk}/"
    response = api(outsider).patch(url, {"name": "x"}, HTTP_IF_MATCH='"2000-01-01T00:00:00+00:00"')
    assert response.status_code == 404
