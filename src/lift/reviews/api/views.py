"""API viewsets for incidents and reviews: the same restrict() and services as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from lift.core import history
from lift.core.api.permissions import RestrictedPermission, ensure_partnership
from lift.core.api.viewsets import (
    ConcurrentUpdateMixin,
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
)
from lift.core.models import Person
from lift.core.views.generic import restricted

from .. import services
from ..models import (
    AgencyRequest,
    ChildIdentity,
    ImrFile,
    Incident,
    Letter,
    Publication,
    Referral,
    Review,
)
from . import serializers as s


def _me(request: Request) -> Person:
    return cast(Person, request.user)


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def _run(func: Any, **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise _service_errors(exc) from exc


class IncidentPermission(RestrictedPermission):
    """Creating an incident: the business unit or the local authority's safeguarding lead
    (`services.may_record_incident`), as on the web page."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method == "POST" and getattr(view, "action", None) == "create":
            if not (request.user and request.user.is_authenticated):
                return False
            ensure_partnership(request)
            partnership = getattr(request, "partnership", None)
            return partnership is not None and services.may_record_incident(
                request.user, partnership
            )
        return super().has_permission(request, view)


class IncidentViewSet(RestrictedModelViewSet):
    """Serious incidents, by pseudonym only. POST records one (`incident_create`); PUT and
    PATCH correct it (`incident_update`, ETag / If-Match: a stale version gets 412);
    `notify` records the notification date; `decide` is the Chair's decision."""

    queryset = Incident.objects.prefetch_related("agencies").order_by("-became_aware_on", "-id")
    serializer_class = s.IncidentSerializer
    permission_classes = [IncidentPermission]
    permission_action = {"decide": "decide", "notify": "change"}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action in ("create", "update", "partial_update"):
            return s.IncidentWriteSerializer
        return s.IncidentSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = _run(
            services.incident_create,
            partnership=request.partnership,  # type: ignore[attr-defined]
            by=_me(request),
            **serializer.validated_data,
        )
        return Response(
            s.IncidentSerializer(incident, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def perform_update(self, serializer: Any) -> None:
        incident = Incident.objects.get(pk=serializer.instance.pk)
        serializer.instance = _run(
            services.incident_update,
            incident=incident,
            by=_me(self.request),
            **serializer.validated_data,
        )
        self._etag_instance = serializer.instance

    @action(detail=True, methods=["post"], serializer_class=s.NotifySerializer)
    def notify(self, request: Request, pk: Any = None) -> Response:
        """Record the date the incident was notified (Ofsted / the national panel)."""
        incident = self.get_object()
        data = _valid(s.NotifySerializer, request)
        _run(services.incident_notify, incident=incident, by=_me(request), **data)
        incident.refresh_from_db()
        return Response(s.IncidentSerializer(incident, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.DecisionSerializer)
    def decide(self, request: Request, pk: Any = None) -> Response:
        """The Chair's decision, with reasons against each criterion (the Chair only)."""
        incident = self.get_object()
        data = _valid(s.DecisionSerializer, request)
        decision = _run(services.decision_record, incident=incident, by=_me(request), **data)
        return Response(s.DecisionOutSerializer(decision).data, status=status.HTTP_201_CREATED)


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
    """Reviews. Stage transitions through the services: `complete` (the final report is
    agreed), `decide_publication` (the Board's checklist), `publish` (refused by the
    publication guard while the text holds an identifier)."""

    queryset = Review.objects.order_by("-decided_on", "-id")
    serializer_class = s.ReviewSerializer
    permission_action = {
        "complete": "change",
        "decide_publication": "publish",
        "publish": "publish",
        "publication_concern": "publish",
    }

    def _out(self, review: Review) -> Response:
        review.refresh_from_db()
        return Response(s.ReviewSerializer(review, context={"request": self.request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.CompleteSerializer)
    def complete(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        data = _valid(s.CompleteSerializer, request)
        _run(services.review_complete, review=review, by=_me(request), **data)
        return self._out(review)

    @extend_schema(request=s.PublicationConcernSerializer, responses={201: s.LetterSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="publication-concern",
        serializer_class=s.PublicationConcernSerializer,
    )
    def publication_concern(self, request: Request, pk: Any = None) -> Response:
        """Alert the panel that the report may not be publishable (`concern`, `raised_on`):
        the concern is recorded and the letter generated as a draft (returned), to edit
        and send through `/api/v1/panel-letters/`. Refused once the Board has decided on
        publication."""
        review = self.get_object()
        data = _valid(s.PublicationConcernSerializer, request)
        record = _run(services.publication_concern_raise, review=review, by=_me(request), **data)
        body = s.LetterSerializer(record.letter, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.PublicationDecideSerializer)
    def decide_publication(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        data = _valid(s.PublicationDecideSerializer, request)
        _run(services.publication_decide, review=review, by=_me(request), **data)
        return self._out(review)

    @action(detail=True, methods=["post"], serializer_class=s.PublishSerializer)
    def publish(self, request: Request, pk: Any = None) -> Response:
        review = self.get_object()
        data = _valid(s.PublishSerializer, request)
        publication = Publication.objects.filter(review=review).first()
        if publication is None:
            raise ValidationError({"detail": "The Board has not decided on publication yet."})
        _run(services.publication_publish, publication=publication, by=_me(request), **data)
        return self._out(review)


class AgencyRequestViewSet(RestrictedReadOnlyViewSet):
    """Requests to agencies (rapid review returns, chronologies, IMRs) you may see, with the
    files you may download. `upload` adds a file (multipart) and `submit` submits the IMR:
    the agency's safeguarding lead, the named author or the business unit."""

    queryset = AgencyRequest.objects.order_by("due_on", "id")
    serializer_class = s.AgencyRequestSerializer
    permission_action = {"upload": "upload", "submit": "submit"}
    filterset_fields = ["incident", "review", "kind"]

    def _visible_files(self, items: Any) -> dict[int, list[ImrFile]]:
        ids = [i.pk for i in items if isinstance(i, AgencyRequest)]
        visible: dict[int, list[ImrFile]] = {}
        for f in (
            restricted(ImrFile, self.request, "view")
            .filter(request_id__in=ids)
            .select_related("attachment")
        ):
            visible.setdefault(f.request_id, []).append(f)
        return visible

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and self.action in ("list", "retrieve"):
            items = args[0] if isinstance(args[0], list | tuple) else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["visible_files"] = self._visible_files(items)
        return super().get_serializer(*args, **kwargs)

    def _out(self, request_obj: AgencyRequest) -> Response:
        request_obj.refresh_from_db()
        context = {
            **self.get_serializer_context(),
            "visible_files": self._visible_files([request_obj]),
        }
        return Response(s.AgencyRequestSerializer(request_obj, context=context).data)

    @action(
        detail=True,
        methods=["post"],
        serializer_class=s.ImrFileUploadSerializer,
        parser_classes=[MultiPartParser, FormParser],
    )
    def upload(self, request: Request, pk: Any = None) -> Response:
        request_obj = self.get_object()
        data = _valid(s.ImrFileUploadSerializer, request)
        _run(
            services.imr_file_add,
            request=request_obj,
            uploaded_file=data["file"],
            description=data["description"],
            by=_me(request),
        )
        response = self._out(request_obj)
        response.status_code = status.HTTP_201_CREATED
        return response

    @action(
        detail=True,
        methods=["post"],
        serializer_class=s.ImrSubmitSerializer,
        parser_classes=[JSONParser, FormParser, MultiPartParser],
    )
    def submit(self, request: Request, pk: Any = None) -> Response:
        request_obj = self.get_object()
        data = _valid(s.ImrSubmitSerializer, request)
        _run(services.imr_submit, request=request_obj, by=_me(request), **data)
        return self._out(request_obj)


class LetterViewSet(ConcurrentUpdateMixin, mixins.UpdateModelMixin, RestrictedReadOnlyViewSet):
    """Letters to the national panel. PATCH edits an unsent letter's draft (subject, body:
    `letter_update`, the publication guard checks the text; ETag / If-Match); `mark_sent`
    records the date sent, after which the letter is read-only."""

    queryset = Letter.objects.order_by("-created_at", "-id")
    serializer_class = s.LetterSerializer
    permission_action = {"mark_sent": "change", "partial_update": "change", "enclose": "change"}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        if self.action == "partial_update":
            return s.LetterUpdateSerializer
        return s.LetterSerializer

    @extend_schema(request=s.LetterUpdateSerializer, responses=s.LetterSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().partial_update(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            letter = self._etag_instance
            response.data = s.LetterSerializer(letter, context={"request": request}).data
        return response

    def perform_update(self, serializer: Any) -> None:
        letter = serializer.instance
        data = serializer.validated_data
        serializer.instance = _run(
            services.letter_update,
            letter=letter,
            by=_me(self.request),
            subject=data.get("subject", letter.subject),
            body=data.get("body", letter.body),
        )
        self._etag_instance = serializer.instance

    @extend_schema(request=s.LetterEnclosureSerializer, responses={201: s.LetterSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="enclosures",
        serializer_class=s.LetterEnclosureSerializer,
        parser_classes=[MultiPartParser, FormParser],
    )
    def enclose(self, request: Request, pk: Any = None) -> Response:
        """Attach a file to send with an unsent letter (multipart: `file`, `description`),
        checked as every upload is; a NO letter needs the local authority's Serious
        Incident Notification attached before `mark_sent`."""
        letter = self.get_object()
        data = _valid(s.LetterEnclosureSerializer, request)
        _run(
            services.letter_enclosure_add,
            letter=letter,
            uploaded_file=data["file"],
            description=data["description"],
            by=_me(request),
        )
        letter.refresh_from_db()
        body = s.LetterSerializer(letter, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

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
