"""The API applies the same access policies as the web pages."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def action_for(request: Any, view: Any) -> str:
    custom = getattr(view, "permission_action", None)
    if isinstance(custom, dict):
        custom = custom.get(getattr(view, "action", None))
    if custom:
        return str(custom)
    if request.method in SAFE_METHODS:
        return "view"
    return METHOD_ACTIONS.get(request.method, "change")


PARTNERSHIP_HEADER = "HTTP_X_LIFT_PARTNERSHIP"


def ensure_partnership(request: Any) -> None:
    """The partnership an API request works in: the one named in the X-Lift-Partnership
    header, which must be the id of a partnership the person holds a role in (anything else
    is a 400 or a 404, never a silent fallback to another partnership); without the header,
    the session's partnership or the person's first."""
    from ..middleware import partnerships_for

    wanted = request.META.get(PARTNERSHIP_HEADER)
    if wanted is None:
        if getattr(request, "partnership", None) is None:
            available = partnerships_for(request.user)
            request.partnership = available[0] if available else None
            request._request.partnership = request.partnership
        return
    if not wanted.strip().isdigit():
        raise exceptions.ParseError(
            "X-Lift-Partnership must be the number of a partnership you hold a role in."
        )
    chosen = next((p for p in partnerships_for(request.user) if p.pk == int(wanted)), None)
    if chosen is None:
        raise exceptions.NotFound(
            "You hold no role in a partnership with the number given in X-Lift-Partnership."
        )
    request.partnership = chosen
    request._request.partnership = chosen


class RestrictedPermission(BasePermission):
    """Signed in, with a partnership, and (for create) allowed to add there. Object access
    is decided by the viewset's restricted queryset: anything else is a 404."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        ensure_partnership(request)
        if getattr(request, "partnership", None) is None and not request.user.is_superuser:
            return False
        if request.method == "POST" and getattr(view, "action", None) == "create":
            model = view.get_queryset().model
            return bool(model.access.allows(request.user, "add", request.partnership))
        return True
