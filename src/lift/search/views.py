"""/search/: one search over every area's records the person may view."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lift.core.views.generic import LiftView

from .forms import SearchForm
from .selectors import results, search

PER_PAGE = 20


class SearchView(LiftView):
    """Findings, recommendations, actions, reviews, audits, Section 11 returns, inspections,
    library items, meetings, decisions, courses and consultations, ranked by how well they
    match, each with a passage showing the words found."""

    permission = "view"
    title = "Search"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SearchForm(request.GET or None, user=self.me, partnership=self.partnership)
        context: dict[str, Any] = {"title": self.title, "form": form, "searched": False}
        if form.is_bound and form.is_valid() and (form.cleaned_data.get("q") or "").strip():
            filters = form.filters()
            qs = search(self.me, self.partnership, **filters)
            page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
            context.update(
                searched=True,
                query=filters["query"],
                page_obj=page,
                results=results(list(page.object_list), filters["query"]),
            )
        return render(request, "search/search.html", context)
