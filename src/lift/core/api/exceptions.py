"""JSON errors in one shape: {"detail": ..., "errors": {field: [messages]}}."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler
from rest_framework.views import set_rollback


def _dependents(exc: ProtectedError | RestrictedError) -> list[dict[str, Any]]:
    """What depends on the record, as counts by kind: never the records themselves, which the
    person may not be allowed to see."""
    found = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    kinds = Counter(str(obj._meta.verbose_name_plural) for obj in found)
    return [{"type": kind, "count": count} for kind, count in sorted(kinds.items())]


def _in_use(exc: ProtectedError | RestrictedError, context: dict[str, Any]) -> Response:
    """409, worded as the web's delete page words it (ObjectDeleteView)."""
    queryset = getattr(context.get("view"), "queryset", None)
    model = getattr(queryset, "model", None)
    name = str(model._meta.verbose_name) if model is not None else "record"
    set_rollback()
    return Response(
        {
            "detail": f"This {name} cannot be deleted because other records depend on it.",
            "dependents": _dependents(exc),
        },
        status=status.HTTP_409_CONFLICT,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ProtectedError | RestrictedError):
        return _in_use(exc, context)
    if isinstance(exc, DjangoValidationError):
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            {"detail": "The request has errors.", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        data = response.data
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": "The request has errors.", "errors": errors}
    return response


def api_not_found(request: HttpRequest, exception: Any = None) -> JsonResponse:
    """A path under /api/ that no endpoint answers: 404 in the API's shape, not the HTML page."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
