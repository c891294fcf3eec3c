"""What every page of the public site shares: how it may be cached."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

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
