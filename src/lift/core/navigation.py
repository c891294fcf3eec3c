"""Service navigation: each app registers its sections with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from . import roles as r
from .access import roles_in


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: anyone signed in
    order: int
    prefix: str


_items: dict[str, NavItem] = {}

# Panels on the "my work" home page: callables(request) -> dict | None.
_home_panels: list[tuple[int, Callable[[Any], Any]]] = []


def register(
    label: str,
    url_name: str,
    *,
    roles: Iterable[str] | None = None,
    order: int = 50,
    prefix: str | None = None,
) -> None:
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        path = ""
    _items[url_name] = NavItem(
        label,
        url_name,
        frozenset(roles) if roles is not None else None,
        order,
        prefix or path,
    )


def register_home_panel(panel: Callable[[Any], Any], *, order: int = 50) -> None:
    if all(p is not panel for _, p in _home_panels):
        _home_panels.append((order, panel))


def home_panels(request: Any) -> list[Any]:
    out = []
    for _, panel in sorted(_home_panels, key=lambda item: item[0]):
        result = panel(request)
        if result:
            out.append(result)
    return out


def items_for(request: Any) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    held = roles_in(user, request.partnership) if request.partnership else set()
    out = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if item.roles is not None and not (user.is_superuser or held & item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(item.prefix or url)
        out.append({"label": item.label, "url": url, "active": active})
    return out


def register_core() -> None:
    register("My work", "core:home", order=0, prefix="/")
    register("Agencies", "core:agency_list", roles=r.EVERYONE, order=90)
    register(
        "People", "core:person_list", roles=r.ADMINS | {r.R.CHAIR, r.R.SAFEGUARDING_LEAD}, order=91
    )
    register("History", "core:history", roles=r.ADMINS | {r.R.CHAIR}, order=99)
    from . import panels

    register_home_panel(panels.my_deadlines, order=20)
    register_home_panel(panels.my_notifications, order=90)
    register_home_panel(panels.background_work, order=95)
