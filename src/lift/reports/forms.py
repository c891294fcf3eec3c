"""Forms of the annual report."""

from __future__ import annotations

from typing import Any

from django import forms

from lift.core.forms import DateInput
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


class SectionForm(forms.Form):
    """A section written by a group's chair."""

    text = forms.CharField(
        label="Your section",
        help_text="Separate paragraphs with a blank line. The figures below are added to the "
        "report after your text.",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=20000,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="What needs changing",
        help_text="Shown in the section's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class GroupChoiceField(forms.ModelChoiceField):
    """A group, named with its chair."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} (chair: {obj.chair})"


class AssignForm(forms.Form):
    """Ask a group's chair to write a section (or take it back)."""

    def __init__(
        self, *args: Any, sections: list[tuple[str, str]], boards: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"] = forms.ChoiceField(
            label="Section", choices=[("", "Choose a section"), *sections]
        )
        self.fields["board"] = GroupChoiceField(
            label="Who writes it",
            queryset=boards,
            required=False,
            empty_label="The business unit",
            help_text="The group's chair writes the section and submits it to you.",
        )
        self.fields["due_on"] = forms.DateField(
            label="Due by",
            required=False,
            widget=DateInput(),
            help_text="The chair sees the section on their to-do list, due by this date.",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("board") is None and data.get("due_on"):
            self.add_error("due_on", "A due date is for a section a group's chair writes.")
        return data
