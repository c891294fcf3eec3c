"""Pages of young people's voice (/voice/...)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from lift.core.access import has_role
from lift.core.documents import document_response, render_html
from lift.core.forms import specific_messages
from lift.core.models import Attachment, Person
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    allowed,
    restricted,
    scope_form,
)

from . import rules, selectors, services
from .choices import ResponseKind
from .documents import you_said_we_did_doc
from .forms import (
    ChairMeetingForm,
    ConsultationForm,
    EventForm,
    ForumForm,
    MaterialForm,
    MemberForm,
    PresentationForm,
    RespondForm,
    SessionForm,
    TermForm,
    ViewForm,
)
from .models import (
    PERSONAL,
    ChairMeeting,
    Consultation,
    Event,
    ForumMember,
    ForumSession,
    Presentation,
    Term,
    YoungPeoplesView,
    YouthForum,
)


def _me(request: HttpRequest) -> Person:
    """The signed-in person (every page here needs a sign-in)."""
    return cast(Person, request.user)


def _forum(request: HttpRequest) -> YouthForum:
    forum = selectors.forum_for(request.partnership)  # type: ignore[attr-defined]
    if forum is None:
        raise Http404("Set up the Youth Forum first.")
    return forum


# --- the forum -----------------------------------------------------------------------------


class ForumView(LiftView):
    """The forum at a glance: members (counts, or the list for the coordinator and the
    Chair), the Chair's termly meetings, the year's events against the target,
    consultations and the annual presentation."""

    permission = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        user, p = request.user, self.partnership
        if not YouthForum.access.allows_any(user, "view", p):
            raise PermissionDenied
        today = timezone.localdate()
        forum = selectors.forum_for(p)
        year = rules.year_of(today)
        terms = selectors.term_rows(p, today)
        context = {
            "title": forum.name if forum else "Youth Forum",
            "forum": forum,
            "can_change": YouthForum.access.allows(user, "change", p),
            "sees_members": has_role(user, p, PERSONAL),
            "counts": selectors.member_counts(p, today),
            "terms": terms,
            "events": selectors.events_year(p, year),
            "consultations": restricted(Consultation, request, "view")[:5],
            "presentations": restricted(Presentation, request, "view")[:3],
            "sessions": restricted(ForumSession, request, "view")[:5],
        }
        return render(request, "voice/forum.html", context)


class ForumEditView(LiftView):
    permission = "change"

    def check(self) -> YouthForum | None:
        if not YouthForum.access.allows(self.request.user, "change", self.partnership):
            raise PermissionDenied
        return selectors.forum_for(self.partnership)

    def page(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "voice/form.html",
            {
                "form": form,
                "title": "Youth Forum details and settings",
                "back": reverse("voice:forum"),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ForumForm(instance=self.check())
        return self.page(specific_messages(scope_form(form, request)))

    def post(self, request: HttpRequest) -> HttpResponse:
        forum = self.check()
        # Choices (the supporting agency) limited to this partnership: shown and accepted.
        form = specific_messages(scope_form(ForumForm(request.POST, instance=forum), request))
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ForumForm.Meta.fields}
            try:
                services.forum_save(partnership=self.partnership, by=_me(request), **data)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(reverse("voice:forum"))
        return self.page(form)


# --- members (personal data: coordinator and Chair only) -----------------------------------


class MemberListView(ObjectListView):
    model = ForumMember
    table = Table(
        [
            Column("name", "Name", link=True),
            Column("age_band", "Age band"),
            Column("joined_on", "Joined"),
            Column("left_on", "Left"),
            Column("retain_until", "Details kept until"),
        ]
    )
    add_url_name = "voice:forummember_add"
    title = "Youth Forum members"
    intro = "Only the youth forum coordinator and the Chair see members' details."
    ordering = ("name", "id")


class MemberCreateView(ObjectCreateView):
    model = ForumMember
    form_class = MemberForm
    title = "Add a member"

    def save(self, form: forms.BaseForm) -> models.Model:
        data = dict(form.cleaned_data)
        return services.member_add(forum=_forum(self.request), by=_me(self.request), **data)


class MemberDetailView(ObjectDetailView):
    model = ForumMember
    fields = [
        "name",
        "age_band",
        "joined_on",
        "left_on",
        "consent_on",
        "guardian_consent_on",
        "retain_until",
        "anonymised_on",
    ]


class MemberEditView(ObjectEditView):
    model = ForumMember
    form_class = MemberForm

    def save(self, form: forms.BaseForm) -> models.Model:
        data = dict(form.cleaned_data)
        if not data.get("retain_until"):
            data["retain_until"] = self.object.retain_until
        return services.member_update(member=self.object, by=_me(self.request), **data)


class MemberHistoryView(ObjectHistoryView):
    model = ForumMember


# --- sessions ------------------------------------------------------------------------------


class SessionListView(ObjectListView):
    model = ForumSession
    table = Table(
        [
            Column("title", "Session", link=True),
            Column("held_on", "Date"),
            Column("attended", "Young people", numeric=True),
        ]
    )
    add_url_name = "voice:forumsession_add"
    title = "Forum sessions"
    ordering = ("-held_on", "-id")


class SessionCreateView(ObjectCreateView):
    model = ForumSession
    form_class = SessionForm
    title = "Record a forum session"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.session_add(
            forum=_forum(self.request), by=_me(self.request), **form.cleaned_data
        )


class SessionDetailView(ObjectDetailView):
    model = ForumSession
    fields = ["title", "held_on", "attended", "notes"]


class SessionEditView(ObjectEditView):
    model = ForumSession
    form_class = SessionForm


class SessionHistoryView(ObjectHistoryView):
    model = ForumSession


# --- terms and the Chair's meetings --------------------------------------------------------


class TermListView(LiftView):
    """Meetings with the Chair: each term's status against the rule."""

    permission = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not Term.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        today = timezone.localdate()
        return render(
            request,
            "voice/terms.html",
            {
                "title": "Meetings with the Chair",
                "rule": " ".join((rules.ChairMeetsForumEachTerm.__doc__ or "").split()),
                "rows": selectors.term_rows(self.partnership, today),
                "can_add": Term.access.allows(request.user, "add", self.partnership),
                "has_forum": selectors.forum_for(self.partnership) is not None,
            },
        )


class TermCreateView(ObjectCreateView):
    model = Term
    form_class = TermForm
    title = "Add a school term"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.term_create(
            partnership=self.partnership, by=_me(self.request), **form.cleaned_data
        )

    def success_url(self, obj: models.Model) -> str:
        return reverse("voice:term_list")


class TermDetailView(ObjectDetailView):
    model = Term
    template_name = "voice/term_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        t = self.object
        return [("Term", t.name), ("Dates", f"{t.starts_on:%-d %B %Y} to {t.ends_on:%-d %B %Y}")]

    def extra_context(self) -> dict[str, Any]:
        row = selectors.term_rows(
            self.partnership, timezone.localdate(), Term.objects.filter(pk=self.object.pk)
        )[0]
        return {"row": row}


class TermEditView(ObjectEditView):
    model = Term
    form_class = TermForm


class TermHistoryView(ObjectHistoryView):
    model = Term


class ChairMeetingCreateView(ObjectCreateView):
    model = ChairMeeting
    form_class = ChairMeetingForm
    title = "Record a meeting of the Chair with the Youth Forum"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.chair_meeting_record(
            forum=_forum(self.request), by=_me(self.request), **form.cleaned_data
        )


class ChairMeetingDetailView(ObjectDetailView):
    model = ChairMeeting
    fields = ["meets_on", "status", "topics", "attended", "notes"]


class ChairMeetingEditView(ObjectEditView):
    model = ChairMeeting
    form_class = ChairMeetingForm


class ChairMeetingHistoryView(ObjectHistoryView):
    model = ChairMeeting


# --- events --------------------------------------------------------------------------------


class EventListView(ObjectListView):
    model = Event
    table = Table(
        [
            Column("title", "Event", link=True),
            Column("kind", "Kind"),
            Column("theme", "Theme"),
            Column("held_on", "Date"),
            Column("attended", "Young people", numeric=True),
        ]
    )
    add_url_name = "voice:event_add"
    title = "Events with young people"
    ordering = ("-held_on", "-id")
    template_name = "voice/event_list.html"

    def extra_context(self) -> dict[str, Any]:
        p = self.partnership
        years = selectors.event_years(p)
        current = rules.year_of(timezone.localdate())
        if current not in years:
            years.insert(0, current)
        return {"years": [selectors.events_year(p, y) for y in years[:5]]}


class EventCreateView(ObjectCreateView):
    model = Event
    form_class = EventForm
    title = "Record an event"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.event_create(
            partnership=self.partnership, by=_me(self.request), **form.cleaned_data
        )


class EventDetailView(ObjectDetailView):
    model = Event
    fields = ["title", "kind", "theme", "held_on", "audience", "attended", "what_was_said"]


class EventEditView(ObjectEditView):
    model = Event
    form_class = EventForm


class EventHistoryView(ObjectHistoryView):
    model = Event


# --- consultations and "you said, we did" --------------------------------------------------


class ConsultationListView(ObjectListView):
    model = Consultation
    table = Table(
        [
            Column("topic", "Topic", link=True),
            Column("opened_on", "Opened"),
            Column("closed_on", "Closed"),
            Column("published_on", "Responses shared"),
        ]
    )
    add_url_name = "voice:consultation_add"
    title = "Consultations"
    ordering = ("-opened_on", "-id")


class ConsultationCreateView(ObjectCreateView):
    model = Consultation
    form_class = ConsultationForm
    title = "Start a consultation"

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.consultation_create(
            partnership=self.partnership, by=_me(self.request), **form.cleaned_data
        )


class ConsultationDetailView(ObjectDetailView):
    model = Consultation
    template_name = "voice/consultation_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        c = self.object
        return [
            ("Topic", c.topic),
            ("Description", c.description),
            ("Opened", c.opened_on),
            ("Closed", c.closed_on or ""),
            ("Responses shared with the forum", c.published_on or "Not yet"),
        ]

    def extra_context(self) -> dict[str, Any]:
        c = self.object
        informs = None
        if c.informs_type_id:
            target = c.informs_type.model_class()
            manager = getattr(target, "_default_manager", None)
            qs = manager.all() if manager is not None else None
            if qs is not None and hasattr(qs, "restrict"):
                informs = qs.restrict(self.request.user, "view").filter(pk=c.informs_id).first()
        return {
            "views": list(c.views.select_related("finding")),
            "can_change": allowed(self.request, c, "change"),
            "informs": informs,
        }


class ConsultationEditView(ObjectEditView):
    model = Consultation
    form_class = ConsultationForm


class ConsultationHistoryView(ObjectHistoryView):
    model = Consultation


class YouSaidWeDidView(ObjectDetailView):
    """The "you said, we did" sheet, to print or share (?format=pdf or docx)."""

    model = Consultation
    template_name = "voice/you_said_we_did.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "")
        if fmt in ("pdf", "docx"):
            doc = you_said_we_did_doc(self.object)
            return document_response(doc, fmt, doc.title)
        return super().get(request, *args, **kwargs)  # type: ignore[return-value]

    def summary(self) -> list[tuple[str, Any]]:
        return []

    def extra_context(self) -> dict[str, Any]:
        doc = you_said_we_did_doc(self.object)
        return {"title": doc.title, "body": mark_safe(render_html(doc, include_title=False))}


class _Action(LiftView):
    """A form page acting on one record through a service."""

    model: ClassVar[type[models.Model]] = Consultation
    permission = "change"
    form_class: ClassVar[type[forms.Form]]
    submit_label: ClassVar[str] = "Save"

    @cached_property
    def object(self) -> Any:
        try:
            obj = restricted(self.model, self.request, "view").get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist as exc:  # type: ignore[attr-defined]
            raise Http404 from exc
        if not allowed(self.request, obj, self.permission or "view"):
            raise PermissionDenied
        return obj

    def make(self, data: Any = None, files: Any = None) -> forms.Form:
        form = self.form_class(data=data, files=files, initial=self.initial(), **self.form_kwargs())
        # Choices: the partnership's rows the person may view (scope_form).
        return specific_messages(scope_form(form, self.request))  # type: ignore[return-value]

    def initial(self) -> dict[str, Any]:
        return {}

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def back(self) -> str:
        return str(self.object.get_absolute_url())

    def page(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "voice/form.html",
            {
                "form": form,
                "object": self.object,
                "title": self.title,
                "submit_label": self.submit_label,
                "back": self.back(),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.page(self.make())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.make(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.perform(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(self.back())
        return self.page(form)

    def perform(self, form: Any) -> Any:
        raise NotImplementedError


class ViewAddView(_Action):
    form_class = ViewForm
    title = "Record a view young people gave"

    def perform(self, form: Any) -> Any:
        return services.view_add(
            consultation=self.object, by=_me(self.request), **form.cleaned_data
        )


class ViewRespondView(_Action):
    model = YoungPeoplesView
    form_class = RespondForm
    title = "Respond: you said, we did"

    def initial(self) -> dict[str, Any]:
        v = self.object
        return {
            "response": v.response if v.response != ResponseKind.PENDING else ResponseKind.WE_DID,
            "response_text": v.response_text,
            "responded_on": v.responded_on or timezone.localdate(),
        }

    def perform(self, form: Any) -> Any:
        return services.view_respond(view=self.object, by=_me(self.request), **form.cleaned_data)


class ConsultationPublishView(_Action):
    form_class = forms.Form
    title = "Share the responses with the Youth Forum"
    submit_label = "Share the responses"

    def perform(self, form: Any) -> Any:
        return services.consultation_publish(consultation=self.object, by=_me(self.request))


# --- the annual presentation to the Board --------------------------------------------------


class PresentationListView(ObjectListView):
    model = Presentation
    table = Table(
        [
            Column("title", "Presentation", link=True),
            Column("year", "Year"),
            Column("meeting", "Board meeting", sort=None),
        ]
    )
    add_url_name = "voice:presentation_add"
    title = "Annual presentations to the Board"
    ordering = ("-year", "-id")


def _board_meetings(request: HttpRequest) -> Any:
    from lift.governance.models import Meeting

    return (
        restricted(Meeting, request, "view")
        .filter(starts_at__gte=timezone.now())
        .select_related("board")
    )


class PresentationCreateView(ObjectCreateView):
    model = Presentation
    form_class = PresentationForm
    title = "Put the forum's annual presentation on a Board agenda"

    def form_kwargs(self) -> dict[str, Any]:
        return {"meetings": _board_meetings(self.request)}

    def initial(self) -> dict[str, Any]:
        return {"year": rules.year_of(timezone.localdate())}

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.presentation_schedule(
            partnership=self.partnership, by=_me(self.request), **form.cleaned_data
        )


class PresentationDetailView(ObjectDetailView):
    model = Presentation
    template_name = "voice/presentation_detail.html"

    def summary(self) -> list[tuple[str, Any]]:
        p = self.object
        return [
            ("Year", p.year),
            ("Title", p.title),
            ("Summary", p.summary),
            ("Board meeting", str(p.meeting) if p.meeting else "Not yet on an agenda"),
        ]

    def extra_context(self) -> dict[str, Any]:
        p = self.object
        agenda_url = None
        if p.agenda_item_id:
            from lift.governance.models import AgendaItem

            if restricted(AgendaItem, self.request, "view").filter(pk=p.agenda_item_id).exists():
                agenda_url = reverse("governance:agendaitem_detail", args=[p.agenda_item_id])
        return {
            "materials": Attachment.objects.filter(
                content_type=ContentType.objects.get_for_model(Presentation), object_id=p.pk
            ),
            "agenda_url": agenda_url,
            "can_change": allowed(self.request, p, "change"),
        }


class PresentationHistoryView(ObjectHistoryView):
    model = Presentation


class MaterialAddView(_Action):
    model = Presentation
    form_class = MaterialForm
    title = "Add a material for the presentation"
    submit_label = "Upload"

    def perform(self, form: Any) -> Any:
        return services.presentation_material_attach(
            presentation=self.object,
            uploaded_file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            by=_me(self.request),
        )


# --- home panel ----------------------------------------------------------------------------


def chair_panel(request: Any) -> dict[str, Any] | None:
    """For the Chair: this term's meeting with the Youth Forum."""
    partnership = getattr(request, "partnership", None)
    if partnership is None or not has_role(request.user, partnership, {"chair"}):
        return None
    if request.user.is_superuser:
        return None
    data = selectors.chair_panel_data(partnership, timezone.localdate())
    if data is None:
        return None
    status = data["status"]
    colour = {"met": "green", "missed": "red", "not_yet_met": "yellow"}.get(status, "grey")
    held = [m for m in data["meetings"] if m.status == "held"]
    planned = [m for m in data["meetings"] if m.status == "planned"]
    hint = (
        f"Met on {held[0].meets_on:%-d %B %Y}"
        if held
        else f"Planned for {planned[0].meets_on:%-d %B %Y}"
        if planned
        else f"No meeting planned; the term ends on {data['term'].ends_on:%-d %B %Y}"
    )
    return {
        "title": "Youth Forum: this term",
        "items": [
            {
                "label": f"{data['term'].name}: meeting with the Youth Forum",
                "url": reverse("voice:term_detail", args=[data["term"].pk]),
                "hint": hint,
                "tag": status.label,
                "colour": colour,
            }
        ],
        "empty": "",
        "more_url": reverse("voice:term_list"),
    }
