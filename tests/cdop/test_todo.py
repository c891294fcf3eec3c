"""An agency's child death reporting form as a to-do: for the agency's safeguarding lead and
the named contact while the form is awaited, for nobody else; gone once received or
withdrawn. Its page sends the link again to the contact, and shows nothing of the child."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lift.cdop import services
from lift.cdop import todo as kinds
from lift.cdop.models import AgencyReport, ChildDeath
from lift.core import todo
from lift.core.access import assignments_for
from lift.core.models import Agency, OutboundEmail, Partnership, Person
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

CONTACT = "sam.contact@example.test"


def _items(person: Person, partnership: Partnership) -> list[todo.ToDo]:
    return todo.items_for(person, partnership, only=[kinds.AGENCY_REPORT])


def _ask(case: ChildDeath, agency: Agency, coordinator: Person) -> tuple[AgencyReport, str]:
    return services.agency_report_request(
        case=case, agency=agency, contact_name="Sam Contact", contact_email=CONTACT, by=coordinator
    )


@pytest.fixture
def contact(make_person: Callable[..., Person], other_agency: Agency) -> Person:
    # The contact works for another agency, as a learner: the e-mail makes it theirs.
    return make_person("learner", agency=other_agency, email=CONTACT, full_name="Sam Contact")


def test_kind_is_registered() -> None:
    assert kinds.AGENCY_REPORT in {k.key for k in todo.kinds()}


def test_the_form_is_the_agency_leads_and_the_contacts_until_received(
    case: ChildDeath,
    agency: Agency,
    coordinator: Person,
    lead: Person,
    contact: Person,
    panel_member: Person,
    make_person: Callable[..., Person],
    other_agency: Agency,
    business_unit: Person,
    other_partnership: Partnership,
) -> None:
    report, token = _ask(case, agency, coordinator)
    for person in (lead, contact):
        (item,) = _items(person, case.partnership)
        assert item.url == f"/cdop/reports/{report.pk}/send-link/"
        assert item.due_on == report.due_on
        assert item.title == (
            f"Send the child death reporting form for case {case.reference} "
            "(Harrowmere Children's Services)"
        )
        assert "Amelie" not in item.title + item.hint + item.subject_label
    # another agency's lead, the coordinator, a panel member who leads no asked agency,
    # the business unit: not theirs
    police_lead = make_person("safeguarding_lead", agency=other_agency)
    for person in (police_lead, coordinator, business_unit):
        assert _items(person, case.partnership) == []
    assert _items(lead, other_partnership) == []
    # the same e-mail address without a role in the partnership gets nothing there
    assert _items(contact, other_partnership) == []

    services.agency_report_submit(
        token=token, answers={"involvement": "Health visiting."}, completed_by="Sam, HV"
    )
    for person in (lead, contact, panel_member):
        assert _items(person, case.partnership) == []


def test_a_withdrawn_form_is_no_longer_anyones(
    case: ChildDeath, agency: Agency, coordinator: Person, lead: Person
) -> None:
    report, _token = _ask(case, agency, coordinator)
    assert len(_items(lead, case.partnership)) == 1
    services.agency_report_withdraw(report=report, by=coordinator)
    assert _items(lead, case.partnership) == []


def test_the_page_sends_a_new_link_to_the_contact(
    case: ChildDeath,
    agency: Agency,
    coordinator: Person,
    lead: Person,
    contact: Person,
    make_person: Callable[..., Person],
    other_agency: Agency,
    client_for: Callable[[Person], Client],
) -> None:
    report, old = _ask(case, agency, coordinator)
    due = report.due_on
    url = reverse("cdop:agencyreport_send_link", args=[report.pk])
    c = client_for(lead)
    page = c.get(url).content.decode()
    assert case.reference in page and "Sam Contact" in page and CONTACT in page
    assert "Amelie" not in page and "Testcase" not in page
    assert 'name="csrfmiddlewaretoken"' in page

    response = c.post(url, {})
    assert response.status_code == 302 and response["Location"] == url
    report.refresh_from_db()
    assert services.report_for_token(old) is None  # the old link stops working
    assert report.due_on == due  # the due date is the coordinator's to change
    mails = OutboundEmail.objects.filter(to=CONTACT).order_by("pk")
    assert mails.count() == 2 and "replaces the one sent before" in mails.last().body
    assert client_for(contact).post(url, {}).status_code == 302
    assert OutboundEmail.objects.filter(to=CONTACT).count() == 3

    # Another agency's lead does not see the request: not found. The coordinator sees it but
    # does not send from this page (they resend from the form's own page): forbidden, as
    # ADR 0007 says for someone who sees a record but may not take the step.
    police_lead = make_person("safeguarding_lead", agency=other_agency)
    assert client_for(police_lead).get(url).status_code == 404
    assert client_for(coordinator).post(url, {}).status_code == 403
    assert OutboundEmail.objects.filter(to=CONTACT).count() == 3


def test_no_link_is_sent_once_the_form_has_arrived(
    case: ChildDeath,
    agency: Agency,
    coordinator: Person,
    lead: Person,
    client_for: Callable[[Person], Client],
) -> None:
    report, token = _ask(case, agency, coordinator)
    services.agency_report_submit(token=token, answers={"involvement": "Seen."}, completed_by="S")
    url = reverse("cdop:agencyreport_send_link", args=[report.pk])
    c = client_for(lead)
    page = c.get(url).content.decode()
    assert "no longer awaited" in page and "Send the link again" not in page
    response = c.post(url, {})
    assert response.status_code == 200 and "no link was sent" in response.content.decode()
    assert OutboundEmail.objects.filter(to=CONTACT).count() == 1


def test_one_query_however_many_forms(
    partnership: Partnership,
    case: ChildDeath,
    agency: Agency,
    coordinator: Person,
    lead: Person,
    contact: Person,
    django_assert_max_num_queries: Any,
) -> None:
    cases = [case]
    for size in (1, 4):
        while AgencyReport.objects.count() < size:
            n = AgencyReport.objects.count()
            if n >= len(cases):
                cases.append(
                    services.childdeath_notify(
                        partnership=partnership,
                        by=coordinator,
                        notifier_name="Dr Nadia Test",
                        notifier_email="nadia@example.test",
                        first_name=f"Child{n}",
                        family_name="Testcase",
                        date_of_death=dt.date(2025, 3, 10),
                        expected="expected",
                        notified_on=dt.date(2025, 3, 11),
                    )
                )
            _ask(cases[n], agency, coordinator)
        for person in (lead, contact):
            assignments_for(person)
            with django_assert_max_num_queries(1):
                shown = [(i.title, i.url, i.hint) for i in _items(person, partnership)]
            assert len(shown) == size


def test_someone_else_with_the_role_but_not_the_email_sees_nothing(
    case: ChildDeath, agency: Agency, coordinator: Person, partnership: Partnership
) -> None:
    _ask(case, agency, coordinator)
    stranger = person_with_role("learner", partnership, email="someone.else@example.test")
    assert _items(stranger, partnership) == []
