"""Bookings: the list, a booking's page, cancelling, approving, offers, questionnaires,
certificates; evaluations and impact follow-ups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from lift.core.documents import document_response
from lift.core.views.generic import (
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView
from lift.learning.selectors import chain_for

from .. import questionsets, reports, services
from ..choices import (
    ACTIVE,
    KIND_QUESTION_SET,
    Attendance,
    BookingStatus,
    EvaluationKind,
    FollowUpStatus,
)
from ..filters import BookingFilter, EvaluationFilter, FollowUpFilter
from ..forms import ApproveForm, FindingFromEvaluationForm, OfferForm, ReasonForm
from ..models import Booking, Evaluation, FollowUp
from ..tables import BOOKING_TABLE, EVALUATION_TABLE, FOLLOWUP_TABLE

LEARNER_KINDS = (EvaluationKind.PRE, EvaluationKind.POST, EvaluationKind.REACTION)


class BookingListView(ObjectListView):
    model = Booking
    queryset = Booking.objects.select_related("learner", "agency", "session__course")
    table = BOOKING_TABLE
    filterset_class = BookingFilter
    ordering = ("-session__starts_on", "learner__full_name", "pk")
    title = "Bookings"

    def check_allowed(self) -> None:
        if not Booking.access.allows_any(self.request.user, "view", self.partnership):
            raise PermissionDenied


class BookingDetailView(ObjectDetailView):
    model = Booking
    queryset = Booking.objects.select_related("learner", "agency", "session__course", "booked_by")
    template_name = "training/booking_detail.html"

    def extra_context(self) -> dict[str, Any]:
        booking = self.object
        user = self.request.user
        today = timezone.localdate()
        session = booking.session
        answered = {e.kind: e for e in booking.evaluations.restrict(user, "view")}
        is_learner = booking.learner_id == user.pk
        questionnaires = []
        if is_learner:
            for kind in LEARNER_KINDS:
                if kind in answered:
                    continue
                try:
                    from .. import rules

                    rules.evaluation_allowed(booking, kind, today)
                except Exception:
                    continue
                questionnaires.append(
                    {
                        "label": EvaluationKind(kind).label,
                        "url": reverse("training:booking_evaluate", args=[booking.pk, kind]),
                    }
                )
        may_change = allowed(self.request, booking, "change")
        return {
            "session": session,
            "evaluations": list(answered.values()),
            "questionnaires": questionnaires,
            "follow_ups": list(
                booking.follow_ups.restrict(user, "view").select_related("respondent")
            ),
            "can_cancel": may_change and booking.status in ACTIVE and session.starts_on > today,
            "can_approve": booking.status == BookingStatus.PENDING_APPROVAL
            and allowed(self.request, booking, "approve"),
            "can_answer_offer": booking.status == BookingStatus.OFFERED and may_change,
            "certificate": booking.attendance == Attendance.ATTENDED,
        }


class BookingHistoryView(ObjectHistoryView):
    model = Booking


class BookingCancelView(StepView):
    model = Booking
    permission = "change"
    form_class = ReasonForm
    title = "Cancel this booking"
    submit_label = "Cancel the booking"
    success_message = "The booking is cancelled."

    def check_step(self) -> None:
        if self.object.status not in ACTIVE:
            raise Http404("This booking is not active.")

    def extra_context(self) -> dict[str, Any]:
        from .. import rules
        from ..services import training_settings

        conf = training_settings(self.partnership)
        session = self.object.session
        if self.object.status == BookingStatus.WAITLISTED or not rules.cancellation_is_late(
            session, conf, timezone.localdate()
        ):
            return {}
        warning = (
            f"This is a late cancellation (less than {conf.cancellation_notice_days} "
            "working days before the session)."
        )
        if conf.non_attendance_charge > 0:
            warning += f" The agency will be charged £{conf.non_attendance_charge}."
        return {"blocked": [warning]}

    def perform(self, form: forms.BaseForm) -> None:
        services.booking_cancel(booking=self.object, by=self.me, reason=form.cleaned_data["reason"])


class BookingApproveView(StepView):
    model = Booking
    permission = "approve"
    form_class = ApproveForm
    title = "Approve training"
    submit_label = "Save decision"
    success_message = "Decision recorded."

    def check_step(self) -> None:
        if self.object.status != BookingStatus.PENDING_APPROVAL:
            raise Http404("This booking is not waiting for approval.")

    def summary(self) -> list[tuple[str, Any]]:
        b = self.object
        return [
            ("Learner", b.learner),
            ("Course", b.session.course.title),
            ("Date", b.session.dates_text),
        ]

    def perform(self, form: forms.BaseForm) -> None:
        services.booking_approve(
            booking=self.object,
            by=self.me,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )


class BookingOfferView(StepView):
    model = Booking
    permission = "change"
    form_class = OfferForm
    title = "A place is free"
    submit_label = "Save"
    success_message = "Thank you: your answer is saved."

    def check_step(self) -> None:
        if self.object.status != BookingStatus.OFFERED:
            raise Http404("No place is on offer.")

    def summary(self) -> list[tuple[str, Any]]:
        b = self.object
        return [
            ("Course", b.session.course.title),
            ("Date", b.session.dates_text),
            ("Accept by", b.offer_expires_on),
        ]

    def perform(self, form: forms.BaseForm) -> None:
        services.offer_respond(
            booking=self.object,
            by=self.me,
            accept=form.cleaned_data["decision"] == "accept",
        )


class EvaluateView(StepView):
    """The learner answers a questionnaire (reaction, before or after the course)."""

    model = Booking
    permission = "view"
    template_name = "training/questionnaire.html"
    submit_label = "Send answers"
    success_message = "Thank you: your answers are saved."

    @cached_property
    def kind(self) -> str:
        kind = self.kwargs["kind"]
        if kind not in LEARNER_KINDS:
            raise Http404("No such questionnaire.")
        return str(kind)

    @cached_property
    def question_set(self) -> Any:
        return questionsets.current(KIND_QUESTION_SET[EvaluationKind(self.kind)])

    def get_title(self) -> str:
        return str(EvaluationKind(self.kind).label)

    def check_step(self) -> None:
        if self.object.learner_id != self.request.user.pk:
            raise PermissionDenied

    def extra_context(self) -> dict[str, Any]:
        return {"question_set": self.question_set}

    def get_form_class(self) -> type[forms.BaseForm]:
        return questionsets.form_class(self.question_set)

    def perform(self, form: forms.BaseForm) -> None:
        services.evaluation_submit(
            booking=self.object,
            kind=self.kind,
            respondent=self.me,
            answers=form.cleaned_data,
        )


class CertificateView(ObjectMixin):
    """A certificate of attendance (PDF) for someone who attended."""

    model = Booking
    queryset = Booking.objects.select_related("learner", "session__course", "session__trainer")
    permission = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        booking = self.object
        if booking.attendance != Attendance.ATTENDED:
            raise Http404("Certificates are for people who attended.")
        fmt = request.GET.get("format", "pdf")
        if fmt not in {"pdf", "docx"}:
            fmt = "pdf"
        return document_response(
            reports.certificate(booking), fmt, f"certificate-{booking.session.course.title}"
        )


class EvaluationListView(ObjectListView):
    model = Evaluation
    queryset = Evaluation.objects.select_related("respondent", "booking__session__course")
    table = EVALUATION_TABLE
    filterset_class = EvaluationFilter
    ordering = ("-submitted_on", "-pk")
    title = "Evaluations"


class EvaluationDetailView(ObjectDetailView):
    model = Evaluation
    queryset = Evaluation.objects.select_related(
        "respondent", "question_set", "booking__session__course", "booking__learner"
    )
    template_name = "training/evaluation_detail.html"

    def extra_context(self) -> dict[str, Any]:
        ev = self.object
        return {
            "answers": ev.answer_rows(),
            "can_learn": allowed(self.request, ev, "learn"),
            "findings": list(chain_for(self.request.user, ev).findings)
            if allowed(self.request, ev, "learn")
            else [],
        }


class EvaluationFindingView(StepView):
    """Turn a response describing a practice change or a gap into a learning finding."""

    model = Evaluation
    permission = "learn"
    form_class = FindingFromEvaluationForm
    title = "Record a lesson from this response"
    submit_label = "Record the finding"
    success_message = "The finding is recorded in the learning chain."

    def initial(self) -> dict[str, Any]:
        ev = self.object
        return {
            "text": questionsets.evidence_text(ev.question_set, ev.answers),
            "title": f"Training impact: {ev.booking.session.course.title}",
            "themes": list(ev.booking.session.course.themes.all()),
        }

    def perform(self, form: forms.BaseForm) -> Any:
        data = form.cleaned_data
        return services.evaluation_to_finding(
            evaluation=self.object,
            by=self.me,
            title=data["title"],
            text=data["text"],
            kind=data["kind"],
            themes=list(data["themes"]),
        )


class FollowUpListView(ObjectListView):
    model = FollowUp
    queryset = FollowUp.objects.select_related("respondent", "booking__session__course")
    table = FOLLOWUP_TABLE
    filterset_class = FollowUpFilter
    ordering = ("-sent_on", "pk")
    title = "Impact follow-ups"


class FollowUpDetailView(StepView):
    """A follow-up: its respondent answers it here; others see its status."""

    model = FollowUp
    permission = "view"
    queryset = FollowUp.objects.select_related(
        "respondent", "booking__learner", "booking__session__course", "evaluation"
    )
    template_name = "training/followup_detail.html"
    submit_label = "Send answers"
    success_message = "Thank you: your evidence is saved."

    def get_title(self) -> str:
        return str(self.object)

    @cached_property
    def question_set(self) -> Any:
        return questionsets.current(KIND_QUESTION_SET[EvaluationKind(self.object.evaluation_kind)])

    @property
    def can_answer(self) -> bool:
        return (
            self.object.respondent_id == self.request.user.pk
            and self.object.status != FollowUpStatus.ANSWERED
        )

    def extra_context(self) -> dict[str, Any]:
        return {
            **self.object_context(),
            "question_set": self.question_set,
            "can_answer": self.can_answer,
        }

    def get_form_class(self) -> type[forms.BaseForm]:
        return questionsets.form_class(self.question_set)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.can_answer:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form: forms.BaseForm) -> Any:
        return services.follow_up_answer(
            follow_up=self.object, respondent=self.me, answers=form.cleaned_data
        )

    def success_url(self, result: Any) -> str:
        return reverse("training:mine")
