"""Deny by default: every URL pattern's view must declare its permission (or be public),
and every page without arguments sends an anonymous visitor to sign in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import IsAuthenticated

from lift.core.api.permissions import RestrictedPermission
from lift.core.api.viewsets import RestrictedViewSetMixin
from lift.core.views.generic import LiftView

from ..permissions import assert_anonymous_redirect

EXEMPT_PREFIXES = ("admin/", "static/", "__debug__/")


def walk(patterns: Any, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route, p


def all_patterns() -> list[tuple[str, URLPattern]]:
    return [
        (r, p) for r, p in walk(get_resolver().url_patterns) if not r.startswith(EXEMPT_PREFIXES)
    ]


def declared(callback: Any) -> str | None:
    """Why this view is allowed to exist, or None if it declares nothing."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        if getattr(view_class, "public", False):
            return "public"
        if issubclass(view_class, LiftView) and view_class.permission:
            return f"permission {view_class.permission}"
        perms = getattr(view_class, "permission_classes", None) or ()
        if any(issubclass(p, (RestrictedPermission, IsAuthenticated)) for p in perms):
            return "api"
        return None
    cls = getattr(callback, "cls", None)  # DRF viewsets
    if cls is not None:
        if getattr(cls, "public", False):
            return "public"
        if issubclass(cls, RestrictedViewSetMixin) or getattr(
            cls, "_ignore_model_permissions", False
        ):
            return "api"
        perms = getattr(cls, "permission_classes", ())
        if any(issubclass(p, RestrictedPermission) for p in perms):
            return "api"
        return None
    if getattr(callback, "public", False):
        return "public"
    if getattr(callback, "permission", None):
        return f"permission {callback.permission}"
    return None


def test_every_view_declares_a_permission() -> None:
    missing = [route for route, p in all_patterns() if declared(p.callback) is None]
    assert not missing, f"Views without a declared permission: {missing}"


@pytest.mark.django_db
def test_pages_without_arguments_need_sign_in() -> None:
    for route, p in all_patterns():
        if "<" in route or declared(p.callback) == "public" or route.startswith("api/"):
            continue
        if "(?P" in route or "^" in route:
            continue
        assert_anonymous_redirect("/" + route)


@pytest.mark.django_db
def test_api_needs_authentication(client: Any) -> None:
    for route, p in all_patterns():
        if not route.startswith("api/") or "<" in route or "(?P" in route or "^" in route:
            continue
        if declared(p.callback) == "public":
            continue
        response = client.get("/" + route)
        assert response.status_code in (401, 403), f"/{route} gave {response.status_code}"
