"""The name django-axes counts failed sign-ins under (settings.AXES_USERNAME_CALLABLE).

E-mail addresses are stored lower-case (Person.save) and signing in ignores letter case, so
"Lena@X", "LENA@x" and "lena@x" are one account. Axes counted the name exactly as posted,
which gave every spelling its own five tries; counting the stripped, lower-cased name makes
them share one count. The password reset's axes_reset(username=person.get_username()) passes
the stored (already lower-case) address, so it lifts the same count.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def normalised_username(value: object) -> str:
    """The form of a sign-in name that failures are counted under."""
    return str(value or "").strip().lower()


def username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The posted (or authenticated) username, stripped and lower-cased."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return normalised_username(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", None) or {}
    return normalised_username(data.get(field))
