"""Forms of the performance pages."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.forms import DateInput
from lift.core.models import Agency
from lift.learning.models import Action, Theme

from . import periods
from .choices import Rag
from .models import Indicator, IndicatorValue, ScrutinyFocus

INDICATOR_SETTINGS = [
    "title",
    "owner_agency",
    "unit",
    "polarity",
    "frequency",
    "target",
    "tolerance",
    "source",
    "regional_label",
    "valid_min",
    "valid_max",
    "suppress_below",
    "due_working_days",
    "themes",
    "is_active",
]


class DatasetFilterForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[("", "Any")] + [(c.value, c.label) for c in Rag],
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership, performance_indicators__isnull=False
        ).distinct()
        self.fields["theme"].queryset = Theme.objects.for_partnership(  # type: ignore[attr-defined]
            partnership
        ).filter(is_active=True)


class IndicatorForm(forms.ModelForm):
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    numerator = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    denominator = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateField(
        widget=DateInput, help_text="The first period this definition applies to."
    )

    class Meta:
        model = Indicator
        fields = ["code", *INDICATOR_SETTINGS]


class IndicatorEditForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Indicator
        fields = INDICATOR_SETTINGS


class RedefineForm(forms.Form):
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    numerator = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    denominator = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = forms.DateField(
        widget=DateInput, help_text="The first day of the first period under the new definition."
    )
    reason = forms.CharField(
        label="Why has the definition changed?", widget=forms.Textarea(attrs={"rows": 3})
    )


class ValueForm(forms.ModelForm):
    period = forms.CharField(
        help_text="For example 2015-04 (a month), 2015/16 Q1 (a quarter) or 2015/16 (a year)."
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "value",
            "numerator",
            "denominator",
            "national",
            "regional",
            "neighbours",
            "commentary",
        ]
        widgets = {"commentary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["regional"].label = f"Regional ({indicator.regional_label})"
        self.order_fields(["period"])

    def clean_period(self) -> Any:
        try:
            return periods.parse(self.indicator.frequency, self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def _post_clean(self) -> None:
        # The service validates the whole row (with the indicator and version).
        pass


class ValueEditForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Why is the value being revised?", widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = IndicatorValue
        fields = ValueForm.Meta.fields
        widgets = {"commentary": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        pass


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV or Excel file", help_text="See the layout above.")


class FocusForm(forms.ModelForm):
    class Meta:
        model = ScrutinyFocus
        fields = ["meeting", "title", "question", "indicators"]
        widgets = {"indicators": forms.CheckboxSelectMultiple}


class FocusEditForm(forms.ModelForm):
    class Meta:
        model = ScrutinyFocus
        fields = ["title", "question", "indicators", "presentation", "challenge", "conclusions"]
        widgets = {"indicators": forms.CheckboxSelectMultiple}


class AnalysisRequestForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    request = forms.CharField(
        label="What analysis is wanted?", widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label="Due by", widget=DateInput)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )


class AnalysisResponseForm(forms.Form):
    response = forms.CharField(label="The analysis", widget=forms.Textarea(attrs={"rows": 8}))
    presented = forms.BooleanField(label="Presented to the Board", required=False)


class FocusActionForm(forms.Form):
    title = forms.CharField(max_length=300)
    owner_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency")
    due_on = forms.DateField(label="Due by", widget=DateInput)
    success_measure = forms.CharField(
        label="How will we know it worked?", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        )


class ImpactForm(forms.Form):
    action = forms.ModelChoiceField(queryset=Action.objects.none())
    period_from = forms.ChoiceField(label="From period")
    period_to = forms.ChoiceField(label="To period")

    def __init__(
        self, *args: Any, actions: Any, period_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions  # type: ignore[attr-defined]
        self.fields["period_from"].choices = period_choices  # type: ignore[attr-defined]
        self.fields["period_to"].choices = period_choices  # type: ignore[attr-defined]
