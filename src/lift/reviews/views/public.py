"""Public pages (no sign-in): published review reports, kept at least 12 months.

One site serves many partnerships, so these pages choose the partnership as the rest of the
public site does: `?partnership=<slug>` (with one partnership it is implied; with more and
none chosen, the list page asks which). A report's page is found by its slug (unique across
partnerships); a `?partnership=` naming another partnership is a 404. Only reports published
and not removed are shown (`selectors.public_reviews`). The pages are cacheable by shared
caches for five minutes when nobody is signed in, as the other public pages are.

A published report and its learning briefing can also be downloaded as accessible (tagged)
PDFs, with the date published and the date the report stays on the site until. Only the
published texts go in them, and only while they pass the publication guard: a text changed
after publication that now holds an identifier from the case's restricted record is shown
nowhere until it is put right.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from lift.core.documents import Callout, Doc, Heading, KeyValue, Para, document_response
from lift.core.models import Partnership
from lift.core.views.public import PublicView, cacheable

from .. import selectors
from ..models import Review

log = logging.getLogger(__name__)

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


# The downloads a published review offers: the report, and its learning briefing if it has
# one.
PARTS = {"report": "The report", "briefing": "Learning briefing"}


def _part_text(review: Review, part: str) -> str:
    return review.report_text if part == "report" else review.briefing_text


def published_doc(review: Review, part: str) -> Doc:
    """The published report (or its learning briefing) as a document: its title, the date
    published, the date it is kept until, and the published texts. Nothing else of the
    review: no reference, no pseudonym field, no restricted record."""
    publication = review.publication
    kept_until = selectors.public_kept_until(review)
    dates: list[tuple[str, object]] = [("Published", publication.published_on)]
    if kept_until is not None:
        dates.append(("Kept on this site until at least", kept_until))
    sections: list[object] = [KeyValue(dates)]
    if part == "report" and publication.public_summary.strip():
        sections += [Heading("Summary", 1), Para(publication.public_summary)]
    sections += [Heading(PARTS[part], 1), Para(_part_text(review, part))]
    concern = review.partnership.report_concern_text
    if concern.strip():
        sections.append(Callout(concern))
    return Doc(
        title=review.title if part == "report" else f"Learning briefing: {review.title}",
        subtitle="A published case review",
        partnership=review.partnership,
        date=publication.published_on,
        sections=sections,  # type: ignore[arg-type]
        toc=False,
    )


class _PublishedReview(PublicView):
    """A published review found by its slug; a `?partnership=` naming another partnership,
    an unpublished or removed review, or texts that no longer pass the guard are a 404."""

    def published(self, slug: str) -> tuple[Review, bool]:
        """The review, and whether its texts pass the publication guard."""
        partnership = self.named()
        found = selectors.public_reviews().filter(slug=slug)
        if partnership is not None:
            found = found.filter(partnership=partnership)
        review = found.first()
        if review is None:
            raise Http404
        clean = selectors.public_texts_pass_guard(review)
        if not clean:
            log.warning("Published review %s withheld: its texts fail the guard", review.pk)
        return review, clean


class PublicReviewDocumentView(_PublishedReview):
    """/public/reviews/<slug>/report.pdf (or briefing.pdf): the published text as a PDF."""

    def get(self, request: HttpRequest, slug: str, part: str) -> HttpResponse:
        if part not in PARTS:
            raise Http404
        review, clean = self.published(slug)
        if not clean or not _part_text(review, part).strip():
            raise Http404
        doc = published_doc(review, part)
        return cacheable(request, document_response(doc, "pdf", doc.title, cached=True))


class PublicReviewDetailView(_PublishedReview):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        review, clean = self.published(slug)
        q = urlencode({"partnership": review.partnership.slug})
        list_url = reverse("reviews:public_list")
        downloads = [
            (label, f"{reverse('reviews:public_pdf', args=[review.slug, part])}?{q}")
            for part, label in PARTS.items()
            if clean and _part_text(review, part).strip()
        ]
        return self.respond(
            "reviews/public_detail.html",
            {
                "title": review.title,
                "review": review,
                "clean": clean,
                "kept_until": selectors.public_kept_until(review),
                "downloads": downloads,
                "partnership": review.partnership,
                "list_url": f"{list_url}?{q}",
            },
        )
