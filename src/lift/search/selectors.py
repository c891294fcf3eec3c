"""Reading the index: only the records the person may view, ranked, with snippets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from lift.core.views.generic import has_partnership

from . import backends
from .kinds import BY_KEY, Kind, kinds_in
from .models import SearchEntry


def visible(user: Any, partnership: Any, kinds: Sequence[Kind]) -> Q | None:
    """Entries of the records of `kinds` that `user` may view in `partnership`: for each
    kind, its model's own `restrict(user, "view")` as a subquery, so the whole answer is
    one query however many kinds and hits. None when they may view none of them."""
    clauses: list[Q] = []
    for kind in kinds:
        model = kind.model
        qs = model.objects.restrict(user, "view")  # type: ignore[attr-defined]
        if qs.query.is_empty():
            continue
        if has_partnership(model):
            qs = qs.filter(partnership=partnership)
        clauses.append(Q(kind=kind.key, object_id__in=qs.order_by().values("pk")))
    if not clauses:
        return None
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


def search(
    user: Any,
    partnership: Any,
    *,
    query: str,
    area: str | None = None,
    theme: Any = None,
    agency: Any = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SearchEntry]:
    """Entries matching every word of `query` among the records `user` may view in
    `partnership`, best first (then newest)."""
    terms = backends.words(query)
    allowed = visible(user, partnership, kinds_in(area)) if terms and partnership else None
    if allowed is None:
        return SearchEntry.objects.none()
    qs = SearchEntry.objects.filter(partnership=partnership).filter(allowed)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if agency is not None:
        qs = qs.filter(agencies=agency)
    if date_from is not None:
        qs = qs.filter(dated_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(dated_on__lte=date_to)
    return backends.matching(qs, terms).order_by("-rank", "-dated_on", "kind", "object_id")


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    area: str
    area_label: str
    object_id: int
    title: str
    url: str
    dated_on: dt.date | None
    rank: float
    snippet: str  # plain text
    snippet_html: SafeString  # escaped, the matched words in <mark>


def results(entries: Sequence[SearchEntry], query: str) -> list[Result]:
    """The page's entries as results, with their snippets (one more query)."""
    entries = list(entries)
    found = backends.snippets([e.pk for e in entries], backends.words(query))
    out = []
    for e in entries:
        kind = BY_KEY[e.kind]
        snippet = found.get(e.pk) or e.body[:240]
        out.append(
            Result(
                kind=kind.key,
                kind_label=kind.label,
                area=kind.area,
                area_label=kind.area_label,
                object_id=e.object_id,
                title=e.title,
                url=reverse(kind.url_name, args=[e.object_id]),
                dated_on=e.dated_on,
                rank=float(getattr(e, "rank", 0) or 0),
                snippet=backends.plain(snippet),
                snippet_html=backends.highlighted(snippet),
            )
        )
    return out
