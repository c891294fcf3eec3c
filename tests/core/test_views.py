"""Core pages: permissions, exports, editing with history and concurrency."""

from __future__ import annotations

import pytest

from lift.core.models import Agency, ChangeLog

from ..factories import AgencyFactory
from ..permissions import assert_permissions

pytestmark = pytest.mark.django_db


def test_agency_list_and_detail_permissions(agency, business_unit, lead, outsider, learner):
    assert_permissions("/agencies/", allowed=[business_unit, lead, learner])
    assert_permissions(
        agency.get_absolute_url(), allowed=[business_unit, lead], not_found=[outsider]
    )


def test_agency_edit_permissions(agency, other_agency, business_unit, lead, outsider, learner):
    url = f"/agencies/{agency.pk}/edit/"
    # Everyone in the partnership sees its agencies: editing one is forbidden (403).
    assert_permissions(
        url, allowed=[business_unit, lead], not_found=[outsider], forbidden=[learner]
    )
    # A safeguarding lead edits their own agency only.
    assert_permissions(
        f"/agencies/{other_agency.pk}/edit/", allowed=[business_unit], forbidden=[lead]
    )


def test_agency_add_forbidden_without_role(business_unit, lead, client_for):
    assert client_for(lead).get("/agencies/add/").status_code == 403
    assert client_for(business_unit).get("/agencies/add/").status_code == 200


def test_agency_create_logs_history(partnership, business_unit, client_for):
    response = client_for(business_unit).post(
        "/agencies/add/",
        {"name": "Harrowmere Schools", "agency_type": "education", "is_active": "on"},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Harrowmere Schools")
    assert agency.partnership == partnership
    entry = ChangeLog.objects.get(object_id=str(agency.pk), content_type__model="agency")
    assert entry.action == "create" and entry.actor == business_unit and entry.source == "web"


def test_bad_input_shows_errors_and_saves_nothing(business_unit, client_for):
    response = client_for(business_unit).post("/agencies/add/", {"name": "", "agency_type": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "govuk-error-message" in body
    assert not Agency.objects.filter(agency_type="nope").exists()


def test_edit_with_reason_and_history_tab(agency, business_unit, client_for):
    c = client_for(business_unit)
    page = c.get(f"/agencies/{agency.pk}/edit/")
    version = page.context["version"]
    response = c.post(
        f"/agencies/{agency.pk}/edit/",
        {
            "name": "Renamed",
            "agency_type": agency.agency_type,
            "is_active": "on",
            "_version": version,
            "change_reason": "Restructure",
        },
    )
    assert response.status_code == 302
    entry = ChangeLog.objects.filter(object_id=str(agency.pk), action="update").get()
    assert entry.changes["name"] == ["Harrowmere Children's Services", "Renamed"]
    assert entry.reason == "Restructure"
    history = c.get(f"/agencies/{agency.pk}/history/")
    assert "Renamed" in history.content.decode()


def test_concurrent_edit_is_refused_and_shows_both(agency, business_unit, lead, client_for):
    a, b = client_for(business_unit), client_for(lead)
    version = a.get(f"/agencies/{agency.pk}/edit/").context["version"]
    b.post(
        f"/agencies/{agency.pk}/edit/",
        {
            "name": "Lead's name",
            "agency_type": agency.agency_type,
            "is_active": "on",
            "_version": version,
        },
    )
    response = a.post(
        f"/agencies/{agency.pk}/edit/",
        {
            "name": "Unit's name",
            "agency_type": agency.agency_type,
            "is_active": "on",
            "_version": version,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "Someone else saved a change" in body
        and "Lead&#x27;s name" in body
        and "Unit&#x27;s name" in body
    )
    agency.refresh_from_db()
    assert agency.name == "Lead's name"


def test_delete_needs_reason_and_is_logged(partnership, business_unit, client_for):
    doomed = AgencyFactory(partnership=partnership, name="Closed agency")
    c = client_for(business_unit)
    assert c.post(f"/agencies/{doomed.pk}/delete/", {"reason": ""}).status_code == 200
    assert c.post(f"/agencies/{doomed.pk}/delete/", {"reason": "Merged"}).status_code == 302
    assert ChangeLog.objects.get(object_id=str(doomed.pk), action="delete").reason == "Merged"


def test_exports_are_scoped_and_neutralised(
    partnership, other_partnership, business_unit, client_for
):
    AgencyFactory(partnership=partnership, name='=HYPERLINK("http://x")')
    AgencyFactory(partnership=other_partnership, name="Not ours")
    c = client_for(business_unit)
    csv_body = b"".join(c.get("/agencies/?export=csv").streaming_content).decode()
    assert "'=HYPERLINK" in csv_body and "Not ours" not in csv_body
    xlsx = c.get("/agencies/?export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_list_filter_sort_paginate(partnership, business_unit, client_for):
    for i in range(30):
        AgencyFactory(partnership=partnership, name=f"Agency {i:02d}", agency_type="police")
    c = client_for(business_unit)
    page = c.get("/agencies/?agency_type=police&sort=-name")
    assert page.context["page_obj"].paginator.count == 30
    assert page.context["rows"][0]["cells"][0]["text"] == "Agency 29"
    assert c.get("/agencies/?page=2").status_code == 200


def test_list_query_count_is_flat(
    partnership, business_unit, client_for, django_assert_max_num_queries
):
    for i in range(40):
        AgencyFactory(partnership=partnership, name=f"Flat {i}")
    c = client_for(business_unit)
    c.get("/agencies/")
    with django_assert_max_num_queries(15):
        c.get("/agencies/")


def test_history_search_for_business_unit_only(partnership, agency, business_unit, lead, outsider):
    assert_permissions("/history/", allowed=[business_unit], forbidden=[lead])
    from django.test import Client

    c = Client()
    c.force_login(outsider)
    body = c.get("/history/").content.decode()
    assert agency.name not in body


def test_history_cannot_be_edited(agency):
    entry = ChangeLog.objects.filter(object_id=str(agency.pk)).first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ChangeLog.objects.all().delete()
    with pytest.raises(PermissionError):
        ChangeLog.objects.update(reason="x")


def test_person_pages(partnership, business_unit, lead, learner, outsider, client_for):
    assert_permissions("/people/", allowed=[business_unit, lead])
    assert_permissions(
        learner.get_absolute_url(), allowed=[business_unit, lead, learner], not_found=[outsider]
    )
    response = client_for(business_unit).post(
        "/people/add/",
        {"full_name": "New Person", "email": "new@example.test", "role": "board_member"},
    )
    assert response.status_code == 302
    # An agency role needs the agency: refused with a message, nothing saved.
    response = client_for(business_unit).post(
        "/people/add/",
        {"full_name": "Other Person", "email": "other@example.test", "role": "learner"},
    )
    assert response.status_code == 200 and "Choose the agency" in response.content.decode()
    from lift.core.models import Person

    assert not Person.objects.filter(email="other@example.test").exists()


def test_role_assignment_pages(partnership, business_unit, lead, learner, outsider, client_for):
    assert_permissions("/roles/", allowed=[business_unit, learner])
    # A learner sees only their own roles; the business unit sees everyone's.
    assert client_for(learner).get("/roles/").context["page_obj"].paginator.count == 1
    assert client_for(business_unit).get("/roles/").context["page_obj"].paginator.count == 3
    assert client_for(outsider).get("/roles/").context["page_obj"].paginator.count == 1


def test_partnership_switch(partnership, other_partnership, business_unit, client_for):
    from ..factories import give_role

    give_role(business_unit, "business_unit", other_partnership)
    c = client_for(business_unit)
    assert c.get("/partnership/switch/").status_code == 200
    c.post("/partnership/switch/", {"partnership": other_partnership.pk})
    assert c.get("/").context["partnership"] == other_partnership
    assert c.post("/partnership/switch/", {"partnership": 999999}).status_code == 400


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["database"] == "ok"


def test_home_page(partnership, learner, client_for):
    response = client_for(learner).get("/")
    assert response.status_code == 200
    assert "My work" in response.content.decode()


def test_people_list_has_each_member_once_without_distinct(
    partnership, business_unit, lead, learner, agency, client_for
):
    """A person with two roles is listed once, and the list is found by semi-joins (no
    DISTINCT over whole person rows, which was slow with 200,000 people)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lift.core.services import role_assign

    role_assign(partnership=partnership, person=learner, role="auditor", agency=agency)
    with CaptureQueriesContext(connection) as queries:
        page = client_for(business_unit).get("/people/").content.decode()
    assert page.count(f'href="/people/{learner.pk}/"') == 1
    assert f'href="/people/{lead.pk}/"' in page
    assert not any("DISTINCT" in q["sql"] for q in queries if "core_person" in q["sql"])
