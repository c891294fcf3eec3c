"""The catalogue (signed in and public), My training, sessions, booking and registers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lift.core.access import assignments_for
from lift.core.models import Partnership, Person
from lift.core.views.generic import (
    LiftView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView

from .. import selectors, services
from ..choices import ACTIVE, Attendance, BookingStatus
from ..filters import SessionFilter
from ..forms import BookForm, SessionCancelForm, SessionForm
from ..ical import session_calendar
from ..models import Booking, Course, TrainingSession, TrainingSettings
from ..tables import SESSION_TABLE


class CatalogueView(LiftView):
    """Upcoming sessions with places left, and the course catalogue."""

    permission = "view"
    template_name = "training/catalogue.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not Course.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        today = timezone.localdate()
        sessions = list(selectors.upcoming_sessions(request.user, self.partnership, today)[:50])
        mine = set(
            Booking.objects.filter(
                learner=self.me, session__in=sessions, status__in=ACTIVE
            ).values_list("session_id", flat=True)
        )
        context = {
            "title": "Training",
            "sessions": sessions,
            "mine": mine,
            "courses": Course.objects.restrict(request.user, "view")
            .filter(partnership=self.partnership, is_active=True)
            .order_by("level", "title")[:100],
            "can_manage": TrainingSession.access.allows(request.user, "add", self.partnership),
            "can_change_settings": TrainingSettings.access.allows(  # type: ignore[attr-defined]
                request.user, "change", self.partnership
            ),
        }
        return render(request, self.template_name, context)


@method_decorator(login_not_required, name="dispatch")
class PublicCatalogueView(LiftView):
    """Upcoming sessions of public courses with places left; booking needs an account."""

    public = True
    template_name = "training/public_catalogue.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        slug = request.GET.get("partnership", "")
        partnership = Partnership.objects.filter(slug=slug).first() if slug else None
        sessions = list(selectors.public_sessions(timezone.localdate(), partnership)[:100])
        context = {
            "title": "Safeguarding training",
            "sessions": sessions,
            "partnership_filter": partnership,
            "partnerships": Partnership.objects.filter(
                pk__in={s.partnership_id for s in sessions}
                | ({partnership.pk} if partnership else set())
            ),
        }
        return render(request, self.template_name, context)


class MyTrainingView(LiftView):
    """The learner's bookings, questionnaires to answer, follow-ups; a manager's approvals."""

    permission = "view"
    template_name = "training/my_training.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        today = timezone.localdate()
        context = {
            "title": "My training",
            "bookings": list(selectors.my_bookings(request.user, self.partnership)[:50]),
            "to_complete": selectors.evaluations_to_complete(request.user, self.partnership, today),
            "follow_ups": list(selectors.follow_ups_to_answer(request.user, self.partnership)[:20]),
            "approvals": list(selectors.approvals_waiting(self.me, self.partnership)[:20]),
        }
        return render(request, self.template_name, context)


class SessionListView(ObjectListView):
    model = TrainingSession
    queryset = TrainingSession.objects.select_related("course")
    table = SESSION_TABLE
    filterset_class = SessionFilter
    ordering = ("-starts_on", "-pk")
    title = "Training sessions"

    def get_queryset(self) -> Any:
        return selectors.with_places(super().get_queryset())


class SessionDetailView(ObjectDetailView):
    model = TrainingSession
    queryset = TrainingSession.objects.select_related("course", "trainer")
    template_name = "training/session_detail.html"

    def extra_context(self) -> dict[str, Any]:
        session = self.object
        user = self.request.user
        counted: Any = selectors.with_places(TrainingSession.objects.filter(pk=session.pk)).get()
        mine = Booking.objects.filter(session=session, learner=self.me, status__in=ACTIVE).first()
        can_register = allowed(self.request, session, "register")
        return {
            "places_left": counted.places_left,
            "places_taken": counted.places_taken,
            "waiting": counted.waiting,
            "my_booking": mine,
            "can_book": not session.is_cancelled
            and session.starts_on > timezone.localdate()
            and (mine is None or Booking.access.allows_any(user, "book_for", self.partnership)),
            "can_register": can_register,
            "can_cancel_session": allowed(self.request, session, "change")
            and not session.is_cancelled,
            "register": list(selectors.register(session)) if can_register else [],
            "waiting_list": list(
                Booking.objects.filter(
                    session=session, status__in=[BookingStatus.WAITLISTED, BookingStatus.OFFERED]
                )
                .select_related("learner")
                .order_by("created_at", "pk")
            )
            if can_register
            else [],
        }


class SessionEditView(ObjectEditView):
    """Change the session through `session_update` (its follow-up date follows its last
    day)."""

    model = TrainingSession
    form_class = SessionForm

    def save(self, form: forms.BaseForm) -> TrainingSession:
        return services.session_update(
            session=self.object,
            by=self.request.user,  # type: ignore[arg-type]
            **{name: form.cleaned_data[name] for name in form.fields},
        )


class SessionHistoryView(ObjectHistoryView):
    model = TrainingSession


class SessionCreateView(StepView):
    """Schedule a session of a course (from the course's page)."""

    model = Course
    permission = "change"
    form_class = SessionForm
    title = "Add a session"
    submit_label = "Add session"
    success_message = "Session added."

    def check_step(self) -> None:
        if not TrainingSession.access.allows(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def perform(self, form: forms.BaseForm) -> TrainingSession:
        data = form.cleaned_data
        return services.session_create(
            course=self.object,
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on") or data["starts_on"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            venue=data["venue"],
            online_url=data["online_url"],
            capacity=data["capacity"],
            trainer=data.get("trainer"),
        )


class SessionCancelView(StepView):
    model = TrainingSession
    permission = "change"
    form_class = SessionCancelForm
    title = "Cancel the session"
    submit_label = "Cancel the session"
    success_message = "The session is cancelled and everyone booked has been told."
    intro = "Every booking is cancelled and each learner is told, with a calendar cancellation."

    def perform(self, form: forms.BaseForm) -> None:
        services.session_cancel(session=self.object, reason=form.cleaned_data["reason"], by=self.me)


class SessionCalendarView(ObjectMixin):
    """The session as an iCalendar file."""

    model = TrainingSession
    queryset = TrainingSession.objects.select_related("course")
    permission = "view"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.object
        response = HttpResponse(
            session_calendar(session), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="training-session-{session.pk}.ics"'
        )
        return response


class SessionBookView(StepView):
    """Book a place: learners for themselves; leads and training staff for someone else."""

    model = TrainingSession
    permission = "view"
    form_class = BookForm
    title = "Book a place"
    submit_label = "Book"
    success_message = "Booked."

    def people(self) -> Any:
        user = self.request.user
        if not Booking.access.allows_any(user, "book_for", self.partnership):
            return None
        people = Person.objects.filter(
            role_assignments__partnership=self.partnership, is_active=True
        ).distinct()
        if not Booking.access.allows(user, "book_for", self.partnership):
            people = people.filter(
                agency_id__in=[
                    a.agency_id
                    for a in assignments_for(user)
                    if a.partnership_id == self.partnership.pk and a.role == "safeguarding_lead"
                ]
            )
        return people.order_by("full_name")

    def form_kwargs(self) -> dict[str, Any]:
        return {"people": self.people()}

    def summary(self) -> list[tuple[str, Any]]:
        s = self.object
        return [("Course", s.course.title), ("Date", s.dates_text), ("Where", s.where)]

    def perform(self, form: forms.BaseForm) -> Booking:
        learner = form.cleaned_data.get("learner") or self.me
        return services.booking_create(session=self.object, learner=learner, by=self.me)

    def done_message(self, result: Any) -> str:
        if result.learner_id != self.request.user.pk:
            return f"{result.learner} is booked ({result.get_status_display().lower()})."
        messages_by_status = {
            BookingStatus.CONFIRMED: "Your place is booked. We have sent a calendar invitation.",
            BookingStatus.PENDING_APPROVAL: (
                "Booked: the place is held until your line manager approves it."
            ),
            BookingStatus.WAITLISTED: "The session is full: you are on the waiting list.",
        }
        return messages_by_status.get(BookingStatus(result.status), "Booked.")

    def success_url(self, result: Any) -> str:
        if result.learner_id == self.request.user.pk:
            return reverse("training:mine")
        return str(self.object.get_absolute_url())


class SessionRegisterView(ObjectMixin):
    """The register: mark attendance for each confirmed place."""

    model = TrainingSession
    queryset = TrainingSession.objects.select_related("course")
    permission = "register"
    template_name = "training/register.html"

    def session(self) -> TrainingSession:
        return self.object  # type: ignore[no-any-return]

    def page(
        self,
        session: TrainingSession,
        bookings: list[Booking],
        chosen: dict[int, str],
        errors: list[str],
    ) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "title": f"Register: {session}",
                "object": session,
                "count": len(bookings),
                "rows_html": register_rows(bookings, chosen),
                "errors": errors,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.session()
        bookings = list(selectors.register(session))
        return self.page(session, bookings, {}, [])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.session()
        bookings = list(selectors.register(session))
        valid = set(Attendance.values)
        chosen = {b.pk: request.POST.get(f"b{b.pk}", "") for b in bookings}
        errors = [
            f"{b.learner}: choose one of the attendance options."
            for b in bookings
            if chosen[b.pk] and chosen[b.pk] not in valid
        ]
        if not errors:
            marks = {pk_: value for pk_, value in chosen.items() if value}
            try:
                with transaction.atomic():
                    services.register_mark(session=session, marks=marks, by=self.me)
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                messages.success(request, "Attendance saved.")
                return HttpResponseRedirect(session.get_absolute_url())
        return self.page(session, bookings, {k: v for k, v in chosen.items() if v}, errors)


def register_rows(bookings: list[Booking], chosen: dict[int, str]) -> SafeString:
    """The register's table rows: a row of small GOV.UK radios per learner. Built here, not
    in a template loop, because a register can hold hundreds of learners."""
    choices = [(escape(v), escape(str(label))) for v, label in Attendance.choices]
    rows = []
    for b in bookings:
        name = f"b{b.pk}"
        current = chosen.get(b.pk, b.attendance)
        learner = escape(str(b.learner))
        radios = "".join(
            f'<div class="govuk-radios__item"><input class="govuk-radios__input" '
            f'id="{name}-{n}" name="{name}" type="radio" value="{value}"'
            f'{" checked" if value == current else ""}><label class="govuk-label '
            f'govuk-radios__label" for="{name}-{n}">{label}</label></div>'
            for n, (value, label) in enumerate(choices, start=1)
        )
        rows.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            f'{learner}</th><td class="govuk-table__cell">{escape(str(b.agency or ""))}</td>'
            f'<td class="govuk-table__cell"><fieldset class="govuk-fieldset"><legend '
            f'class="govuk-visually-hidden">Attendance of {learner}</legend><div '
            f'class="govuk-radios govuk-radios--small govuk-radios--inline" '
            f'data-module="govuk-radios">{radios}</div></fieldset></td></tr>'
        )
    return mark_safe("\n".join(rows))
