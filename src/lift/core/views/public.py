"""What every page of the public site shares: which partnership it shows, and how it may be
cached.

One site serves many partnerships, so a public page is about the partnership named by
`?partnership=<slug>` (an unknown slug is a 404). With one partnership it is implied; with
more and none named, the page lists them to choose from (`PublicView.choose`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator

from lift.core.models import Partnership

from .generic import LiftView

# Shared caches (a proxy, the browser) may keep a signed-out page this long.
PUBLIC_CACHE_SECONDS = 300


def cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Public and cacheable for a signed-out visitor; private for a signed-in one (whose
    page carries their navigation)."""
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = f"public, max-age={PUBLIC_CACHE_SECONDS}"
    return response


@method_decorator(login_not_required, name="dispatch")
class PublicView(LiftView):
    """A page of the public site: no sign-in, about one partnership, cacheable."""

    public = True

    def named(self) -> Partnership | None:
        """The partnership `?partnership=<slug>` names (404 for an unknown one), or None."""
        slug = self.request.GET.get("partnership", "").strip()
        if not slug:
            return None
        found = Partnership.objects.filter(slug=slug).first()
        if found is None:
            raise Http404("No such partnership.")
        return found

    def chosen(self) -> tuple[Partnership | None, list[Partnership]]:
        """The partnership shown (named, or the only one) and every partnership; None when
        there are several and none is named."""
        everyone = list(Partnership.objects.order_by("name"))
        named = self.named()
        if named is not None:
            return named, everyone
        return (everyone[0] if len(everyone) == 1 else None), everyone

    def respond(self, template: str, context: dict[str, Any]) -> HttpResponse:
        return cacheable(self.request, render(self.request, template, context))

    def choose(self, everyone: list[Partnership], title: str, intro: str = "") -> HttpResponse:
        """The list of partnerships to choose from, each linking back to this page."""
        return self.respond(
            "core/public_choose.html",
            {
                "title": title,
                "intro": intro or "Choose a partnership.",
                "partnerships": everyone,
                "here": self.request.path,
                "partnership": None,
            },
        )
