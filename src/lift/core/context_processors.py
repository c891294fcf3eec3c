from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import navigation
from .access import roles_in


def shell(request: HttpRequest) -> dict[str, Any]:
    partnership = getattr(request, "partnership", None)
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "partnership": partnership,
        "nav_items": navigation.items_for(request) if signed_in else [],
        "my_roles": roles_in(user, partnership) if signed_in and partnership else set(),
    }
