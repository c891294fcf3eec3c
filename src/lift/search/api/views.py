"""/api/v1/search/?q=: the same search as /search/, with the same filters and results."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ..forms import SearchForm
from ..kinds import AREAS
from ..selectors import Result, results, search


class SearchResultSerializer(serializers.Serializer):
    """One record found."""

    kind = serializers.CharField(help_text="The kind of record, e.g. learning.finding.")
    kind_label = serializers.CharField()
    area = serializers.CharField()
    area_label = serializers.CharField()
    id = serializers.IntegerField(help_text="The record's id in its own API and pages.")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The record's page.")
    dated_on = serializers.DateField(allow_null=True)
    rank = serializers.FloatField(help_text="How well it matches (higher is better).")
    snippet = serializers.CharField(help_text="A passage of its text around the words found.")
    snippet_html = serializers.CharField(
        help_text="The passage as HTML: text escaped, the words found in <mark>."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        r: Result = instance
        return {
            "kind": r.kind,
            "kind_label": r.kind_label,
            "area": r.area,
            "area_label": r.area_label,
            "id": r.object_id,
            "title": r.title,
            "url": r.url,
            "dated_on": r.dated_on.isoformat() if r.dated_on else None,
            "rank": r.rank,
            "snippet": r.snippet,
            "snippet_html": str(r.snippet_html),
        }


FILTERS = [
    OpenApiParameter("q", str, required=True, description="The words to find (all must match)."),
    OpenApiParameter("area", str, enum=[a for a, _ in AREAS], description="Only this area."),
    OpenApiParameter("theme", int, description="Only records with this theme (its id)."),
    OpenApiParameter("agency", int, description="Only records of this agency (its id)."),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="From this date (YYYY-MM-DD)."),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="To this date (YYYY-MM-DD)."),
]


class SearchViewSet(viewsets.GenericViewSet):
    """Search the records you may view in the partnership, best match first."""

    serializer_class = SearchResultSerializer
    # Signed in with a partnership (the default RestrictedPermission); each kind's records
    # come from its own restrict(view) in the selector.
    filter_backends: list[Any] = []  # filtered by the page's form

    @extend_schema(parameters=FILTERS, responses=SearchResultSerializer(many=True))
    def list(self, request: Request) -> Response:
        """Records matching every word of `q`, ranked, each with a snippet; the same
        filters as the search page (dates as YYYY-MM-DD). Only records you may view."""
        form = SearchForm(request.query_params, user=request.user, partnership=request.partnership)  # type: ignore[attr-defined]
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors.get_json_data())
        if not (form.cleaned_data.get("q") or "").strip():
            raise exceptions.ValidationError({"q": [{"message": "Enter words to search for."}]})
        filters = form.filters()
        qs = search(request.user, request.partnership, **filters)  # type: ignore[attr-defined]
        page = self.paginate_queryset(qs)
        entries = page if page is not None else list(qs)
        data = SearchResultSerializer(results(entries, filters["query"]), many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)
