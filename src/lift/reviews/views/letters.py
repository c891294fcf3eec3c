"""National panel correspondence: letters (PDF and DOCX), their templates, panel replies."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

from lift.core.documents import Bullets, Doc, Heading, KeyValue, PageBreak, Para, document_response
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    allowed,
)
from lift.core.views.steps import StepView

from .. import forms as f
from .. import services
from ..choices import LetterKind
from ..letters import text_blocks
from ..models import Incident, Letter, LetterTemplate, PanelReply
from ..reference import reference


class LetterFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LetterKind.choices, label="Letter")
    unsent = django_filters.BooleanFilter(
        field_name="sent_on", lookup_expr="isnull", label="Not sent yet"
    )

    class Meta:
        model = Letter
        fields = ["kind", "unsent"]


class LetterListView(ObjectListView):
    model = Letter
    title = "National panel correspondence"
    filterset_class = LetterFilter
    queryset = Letter.objects.select_related("incident")
    table = Table(
        [
            Column("subject", "Letter", link=True),
            Column("incident.reference", "Incident", sort="incident__reference"),
            Column("kind", "Kind"),
            Column("due_on", "Due"),
            Column("sent_on", "Sent"),
        ]
    )
    ordering = ("-created_at", "-pk")


class LetterDetailView(ObjectDetailView):
    model = Letter
    template_name = "reviews/letter_detail.html"
    queryset = Letter.objects.select_related("incident", "sent_by")

    def summary(self) -> list[tuple[str, Any]]:
        letter = self.object
        return [
            ("To", letter.recipients),
            ("Incident", letter.incident),
            ("Kind", letter.get_kind_display()),
            ("Due", letter.due_on),
            ("Sent", letter.sent_on),
            ("Sent by", letter.sent_by),
            (
                "National panel meeting",
                f"{letter.panel_meeting_month:%B %Y} (the panel meets monthly)"
                if letter.panel_meeting_month
                else "",
            ),
        ]

    def extra_context(self) -> dict[str, Any]:
        letter = self.object
        can = allowed(self.request, letter, "change")
        return {
            "can_send": can and not letter.sent_on,
            "enclosures": services.letter_enclosures(letter),
            "needs_notification": letter.kind == LetterKind.INITIATION_NO,
            "sent_form": f.LetterSentForm(),
            "blocks": text_blocks(letter.body),
            "replies": letter.replies.all(),
        }


class LetterHistoryView(ObjectHistoryView):
    model = Letter


class LetterCreateView(StepView):
    """Generate a letter of a chosen kind for the incident from the partnership's template."""

    model = Incident
    permission = "correspond"
    title = "Generate a letter to the national panel"
    submit_label = "Generate the letter"

    class KindForm(forms.Form):
        kind = forms.ChoiceField(
            label="Which letter?", choices=LetterKind.choices, widget=forms.RadioSelect
        )

    form_class = KindForm

    def perform(self, form: Any) -> Any:
        review = self.object.reviews.first()
        return services.letter_generate(
            incident=self.object,
            kind=form.cleaned_data["kind"],
            by=self.me,
            review=review,
        )


class LetterSentView(StepView):
    model = Letter
    form_class = f.LetterSentForm
    title = "Mark the letter as sent"
    submit_label = "Mark as sent"
    success_message = "The letter is marked as sent."

    def perform(self, form: Any) -> Any:
        return services.letter_mark_sent(
            letter=self.object, sent_on=form.cleaned_data["sent_on"], by=self.me
        )


class LetterEnclosureView(StepView):
    """Attach a file to send with an unsent letter: for a NO letter, the local authority's
    Serious Incident Notification, which the letter says is attached."""

    model = Letter
    form_class = f.LetterEnclosureForm
    title = "Attach a file to the letter"
    intro = (
        "The file is sent with the letter. Only those who may see the letter can download "
        "it. Once the letter is marked as sent, nothing more can be attached."
    )
    submit_label = "Attach the file"
    success_message = "The file is attached to the letter."

    def perform(self, form: Any) -> Any:
        services.letter_enclosure_add(
            letter=self.object,
            uploaded_file=form.cleaned_data["file"],
            by=self.me,
            description=form.cleaned_data["description"],
        )
        return self.object


class LetterEditView(StepView):
    """The business unit edits the draft of an unsent letter (`letter_update`: the
    publication guard checks the edited text; the history keeps each version)."""

    model = Letter
    form_class = f.LetterEditForm
    title = "Edit the letter"
    intro = (
        "This letter is a draft until you mark it as sent. Once it is sent, its text "
        "cannot be changed. The letter's history keeps every version."
    )
    submit_label = "Save the draft"
    success_message = "The draft letter is saved."

    def initial(self) -> dict[str, Any]:
        return {"subject": self.object.subject, "body": self.object.body}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        letter = self.object
        if letter.sent_on:
            messages.info(
                request,
                f"This letter was marked sent on {letter.sent_on:%-d %B %Y}: its text cannot "
                "be changed.",
            )
            return HttpResponseRedirect(letter.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def perform(self, form: Any) -> Any:
        return services.letter_update(letter=self.object, by=self.me, **form.cleaned_data)


class LetterRegenerateView(StepView):
    model = Letter
    title = "Regenerate the letter from its template"
    intro = (
        "The text is generated again from the current template and record (for "
        "example once the reviewers are appointed). This replaces the draft, including "
        "any edits you have made; the letter's history keeps them."
    )
    submit_label = "Regenerate"

    def perform(self, form: Any) -> Any:
        return services.letter_regenerate(letter=self.object, by=self.me)


def _body_blocks(body: str) -> list[Any]:
    """The letter's text (paragraphs and bulleted lists) as document blocks."""
    return [
        Bullets(lines) if kind == "ul" else Para("\n".join(lines))
        for kind, lines in text_blocks(body)
    ]


def letter_document(letter: Letter) -> Doc:
    """The letter as a document, followed by what is sent with it: each enclosure (a NO
    letter's is the local authority's Serious Incident Notification) merged in as its own
    pages when it is a PDF, listed with a link otherwise. Nothing LIFT writes is presented
    as the notification itself."""
    incident = letter.incident
    sections: list[Any] = [
        KeyValue(
            [
                ("To", letter.recipients),
                ("Our reference", incident.reference),
                ("Date", f"{(letter.sent_on or letter.created_at.date()):%-d %B %Y}"),
            ]
        ),
        *_body_blocks(letter.body),
    ]
    enclosures = services.letter_enclosures(letter)
    if enclosures:
        sections += [
            Heading("Enclosures", 2),
            Bullets(
                [f"{a.description or 'File'}: {a.original_name}" + _uploaded(a) for a in enclosures]
            ),
        ]
        for a in enclosures:
            sections += _enclosure_blocks(a)
    elif letter.kind == LetterKind.INITIATION_NO:
        sections += [
            Heading("Enclosures", 2),
            Para(
                "The local authority's Serious Incident Notification is not attached yet. "
                "Attach it in LIFT before the letter is sent."
            ),
        ]
    return Doc(
        title=letter.subject,
        partnership=letter.partnership,
        sections=sections,
        date=letter.sent_on or letter.created_at.date(),
        toc=False,
    )


def _uploaded(attachment: Any) -> str:
    from django.utils import timezone

    return f" (attached {timezone.localtime(attachment.created_at):%-d %B %Y})"


def _enclosure_blocks(attachment: Any) -> list[Any]:
    """A PDF enclosure's own pages after a page break; another kind is listed only."""
    from lift.core.documents import AttachedPdf

    if not attachment.original_name.lower().endswith(".pdf"):
        return []
    with attachment.file.open("rb") as f:
        data = f.read()
    attached = AttachedPdf(
        note=f"Enclosure: {attachment.description or attachment.original_name}, as attached.",
        pdf=data,
        url=attachment.get_absolute_url(),
    )
    return [PageBreak(), attached] if attached.pages else []


class LetterDocumentView(ObjectMixin):
    """The letter as PDF or DOCX (whoever may see the letter may download it)."""

    model = Letter
    permission = "view"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if fmt not in ("pdf", "docx"):
            raise Http404
        letter = self.object
        return document_response(
            letter_document(letter), fmt, f"letter-{letter.incident.reference}-{letter.kind}"
        )


# --- templates ------------------------------------------------------------------------------


class LetterTemplateListView(ObjectListView):
    model = LetterTemplate
    title = "Letter templates"
    intro = (
        "The text of each letter to the national panel. Defaults come from "
        "reference/reviews/letters.yaml."
    )
    table = Table(
        [
            Column("name", "Letter", link=True),
            Column("subject", "Subject"),
            Column("updated_at", "Last changed"),
        ]
    )
    ordering = ("key",)

    def get_queryset(self) -> Any:
        services.lettertemplates_ensure(self.partnership)
        return super().get_queryset()


class LetterTemplateDetailView(ObjectDetailView):
    model = LetterTemplate
    template_name = "reviews/lettertemplate_detail.html"
    fields = ["name", "subject", "body"]

    def extra_context(self) -> dict[str, Any]:
        return {"placeholders": reference().placeholders}


class LetterTemplateEditView(ObjectEditView):
    model = LetterTemplate
    form_class = f.LetterTemplateForm

    def save(self, form: Any) -> LetterTemplate:
        return services.lettertemplate_update(
            template=self.object,
            by=self.me,
            **{n: form.cleaned_data[n] for n in form.fields},
        )


class LetterTemplateHistoryView(ObjectHistoryView):
    model = LetterTemplate


class LetterTemplateResetView(StepView):
    model = LetterTemplate
    title = "Reset to the default text"
    intro = (
        "Your changes to this letter are replaced by the default text. The "
        "change history keeps them."
    )
    submit_label = "Reset"

    def perform(self, form: Any) -> Any:
        return services.lettertemplate_reset(template=self.object, by=self.me)


class ReplyRespondView(StepView):
    model = PanelReply
    form_class = f.RespondForm
    title = "Record our response to the panel"

    def perform(self, form: Any) -> Any:
        return services.panel_reply_respond(reply=self.object, by=self.me, **form.cleaned_data)
