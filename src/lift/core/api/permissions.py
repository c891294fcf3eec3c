"""The API applies the same access policies as the web pages."""

from __future__ import annotations

from typing import Any

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
    """A token-authenticated request has no session: its partnership is the one named in the
    X-Lift-Partnership header (an id the person holds a role in) or their first."""
    from ..middleware import partnerships_for

    if getattr(request, "partnership", None) is not None:
        return
    available = partnerships_for(request.user)
    wanted = request.META.get(PARTNERSHIP_HEADER, "")
    chosen = next((p for p in available if str(p.pk) == wanted), None)
    request.partnership = chosen or (available[0] if available else None)
    request._request.partnership = request.partnership


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
