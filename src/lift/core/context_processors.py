from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from . import navigation
from .access import assignments_for, roles_in

# The footer's links on every page (lift.core.views.footer), by URL name.
FOOTER_PAGES = (
    ("core:accessibility", "Accessibility statement"),
    ("core:privacy", "Privacy notice"),
    ("core:cookies", "Cookies"),
    ("core:contact", "Contact"),
)


def shell(request: HttpRequest) -> dict[str, Any]:
    partnership = getattr(request, "partnership", None)
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "demo_mode": settings.LIFT_DEMO,
        "footer_pages": FOOTER_PAGES,
        "can_switch_partnership": signed_in
        and len({a.partnership_id for a in assignments_for(user)}) > 1,
        "partnership": partnership,
        "nav_items": navigation.items_for(request) if signed_in else [],
        "my_roles": roles_in(user, partnership) if signed_in and partnership else set(),
    }
