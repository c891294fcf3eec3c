"""No shared or stored copies of anything a signed-in person was shown (issue 17 item 11).

Pages, API answers and downloads carry restricted identifiers, so a response that says
nothing about caching is sent with `Cache-Control: no-store, private`: neither the browser
(its back button and disk cache) nor a proxy keeps it. A response that already carries a
Cache-Control header made that choice deliberately and keeps it: the public site
(`core.views.public.cacheable`: public for a signed-out visitor, `private, no-cache` for a
signed-in one) and the brand files (public). Static files never reach this middleware
(WhiteNoise answers them first).

Who is signed in is read after the view has run, so an API request authenticated by token
inside DRF counts too (DRF's `Request.user` setter updates the Django request's `user`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

NO_STORE = "no-store, private"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = NO_STORE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # The page differs from one person's session to another's.
            patch_vary_headers(response, ("Cookie",))
        return response
