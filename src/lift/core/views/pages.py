"""The home page ("my work") and the probes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import navigation
from ..access import roles_in
from ..roles import Role
from .generic import LiftView


class HomeView(LiftView):
    permission = "view"
    title = "My work"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        held = roles_in(request.user, self.partnership)
        context = {
            "title": self.title,
            "panels": navigation.home_panels(request),
            "role_labels": [label.lower() for value, label in Role.choices if value in held],
        }
        return render(request, "core/home.html", context)


@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


healthz.public = True  # type: ignore[attr-defined]


@never_cache
@login_not_required
def readyz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


readyz.public = True  # type: ignore[attr-defined]
