"""Public pages (no sign-in): published review reports, kept at least 12 months.

One site serves many partnerships, so these pages choose the partnership as the rest of the
public site does: `?partnership=<slug>` (with one partnership it is implied; with more and
none chosen, the list page asks which). A report's page is found by its slug (unique across
partnerships); a `?partnership=` naming another partnership is a 404. Only reports published
and not removed are shown (`selectors.public_reviews`). The pages are cacheable by shared
caches for five minutes when nobody is signed in, as the other public pages are.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from lift.core.models import Partnership
from lift.core.views.public import PublicView

from .. import selectors

LIST_LIMIT = 200
TITLE = "Published case reviews"


def _public_home(partnership: Partnership) -> str | None:
    """The partnership's public home page, when the public site is installed."""
    try:
        url = reverse("reports:public_home")
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode({'partnership': partnership.slug})}"


class PublicReviewListView(PublicView):
    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.chosen()
        if partnership is None:
            return self.choose(
                everyone, TITLE, "Choose a partnership to see the reports it has published."
            )
        reviews = list(selectors.public_reviews().filter(partnership=partnership)[:LIST_LIMIT])
        return self.respond(
            "reviews/public_list.html",
            {
                "title": TITLE,
                "partnership": partnership,
                "reviews": reviews,
                "home_url": _public_home(partnership),
            },
        )


class PublicReviewDetailView(PublicView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        partnership = self.named()
        found = selectors.public_reviews().filter(slug=slug)
        if partnership is not None:
            found = found.filter(partnership=partnership)
        review = found.first()
        if review is None:
            raise Http404
        list_url = reverse("reviews:public_list")
        return self.respond(
            "reviews/public_detail.html",
            {
                "title": review.title,
                "review": review,
                "partnership": review.partnership,
                "list_url": f"{list_url}?{urlencode({'partnership': review.partnership.slug})}",
            },
        )
