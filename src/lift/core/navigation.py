"""Service navigation: each app registers its sections with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

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
# Panels that read what the data version does not follow (the worker's heartbeat).
_uncached: set[Callable[[Any], Any]] = set()


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


def register_home_panel(
    panel: Callable[[Any], Any], *, order: int = 50, cached: bool = True
) -> None:
    """A panel is a function of the person, the partnership and the day only (what it shows
    follows the database): its result is kept while nothing is written
    (`core.dataversion`). `cached=False` for a panel showing anything else."""
    if all(p is not panel for _, p in _home_panels):
        _home_panels.append((order, panel))
    if not cached:
        _uncached.add(panel)


def _panel_key(panel: Callable[[Any], Any], request: Any, version: str) -> str:
    partnership = getattr(request, "partnership", None)
    return ":".join(
        (
            "lift:panel",
            version,
            f"{panel.__module__}.{panel.__qualname__}",
            str(request.user.pk),
            str(partnership.pk if partnership is not None else ""),
            timezone.localdate().isoformat(),
        )
    )


def home_panels(request: Any) -> list[Any]:
    """The panels for the person, each read once while the data do not change (all kept
    readings fetched in one round trip to the cache)."""
    from . import dataversion

    panels = [panel for _, panel in sorted(_home_panels, key=lambda item: item[0])]
    caching = request.user.is_authenticated and dataversion.may_cache()
    keys: dict[Callable[[Any], Any], str] = {}
    kept: dict[str, Any] = {}
    if caching:
        version = dataversion.current()  # read before the data
        keys = {p: _panel_key(p, request, version) for p in panels if p not in _uncached}
        kept = cache.get_many(list(keys.values()))
    fresh: dict[str, Any] = {}
    out = []
    for panel in panels:
        key = keys.get(panel)
        if key is not None and key in kept:
            result = kept[key]
        else:
            result = panel(request)
            if key is not None:
                fresh[key] = result
        if result:
            out.append(result)
    if fresh and dataversion.may_cache():
        cache.set_many(fresh, dataversion.TTL)
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
        entry: dict[str, Any] = {"label": item.label, "url": url, "active": active}
        if item.url_name == "core:home":
            entry["count"] = _todo_count(request)
        out.append(entry)
    return out


def _todo_count(request: Any) -> Callable[[], int]:
    """The number of steps on the person's to-do list, for the header's "My work": read when
    the header is drawn, from the list kept while nothing changes (`todo.items_for(...,
    cached=True)`), so a page costs no query for it unless something was written since the
    list was last read. Not counted (0, no badge) while the connection holds uncommitted
    writes, when the list could not be kept."""

    def count() -> int:
        from . import dataversion, todo

        partnership = getattr(request, "partnership", None)
        if partnership is None or not dataversion.may_cache():
            return 0
        return len(todo.items_for(request.user, partnership, cached=True))

    return count


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
    register_home_panel(panels.background_work, order=95, cached=False)  # the heartbeat
