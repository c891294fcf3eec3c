"""A person's API token: create, see once, replace or revoke."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from rest_framework.authtoken.models import Token

from .generic import LiftView


class ApiTokenView(LiftView):
    """The token carries the person's own permissions: the API applies the same restrict()
    as the pages. The key is shown once, when it is made; only a hint is kept on screen."""

    permission = "view"
    title = "API access"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person: Any = request.user
        token = Token.objects.filter(user=person).first()
        new_key = request.session.pop("lift_new_api_token", None)
        context = {
            "title": self.title,
            "token": token,
            "new_key": new_key,
            "hint": f"…{token.key[-4:]}" if token else "",
            "docs_url": reverse("api:docs"),
        }
        return render(request, "core/api_token.html", context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person: Any = request.user
        with transaction.atomic():
            Token.objects.filter(user=person).delete()
            if request.POST.get("action") == "revoke":
                messages.success(request, "Your API token was revoked.")
            else:
                token = Token.objects.create(user=person)
                request.session["lift_new_api_token"] = token.key
                messages.success(request, "A new API token was made. Copy it now.")
        return HttpResponseRedirect(reverse("accounts:api_token"))
