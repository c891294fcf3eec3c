"""Forms of the annual report."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.voice.rules import year_bounds


class NewReportForm(forms.Form):
    year = forms.CharField(
        label="Year", max_length=7, help_text="The financial year, e.g. 2015/16."
    )
    title = forms.CharField(
        label="Title",
        max_length=250,
        required=False,
        help_text="Leave empty for 'Annual report' and the year.",
    )

    def clean_year(self) -> str:
        year = self.cleaned_data["year"].strip()
        year_bounds(year)
        return year


class NarrativeForm(forms.Form):
    """The report's foreword, a narrative for each section in use, and next year's
    priorities."""

    def __init__(self, *args: Any, sections: list[tuple[str, str, str]], **kwargs: Any) -> None:
        """`sections`: (key, title, what its figures say) of each section in use."""
        super().__init__(*args, **kwargs)
        self.section_keys = [key for key, _, _ in sections]
        self.fields["foreword"] = forms.CharField(
            label="The Chair's foreword",
            widget=forms.Textarea(attrs={"rows": 6}),
            required=False,
            max_length=20000,
        )
        for key, title, figures in sections:
            self.fields[f"narrative_{key}"] = forms.CharField(
                label=title,
                help_text="Commentary shown before this section's figures"
                + (f", which say: {figures}" if figures else "."),
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                max_length=20000,
            )
        self.fields["priorities_next_year"] = forms.CharField(
            label="Priorities for next year",
            widget=forms.Textarea(attrs={"rows": 6}),
            required=False,
            max_length=20000,
        )

    def narratives(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"narrative_{key}", "") for key in self.section_keys}
