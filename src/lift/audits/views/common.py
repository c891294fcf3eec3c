"""Shared pieces of the audits pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
