"""Service navigation: eight areas, as the people who use LIFT think of their work, each
with a landing page at its prefix that says what the area is for, lists the sections the
person may open and what needs doing there. Each app registers its sections (the pages a
menu links to) with the roles that see them; a section whose page is a list is shown only
to those its model's access policy lets see the list, so no link leads to a 403."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
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
    area: str = ""
    text: str = ""  # one line on the area's landing page
    # Who may open the page when it is not a list (a list asks its model's policy).
    check: Callable[[Any, Any], bool] | None = None


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    path: str  # the landing page (or the area's own first page)
    intro: str
    order: int
    apps: frozenset[str] = frozenset()  # whose to-do steps belong here
    in_menu: bool = True


AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area("work", "My work", "/", "", 0),
        Area(
            "learning",
            "Actions and learning",
            "/learning/",
            "What the partnership has learned, from its reviews, audits and inspections and "
            "from elsewhere, and the actions agencies are taking because of it, until their "
            "impact is verified.",
            10,
            frozenset({"learning"}),
        ),
        Area(
            "reviews",
            "Reviews",
            "/reviews/",
            "Serious incidents, the Chair's decisions, case reviews and their letters.",
            20,
            frozenset({"reviews"}),
        ),
        Area(
            "quality",
            "Quality assurance",
            "/quality/",
            "How well agencies work to safeguard children: multi-agency and single-agency "
            "audits, Section 11 self-assessments and inspections.",
            30,
            frozenset({"audits", "section11", "inspections"}),
        ),
        Area(
            "training",
            "Training",
            "/training/",
            "Multi-agency training, bookings, evaluation and impact.",
            40,
            frozenset({"training"}),
        ),
        Area(
            "cdop",
            "Child deaths",
            "/cdop/",
            "The child death overview panel: notifications, cases, the panel's reviews and "
            "what it reports.",
            50,
            frozenset({"cdop"}),
        ),
        Area(
            "board",
            "Board",
            "/board/",
            "The Board, its sub-groups and meetings, the business plan, the annual report and "
            "the voice of young people.",
            60,
            frozenset({"governance", "reports", "voice"}),
        ),
        Area(
            "data",
            "Data",
            "/data/",
            "The partnership's performance data, its agencies and people, and the history of "
            "every change.",
            70,
            frozenset({"performance", "core"}),
        ),
        Area(
            "reports",
            "Reports",
            "/reports/",
            "What the partnership reports to the Board and the public: the annual report and "
            "the reports of each area.",
            65,
            in_menu=False,
        ),
    )
}
# Where each app's sections go, unless a section names its area.
AREA_OF_APP = {
    "core": "data",
    "learning": "learning",
    "reviews": "reviews",
    "audits": "quality",
    "section11": "quality",
    "inspections": "quality",
    "training": "training",
    "cdop": "cdop",
    "governance": "board",
    "reports": "board",
    "voice": "board",
    "performance": "data",
}

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
    area: str | None = None,
    text: str = "",
    check: Callable[[Any, Any], bool] | None = None,
) -> None:
    """A section of an area: `url_name` its page, `roles` who see it (None: everyone signed
    in), `text` its line on the area's landing page. A list page is further narrowed by its
    model's access policy; another page by `check(user, partnership)`, the test it makes."""
    try:
        path = reverse(url_name)
    except NoReverseMatch:
        path = ""
    area_key = area or AREA_OF_APP.get(url_name.split(":")[0], "data")
    assert area_key in AREAS, f"No area {area_key!r} for {url_name}"
    _items[url_name] = NavItem(
        label,
        url_name,
        frozenset(roles) if roles is not None else None,
        order,
        prefix or path,
        area_key,
        text,
        check,
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


def _list_model(url: str) -> Any:
    """The model of the list page at `url` (an ObjectListView), or None."""
    from .views.generic import ObjectListView

    try:
        view_class = getattr(resolve(url).func, "view_class", None)
    except Resolver404:
        return None
    if isinstance(view_class, type) and issubclass(view_class, ObjectListView):
        return view_class.model
    return None


def may_open(request: Any, url: str) -> bool:
    """Would the page at `url` open for the person, rather than answer 403? For a list page
    the answer its model's access policy gives (the list asks the same before showing);
    other pages are not known to refuse (a link to them is the page's own to judge)."""
    user = request.user
    if not user.is_authenticated:
        return False
    access = getattr(_list_model(url), "access", None)
    return access is None or access.allows_any(user, "view", getattr(request, "partnership", None))


def sections_for(request: Any, area: str | None = None) -> list[dict[str, Any]]:
    """The sections the person may open (of one area, or all), in order."""
    user = request.user
    if not user.is_authenticated:
        return []
    partnership = getattr(request, "partnership", None)
    held = roles_in(user, partnership) if partnership else set()
    out = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.label)):
        if area is not None and item.area != area:
            continue
        if item.roles is not None and not (user.is_superuser or held & item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        within = item.url_name.removeprefix("core:area_")  # a landing page within the area
        if within != item.url_name and not sections_for(request, within):
            continue
        if not may_open(request, url):
            continue  # the list would answer 403
        if item.check is not None and not item.check(user, partnership):
            continue
        out.append({"item": item, "label": item.label, "url": url, "text": item.text})
    return out


def items_for(request: Any) -> list[dict[str, Any]]:
    """The service navigation: the areas in which the person may open a section."""
    user = request.user
    if not user.is_authenticated:
        return []
    sections = sections_for(request)
    by_area: dict[str, list[dict[str, Any]]] = {}
    for section in sections:
        by_area.setdefault(section["item"].area, []).append(section)
    path = request.path
    out = []
    for area in sorted(AREAS.values(), key=lambda a: a.order):
        if not area.in_menu:
            continue
        if area.key == "work":
            entry: dict[str, Any] = {
                "label": area.label,
                "url": "/",
                "active": path == "/" or path.startswith("/todo/"),
                "count": _todo_count(request),
            }
            out.append(entry)
            continue
        mine = by_area.get(area.key, [])
        if not mine:
            continue
        prefixes = [area.path] + [s["item"].prefix for s in mine if s["item"].prefix]
        if area.key == "board":
            prefixes.append(AREAS["reports"].path)
        out.append(
            {
                "label": area.label,
                "url": area.path,
                "active": any(p != "/" and path.startswith(p) for p in prefixes),
            }
        )
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
    register(
        "Agencies",
        "core:agency_list",
        roles=r.EVERYONE,
        order=90,
        text="The partner agencies and their safeguarding leads.",
    )
    register(
        "People",
        "core:person_list",
        roles=r.ADMINS | {r.R.CHAIR, r.R.SAFEGUARDING_LEAD},
        order=91,
        text="Who uses LIFT, their roles, and inviting someone new.",
    )
    register(
        "History",
        "core:history",
        roles=r.ADMINS | {r.R.CHAIR},
        order=99,
        text="Every change to every record: who, when and why.",
    )
    from . import panels

    register_home_panel(panels.my_deadlines, order=20)
    register_home_panel(panels.my_notifications, order=90)
    register_home_panel(panels.background_work, order=95, cached=False)  # the heartbeat
