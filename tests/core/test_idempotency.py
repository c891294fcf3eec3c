"""Each form is accepted once: a single-use token in every POST form, claimed in the
database by the first submission (issue 17 item 13)."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from lift.core import idempotency, tasks
from lift.core.models import Agency, FormSubmission, Partnership, Person
from lift.learning.models import Finding, Theme

pytestmark = pytest.mark.django_db

ADD = "/findings/add/"
TOKEN = re.compile(r'name="lift_form_token" value="([^"]+)"')


def token_of(page: bytes) -> str:
    found = TOKEN.findall(page.decode())
    assert len(found) == 1, found
    return found[0]


def finding_data(token: str | None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Fathers not seen",
        "text": "Assessments rarely included fathers.",
        "kind": "improvement",
        "identified_on": "2025-02-01",
        "themes": [Theme.objects.get(code="neglect").pk],
    }
    if token is not None:
        data[idempotency.FIELD] = token
    data.update(changes)
    return data


def test_the_same_form_sent_twice_makes_one_finding(
    business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    token = token_of(c.get(ADD).content)
    first = c.post(ADD, finding_data(token))
    assert first.status_code == 302
    finding = Finding.objects.get(title="Fathers not seen")
    assert first["Location"] == finding.get_absolute_url()
    again = c.post(ADD, finding_data(token), follow=True)
    assert Finding.objects.filter(title="Fathers not seen").count() == 1
    assert again.redirect_chain == [(finding.get_absolute_url(), 302)]
    assert idempotency.ALREADY_SENT in again.content.decode()


def test_a_repeat_while_the_first_is_being_saved_is_refused(
    business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    """Two at once: the first has claimed the token and is still saving (so where it went
    is not known yet); the second is not run."""
    c = client_for(business_unit)
    token = token_of(c.get(ADD).content)
    assert idempotency.claim(token, business_unit)
    response = c.post(ADD, finding_data(token))
    assert response.status_code == 409
    page = response.content.decode()
    assert "This form was already sent" in page and f'href="{ADD}"' in page
    assert not Finding.objects.exists()


def test_someone_elses_token_never_sends_them_where_it_went(
    business_unit: Person, chair: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    token = token_of(c.get(ADD).content)
    assert c.post(ADD, finding_data(token)).status_code == 302
    other = client_for(chair).post(ADD, finding_data(token))
    assert other.status_code == 409
    assert Finding.objects.count() == 1


def test_a_form_with_errors_gives_its_token_back(
    business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    token = token_of(c.get(ADD).content)
    wrong = c.post(ADD, finding_data(token, title=""))
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    assert not FormSubmission.objects.filter(token=token).exists()
    # The page shown again carries a new token; the old one still works too.
    assert token_of(wrong.content) != token
    assert c.post(ADD, finding_data(token)).status_code == 302
    assert Finding.objects.count() == 1


def test_a_form_sent_without_a_token_works_as_before(
    business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    c = client_for(business_unit)
    assert c.post(ADD, finding_data(None)).status_code == 302
    assert c.post(ADD, finding_data(None)).status_code == 302
    assert Finding.objects.count() == 2
    assert not FormSubmission.objects.exists()
    # Nor is anything that is not one of our tokens claimed.
    assert c.post(ADD, finding_data("<script>")).status_code == 302
    assert not FormSubmission.objects.exists()


def test_the_api_is_not_affected(business_unit: Person, client_for: Callable[..., Client]) -> None:
    c = client_for(business_unit)
    for name in ("Api agency", "Another api agency"):
        data = {"name": name, "agency_type": "police", idempotency.FIELD: "x" * 32}
        assert c.post("/api/v1/agencies/", data).status_code == 201
    assert Agency.objects.filter(name__contains="pi agency").count() == 2
    assert not FormSubmission.objects.exists()


def test_a_forged_request_claims_nothing(
    business_unit: Person, client_for: Callable[[Person], Client]
) -> None:
    token = token_of(client_for(business_unit).get(ADD).content)
    c = Client(enforce_csrf_checks=True)
    c.force_login(business_unit)
    assert c.post(ADD, finding_data(token)).status_code == 403
    assert not FormSubmission.objects.exists()


def test_every_post_form_carries_a_token(
    partnership: Partnership,
    agency: Agency,
    business_unit: Person,
    client_for: Callable[[Person], Client],
) -> None:
    c = client_for(business_unit)
    finding = c.post(ADD, finding_data(None))
    pages = [
        ADD,
        finding["Location"] + "edit/",
        "/themes/add/",
        "/agencies/add/",
        f"/agencies/{agency.pk}/edit/",
        f"/agencies/{agency.pk}/delete/",
        "/incidents/add/",
        "/roles/add/",
        "/accounts/api-token/",
    ]
    checked = 0
    for url in pages:
        response = c.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        forms = re.findall(r"<form\b[^>]*>.*?</form>", page, flags=re.S | re.I)
        posts = [f for f in forms if re.search(r'method="post"', f, re.I)]
        # Signing out is the one POST form left out: repeating it is harmless.
        posts = [f for f in posts if 'action="/accounts/logout/"' not in f]
        assert posts, url
        for form in posts:
            assert 'name="lift_form_token"' in form, (url, form[:200])
            checked += 1
    assert checked >= len(pages)
    public = Client().get("/public/notify-child-death/").content.decode()
    assert 'name="lift_form_token"' in public


def test_the_tick_forgets_tokens_after_a_day(business_unit: Person) -> None:
    old = FormSubmission.objects.create(token="o" * 32, person=business_unit)
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1, minutes=1)
    )
    recent = FormSubmission.objects.create(token="r" * 32, person=business_unit)
    assert tasks.tick()["form_tokens"] == 1
    assert list(FormSubmission.objects.all()) == [recent]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_submissions_at_once_make_one_finding(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lift.learning import services
    from tests.factories import PartnershipFactory, person_with_role

    partnership = PartnershipFactory(name="Race Partnership", short_name="Race", slug="race")
    person = person_with_role("business_unit", partnership, full_name="Bea Business")
    page = Client()
    page.force_login(person)
    token = token_of(page.get(ADD).content)
    data = finding_data(token)
    create = services.finding_create

    def slow_create(**kwargs: Any) -> Any:
        time.sleep(0.5)  # both requests are in flight at once
        return create(**kwargs)

    monkeypatch.setattr(services, "finding_create", slow_create)
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            c = Client()
            c.force_login(person)
            barrier.wait(timeout=10)
            statuses.append(c.post(ADD, data).status_code)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(statuses) == [302, 409]
    assert Finding.objects.filter(partnership=partnership).count() == 1
