"""Generic permission checks every view gets (as NetBox's testing/views.py gives its models).

    assert_permissions(url, allowed=[lead], not_found=[other_lead, outsider], forbidden=[learner])

checks: anonymous -> sign-in redirect; each allowed person -> 200; each `not_found` person
(outside the scope: another agency, partnership or case team) -> 404; each `forbidden`
person (who may see the record but may not do what the page does) -> 403, the one rule of
ADR 0007.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.test import Client

from lift.core.models import Person


def _client(person: Person | None) -> Client:
    c = Client()
    if person is not None:
        c.force_login(person)
    return c


def assert_anonymous_redirect(url: str, method: str = "get") -> None:
    response = getattr(_client(None), method)(url)
    assert response.status_code == 302, (
        f"anonymous {method.upper()} {url} gave {response.status_code}"
    )
    assert response["Location"].startswith("/accounts/login/"), response["Location"]


def assert_permissions(
    url: str,
    *,
    allowed: Iterable[Person] = (),
    not_found: Iterable[Person] = (),
    forbidden: Iterable[Person] = (),
    method: str = "get",
    data: dict[str, Any] | None = None,
    ok: tuple[int, ...] = (200,),
) -> None:
    assert_anonymous_redirect(url, method)
    for person in allowed:
        response = getattr(_client(person), method)(url, data or {})
        assert response.status_code in ok, (
            f"{person} {method.upper()} {url}: {response.status_code}"
        )
    for person in not_found:
        response = getattr(_client(person), method)(url, data or {})
        assert response.status_code == 404, (
            f"{person} is out of scope for {url} but got {response.status_code}"
        )
    for person in forbidden:
        response = getattr(_client(person), method)(url, data or {})
        assert response.status_code == 403, (
            f"{person} has no permission for {url} but got {response.status_code}"
        )
