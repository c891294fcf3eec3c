"""The search form: the words, and the filters by area, theme, agency and date."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.forms import DateInput
from lift.core.models import Agency
from lift.learning.models import Theme

from .kinds import AREAS


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search for",
        max_length=200,
        required=False,
        help_text="Words from a title or text, for example neglect adolescents.",
    )
    area = forms.ChoiceField(label="Area", required=False)
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="Any theme"
    )
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), required=False, empty_label="Any agency"
    )
    date_from = forms.DateField(label="From (date)", required=False, widget=DateInput)
    date_to = forms.DateField(label="To (date)", required=False, widget=DateInput)

    def __init__(self, *args: Any, user: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any area"), *AREAS]  # type: ignore[attr-defined]
        themes = Theme.objects.restrict(user, "view")
        if partnership is not None:
            themes = themes.for_partnership(partnership)
        self.fields["theme"].queryset = themes.filter(is_active=True).order_by("name")  # type: ignore[attr-defined]
        agencies = Agency.objects.none()
        if partnership is not None:
            agencies = (
                Agency.objects.restrict(user, "view")
                .filter(partnership=partnership)
                .order_by("name")
            )
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date.")
        return data

    def filters(self) -> dict[str, Any]:
        """The cleaned filters, as `selectors.search` takes them."""
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "area": data.get("area") or None,
            "theme": data.get("theme"),
            "agency": data.get("agency"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
