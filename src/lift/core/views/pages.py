"""The home page ("my work") and the probes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import navigation, pending, todo
from ..access import roles_in
from ..ops.readiness import readiness
from ..roles import Role
from .generic import LiftView

# Items shown on "My work"; the rest are on /todo/ (with its filters and export).
HOME_TODO_LIMIT = 30
ALL_ON_THE_LIST = "Everything here is on your to-do list above."


def without_todo_lines(panels: list[Any], items: list[todo.ToDo]) -> list[Any]:
    """The panels without the lines the to-do list already shows: a line linking to a
    step's page or to the record a step concerns (a "Decision needed" notification, an
    overdue action in "My actions"), so no step is listed twice on the page. A panel left
    with no line says so; panels drawn by their own template are kept as they are."""
    taken = {item.url for item in items} | {item.subject_url for item in items}
    taken.discard("")
    if not taken:
        return panels
    out = []
    for panel in panels:
        if not isinstance(panel, dict) or panel.get("template") or not panel.get("items"):
            out.append(panel)
            continue
        kept = [line for line in panel["items"] if line.get("url") not in taken]
        if kept:
            out.append({**panel, "items": kept})
        else:
            out.append({**panel, "items": [], "empty": ALL_ON_THE_LIST})
    return out


class HomeView(LiftView):
    """ "My work": the person's to-do list first, grouped by when each step is due, then
    the areas' panels."""

    permission = "view"
    title = "My work"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        held = roles_in(request.user, self.partnership)
        items = todo.items_for(request.user, self.partnership, cached=True)
        shown = items[:HOME_TODO_LIMIT]
        context = {
            "title": self.title,
            "todo_groups": todo.group_by_when(shown),
            "todo_count": len(items),
            "todo_more": len(items) - len(shown),
            "partnership_todo": pending.may_oversee(request.user, self.partnership),
            "panels": without_todo_lines(navigation.home_panels(request), items),
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
    """The database, the file storage and the task queue (lift.core.ops.readiness): 200 when
    all answer, 503 when one does not, with each check's result, e.g.
    `{"status": "ok", "database": "ok", "storage": "ok", "queue": "ok"}`."""
    ready, checks = readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **checks}, status=200 if ready else 503
    )


readyz.public = True  # type: ignore[attr-defined]
