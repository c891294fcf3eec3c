"""Forms of learning from inspection (every text field has a size limit)."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.files import EvidenceFileField
from lift.core.forms import DateInput
from lift.core.models import Agency, Partnership, Person
from lift.learning.models import Recommendation

from .models import Inspection
from .reference import inspection_reference


class InspectionForm(forms.ModelForm):
    inspectorate = forms.ChoiceField(label="Inspectorate", choices=())

    class Meta:
        model = Inspection
        fields = [
            "inspectorate",
            "agency",
            "title",
            "started_on",
            "ended_on",
            "published_on",
            "report_url",
            "summary",
            "progress_interval_months",
        ]
        widgets = {"started_on": DateInput, "ended_on": DateInput, "published_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectorate"].choices = inspection_reference().choices()  # type: ignore[attr-defined]


class JudgementForm(forms.Form):
    area = forms.CharField(label="Area judged", max_length=250)
    grade = forms.ChoiceField(label="Judgement", choices=(), widget=forms.RadioSelect)

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ref = inspection_reference()
        scale = ref.scale_for(inspection.inspectorate)
        found = ref.inspectorate(inspection.inspectorate)
        self.fields["grade"].choices = [(g.code, g.label) for g in scale.grades] if scale else []  # type: ignore[attr-defined]
        if found:
            self.fields["area"].help_text = "For example: " + "; ".join(found.areas[:3])


class RecommendationForm(forms.Form):
    reference = forms.CharField(
        label="Reference", max_length=30, required=False, help_text="e.g. R3"
    )
    text = forms.CharField(
        label="Recommendation", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(forms.Form):
    recommendation = forms.ModelChoiceField(
        label="Recommendation", queryset=Recommendation.objects.none()
    )
    title = forms.CharField(label="Action", max_length=250)
    owner_agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    owner = forms.ModelChoiceField(label="Owner", queryset=Person.objects.none(), required=False)
    due_on = forms.DateField(label="Due by", widget=DateInput)
    success_measure = forms.CharField(
        label="How will we know it made a difference?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership: Partnership = inspection.partnership
        # The view's scope_form narrows these to the ones the person may view.
        self.fields["recommendation"].queryset = Recommendation.objects.from_source(inspection)  # type: ignore[attr-defined]
        self.fields["owner_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, is_active=True
        )  # type: ignore[attr-defined]
        self.fields["owner"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(role_assignments__partnership=partnership, is_active=True)
            .distinct()
            .order_by("full_name")
        )
        if inspection.agency_id:
            self.fields["owner_agency"].initial = inspection.agency_id


class ReportFileForm(forms.Form):
    file = EvidenceFileField(label="Inspection report")
    description = forms.CharField(label="Description", max_length=300, required=False)


class PresentForm(forms.Form):
    presented_on = forms.DateField(label="Presented on", widget=DateInput)
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Board meeting", queryset=None, required=False
    )
    notes = forms.CharField(
        label="Notes", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lift.governance.models import Meeting

        self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("-starts_at")  # type: ignore[attr-defined]
