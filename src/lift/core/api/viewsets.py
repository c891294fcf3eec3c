"""Base viewsets: the same restrict() and partnership scoping as the web pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from .. import history
from ..views.generic import allowed, check_still_visible, has_partnership, restricted
from .permissions import action_for


class RestrictedViewSetMixin:
    """Every object comes from `restrict(user, "view")` in the current partnership (anything
    else is a 404), then the action's permission is checked on it (403), as on the pages
    (ADR 0007). Writes run in a transaction and are change-logged as source "api"."""

    request: Any
    queryset: Any

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        """After DRF has authenticated the request (session or token): work in the person's
        partnership and attribute changes to them in the history."""
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._history_token: Any = history.begin(actor=request.user, source="api")

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        token = getattr(self, "_history_token", None)
        if token is not None:
            history.end(token)
            self._history_token = None
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]

    def get_queryset(self) -> Any:
        model = self.queryset.model
        return restricted(model, self.request, "view", self.queryset.all())

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        model = serializer.Meta.model  # type: ignore[attr-defined]
        extra = {"partnership": self.request.partnership} if has_partnership(model) else {}
        with transaction.atomic():
            try:
                serializer.save(**extra)
                # Refused (and rolled back) if the caller could no longer see the row.
                check_still_visible(self.request, model, serializer.instance)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(
                    exc.message_dict if hasattr(exc, "error_dict") else exc.messages
                ) from exc

    # Optimistic concurrency: the version is `updated_at`, sent as an ETag on retrieve and
    # update; an update with `If-Match` naming an older version gets 412 and the saved object.

    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        return _with_etag(response, getattr(self, "_etag_instance", None))

    def get_object(self) -> Any:
        """The record by ADR 0007's rule: among those the person may view (else 404), then
        the action's own permission on it (else 403)."""
        obj = super().get_object()  # type: ignore[misc]
        needed = action_for(self.request, self)
        if needed != "view" and not allowed(self.request, obj, needed):
            raise PermissionDenied(f"You may not {needed.replace('_', ' ')} this record.")
        self._etag_instance = obj
        return obj


def etag_for(updated_at: Any) -> str | None:
    """The strong ETag of a version: the quoted ISO timestamp of `updated_at`."""
    return None if updated_at is None else f'"{updated_at.isoformat()}"'


def _with_etag(response: Any, instance: Any) -> Any:
    if instance is not None and response.status_code < 300 and hasattr(instance, "updated_at"):
        tag = etag_for(instance.updated_at)
        if tag:
            response["ETag"] = tag
    return response


class ConcurrentUpdateMixin:
    """PUT/PATCH with optimistic concurrency. Only on viewsets that take updates: a method
    named `update` is what makes DRF's router route PUT and PATCH to a viewset, so defining
    it on read-only viewsets turned a PUT there into a 500 instead of a 405."""

    request: Any
    get_object: Any

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        wanted = request.headers.get("If-Match")
        with transaction.atomic():
            if wanted is not None:
                instance = self.get_object()
                saved = (
                    type(instance)
                    ._base_manager.select_for_update()
                    .filter(pk=instance.pk)
                    .values_list("updated_at", flat=True)
                    .first()
                    if hasattr(instance, "updated_at")
                    else None
                )
                current = etag_for(saved)
                tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
                if current is not None and "*" not in tags and current not in tags:
                    body = {
                        "detail": "This record was changed by someone else since you read it. "
                        "Nothing was saved: compare with the current version and try again.",
                        "current": self.get_serializer(instance).data,  # type: ignore[attr-defined]
                    }
                    return Response(
                        body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": current}
                    )
            response = super().update(request, *args, **kwargs)  # type: ignore[misc]
        return _with_etag(response, getattr(self, "_etag_instance", None))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            try:
                serializer.save()
                # Refused (and rolled back) if the caller could no longer see the row.
                saved: Any = serializer.instance
                check_still_visible(self.request, type(saved), saved)
            except DjangoValidationError as exc:
                raise serializers.ValidationError(
                    exc.message_dict if hasattr(exc, "error_dict") else exc.messages
                ) from exc


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, ConcurrentUpdateMixin, viewsets.ModelViewSet):
    pass


class PartnershipScopedSerializer(serializers.ModelSerializer):
    """Related objects offered and accepted only from the current partnership; models
    validated with full_clean so the API enforces the same rules as the pages."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        partnership = getattr(request, "partnership", None)
        for field in fields.values():
            child = getattr(field, "child_relation", None)
            target: Any = child if child is not None else field
            qs = getattr(target, "queryset", None)
            if qs is None or partnership is None:
                continue
            if hasattr(qs, "for_partnership"):
                target.queryset = qs.for_partnership(partnership)
            elif has_partnership(qs.model):
                target.queryset = qs.filter(partnership=partnership)
            elif qs.model._meta.label == "core.Person":
                target.queryset = qs.filter(role_assignments__partnership=partnership).distinct()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model: Any = self.Meta.model
        instance = self.instance or model()
        m2m = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key not in m2m:
                setattr(instance, key, value)
        request = self.context.get("request")
        if has_partnership(model) and getattr(instance, "partnership_id", None) is None and request:
            instance.partnership = request.partnership
        exclude = [
            f.name for f in model._meta.fields if f.name not in attrs and f.name != "partnership"
        ]
        try:
            instance.full_clean(exclude=exclude, validate_unique=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return attrs
