"""Issue 17, finding 3: the sign-in lockout counts an address in every letter case as one.

django-axes counted the name as posted, so "Lou@X" and "LOU@x" each had five tries of their
own; lift.core.axes.username (AXES_USERNAME_CALLABLE) strips and lower-cases it first.
"""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client, RequestFactory

from lift.core.axes import username
from lift.core.models import Person
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def case_variants(email: str) -> list[str]:
    """Seven spellings of one address, no two alike (the last is the stored one)."""
    upper = [i for i, c in enumerate(email) if c.isalpha()]

    def spelled(positions: list[int]) -> str:
        return "".join(c.upper() if i in positions else c for i, c in enumerate(email))

    return [
        spelled(upper[:1]),
        spelled(upper),
        spelled(upper[::2]),
        " " + spelled(upper[1::2]) + " ",
        spelled(upper[-3:]),
        spelled(upper[:3]),
        email,
    ]


def sign_in(client: Client, email: str, password: str) -> int:
    return client.post(LOGIN, {"username": email, "password": password}).status_code


def test_every_letter_case_shares_one_count(client: Client, learner: Person) -> None:
    spellings = case_variants(learner.email)
    assert len(set(spellings)) == len(spellings)
    # Four wrong tries are answered as wrong; the fifth locks the account.
    assert [sign_in(client, s, "wrong-password-xx") for s in spellings[:4]] == [200] * 4
    assert sign_in(client, spellings[4], "wrong-password-xx") == 429
    # The sixth try, with the right password in yet another spelling, is still locked out.
    assert sign_in(client, spellings[5], PASSWORD) == 429
    assert sign_in(client, spellings[6], PASSWORD) == 429
    assert client.session.get("_auth_user_id") is None


def test_password_reset_lifts_a_lockout_made_in_mixed_case(client: Client, learner: Person) -> None:
    for spelling in case_variants(learner.email)[:5]:
        sign_in(client, spelling, "wrong-password-xx")
    assert sign_in(client, learner.email, PASSWORD) == 429
    client.post("/accounts/password-reset/", {"email": learner.email.upper()})
    match = re.search(
        r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[-1].body)
    )
    assert match
    form_url = client.get(match.group(1))["Location"]
    new = "amber-pylon-harbour-17"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert sign_in(Client(), learner.email.title(), new) == 302


def test_the_counted_name_is_stripped_and_lower_cased(rf: RequestFactory) -> None:
    request = rf.post(LOGIN, {"username": "  Lou.Learner@Example.ORG "})
    assert username(request, None) == "lou.learner@example.org"
    assert username(request, {"username": "LOU@X"}) == "lou@x"
    assert username(rf.post(LOGIN, {}), None) == ""
