"""`{% may_open "app:url_name" as shown %}`: whether a link to that page would open for the
person (not a 403), from the same access policies the page asks (`navigation.may_open`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from .. import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: Any, url_name: str) -> bool:
    request = context.get("request")
    return request is not None and navigation.may_open(request, reverse(url_name))
