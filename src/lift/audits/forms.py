"""Forms of the audits area (GOV.UK markup comes from the project's form renderer)."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.forms import DateInput
from lift.core.models import Agency, Person
from lift.learning.choices import Addressee, DisseminationKind, FindingKind
from lift.learning.models import Finding, Theme

from .choices import YES_NO_PARTLY, AnswerType, AuditMethod, AuditStatus, Frequency, HowGathered
from .models import (
    AgencyAuditProgramme,
    Audit,
    AuditProgramme,
    AuditTemplate,
    CaseIdentity,
    SampleCase,
    TemplateSection,
)


def _field(form: forms.BaseForm, name: str) -> Any:
    """A declared field, typed loosely so its queryset or choices can be narrowed."""
    return form.fields[name]


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = AuditProgramme
        fields = ["year", "title", "summary", "approved_on"]
        widgets = {"approved_on": DateInput, "summary": _textarea()}


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = [
            "programme",
            "title",
            "purpose",
            "themes",
            "planned_start",
            "planned_end",
            "returns_due_on",
            "template",
            "agencies",
            "sampling_rule",
            "lead",
            "previous_audit",
        ]
        widgets = {
            "planned_start": DateInput,
            "planned_end": DateInput,
            "returns_due_on": DateInput,
            "themes": forms.CheckboxSelectMultiple,
            "agencies": forms.CheckboxSelectMultiple,
            "purpose": _textarea(),
            "sampling_rule": _textarea(3),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "template").queryset = AuditTemplate.objects.filter(kind="multi_agency")
        _field(self, "themes").queryset = Theme.objects.filter(is_active=True)
        if self.instance.pk:
            _field(self, "previous_audit").queryset = Audit.objects.exclude(pk=self.instance.pk)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Move the audit to", choices=AuditStatus.choices)
    reason = forms.CharField(label="Note (optional)", required=False, widget=_textarea(2))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "status").choices = choices
        _field(self, "status").widget = forms.RadioSelect(choices=choices)


class PersonForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.all())


class PriorityForm(forms.Form):
    priority: Any = forms.ModelChoiceField(label="Business plan priority", queryset=None)

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "priority").queryset = queryset


class SampleCaseForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=30,
        help_text='The pseudonymised reference everyone will see, e.g. "Case MA-03".',
    )
    summary = forms.CharField(
        label="Why the case is in the sample",
        required=False,
        widget=_textarea(3),
        help_text="Without names, dates of birth, addresses or record numbers.",
    )
    full_name = forms.CharField(
        label="Child's full name", max_length=200, help_text="Seen only by the audit team."
    )
    other_names = forms.CharField(label="Other names", required=False, widget=_textarea(2))
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DateInput)
    address = forms.CharField(label="Address", required=False, widget=_textarea(2))
    record_numbers = forms.CharField(
        label="Agencies' record numbers", required=False, widget=_textarea(2)
    )


class SampleCaseEditForm(forms.ModelForm):
    class Meta:
        model = SampleCase
        fields = ["reference", "summary"]
        widgets = {"summary": _textarea(3)}


class IdentityForm(forms.ModelForm):
    class Meta:
        model = CaseIdentity
        fields = ["full_name", "other_names", "date_of_birth", "address", "record_numbers"]
        widgets = {
            "date_of_birth": DateInput,
            "other_names": _textarea(2),
            "address": _textarea(2),
            "record_numbers": _textarea(2),
        }


class AssignmentForm(forms.Form):
    case: Any = forms.ModelChoiceField(label="Case", queryset=SampleCase.objects.none())
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    auditor = forms.ModelChoiceField(
        label="Auditor",
        queryset=Person.objects.none(),
        help_text="Someone who holds the auditor or safeguarding lead role for that agency.",
    )
    due_on = forms.DateField(label="Return due", required=False, widget=DateInput)

    def __init__(self, *args: Any, audit: Audit, auditors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "case").queryset = audit.cases.all()
        _field(self, "agency").queryset = audit.agencies.all()
        _field(self, "auditor").queryset = auditors


class DeclarationForm(forms.Form):
    involved = forms.TypedChoiceField(
        label="Have you had any previous involvement with this child or their family?",
        choices=[("no", "No, I have had no previous involvement"), ("yes", "Yes, I have")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="If yes, what was your involvement?",
        required=False,
        widget=_textarea(3),
        help_text="Do not name the child.",
    )


class ReturnSectionForm(forms.Form):
    """The questions and grade of one line of enquiry; fields built from the template."""

    def __init__(self, *args: Any, section: TemplateSection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = section
        for q in section.questions.all():
            name = f"q_{q.pk}"
            label = q.text + ("" if q.required else " (optional)")
            if q.answer_type == AnswerType.YES_NO_PARTLY:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=YES_NO_PARTLY,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=q.help_text,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=_textarea(3), help_text=q.help_text
                )
        scale = section.template.scale_for(section)
        self.grades = {str(g.pk): g for g in scale}
        self.fields["grade"] = forms.ChoiceField(
            label=f"Grade for {section.title.lower()}",
            choices=[(str(g.pk), g.label) for g in scale],
            required=False,
            widget=forms.RadioSelect,
            help_text="You can save without a grade and come back; you must grade it to submit.",
        )
        self.fields["rationale"] = forms.CharField(
            label="Why this grade?", required=False, widget=_textarea(3)
        )

    def answers(self) -> dict[int, str]:
        return {
            int(name[2:]): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("q_")
        }

    def grade(self) -> Any:
        return self.grades.get(self.cleaned_data.get("grade") or "")


class ReturnSummaryForm(forms.Form):
    evidence_notes = forms.CharField(
        label="Evidence notes",
        required=False,
        widget=_textarea(5),
        help_text="What you read and found. Use the case reference, never names.",
    )
    strengths = forms.CharField(label="Strengths", required=False, widget=_textarea(4))
    areas_for_improvement = forms.CharField(
        label="Areas for improvement", required=False, widget=_textarea(4)
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, widget=_textarea(3))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="What needs to change?", widget=_textarea(3))


class ViewsForm(forms.Form):
    group_description = forms.CharField(
        label="Which young people?",
        max_length=300,
        help_text='For example, "Six members of the Youth Forum, aged 13 to 17".',
    )
    held_on = forms.DateField(label="Date", widget=DateInput)
    how_gathered = forms.ChoiceField(
        label="How were their views gathered?", choices=HowGathered.choices
    )
    number_of_young_people = forms.IntegerField(
        label="How many young people?", required=False, min_value=1
    )
    what_they_said = forms.CharField(
        label="What they said", widget=_textarea(6), help_text="In their words where possible."
    )


class WaiverForm(forms.Form):
    reason = forms.CharField(
        label="Why could young people's views not be sought for this audit?",
        widget=_textarea(4),
        help_text="The chair of the Learning and Improvement sub-group must approve it.",
    )


class WorkshopForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DateInput)
    attendees = forms.CharField(
        label="Who attended", widget=_textarea(4), help_text="Name and agency, one a line."
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies represented",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    discussion_notes = forms.CharField(label="Discussion", required=False, widget=_textarea(5))
    challenge_notes = forms.CharField(
        label="Challenge",
        required=False,
        widget=_textarea(5),
        help_text="Where agencies' findings were challenged, and what came of it.",
    )


class OverviewForm(forms.Form):
    summary = forms.CharField(
        label="Summary of the overview report",
        widget=_textarea(8),
        help_text="Never a child's name or other identifying detail.",
    )


class FindingForm(forms.Form):
    title = forms.CharField(label="Finding", max_length=250)
    text = forms.CharField(label="What was found", widget=_textarea(4))
    kind = forms.ChoiceField(label="Kind", choices=FindingKind.choices, widget=forms.RadioSelect)
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RecommendationForm(forms.Form):
    reference = forms.CharField(label="Reference", max_length=30, required=False)
    text = forms.CharField(label="Recommendation", widget=_textarea(4))
    findings = forms.ModelMultipleChoiceField(
        label="From findings",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    addressee = forms.ChoiceField(label="Addressed to", choices=Addressee.choices)
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies (when addressed to named agencies)",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, findings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "findings").queryset = findings


class BoardForm(forms.Form):
    meeting: Any = forms.ModelChoiceField(label="Meeting", queryset=None)

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "meeting").queryset = meetings


class DisseminationForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=DisseminationKind.choices)
    title = forms.CharField(label="Title", max_length=300)
    held_on = forms.DateField(label="Date", widget=DateInput)
    audience = forms.CharField(label="Audience", max_length=300)
    agencies_reached = forms.ModelMultipleChoiceField(
        label="Agencies reached",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_reached = forms.IntegerField(label="People reached", min_value=0, initial=0)
    summary = forms.CharField(label="Summary", required=False, widget=_textarea(3))


# --- single-agency ------------------------------------------------------------------------


class AgencyProgrammeForm(forms.ModelForm):
    class Meta:
        model = AgencyAuditProgramme
        fields = ["agency", "title", "year", "template", "description", "share_with_business_unit"]
        widgets = {"description": _textarea(3)}

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "template").queryset = AuditTemplate.objects.filter(kind="single_agency")
        if agencies is not None:
            _field(self, "agency").queryset = agencies


class ScheduleForm(forms.Form):
    team = forms.CharField(label="Team", max_length=150)
    method = forms.ChoiceField(label="How", choices=AuditMethod.choices, widget=forms.RadioSelect)
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
    cases_per_round = forms.IntegerField(label="Cases each time", min_value=1, initial=2)
    auditor = forms.ModelChoiceField(label="Auditor", queryset=Person.objects.all(), required=False)
    next_due_on = forms.DateField(label="Next due", required=False, widget=DateInput)


class CaseAuditForm(forms.Form):
    """A grade for every domain of the agency's template, and overall."""

    case_reference = forms.CharField(
        label="Case reference", max_length=40, help_text="The audit's reference. Never a name."
    )
    audited_on = forms.DateField(label="Date audited", widget=DateInput)
    auditor = forms.ModelChoiceField(label="Auditor", queryset=Person.objects.all())
    worker = forms.ModelChoiceField(
        label="Allocated worker", queryset=Person.objects.all(), required=False
    )
    manager = forms.ModelChoiceField(
        label="Worker's manager", queryset=Person.objects.all(), required=False
    )

    def __init__(self, *args: Any, template: AuditTemplate, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("auditor", "worker", "manager"):
            _field(self, name).queryset = people
        self.sections = list(template.sections.all())
        self.scales: dict[int, dict[str, Any]] = {}
        for s in self.sections:
            scale = template.scale_for(s)
            self.scales[s.pk] = {str(g.pk): g for g in scale}
            self.fields[f"grade_{s.pk}"] = forms.ChoiceField(
                label=f"Grade for {s.title.lower()}",
                choices=[(str(g.pk), g.label) for g in scale],
                widget=forms.RadioSelect,
                help_text=s.description,
            )
        overall = [g for g in template.grades.all() if g.section_id is None]
        self.overall = {str(g.pk): g for g in overall}
        self.fields["overall_grade"] = forms.ChoiceField(
            label="Overall grade",
            choices=[(str(g.pk), g.label) for g in sorted(overall, key=lambda g: -g.score)],
            widget=forms.RadioSelect,
        )
        self.fields["strengths"] = forms.CharField(
            label="Strengths", required=False, widget=_textarea(3)
        )
        self.fields["areas_for_improvement"] = forms.CharField(
            label="Areas for improvement", required=False, widget=_textarea(3)
        )

    def grades(self) -> dict[TemplateSection, Any]:
        return {s: self.scales[s.pk][self.cleaned_data[f"grade_{s.pk}"]] for s in self.sections}


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="Feedback given to the worker and their manager", widget=_textarea(5)
    )
    given_on = forms.DateField(label="Date given", widget=DateInput)


class SmtReportForm(forms.Form):
    period_start = forms.DateField(label="Period from", widget=DateInput)
    period_end = forms.DateField(label="Period to", widget=DateInput)
    reported_on = forms.DateField(label="Reported to senior management on", widget=DateInput)
    findings = forms.CharField(label="Findings", widget=_textarea(5))
    recommendations = forms.CharField(label="Recommendations", required=False, widget=_textarea(4))
    actions_agreed = forms.CharField(label="Actions agreed", required=False, widget=_textarea(3))


class ShareForm(forms.Form):
    title = forms.CharField(
        label="Title of the finding shared with the partnership", max_length=250
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
