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


class RestrictedPermission(BasePermission):
    """Signed in, with a partnership, and (for create) allowed to add there. Object access
    is decided by the viewset's restricted queryset: anything else is a 404."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(request, "partnership", None) is None and not request.user.is_superuser:
            return False
        if request.method == "POST" and getattr(view, "action", None) == "create":
            model = view.get_queryset().model
            return bool(model.access.allows(request.user, "add", request.partnership))
        return True
