"""The partnership's colour as a stylesheet: the CSP forbids inline styles.

Public (the sign-in page links it too) and cacheable: base.html adds the colour itself as
`?v=rrggbb`, so a changed colour is a new URL. A partnership's colour is not confidential.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ..models import Partnership

DEFAULT_BRAND_COLOUR = "#1d70b8"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
CACHE_SECONDS = 60 * 60 * 24


def brand_colour_for(partnership_id: int) -> str:
    """The partnership's brand colour as #rrggbb, or the default for an unknown id or a
    stored value that is not a colour (it goes into CSS, so nothing else gets through)."""
    colour = (
        Partnership.objects.filter(pk=partnership_id).values_list("brand_colour", flat=True).first()
    )
    if colour and _HEX_COLOUR.fullmatch(colour):
        return colour.lower()
    return DEFAULT_BRAND_COLOUR


def brand_css(colour: str) -> str:
    return (
        f":root{{--lift-brand-colour:{colour}}}\n"
        f".lift-header{{border-bottom-color:{colour}}}\n"
        f".lift-service-navigation{{border-bottom-color:{colour}}}\n"
    )


@require_safe
@cache_control(public=True, max_age=CACHE_SECONDS)
@login_not_required
def partnership_brand_css(request: HttpRequest, partnership_id: int) -> HttpResponse:
    return HttpResponse(
        brand_css(brand_colour_for(partnership_id)), content_type="text/css; charset=utf-8"
    )


partnership_brand_css.public = True  # type: ignore[attr-defined]
