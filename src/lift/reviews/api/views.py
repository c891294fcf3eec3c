"""API viewsets for incidents and reviews: the same restrict() and services as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core import history
from lift.core.api.permissions import RestrictedPermission
from lift.core.api.viewsets import RestrictedModelViewSet, RestrictedReadOnlyViewSet
from lift.core.models import Person

from .. import services
from ..models import ChildIdentity, Incident, Letter, Referral, Review
from . import serializers as s


def _me(request: Request) -> Person:
    return cast(Person, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class IncidentViewSet(RestrictedReadOnlyViewSet):
    """Serious incidents, by pseudonym only."""

    queryset = Incident.objects.prefetch_related("agencies").order_by("-became_aware_on", "-id")
    serializer_class = s.IncidentSerializer


class ChildIdentityViewSet(RestrictedReadOnlyViewSet):
    """Restricted records: the case team only (anyone else gets no rows); every read logged."""

    queryset = ChildIdentity.objects.order_by("incident_id", "pseudonym")
    serializer_class = s.ChildIdentitySerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        history.record_access(request.user, obj, purpose="api", path=request.path)
        return Response(self.get_serializer(obj).data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        rows = (
            response.data.get("results", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        ids = [row["id"] for row in rows]
        for obj in ChildIdentity.objects.filter(pk__in=ids):
            history.record_access(request.user, obj, purpose="api list", path=request.path)
        return response


class ReviewViewSet(RestrictedReadOnlyViewSet):
    queryset = Review.objects.order_by("-decided_on", "-id")
    serializer_class = s.ReviewSerializer


class LetterViewSet(RestrictedReadOnlyViewSet):
    queryset = Letter.objects.order_by("-created_at", "-id")
    serializer_class = s.LetterSerializer
    permission_action = {"mark_sent": "change"}

    @action(detail=True, methods=["post"], serializer_class=s.LetterSentSerializer)
    def mark_sent(self, request: Request, pk: Any = None) -> Response:
        """Mark the letter sent on a date (required)."""
        letter = self.get_object()
        data = _valid(s.LetterSentSerializer, request)
        try:
            services.letter_mark_sent(letter=letter, sent_on=data["sent_on"], by=_me(request))
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        letter.refresh_from_db()
        return Response(s.LetterSerializer(letter, context={"request": request}).data)


class ReferralPermission(RestrictedPermission):
    """Safeguarding leads and auditors refer for their own agency (agency-scoped "add")."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", None) == "create":
            user = request.user
            return bool(
                user
                and user.is_authenticated
                and Referral.access.allows(
                    user, "add", request.partnership, agency=getattr(user, "agency", None)
                )
            )
        return super().has_permission(request, view)


class ReferralViewSet(RestrictedModelViewSet):
    """Learning lessons review referrals: create through `referral_create`, decide through
    the `decide` action."""

    queryset = Referral.objects.order_by("-referred_on", "-id")
    serializer_class = s.ReferralSerializer
    permission_action = {"decide": "decide"}
    permission_classes = [ReferralPermission]
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(s.ReferralCreateSerializer, request)
        try:
            referral = services.referral_create(
                partnership=request.partnership,  # type: ignore[attr-defined]
                referrer=_me(request),
                by=_me(request),
                **data,
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(
            s.ReferralSerializer(referral, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"], serializer_class=s.ReferralDecideSerializer)
    def decide(self, request: Request, pk: Any = None) -> Response:
        referral = self.get_object()
        data = _valid(s.ReferralDecideSerializer, request)
        try:
            services.referral_decide(referral=referral, by=_me(request), **data)
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        referral.refresh_from_db()
        return Response(s.ReferralSerializer(referral, context={"request": request}).data)
