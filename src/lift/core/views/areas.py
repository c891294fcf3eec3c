"""The landing page of each area of the service navigation (`lift.core.navigation.AREAS`):
what the area is for, the sections the person may open, and what needs doing there."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import navigation, todo
from .generic import LiftView


class AreaView(LiftView):
    """An area's landing page. A person who may open none of its sections gets 403, as for a
    list they may not see at all (ADR 0007)."""

    permission = "view"
    area: str = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        area = navigation.AREAS.get(self.area)
        if area is None or area.key == "work":
            raise Http404("No such area.")
        sections = navigation.sections_for(request, area.key)
        if not sections:
            raise PermissionDenied
        steps = [
            step
            for step in todo.items_for(request.user, self.partnership, cached=True)
            if step.kind.split(".")[0] in area.apps
        ]
        context = {
            "title": area.label,
            "area": area,
            "sections": sections,
            "todo_groups": todo.group_by_when(steps[:20]),
            "todo_count": len(steps),
        }
        return render(request, "core/area.html", context)


def area_urls() -> list[Any]:
    """`/learning/`, `/quality/`, `/cdop/`, `/board/`, `/reports/`, `/data/`: one landing
    page each, named `core:area_<key>` (areas whose first page is their own, such as
    /reviews/ and /training/, keep it)."""
    from django.urls import path

    own_pages = {"work", "reviews", "training"}
    return [
        path(
            area.path.lstrip("/"),
            AreaView.as_view(area=area.key),
            name=f"area_{area.key}",
        )
        for area in navigation.AREAS.values()
        if area.key not in own_pages
    ]
