"""API viewsets of the performance dataset: the same restrict(), filters and services as
the pages. Values are entered and revised through the services (owner agency only; a
revision needs `change_reason`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from lift.core.api.permissions import RestrictedPermission
from lift.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from lift.core.views.generic import restricted

from .. import services
from ..filters import (
    AnalysisRequestFilter,
    IndicatorFilter,
    IndicatorValueFilter,
    ScrutinyFocusFilter,
)
from ..models import AnalysisRequest, Indicator, IndicatorValue, ScrutinyFocus
from . import serializers as s


def _service(call: Any, **kwargs: Any) -> Any:
    try:
        with transaction.atomic():
            return call(**kwargs)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except DjangoValidationError as exc:
        raise serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ) from exc


class IndicatorViewSet(RestrictedReadOnlyViewSet):
    queryset = Indicator.objects.select_related("owner_agency").prefetch_related("versions")
    serializer_class = s.IndicatorSerializer
    filterset_class = IndicatorFilter


class AgencyEntryPermission(RestrictedPermission):
    """A value is added for one indicator's owner agency, which the service checks: here it
    is enough that the user may add values for some agency."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", None) == "create":
            if not (request.user and request.user.is_authenticated):
                return False
            if not super().has_permission(request, type("Listing", (), {"action": "list"})()):
                return False
            return IndicatorValue.access.allows_any(request.user, "add", request.partnership)
        return super().has_permission(request, view)


class IndicatorValueViewSet(RestrictedModelViewSet):
    queryset = IndicatorValue.objects.select_related("indicator", "version").order_by(
        "indicator__code", "period_start"
    )
    serializer_class = s.IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [AgencyEntryPermission]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("change_reason", None)
        indicator = data.pop("indicator")
        if not restricted(Indicator, self.request, "view").filter(pk=indicator.pk).exists():
            raise serializers.ValidationError({"indicator": "No such indicator."})
        serializer.instance = _service(
            services.value_enter,
            indicator=indicator,
            period_start=data.pop("period_start"),
            by=self.request.user,
            **data,
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("change_reason", "")
        data.pop("indicator", None)
        data.pop("period_start", None)
        serializer.instance = _service(
            services.value_revise,
            row=serializer.instance,
            by=self.request.user,
            reason=reason,
            **data,
        )


class ScrutinyFocusViewSet(RestrictedReadOnlyViewSet):
    queryset = ScrutinyFocus.objects.prefetch_related("requests", "indicators")
    serializer_class = s.ScrutinyFocusSerializer
    filterset_class = ScrutinyFocusFilter


class AnalysisRequestViewSet(RestrictedReadOnlyViewSet):
    queryset = AnalysisRequest.objects.select_related("agency")
    serializer_class = s.AnalysisRequestSerializer
    filterset_class = AnalysisRequestFilter
