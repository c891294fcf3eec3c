"""Request plumbing: the current partnership, history attribution, MFA, headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import history
from .access import assignments_for
from .roles import MFA_ROLES

SESSION_KEY = "lift_partnership_id"
SEEN_KEY = "lift_seen"


class SessionIdleMiddleware:
    """Idle expiry without a session write on every request.

    A session expires SESSION_COOKIE_AGE seconds after it was last saved. Rather than save it
    on every request (SESSION_SAVE_EVERY_REQUEST: three queries per page), activity marks it
    changed at most once every LIFT_SESSION_REFRESH_SECONDS, so a person active on the site
    stays signed in and one idle for the full period (give or take that interval) does not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            seen = session.get(SEEN_KEY)
            if not isinstance(seen, int) or now - seen >= settings.LIFT_SESSION_REFRESH_SECONDS:
                session[SEEN_KEY] = now  # marks it modified: saved, and its expiry renewed
        return self.get_response(request)


class PartnershipMiddleware:
    """Sets `request.partnership`: the partnership the signed-in person is working in.

    A person with roles in several partnerships picks one (kept in the session); pages show
    that partnership's work. Changes are attributed to the person for the change log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.partnership = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.partnership = current_partnership(request)  # type: ignore[attr-defined]
        source = "api" if request.path.startswith("/api/") else "web"
        with history.acting(actor=user if user and user.is_authenticated else None, source=source):
            return self.get_response(request)


def partnerships_for(user: Any) -> list[Any]:
    from .models import Partnership

    ids = {a.partnership_id for a in assignments_for(user)}
    if user.is_superuser and not ids:
        return list(Partnership.objects.all())
    return list(Partnership.objects.filter(pk__in=ids))


def current_partnership(request: HttpRequest) -> Any:
    available = partnerships_for(request.user)
    if not available:
        return None
    wanted = request.session.get(SESSION_KEY)
    for p in available:
        if p.pk == wanted:
            return p
    return available[0]


class MfaRequiredMiddleware:
    """People holding the business unit, chair or CDOP coordinator role must verify a second
    factor before using LIFT; everyone else may choose to, and then must use it.

    Until then a session reaches only the second-factor pages, signing out, and the pages
    that need no sign-in: not the API (by session), not the API token page, not the
    password change page. Anything else answers a redirect to the second-factor page (or
    403 for the API).
    """

    # Pages that need no second factor: files, health checks, the public site, and the
    # footer's pages (lift.core.views.footer), so someone stuck at the second factor can
    # read the accessibility statement and find whom to contact.
    OPEN_PREFIXES = (
        "/static/",
        "/brand/",
        "/healthz",
        "/readyz",
        "/metrics",
        "/public/",
        "/accessibility/",
        "/privacy/",
        "/cookies/",
        "/contact/",
    )
    # The account pages an unverified session may use: setting up or entering a code
    # (which includes the e-mailed set-up link), signing in and out, and the pages reached
    # from an e-mail (password reset, e-mail address confirmation), which prove themselves.
    SECOND_FACTOR_PREFIXES = (
        "/accounts/mfa/",
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/signed-out/",
        "/accounts/password-reset/",
        "/accounts/email/confirm/",
        "/accounts/invitation/",
    )
    ALLOWED_PREFIXES = OPEN_PREFIXES + SECOND_FACTOR_PREFIXES

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.LIFT_ENFORCE_MFA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not user.is_verified()
            and needs_mfa(user)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": "Two-factor verification is required for your role."}, status=403
                )
            target = quote(request.get_full_path(), safe="/")
            return redirect(f"{reverse('accounts:mfa')}?next={target}")
        return self.get_response(request)


def needs_mfa(user: Any) -> bool:
    """Required for the business unit, chair and CDOP roles; anyone who set up an
    authenticator app must use it too (otherwise it could be skipped)."""
    from django_otp import user_has_device

    if user.is_superuser or any(a.role in MFA_ROLES for a in assignments_for(user)):
        return True
    return user_has_device(user)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
