"""Forms of boards, meetings and the business plan."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Person
from lift.core.views.generic import restricted
from lift.learning.choices import Priority as ActionPriority
from lift.learning.models import Theme

from .choices import AttendanceStatus, MeetingStatus, ReportStatus
from .models import AgendaItem, Board, BusinessPlan, Decision, Meeting, Membership, Priority
from .responsibilities import catalogue


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def object_from_url(request: HttpRequest, url: str) -> models.Model:
    """The record whose LIFT page is at `url` (as copied from the address bar), if the user
    may see it: how a person links an agenda item or a priority to any record."""
    path = urlparse(url.strip()).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        raise ValidationError("Enter the address of a record's page in LIFT.") from None
    view_class = getattr(match.func, "view_class", None)
    model = getattr(view_class, "model", None)
    pk = match.kwargs.get("pk")
    if model is None or pk is None:
        raise ValidationError("That address is not the page of one record.")
    try:
        return restricted(model, request, "view").get(pk=pk)
    except (model.DoesNotExist, Http404):
        raise ValidationError("No record you can see is at that address.") from None


LINK_HELP = (
    "Optional. Open the record's page in LIFT (an audit report, a review, an action, a dataset "
    "focus area...) and paste its address here, e.g. /actions/12/."
)


class LinkField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Link to a record")
        kwargs.setdefault("help_text", LINK_HELP)
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)


class LinkedFormMixin:
    """Resolves the link field to an object (kept in `linked_object`)."""

    request: HttpRequest
    cleaned_data: dict[str, Any]

    def clean_link(self) -> str:
        value = self.cleaned_data.get("link", "").strip()
        self.linked_object = object_from_url(self.request, value) if value else None
        return value


class BoardForm(forms.ModelForm):
    responsibility_set = forms.ChoiceField(
        required=False,
        label="Responsibilities it reports against",
        help_text="From the Learning and Improvement Framework.",
    )
    terms_upload = EvidenceFileField(required=False, label="Terms of reference document")

    class Meta:
        model = Board
        fields = [
            "kind",
            "name",
            "short_name",
            "purpose",
            "terms_of_reference",
            "reports_to",
            "joint_of",
            "responsibility_set",
            "quorum",
            "meets_every_months",
            "is_active",
        ]
        widgets = {"joint_of": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None"), *catalogue().choices()]
        self.fields["responsibility_set"].choices = choices  # type: ignore[attr-defined]
        if self.instance.pk:
            for name in ("reports_to", "joint_of"):
                qs = self.fields[name].queryset  # type: ignore[attr-defined]
                self.fields[name].queryset = qs.exclude(pk=self.instance.pk)  # type: ignore[attr-defined]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["board", "person", "role", "agency", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}
        labels = {"board": "Group"}


class MembershipEditForm(MembershipForm):
    class Meta(MembershipForm.Meta):
        fields = ["role", "agency", "starts_on", "ends_on"]


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        choices=ReportStatus.choices, widget=forms.RadioSelect, label="Status this year"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="What has been done"
    )
    evidence_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label="Link to evidence",
        help_text="Optional, e.g. a report or minutes.",
    )


class MeetingForm(forms.ModelForm):
    online_link = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Online link",
        help_text="Joining link for an online meeting.",
    )

    class Meta:
        model = Meeting
        fields = ["board", "title", "starts_at", "ends_at", "location", "online_link", "notes"]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput}
        labels = {"board": "Group", "starts_at": "Starts", "ends_at": "Ends"}


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = ["title", "starts_at", "ends_at", "location", "online_link", "notes"]


class MeetingStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MeetingStatus.choices, label="Move the meeting to")


class AgendaItemForm(LinkedFormMixin, forms.ModelForm):
    link = LinkField()

    class Meta:
        model = AgendaItem
        fields = ["title", "purpose", "presenter", "order"]
        help_texts = {"order": "Leave as it is to add the item at the end."}

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False


class AgendaItemEditForm(AgendaItemForm):
    class Meta(AgendaItemForm.Meta):
        fields = ["title", "purpose", "presenter", "order", "minutes"]


PAPER_HINT = (
    "PDF, DOCX or XLSX. A PDF is merged into the Board pack as it is; Word and Excel files "
    "are converted to their text and tables."
)


class PaperFileField(EvidenceFileField):
    """The checked upload field, offering only the kinds of file a paper may be."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        kwargs.setdefault(
            "help_text",
            f"{PAPER_HINT} Smaller than {filesizeformat(settings.LIFT_MAX_UPLOAD_BYTES)}.",
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".pdf,.docx,.xlsx"


class PaperForm(forms.Form):
    """Add a paper to an agenda item."""

    title = forms.CharField(max_length=250, label="Title of the paper")
    file = PaperFileField(label="File")


class PaperReplaceForm(forms.Form):
    """Upload a new version of a paper (the older versions are kept)."""

    file = PaperFileField(label="New version")
    title = forms.CharField(
        max_length=250,
        required=False,
        label="Title of the paper",
        help_text="Leave as it is to keep the title.",
    )


class PaperLateForm(forms.Form):
    late = forms.TypedChoiceField(
        choices=[("yes", "Late paper"), ("no", "Not late")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Is this a late paper?",
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "decided_by", "agenda_item"]
        labels = {"text": "What was decided"}

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = meeting or getattr(self.instance, "meeting", None)
        if meeting is not None:
            self.fields["agenda_item"].queryset = meeting.items.all()  # type: ignore[attr-defined]


class DecisionActionForm(forms.Form):
    title = forms.CharField(max_length=250, label="Action")
    owner_agency: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Agency.objects.none(), label="Agency that owns it"
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label="Person who owns it"
    )
    due_on = forms.DateField(widget=DateInput, label="Due")
    success_measure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How will we know it made a difference?",
    )
    priority = forms.ChoiceField(choices=ActionPriority.choices, initial=ActionPriority.MEDIUM)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    serves = forms.ModelChoiceField(
        queryset=Priority.objects.all(),
        required=False,
        label="Business plan priority it serves",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = Person.objects.filter(is_active=True)  # type: ignore[attr-defined]


class BusinessPlanForm(forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = ["year", "title", "summary", "approved_by", "approved_on"]
        widgets = {"approved_on": DateInput}

    def clean_year(self) -> str:
        from .rules import YearFormat

        year = self.cleaned_data["year"].strip()
        if not YearFormat.holds(year):
            raise ValidationError(YearFormat.message())
        return year


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = [
            "order",
            "title",
            "description",
            "themes",
            "lead",
            "lead_agency",
            "success_measures",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)  # type: ignore[attr-defined]


class PriorityLinkForm(LinkedFormMixin, forms.Form):
    link = LinkField(required=True, help_text=LINK_HELP.replace("Optional. ", ""))
    note = forms.CharField(required=False, max_length=300, label="Note")

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(*args, **kwargs)


class AttendanceForm(forms.Form):
    """One status (and deputy) per member; fields named status_<person id>."""

    def __init__(self, *args: Any, rows: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            person = row["person"]
            current = row["attendance"]
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                label=str(person),
                initial=current.status if current else None,
            )
            self.fields[f"deputy_{person.pk}"] = forms.CharField(
                required=False,
                max_length=200,
                label=f"Deputy for {person}",
                help_text="If someone attended in their place.",
                initial=current.deputy if current else "",
            )
