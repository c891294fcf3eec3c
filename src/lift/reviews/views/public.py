"""Public pages (no sign-in): published review reports, kept at least 12 months."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from lift.core.views.generic import LiftView

from .. import selectors


@method_decorator(login_not_required, name="dispatch")
class PublicReviewListView(LiftView):
    public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        reviews = list(selectors.public_reviews()[:200])
        return render(
            request,
            "reviews/public_list.html",
            {"title": "Published case reviews", "reviews": reviews},
        )


@method_decorator(login_not_required, name="dispatch")
class PublicReviewDetailView(LiftView):
    public = True

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        review = selectors.public_reviews().filter(slug=slug).first()
        if review is None:
            raise Http404
        return render(
            request, "reviews/public_detail.html", {"title": review.title, "review": review}
        )
