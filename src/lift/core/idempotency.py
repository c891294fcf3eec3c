"""Each form is accepted once (issue 17 item 13).

Two identical submissions at once (a double click, a resend from the back button, the
same page sent from two tabs) used to make two records. Every POST form LIFT renders
carries a hidden single-use token (`{% form_token %}`, next to `{% csrf_token %}`); the
first submission carrying a token claims it in the database (`FormSubmission`, a unique
column: of two at once, exactly one insert succeeds), and any later one is not run: it is
sent where the first went, saying so, or (while the first is still being saved) answers
409 "This form was already sent".

The token is given back when the submission saved nothing, so the person can correct and
resend: a form shown again with its errors (an HTML page, not a redirect) or an error
answer. A redirect (the usual sign of success) or a file made from the form keeps it.

POSTs without the token pass as before: the API (token or session), tests posting data
directly, and the account pages (signing in and out, the second-factor steps, password
reset: repeating them is harmless or guarded by their own single-use codes). Tokens are
forgotten after a day by the tick (`forget_old`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "lift_form_token"
KEEP = dt.timedelta(days=1)
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{16,64}")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ALREADY_SENT = "You already sent this form; it was saved once."


def new_token() -> str:
    return secrets.token_urlsafe(24)


def submitted_token(request: HttpRequest) -> str | None:
    """The well-formed token a form POST carries, or None (none, or not one of ours)."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return None
    if not request.content_type or request.content_type not in _FORM_TYPES:
        return None
    token = request.POST.get(FIELD, "")
    return token if _WELL_FORMED.fullmatch(token) else None


def claim(token: str, person: Any = None) -> bool:
    """Record the token as used; False if it already was (by this request's twin)."""
    from .models import FormSubmission

    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, person=person)
    except IntegrityError:
        return False
    return True


def release(token: str) -> None:
    """The submission saved nothing: the token may be sent again."""
    from .models import FormSubmission

    FormSubmission.objects.filter(token=token).delete()


def forget_old(now: dt.datetime | None = None) -> int:
    """Delete tokens claimed more than a day ago; returns how many."""
    from .models import FormSubmission

    cutoff = (now or timezone.now()) - KEEP
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _saved_nothing(response: HttpResponse) -> bool:
    """The view showed the form again (or failed) rather than acting on it."""
    if 300 <= response.status_code < 400:
        return False
    if response.status_code >= 400:
        return True
    return response.get("Content-Type", "").startswith("text/html")


class FormTokenMiddleware:
    """Claims a form's token before its view runs; refuses a token already claimed.

    Placed after the CSRF, sign-in and messages middleware: a refused or forged request
    claims nothing, and a repeat can be told what happened.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "_lift_form_token", None)
        if token is not None:
            from .models import FormSubmission

            if _saved_nothing(response):
                release(token)
            elif response.status_code in (301, 302, 303, 307, 308):
                location = response.get("Location", "")[:500]
                FormSubmission.objects.filter(token=token).update(location=location)
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        token = submitted_token(request)
        if token is None:
            return None
        user = getattr(request, "user", None)
        person = user if user is not None and user.is_authenticated else None
        if claim(token, person):
            request._lift_form_token = token  # type: ignore[attr-defined]
            return None
        return already_sent(request, token)


def already_sent(request: HttpRequest, token: str) -> HttpResponse:
    """Send a repeat where the first submission went, or say it was already sent."""
    from .models import FormSubmission

    first = FormSubmission.objects.filter(token=token).first()
    user = getattr(request, "user", None)
    person_id = user.pk if user is not None and user.is_authenticated else None
    if (
        first is not None
        and first.location
        and first.person_id == person_id
        and url_has_allowed_host_and_scheme(first.location, allowed_hosts={request.get_host()})
    ):
        messages.info(request, ALREADY_SENT)
        return HttpResponseRedirect(first.location)
    return render(
        request, "core/form_already_sent.html", {"back": request.get_full_path()}, status=409
    )
