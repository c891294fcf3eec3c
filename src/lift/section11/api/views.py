"""Section 11 API: frameworks (delete one not in use), cycles (open, close), returns (submit,
reopen, assign a panel, start the challenge, ask, conclude), answers (answer, moderate),
panels (members), challenge questions (the agency's response), the six-month follow-ups and
the Chair's letters (record, response, PDF/Word). The same restrict() and services as the
pages: what you cannot see is a 404, what you can see but may not do is a 403, and a
workflow step sent with a stale If-Match gets 412 and changes nothing."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from lift.core.api.viewsets import (
    RestrictedModelViewSet,
    RestrictedReadOnlyViewSet,
    RestrictedViewSetMixin,
    etag_for,
)
from lift.core.documents import document_response
from lift.core.models import Person
from lift.core.views.generic import allowed, restricted

from .. import documents, services
from ..models import (
    Answer,
    ChallengeQuestion,
    Cycle,
    Escalation,
    FollowUp,
    Framework,
    Panel,
    PanelMember,
    Section11Return,
    Standard,
)
from . import serializers as s


def _valid(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _person(request: Request) -> Person:
    return cast(Person, request.user)


def _partnership(request: Request) -> Any:
    return getattr(request, "partnership", None)


def stale(request: Request, obj: Any) -> Response | None:
    """412 if the request's If-Match names an older version of `obj` than the saved one
    (the version is `updated_at`, as the ETag of a read). The row is locked until the
    surrounding transaction ends, so the step that follows works on that version."""
    wanted = request.headers.get("If-Match")
    if wanted is None:
        return None
    saved = (
        type(obj)
        ._base_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list("updated_at", flat=True)
        .first()
    )
    current = etag_for(saved)
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    if current is None or "*" in tags or current in tags:
        return None
    return Response(
        {
            "detail": "This record was changed by someone else since you read it. Nothing "
            "was saved: read it again and retry."
        },
        status=status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": current},
    )


def _tagged(response: Response, obj: Any) -> Response:
    tag = etag_for(getattr(obj, "updated_at", None))
    if tag:
        response["ETag"] = tag
    return response


class FrameworkViewSet(mixins.DestroyModelMixin, RestrictedReadOnlyViewSet):
    """Frameworks you can use (shared and your partnership's own). DELETE removes one of
    your partnership's own versions; a version a cycle uses is refused (400, naming the
    cycles), and shared frameworks come from reference files (403)."""

    queryset = Framework.objects.select_related("scale").prefetch_related("scale__levels")
    serializer_class = s.FrameworkSerializer

    def get_queryset(self) -> QuerySet[Framework]:
        return (
            self.queryset.restrict(self.request.user, "view")  # type: ignore[attr-defined]
            .for_partnership(self.request.partnership)
            .order_by("name", "-version")
        )

    @action(detail=True, methods=["get"], serializer_class=s.RequirementSerializer)
    def requirements(self, request: Request, pk: Any = None) -> Response:
        framework = self.get_object()
        rows = framework.requirements.select_related("standard").order_by("order")
        return Response(s.RequirementSerializer(rows, many=True).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        framework = self.get_object()
        if framework.partnership_id is None or not allowed(request, framework, "delete"):
            raise PermissionDenied("You cannot delete this framework.")
        with transaction.atomic():
            refused = stale(request, framework)
            if refused is not None:
                return refused
            services.framework_delete(framework=framework, by=_person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CycleViewSet(RestrictedReadOnlyViewSet):
    queryset = Cycle.objects.prefetch_related("agencies").order_by("-starts_on", "-id")
    serializer_class = s.CycleSerializer
    permission_action = {"open": "change", "close": "close"}

    @action(detail=True, methods=["post"], serializer_class=s.OpenSerializer)
    def open(self, request: Request, pk: Any = None) -> Response:
        """Open the cycle: each agency's return, one answer per requirement."""
        cycle = self.get_object()
        data = _valid(s.OpenSerializer, request)
        carry = cycle.agencies.filter(pk__in=data.get("carry_forward") or [])
        services.cycle_open(cycle=cycle, by=_person(request), carry_forward=list(carry))
        cycle.refresh_from_db()
        return Response(s.CycleSerializer(cycle, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=s.ReasonSerializer)
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the cycle (a reason is needed if a return is not moderated)."""
        cycle = self.get_object()
        data = _valid(s.ReasonSerializer, request)
        services.cycle_close(cycle=cycle, by=_person(request), reason=data["reason"])
        cycle.refresh_from_db()
        return Response(s.CycleSerializer(cycle, context={"request": request}).data)


class ReturnViewSet(RestrictedReadOnlyViewSet):
    """Returns you may see (your agency's, your panel's, or all for oversight roles), and
    their workflow: submit, reopen, assign a panel, start the challenge, ask a question on
    a standard, and the panel's conclusion. Each step accepts If-Match (412 if stale)."""

    queryset = Section11Return.objects.with_progress().order_by("cycle", "agency__name")  # type: ignore[attr-defined]
    serializer_class = s.ReturnSerializer
    permission_action = {
        "submit": "submit",
        "reopen": "manage",
        "assign_panel": "manage",
        "start_challenge": "challenge",
        "ask": "challenge",
        "conclude": "challenge",
    }
    filterset_fields = ["cycle", "agency", "status"]

    def _step(self, request: Request, step: Any) -> Response:
        ret = self.get_object()
        with transaction.atomic():
            refused = stale(request, ret)
            if refused is not None:
                return refused
            result = step(ret)
        if isinstance(result, Response):
            return result
        ret = Section11Return.objects.with_progress().get(pk=ret.pk)  # type: ignore[attr-defined]
        return _tagged(Response(s.ReturnSerializer(ret, context={"request": request}).data), ret)

    @action(detail=True, methods=["post"], serializer_class=s.EmptySerializer)
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Submit the return: every requirement rated; then read-only for the agency."""
        return self._step(
            request, lambda ret: services.return_submit(agency_return=ret, by=_person(request))
        )

    @action(detail=True, methods=["post"], serializer_class=s.ReasonSerializer)
    def reopen(self, request: Request, pk: Any = None) -> Response:
        """The business unit sends a submitted return back to the agency as a draft."""
        data = _valid(s.ReasonSerializer, request)
        if not data["reason"].strip():
            raise ValidationError({"reason": "Give the reason the return goes back."})
        return self._step(
            request,
            lambda ret: services.return_reopen(
                agency_return=ret, by=_person(request), reason=data["reason"]
            ),
        )

    @action(detail=True, methods=["post"], serializer_class=s.AssignPanelSerializer)
    def assign_panel(self, request: Request, pk: Any = None) -> Response:
        """Give the return to a panel of its cycle (no member from the agency)."""
        data = _valid(s.AssignPanelSerializer, request)

        def step(ret: Section11Return) -> Any:
            panel = Panel.objects.filter(
                partnership=_partnership(request), pk=data["panel"]
            ).first()
            if panel is None:
                raise ValidationError({"panel": "Choose a panel of the return's cycle."})
            return services.return_assign_panel(agency_return=ret, panel=panel, by=_person(request))

        return self._step(request, step)

    @action(detail=True, methods=["post"], serializer_class=s.EmptySerializer)
    def start_challenge(self, request: Request, pk: Any = None) -> Response:
        """The panel takes up the submitted return (the panel needs a lay member)."""
        return self._step(
            request, lambda ret: services.challenge_start(agency_return=ret, by=_person(request))
        )

    @extend_schema(request=s.QuestionAskSerializer, responses={201: s.ChallengeQuestionSerializer})
    @action(detail=True, methods=["post"], serializer_class=s.QuestionAskSerializer)
    def ask(self, request: Request, pk: Any = None) -> Response:
        """The panel asks the agency a question on one standard (201 with the question)."""
        data = _valid(s.QuestionAskSerializer, request)

        def step(ret: Section11Return) -> Response:
            standard = Standard.objects.filter(
                pk=data["standard"], framework_id=ret.cycle.framework_id
            ).first()
            if standard is None:
                raise ValidationError({"standard": "Choose a standard of the cycle's framework."})
            question = services.question_ask(
                agency_return=ret, standard=standard, question=data["question"], by=_person(request)
            )
            body = s.ChallengeQuestionSerializer(question, context={"request": request}).data
            return _tagged(Response(body, status=status.HTTP_201_CREATED), question)

        return self._step(request, step)

    @action(detail=True, methods=["post"], serializer_class=s.PanelConclusionSerializer)
    def conclude(self, request: Request, pk: Any = None) -> Response:
        """The panel's conclusion: every requirement needs a moderated rating."""
        data = _valid(s.PanelConclusionSerializer, request)
        return self._step(
            request,
            lambda ret: services.return_moderate(
                agency_return=ret, conclusion=data["conclusion"], by=_person(request)
            ),
        )


class AnswerViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    GenericViewSet,
):
    """Answers of the returns you may see. PATCH answers a requirement of a draft return
    (the self-rating must be on the framework's scale); `moderate` is for the panel."""

    queryset = Answer.objects.select_related("requirement").order_by(
        "agency_return", "requirement__order"
    )
    serializer_class = s.AnswerSerializer
    permission_action = {"moderate": "challenge"}
    filterset_fields = ["agency_return"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def _check(self, answer: Answer, permission: str) -> None:
        if not allowed(self.request, answer, permission):
            raise PermissionDenied

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        answer = self.get_object()
        self._check(answer, "change")
        data = _valid(s.AnswerInputSerializer, request)
        services.answer_save(answer=answer, by=_person(request), **data)
        answer.refresh_from_db()
        return Response(s.AnswerSerializer(answer, context={"request": request}).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)

    @action(detail=True, methods=["post"], serializer_class=s.ModerateSerializer)
    def moderate(self, request: Request, pk: Any = None) -> Response:
        """The panel's moderated rating (on the framework's scale) and note."""
        answer = self.get_object()
        self._check(answer, "challenge")
        data = _valid(s.ModerateSerializer, request)
        services.answer_moderate(answer=answer, by=_person(request), **data)
        answer.refresh_from_db()
        return Response(s.AnswerSerializer(answer, context={"request": request}).data)


class PanelViewSet(RestrictedModelViewSet):
    """Peer challenge panels of the cycles. Create (business unit) with the cycle, name and
    meeting date; PATCH the name or date (If-Match for a 412 when stale); `add_member` and
    `remove_member` manage who sits on it (never on their own agency's challenge; members
    get the panel's case-team role). Panels are not deleted."""

    queryset = Panel.objects.select_related("cycle").prefetch_related(
        Prefetch("members", queryset=PanelMember.objects.select_related("person"))
    )
    serializer_class = s.PanelSerializer
    permission_action = {"add_member": "change", "remove_member": "change"}
    filterset_fields = ["cycle"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.panel_create(
            cycle=data["cycle"],
            name=data["name"],
            meets_on=data.get("meets_on"),
            by=_person(self.request),
        )

    def _panel(self, request: Request, panel: Panel, code: int = 200) -> Response:
        panel = self.get_queryset().get(pk=panel.pk)
        data = s.PanelSerializer(panel, context={"request": request}).data
        return _tagged(Response(data, status=code), panel)

    @action(detail=True, methods=["post"], serializer_class=s.PanelMemberInputSerializer)
    def add_member(self, request: Request, pk: Any = None) -> Response:
        """Add a person of the partnership (lay member, chair)."""
        from lift.core.models import RoleAssignment

        panel = self.get_object()
        data = _valid(s.PanelMemberInputSerializer, request)
        in_partnership = RoleAssignment.objects.filter(
            partnership=_partnership(request), person_id=data["person"]
        ).exists()
        person = Person.objects.filter(pk=data["person"]).first() if in_partnership else None
        if person is None:
            raise ValidationError({"person": "Choose a person of this partnership."})
        with transaction.atomic():
            refused = stale(request, panel)
            if refused is not None:
                return refused
            services.panel_member_add(
                panel=panel,
                person=person,
                is_lay=data["is_lay"],
                is_chair=data["is_chair"],
                by=_person(request),
            )
        return self._panel(request, panel, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.PanelMemberRefSerializer)
    def remove_member(self, request: Request, pk: Any = None) -> Response:
        """Remove a member (their case-team role for the panel ends)."""
        panel = self.get_object()
        data = _valid(s.PanelMemberRefSerializer, request)
        member = panel.members.filter(pk=data["member"]).first()
        if member is None:
            raise ValidationError({"member": "Choose a member of this panel."})
        with transaction.atomic():
            refused = stale(request, panel)
            if refused is not None:
                return refused
            services.panel_member_remove(member=member, by=_person(request))
        return self._panel(request, panel)


class ChallengeQuestionViewSet(RestrictedReadOnlyViewSet):
    """The panel's questions (asked with the return's `ask`) and the agency's responses:
    `respond` is for the agency's contributors while the return is under challenge."""

    queryset = ChallengeQuestion.objects.select_related("standard").order_by(
        "agency_return", "standard__order", "created_at", "id"
    )
    serializer_class = s.ChallengeQuestionSerializer
    permission_action = {"respond": "respond"}
    filterset_fields = ["agency_return", "standard"]

    @action(detail=True, methods=["post"], serializer_class=s.QuestionResponseSerializer)
    def respond(self, request: Request, pk: Any = None) -> Response:
        """The agency's response to the question (If-Match: 412 if it changed meanwhile)."""
        question = self.get_object()
        data = _valid(s.QuestionResponseSerializer, request)
        with transaction.atomic():
            refused = stale(request, question)
            if refused is not None:
                return refused
            question = services.question_respond(
                question=question, response=data["response"], by=_person(request)
            )
        body = s.ChallengeQuestionSerializer(question, context={"request": request}).data
        return _tagged(Response(body), question)


class FollowUpViewSet(RestrictedReadOnlyViewSet):
    """The six-month follow-up reports (generated when the clock falls due)."""

    queryset = FollowUp.objects.select_related("report").order_by("-generated_on", "-id")
    serializer_class = s.FollowUpSerializer


class EscalationViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """The Chair's letters to agencies with overdue Section 11 actions. POST records a letter
    (the agency must have an overdue action; they go on the Chair's escalated list);
    `respond` records the agency's reply; `letter/pdf` and `letter/docx` download it.
    An agency's safeguarding lead sees their own agency's letters."""

    queryset = Escalation.objects.select_related(
        "agency", "follow_up__report__cycle", "sent_by", "partnership"
    ).order_by("follow_up", "agency__name")
    serializer_class = s.EscalationSerializer
    permission_action = {"respond": "change"}
    filterset_fields = ["follow_up", "agency"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        follow_up = restricted(FollowUp, self.request, "view").filter(pk=data["follow_up"].pk)
        if not follow_up.exists():
            raise ValidationError({"follow_up": "Choose a follow-up of this partnership."})
        serializer.instance = services.escalation_record(
            follow_up=data["follow_up"],
            agency=data["agency"],
            addressee=data["addressee"],
            letter_text=data["letter_text"],
            letter_date=data.get("letter_date"),
            by=_person(self.request),
        )

    @action(detail=True, methods=["post"], serializer_class=s.EscalationResponseSerializer)
    def respond(self, request: Request, pk: Any = None) -> Response:
        """The agency's response and its date (not before the letter)."""
        esc = self.get_object()
        data = _valid(s.EscalationResponseSerializer, request)
        with transaction.atomic():
            refused = stale(request, esc)
            if refused is not None:
                return refused
            esc = services.escalation_response_record(escalation=esc, by=_person(request), **data)
        return _tagged(
            Response(s.EscalationSerializer(esc, context={"request": request}).data), esc
        )

    @action(
        detail=True,
        methods=["get"],
        url_path=r"letter/(?P<fmt>(?:pdf|docx))",
        serializer_class=s.EmptySerializer,
    )
    def letter(self, request: Request, pk: Any = None, fmt: str = "pdf") -> Any:
        """The letter as PDF or Word."""
        esc = self.get_object()
        if fmt not in ("pdf", "docx"):
            raise Http404
        return document_response(documents.letter_doc(esc), fmt, f"section-11-letter-{esc.pk}")
