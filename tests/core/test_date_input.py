"""The GOV.UK date input (core.widgets, ADR 0008): three boxes for every date a person types,
the pattern's error messages, and one ISO value still accepted where the boxes are absent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from lxml import html as lxml_html

from lift.core.forms import DateInput, specific_messages
from lift.core.widgets import GovukDateField, GovukDateInput, PartialDate


class SampleForm(forms.Form):
    due_on = forms.DateField(label="Due date", widget=DateInput)  # the project's widget
    held_on = forms.DateField(label="When was it held?", required=False)  # Django's default


def errors(data: dict[str, Any]) -> dict[str, list[str]]:
    form = specific_messages(SampleForm(data))
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def parts(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_three_boxes_make_a_date() -> None:
    form = SampleForm(
        {**parts("due_on", "6", "12", "2026"), **parts("held_on", " 06 ", "02", "2025")}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due_on": dt.date(2026, 12, 6), "held_on": dt.date(2025, 2, 6)}


def test_every_date_field_becomes_a_govuk_date_field() -> None:
    form = SampleForm()
    for name in ("due_on", "held_on"):
        form[name]  # the bound field is made through the project's renderer
        assert isinstance(form.fields[name].widget, GovukDateInput)
        assert isinstance(form.fields[name], GovukDateField)
    # The class's declared fields are untouched: each form changes its own copies.
    assert type(SampleForm.base_fields["held_on"]) is forms.DateField


def test_a_date_field_with_another_widget_is_left_alone() -> None:
    class Hidden(forms.Form):
        on = forms.DateField(widget=forms.HiddenInput)

    form = Hidden({"on": "2026-01-02"})
    assert form.is_valid()
    assert isinstance(form.fields["on"].widget, forms.HiddenInput)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter due date"),
        ("6", "", "2026", "Due date must include a month"),
        ("", "12", "2026", "Due date must include a day"),
        ("6", "12", "", "Due date must include a year"),
        ("", "", "2026", "Due date must include a day and month"),
        ("31", "2", "2026", "Due date must be a real date"),
        ("6", "13", "2026", "Due date must be a real date"),
        ("six", "12", "2026", "Due date must be a real date"),
        ("6", "12", "26", "Year must include 4 numbers"),
    ],
)
def test_the_patterns_error_messages(day: str, month: str, year: str, message: str) -> None:
    assert errors(parts("due_on", day, month, year)) == {"due_on": [message]}


def test_a_question_label_is_not_put_into_the_message() -> None:
    data = {**parts("due_on", "6", "12", "2026"), **parts("held_on", "6", "", "2026")}
    assert errors(data) == {"held_on": ["The date must include a month"]}


def test_without_specific_messages_the_required_message_is_still_the_patterns() -> None:
    form = SampleForm({})
    assert not form.is_valid()
    assert form.errors["due_on"] == ["Enter due date"]


def test_one_iso_value_is_accepted_when_the_boxes_are_absent() -> None:
    form = SampleForm({"due_on": "2026-01-02", "held_on": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == dt.date(2026, 1, 2)
    assert errors({"due_on": "2026-02-31"}) == {"due_on": ["Due date must be a real date"]}
    assert errors({"due_on": ""}) == {"due_on": ["Enter due date"]}


def test_the_boxes_win_over_an_iso_value() -> None:
    form = SampleForm({"due_on": "2026-01-02", **parts("due_on", "3", "4", "2026")})
    assert form.is_valid()
    assert form.cleaned_data["due_on"] == dt.date(2026, 4, 3)


def test_a_model_form_keeps_the_saved_date_when_the_date_is_not_posted() -> None:
    widget = GovukDateInput()
    assert widget.value_omitted_from_data({}, {}, "due_on")
    assert not widget.value_omitted_from_data({"due_on_day": ""}, {}, "due_on")
    assert not widget.value_omitted_from_data({"due_on": "2026-01-02"}, {}, "due_on")


def test_what_was_typed_is_shown_again_with_the_error() -> None:
    form = specific_messages(SampleForm(parts("due_on", "31", "2", "2026")))
    assert not form.is_valid()
    doc = lxml_html.fromstring(f"<div>{form}</div>")
    boxes = doc.xpath("//div[@id='id_due_on']//input")
    assert [(b.get("name"), b.get("value")) for b in boxes] == [
        ("due_on_day", "31"),
        ("due_on_month", "2"),
        ("due_on_year", "2026"),
    ]
    assert [b.get("id") for b in boxes] == ["id_due_on_0", "id_due_on_1", "id_due_on_2"]
    assert all("govuk-input--error" in b.get("class") for b in boxes)
    widths = [b.get("class").split()[2] for b in boxes]
    assert widths == ["govuk-input--width-2", "govuk-input--width-2", "govuk-input--width-4"]
    assert [label.text_content() for label in doc.xpath("//div[@id='id_due_on']//label")] == [
        "Day",
        "Month",
        "Year",
    ]
    # The error summary links to the day box.
    links = doc.xpath("//div[contains(@class, 'govuk-error-summary')]//a")
    assert [(a.get("href"), a.text_content()) for a in links] == [
        ("#id_due_on_0", "Due date must be a real date")
    ]
    error = doc.xpath("//p[@id='id_due_on-error']")[0].text_content()
    assert error.strip() == "Error: Due date must be a real date"


def test_an_initial_date_fills_the_boxes() -> None:
    form = SampleForm(initial={"due_on": dt.date(2026, 3, 27), "held_on": "2025-11-05"})
    doc = lxml_html.fromstring(f"<div>{form}</div>")
    values = [b.get("value") for b in doc.xpath("//input[@inputmode='numeric']")]
    assert values == ["27", "3", "2026", "5", "11", "2025"]
    hint = doc.xpath("//div[@id='id_due_on-hint']")[0].text_content()
    assert hint.startswith("For example, 27 3 ")


def test_partial_date_is_no_date_to_a_plain_date_field() -> None:
    with pytest.raises(forms.ValidationError):
        forms.DateField().clean(PartialDate("31", "2", "2026"))


def test_a_filter_form_takes_the_boxes_from_the_query_string() -> None:
    from lift.core.filters import ChangeLogFilter

    filterset = ChangeLogFilter({"since_day": "1", "since_month": "12", "since_year": "2026"})
    assert filterset.form.is_valid(), filterset.form.errors
    assert filterset.form.cleaned_data["since"] == dt.date(2026, 12, 1)


def test_the_api_keeps_iso_dates() -> None:
    from rest_framework import serializers

    class Sample(serializers.Serializer):
        due_on = serializers.DateField()

    assert Sample({"due_on": dt.date(2026, 12, 6)}).data == {"due_on": "2026-12-06"}
    posted = Sample(data={"due_on": "2026-12-06"})
    assert posted.is_valid() and posted.validated_data["due_on"] == dt.date(2026, 12, 6)
