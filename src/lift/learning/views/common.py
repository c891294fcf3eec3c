"""Helpers shared by the learning pages."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch


def source_of(obj: Any) -> dict[str, Any] | None:
    """The source of a finding, recommendation or action, for display: its name, its area
    and a link to it when it has a page."""
    if getattr(obj, "source_type_id", None) is None:
        return None
    source = obj.source
    area = obj.source_area
    if source is None:
        return {"label": "(removed)", "area": area, "url": None}
    url = None
    get_url = getattr(source, "get_absolute_url", None)
    if get_url is not None:
        try:
            url = get_url()
        except NoReverseMatch:
            url = None
    return {
        "label": str(source),
        "area": area,
        "kind": str(source._meta.verbose_name).capitalize(),
        "url": url,
    }
