"""The public site (no sign-in): /public/, /public/annual-report/, /public/learning/ and
/public/campaigns/.

One site serves many partnerships: the partnership is chosen with `?partnership=<slug>`
(as the public training catalogue does). With one partnership it is implied; with more and
none chosen, the pages list the partnerships to choose from.

Only what was explicitly published is shown: review reports published and not removed
(the reviews area's public selector), learning briefings and newsletters marked public,
signed-off annual reports (rendered from their frozen snapshot), and the child death overview
panel's awareness campaigns its coordinator or the business unit published (nothing else of
CDOP: the notification form is the cdop area's own public page). Pages are cacheable
by shared caches when nobody is signed in.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from lift.core.documents import document_response
from lift.core.models import Partnership
from lift.core.views.public import PublicView, cacheable

from .choices import ReportStatus
from .documents import doc_html
from .models import AnnualReport
from .snapshot import thaw

PUBLIC_KINDS = ("briefing", "newsletter")


def _url(name: str, query: dict[str, str] | None = None) -> str | None:
    """The URL of another area's public page, if that area is installed."""
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def public_briefings(partnership: Partnership) -> Any:
    from lift.learning.models import Dissemination

    return Dissemination.objects.filter(
        partnership=partnership, is_public=True, kind__in=PUBLIC_KINDS
    ).order_by("-held_on", "-id")


def public_annual_reports(partnership: Partnership) -> Any:
    return AnnualReport.objects.filter(
        partnership=partnership, status=ReportStatus.SIGNED_OFF
    ).order_by("-year")


def public_campaigns(partnership: Partnership) -> Any:
    """CDOP awareness campaigns marked published: the only CDOP records shown publicly."""
    try:
        from lift.cdop.models import Campaign
    except ImportError:  # pragma: no cover - the cdop area is not installed
        return []
    return Campaign.objects.filter(partnership=partnership, published=True).order_by(
        "-started_on", "-id"
    )


def public_reviews(partnership: Partnership) -> list[Any]:
    try:
        from lift.reviews.selectors import public_reviews as published
    except ImportError:
        return []
    return list(published().filter(partnership=partnership)[:10])


class PublicHomeView(PublicView):
    template_name = "reports/public_home.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.chosen()
        if partnership is None:
            return self.choose(everyone, "Safeguarding children partnerships")
        q = {"partnership": partnership.slug}
        return self.respond(
            self.template_name,
            {
                "title": partnership.name,
                "partnership": partnership,
                "q": urlencode(q),
                "reviews": public_reviews(partnership),
                "reviews_url": _url("reviews:public_list", q),
                "briefings": list(public_briefings(partnership)[:5]),
                "training_url": _url("training:public_catalogue", q),
                "notify_url": _url("cdop:public_notify"),
                "report": public_annual_reports(partnership).first(),
                "campaigns": list(public_campaigns(partnership)[:3]),
            },
        )


class PublicCampaignsView(PublicView):
    """The child death overview panel's published awareness campaigns."""

    template_name = "reports/public_campaigns.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.chosen()
        if partnership is None:
            return self.choose(everyone, "Awareness campaigns")
        return self.respond(
            self.template_name,
            {
                "title": "Awareness campaigns",
                "partnership": partnership,
                "q": urlencode({"partnership": partnership.slug}),
                "campaigns": list(public_campaigns(partnership)[:100]),
            },
        )


class PublicLearningView(PublicView):
    template_name = "reports/public_learning.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.chosen()
        if partnership is None:
            return self.choose(everyone, "Learning briefings and newsletters")
        return self.respond(
            self.template_name,
            {
                "title": "Learning briefings and newsletters",
                "partnership": partnership,
                "q": urlencode({"partnership": partnership.slug}),
                "briefings": list(public_briefings(partnership)[:100]),
            },
        )


class PublicAnnualReportView(PublicView):
    """The latest signed-off annual report (or ?year=2015/16), as a page, PDF or DOCX:
    rendered from the snapshot frozen at sign-off."""

    template_name = "reports/public_annual_report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.chosen()
        if partnership is None:
            return self.choose(everyone, "Annual reports")
        reports = public_annual_reports(partnership)
        year = request.GET.get("year", "")
        report = reports.filter(year=year).first() if year else reports.first()
        if year and report is None:
            raise Http404("No signed-off report for that year.")
        doc = thaw(report.snapshot, partnership) if report is not None else None
        fmt = request.GET.get("format", "")
        if doc is not None and fmt in ("pdf", "docx"):
            return cacheable(request, document_response(doc, fmt, doc.title, cached=True))
        q = {"partnership": partnership.slug}
        if report is not None:
            q["year"] = report.year
        return self.respond(
            self.template_name,
            {
                "title": doc.title if doc else "Annual report",
                "partnership": partnership,
                "report": report,
                "others": [r for r in reports if report is None or r.pk != report.pk],
                "body": mark_safe(doc_html(doc)) if doc else "",
                "q": urlencode(q),
                "home_q": urlencode({"partnership": partnership.slug}),
            },
        )
