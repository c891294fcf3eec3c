"""The search page, the header box and the API: same results, bounded and flat queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lift.core.models import Person
from lift.search.kinds import KINDS

from .conftest import Made, found

pytestmark = pytest.mark.django_db

TEXT = "Practitioners did not see that the children were neglected at home."


def test_anonymous_is_sent_to_sign_in(client: Any) -> None:
    response = client.get("/search/?q=neglect")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/search/?q=neglect").status_code in {401, 403}


def test_header_box_for_signed_in_people_only(
    client: Any, client_for: Callable, business_unit: Person
) -> None:
    page = client_for(business_unit).get("/").content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page
    assert "Search LIFT" in page
    sign_in = client.get("/accounts/login/").content.decode()
    assert "Search LIFT" not in sign_in


def test_page_lists_ranked_results_with_links_and_snippets(
    make: Callable[..., Made], client_for: Callable, business_unit: Person
) -> None:
    made = [make(k.key, TEXT) for k in KINDS]
    response = client_for(business_unit).get("/search/?q=neglected")
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 results for \u2018neglected\u2019" in html
    for m in made:
        assert f'href="{m.obj.get_absolute_url()}"' in html
    assert html.count('<mark class="lift-search__hit">neglected</mark>') == 12
    assert "neglected: Search" in html  # the page title names the search


def test_page_paginates(
    make: Callable[..., Made], client_for: Callable, business_unit: Person, monkeypatch: Any
) -> None:
    from lift.search import views

    monkeypatch.setattr(views, "PER_PAGE", 5)
    for _ in range(12):
        make("learning.finding", TEXT)
    c = client_for(business_unit)
    first = c.get("/search/?q=neglect").content.decode()
    assert 'class="govuk-pagination"' in first and 'aria-label="Page 3"' in first
    third = c.get("/search/?q=neglect&page=3").content.decode()
    assert third.count('<mark class="lift-search__hit">') == 2
    assert '<ol class="govuk-list lift-search-results" start="11">' in third


def test_page_without_words_or_with_bad_dates(client_for: Callable, business_unit: Person):
    c = client_for(business_unit)
    empty = c.get("/search/")
    assert empty.status_code == 200
    assert "You will only see records you are allowed to see" in empty.content.decode()
    bad = c.get(
        "/search/?q=neglect&date_from=2026-05-01&date_to=2026-04-01",
    ).content.decode()
    assert "There is a problem" in bad
    assert "must be the same as or after" in bad
    assert 'value="neglect"' in bad  # nothing typed is lost


def test_page_shows_only_what_the_person_may_see(
    make: Callable[..., Made], client_for: Callable, learner: Person
) -> None:
    action = make("learning.action", TEXT)
    course = make("training.course", TEXT)
    html = client_for(learner).get("/search/?q=neglected").content.decode()
    assert "1 result for" in html
    assert course.obj.get_absolute_url() in html
    assert action.obj.get_absolute_url() not in html


def test_api_gives_the_same_results(
    make: Callable[..., Made],
    client_for: Callable,
    business_unit: Person,
    lead: Person,
    partnership: Any,
) -> None:
    for k in KINDS:
        make(k.key, TEXT)
    for person in (business_unit, lead):
        body = client_for(person).get("/api/v1/search/?q=neglect&page_size=100").json()
        api = {f"{r['kind']}:{r['id']}" for r in body["results"]}
        assert api == found(person, partnership, "neglect")
        assert body["count"] == len(api)
    body = client_for(business_unit).get("/api/v1/search/?q=neglected&area=reviews").json()
    assert [r["kind"] for r in body["results"]] == ["reviews.review"]
    first = body["results"][0]
    assert first["url"].startswith("/reviews/") and "<mark" in first["snippet_html"]
    assert "<mark" not in first["snippet"]


def test_api_refuses_bad_input(client_for: Callable, business_unit: Person) -> None:
    c = client_for(business_unit)
    assert c.get("/api/v1/search/").status_code == 400
    response = c.get("/api/v1/search/?q=x&date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 400
    assert "must be the same as or after" in response.json()["errors"]["date_to"][0]["message"]
    assert c.get("/api/v1/search/?q=x&area=nowhere").status_code == 400


def _queries(c: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_bounded_and_flat(
    make: Callable[..., Made],
    client_for: Callable,
    business_unit: Person,
    lead: Person,
    django_assert_max_num_queries: Callable,
) -> None:
    for k in KINDS:
        make(k.key, TEXT)
    bu, ld = client_for(business_unit), client_for(lead)
    urls = ["/search/?q=neglect", "/api/v1/search/?q=neglect", "/search/?q=neglect&area=learning"]
    small = {}
    for url in urls:
        for name, c in (("bu", bu), ("lead", ld)):
            c.get(url)  # sessions and caches warm
            with django_assert_max_num_queries(20):
                c.get(url)
            small[(url, name)] = _queries(c, url)
    for _ in range(4):
        for k in KINDS:
            make(k.key, TEXT)
    for url in urls:
        for name, c in (("bu", bu), ("lead", ld)):
            assert _queries(c, url) == small[(url, name)], (url, name)
