"""A person's API token: create, see once, replace or revoke; it expires."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from ..identity import (
    api_token_create,
    api_token_days,
    api_token_expires,
    api_token_revoke,
    session_fully_verified,
)
from .generic import LiftView


class ApiTokenView(LiftView):
    """The token carries the person's own permissions: the API applies the same restrict()
    as the pages. The key is shown once, when it is made; only a hint is kept on screen.

    Only a session that has passed its second factor (where the person has or needs one)
    reaches this page: a token made from a password alone would skip the second factor.
    """

    permission = "view"
    title = "API access"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not session_fully_verified(request):
            return HttpResponseRedirect(f"{reverse('accounts:mfa')}?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person: Any = request.user
        token = Token.objects.filter(user=person).first()
        new_key = request.session.pop("lift_new_api_token", None)
        expires = api_token_expires(token) if token else None
        context = {
            "title": self.title,
            "token": token,
            "new_key": new_key,
            "hint": f"…{token.key[-4:]}" if token else "",
            "expires": expires,
            "expired": bool(expires and expires <= timezone.now()),
            "days": api_token_days(),
            "docs_url": reverse("api:docs"),
        }
        response = render(request, "core/api_token.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            api_token_revoke(person=request.user)
            messages.success(request, "Your API token was revoked.")
        else:
            token = api_token_create(request=request)
            request.session["lift_new_api_token"] = token.key
            messages.success(request, "A new API token was made. Copy it now.")
        return HttpResponseRedirect(reverse("accounts:api_token"))
