"""Forms for serious incidents and reviews (GOV.UK markup via the project's form renderer)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Person

from .choices import (
    Arrangement,
    ContributionMethod,
    Contributor,
    DecisionOutcome,
    IncidentType,
    MilestoneKind,
    PanelResponse,
    PublicationDecision,
    ReferralDecision,
    ReferralSource,
    ReplyKind,
    RequestKind,
    ReviewKind,
)
from .models import ChildIdentity, LetterTemplate, RapidReview, Review
from .reference import reference

PSEUDONYMS_ONLY = "Use pseudonyms only: never a name, date of birth, address or NHS number."


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput, help_text=help_text)


def _text(
    label: str, *, required: bool = True, help_text: str = "", rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=20000,
    )


def _agencies(partnership: Any) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label="Agencies involved",
        queryset=Agency.objects.filter(partnership=partnership, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IncidentForm(forms.Form):
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=40,
        help_text='How the child is named everywhere, e.g. "Child A".',
    )
    incident_type = forms.ChoiceField(
        label="Type of incident", choices=IncidentType.choices, widget=forms.RadioSelect
    )
    incident_on = _date("Date of the incident")
    became_aware_on = _date("Date the local authority became aware")
    notified_on = _date(
        "Date notified",
        required=False,
        help_text="To Ofsted / the national panel. Leave empty if not yet.",
    )
    criteria = forms.MultipleChoiceField(
        label="Criteria checklist", required=False, widget=forms.CheckboxSelectMultiple
    )
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.none())
    summary = _text("What happened", required=False, help_text=PSEUDONYMS_ONLY)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        crit = reference().for_regime(partnership.regime)
        cast(Any, self.fields["criteria"]).choices = [
            (c.key, c.label) for c in crit.at("notification")
        ]
        self.fields["agencies"] = _agencies(partnership)


class IncidentEditForm(IncidentForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["notified_on"]


class NotifyForm(forms.Form):
    notified_on = _date("Date the incident was notified")


class ChildIdentityForm(forms.ModelForm):
    class Meta:
        model = ChildIdentity
        fields = [
            "pseudonym",
            "is_subject",
            "relationship",
            "full_name",
            "other_names",
            "date_of_birth",
            "address",
            "postcode",
            "nhs_number",
            "other_identifiers",
        ]
        widgets = {
            "date_of_birth": DateInput,
            "address": forms.Textarea(attrs={"rows": 3}),
            "other_names": forms.Textarea(attrs={"rows": 2}),
            "other_identifiers": forms.Textarea(attrs={"rows": 3}),
        }


class TeamMemberForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.none())
    team_role = forms.CharField(label="Role on the team", max_length=100)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["person"]).queryset = (
            Person.objects.filter(role_assignments__partnership=partnership, is_active=True)
            .distinct()
            .order_by("full_name")
        )


class ReasonForm(forms.Form):
    reason = _text("Reason", rows=3)


class MeetingForm(forms.Form):
    held_on = _date("Date of the meeting")
    agencies = forms.ModelMultipleChoiceField(queryset=Agency.objects.none())
    advice = _text("Advice to the decision-maker", help_text=PSEUDONYMS_ONLY)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"] = _agencies(partnership)
        self.fields["agencies"].label = "Agencies at the meeting"


# --- the decision, one question per page --------------------------------------------------


class DecisionDateForm(forms.Form):
    decided_on = _date("When was the decision made?")


class DecisionOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What is the decision?", choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, wording: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if wording is not None:
            cast(Any, self.fields["outcome"]).choices = [
                (k, wording.statutory_review if k == DecisionOutcome.STATUTORY else label)
                for k, label in DecisionOutcome.choices
            ]


class DecisionReasonsForm(forms.Form):
    reasons = _text("Why was this decision made?", help_text=PSEUDONYMS_ONLY, rows=6)


class CriterionReasonForm(forms.Form):
    reason = _text("Reason", rows=4)

    def __init__(self, *args: Any, criterion_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = criterion_label
        self.fields["reason"].help_text = "Is this criterion met? Give the reason."


class DecisionReferralForm(forms.Form):
    refer = forms.TypedChoiceField(
        label=(
            "Refer the case to the Learning and Improvement sub-group for a "
            "learning lessons review?"
        ),
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )


class DhrForm(forms.Form):
    cspb_chair = forms.CharField(label="Community Safety Partnership Board chair", max_length=200)
    decided_on = _date("Date of the DHR decision")
    dhr_required = forms.BooleanField(
        label="A Domestic Homicide Review is needed", required=False, initial=True
    )
    panels = forms.ChoiceField(
        label="Panels", choices=Arrangement.choices, widget=forms.RadioSelect
    )
    reports = forms.ChoiceField(
        label="Reports", choices=Arrangement.choices, widget=forms.RadioSelect
    )
    executive_reporting_on = _date("Next six-monthly joint CSP / Executive meeting", required=False)
    notes = _text("Notes", required=False, rows=3)


# --- letters ------------------------------------------------------------------------------


class LetterEnclosureForm(forms.Form):
    file = EvidenceFileField(
        label="File to send with the letter",
        help_text="PDF, Word or Excel. For a letter saying no review will be held: the local "
        "authority's Serious Incident Notification.",
    )
    description = forms.CharField(
        max_length=300,
        required=False,
        help_text='e.g. "Serious Incident Notification, as sent to Ofsted".',
    )


class LetterSentForm(forms.Form):
    sent_on = forms.DateField(
        label="Date sent",
        widget=DateInput,
        required=True,
        error_messages={"required": "Enter the date the letter was sent"},
    )


class LetterEditForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=300,
        error_messages={"required": "Enter the subject of the letter"},
    )
    body = forms.CharField(
        label="Text of the letter",
        widget=forms.Textarea(attrs={"rows": 25}),
        max_length=20000,
        error_messages={"required": "Enter the text of the letter"},
        help_text=(
            "Leave a blank line between paragraphs. Start a line with a hyphen and a space "
            '("- ") to make it a bulleted list item. ' + PSEUDONYMS_ONLY
        ),
    )


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = ", ".join("{{ " + k + " }}" for k in reference().placeholders)
        self.fields["body"].help_text = f"Placeholders you can use: {names}. No template tags."


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?", choices=ReplyKind.choices, widget=forms.RadioSelect
    )
    received_on = _date("Date received")
    summary = _text("Summary", help_text=PSEUDONYMS_ONLY)
    response_due_on = _date("Our response is due by", required=False)


class RespondForm(forms.Form):
    responded_on = _date("Date we responded")


# --- rapid review and agency requests -------------------------------------------------------


class RapidReviewForm(forms.ModelForm):
    class Meta:
        model = RapidReview
        fields = [
            "meeting_on",
            "facts",
            "immediate_actions",
            "learning",
            "recommendation",
            "recommendation_reasons",
        ]
        widgets = {"meeting_on": DateInput}


class RapidReviewSendForm(forms.Form):
    sent_on = _date("Date sent to the Panel")


class PanelResponseForm(forms.Form):
    response = forms.ChoiceField(
        label="The Panel's response", choices=PanelResponse.choices, widget=forms.RadioSelect
    )
    responded_on = _date("Date of the response")
    notes = _text("Notes", required=False, rows=3)


class AgencyRequestForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    kind = forms.ChoiceField(
        label="What is asked for?", choices=RequestKind.choices, widget=forms.RadioSelect
    )
    requested_on = _date("Date requested")
    due_on = _date("Due by")
    notes = _text("Notes", required=False, rows=2)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["agency"]).queryset = Agency.objects.filter(
            partnership=partnership, is_active=True
        )


class DateDoneForm(forms.Form):
    on = _date("Date")


class PublicationConcernForm(forms.Form):
    concern = _text(
        "Why may publication not be possible?",
        help_text="The panel is told this in a letter. Use the child's pseudonym only.",
        rows=6,
    )
    raised_on = _date("When did the board come to this view?")


class ImrAuthorForm(forms.Form):
    author = forms.ModelChoiceField(
        label="IMR author",
        queryset=Person.objects.none(),
        help_text="Someone in the agency: they may upload and submit the IMR's files.",
    )

    def __init__(self, *args: Any, request_obj: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["author"]).queryset = (
            Person.objects.filter(
                is_active=True,
                role_assignments__partnership=request_obj.partnership,
                role_assignments__agency=request_obj.agency,
                role_assignments__case_type__isnull=True,
            )
            .distinct()
            .order_by("full_name")
        )


class ImrFileForm(forms.Form):
    file = EvidenceFileField(label="IMR file")
    description = forms.CharField(
        max_length=300,
        required=False,
        help_text='e.g. "IMR, final version". Pseudonyms only in the file name.',
    )


# --- reviews ------------------------------------------------------------------------------


class ReviewCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of review",
        choices=[
            (ReviewKind.LEARNING_LESSONS, ReviewKind.LEARNING_LESSONS.label),
            (ReviewKind.SINGLE_AGENCY, ReviewKind.SINGLE_AGENCY.label),
        ],
        widget=forms.RadioSelect,
    )
    pseudonym = forms.CharField(max_length=40, help_text='e.g. "Child F".')
    decided_on = _date("Date the review was decided")
    methodology = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["methodology"]).choices = [
            ("", "Not chosen yet"),
            *reference().methodology_choices(),
        ]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "status",
            "terms_of_reference",
            "scope_from",
            "scope_to",
            "methodology",
            "report_text",
            "briefing_text",
        ]
        widgets = {
            "scope_from": DateInput,
            "scope_to": DateInput,
            "report_text": forms.Textarea(attrs={"rows": 15}),
            "briefing_text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methodology"] = forms.ChoiceField(
            label="Methodology",
            required=False,
            choices=[("", "Not chosen yet"), *reference().methodology_choices()],
        )
        # Published / final states are set by their workflows, not by hand.
        from .choices import ReviewStatus

        cast(Any, self.fields["status"]).choices = [
            (k, v)
            for k, v in ReviewStatus.choices
            if k
            in (
                ReviewStatus.PLANNING,
                ReviewStatus.IN_PROGRESS,
                ReviewStatus.DRAFT,
                ReviewStatus.CLOSED,
            )
            or k == getattr(self.instance, "status", None)
        ]


class ReviewerForm(forms.Form):
    name = forms.CharField(max_length=200)
    organisation = forms.CharField(max_length=200, required=False)
    why_chosen = _text("Why they were chosen", rows=3)
    declared_involvement = forms.BooleanField(
        label="The reviewer declares involvement with the case or the agencies reviewed",
        required=False,
    )
    involvement_details = _text("Details of the involvement", required=False, rows=3)


class ContributionForm(forms.Form):
    contributor = forms.ChoiceField(choices=Contributor.choices, widget=forms.RadioSelect)
    method = forms.ChoiceField(
        label="How", choices=ContributionMethod.choices, widget=forms.RadioSelect
    )
    contributed_on = _date("Date", required=False)
    summary = _text("Summary", help_text=PSEUDONYMS_ONLY)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(
        label="Milestone", choices=MilestoneKind.choices, widget=forms.RadioSelect
    )
    planned_on = _date("Planned date")
    done_on = _date("Date done", required=False)
    notes = forms.CharField(max_length=300, required=False)


class ReportUploadForm(forms.Form):
    file = EvidenceFileField(label="Report file")
    description = forms.CharField(
        max_length=300, required=False, help_text='e.g. "Final overview report (anonymised)".'
    )


class FindingForm(forms.Form):
    title = forms.CharField(max_length=250)
    text = _text("Finding", help_text=PSEUDONYMS_ONLY)
    recommendation = _text("Recommendation", required=False, rows=3)


class ActionForm(forms.Form):
    title = forms.CharField(max_length=250)
    owner_agency = forms.ModelChoiceField(label="Owning agency", queryset=Agency.objects.none())
    due_on = _date("Due by")
    success_measure = _text("How we will know it worked", rows=2)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["owner_agency"]).queryset = Agency.objects.filter(
            partnership=partnership, is_active=True
        )


class PublicationForm(forms.Form):
    """The seed's publication checklist: one answer per question, then the decision."""

    decision = forms.ChoiceField(choices=PublicationDecision.choices, widget=forms.RadioSelect)
    decided_on = _date("Date of the Board's decision")
    planned_on = _date("Planned publication date", required=False, help_text="If publishing.")
    public_summary = _text("Summary for the public page", required=False, help_text=PSEUDONYMS_ONLY)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {}
        for q in reference().questions:
            questions[f"q_{q.key}"] = _text(q.label, rows=3)
        self.fields = {**questions, **self.fields}

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[f"q_{q.key}"] for q in reference().questions}


class PublishForm(forms.Form):
    published_on = _date("Publication date")


class RemoveForm(forms.Form):
    removed_on = _date("Date removed")
    reason = _text("Reason", rows=3)


# --- referrals ----------------------------------------------------------------------------


class ReferralForm(forms.Form):
    source_kind = forms.ChoiceField(
        label="Where does the referral come from?",
        choices=ReferralSource.choices,
        widget=forms.RadioSelect,
    )
    pseudonym = forms.CharField(max_length=40, help_text='e.g. "Child F". Never a real name.')
    reasons = _text("Why there may be lessons for multi-agency practice", help_text=PSEUDONYMS_ONLY)


class ReferralDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ReferralDecision.ACCEPTED, ReferralDecision.ACCEPTED.label),
            (ReferralDecision.DECLINED, ReferralDecision.DECLINED.label),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = _date("Date of the sub-group's decision")
    reasons = _text("Reasons", rows=3)
    methodology = forms.ChoiceField(required=False, help_text="If a review is agreed.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["methodology"]).choices = [
            ("", "Choose a methodology"),
            *reference().methodology_choices(),
        ]
