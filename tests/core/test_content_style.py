"""Dates and content style (issue 22 item 2): dates read "6 December 2026" everywhere, every
question reads as a plain question and every error message as a plain instruction, an
"(optional)" label never says when it is needed, and page headings are never cut.

The walk signs in as several of the demo's people and opens every page reachable by links
from their home page (GET only; a URL pattern at most twice per person)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django import forms
from django.test import Client
from lxml import html as lxml_html

from lift.core import wording
from lift.core.forms import specific_messages
from lift.core.templatetags.govuk import long_date, optional_marker

WALKERS = ("bu", "lead_sc", "chair", "learner", "cdop", "trainer")
PER_PATTERN = 2  # pages opened per URL pattern (digits replaced) per person
SKIP = re.compile(
    r"/(logout|sign-out|export|download|api|static|media|admin)(/|$)|\.(csv|xlsx|pdf|docx|ics|zip)$"
    r"|/file/|/files/|/calendar"
)
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august"]
MONTHS += ["september", "october", "november", "december"]
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
LOWER_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)? (" + "|".join(MONTHS) + r")\b")


def _visible_text(doc: Any) -> str:
    """What a person reads: the text, without scripts, styles and boxes they type in
    (attributes such as <input value> and <time datetime> are not text)."""
    for bad in doc.xpath("//script | //style | //textarea | //template"):
        bad.drop_tree()
    return " ".join(doc.text_content().split())


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


@pytest.fixture(scope="module")
def pages(built: Any, django_db_blocker: Any) -> dict[str, tuple[str, str]]:
    """URL -> (person, HTML) for every page the walkers reach."""
    found: dict[str, tuple[str, str]] = {}
    with django_db_blocker.unblock():
        for key in WALKERS:
            person = built.people[key]
            client = Client()
            client.force_login(person)
            seen_patterns: dict[str, int] = {}
            queue: deque[str] = deque(["/"])
            visited: set[str] = set()
            while queue:
                url = queue.popleft()
                if url in visited:
                    continue
                visited.add(url)
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response.get(
                    "Content-Type", ""
                ):
                    continue
                content = response.content.decode()
                found.setdefault(url, (key, content))
                for href in lxml_html.fromstring(content).xpath("//a/@href"):
                    link = urldefrag(href)[0]
                    parts = urlsplit(link)
                    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                        continue
                    path = parts.path  # queries (sorting, filters, pages) are not walked
                    if SKIP.search(path) or path in visited:
                        continue
                    pattern = _pattern(path)
                    if seen_patterns.get(pattern, 0) >= PER_PATTERN:
                        continue
                    seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
                    queue.append(path)
    return found


def _problems(pages: dict[str, tuple[str, str]], check: Any) -> list[str]:
    out = []
    for url, (who, content) in sorted(pages.items()):
        for problem in check(lxml_html.fromstring(content)):
            out.append(f"{url} ({who}): {problem}")
    return out


def test_the_walk_reaches_the_forms_and_records_of_every_area(
    pages: dict[str, tuple[str, str]],
) -> None:
    assert len(pages) > 150
    areas = {urlsplit(u).path.split("/")[1] for u in pages}
    assert {"actions", "recommendations", "incidents", "reviews", "training", "section11"} <= areas
    assert {"audits", "inspections", "boards", "cdop", "performance"} <= areas
    with_dates = [u for u, (_w, c) in pages.items() if "govuk-date-input" in c]
    assert len(with_dates) >= 5, "the walk should open several forms with a date input"


def test_no_page_shows_an_iso_date_or_a_lowercase_month(
    pages: dict[str, tuple[str, str]],
) -> None:
    def check(doc: Any) -> Iterator[str]:
        text = _visible_text(doc)
        for match in ISO_DATE.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 20]
            yield f"ISO date {match.group()!r} in {around!r}"
        for match in LOWER_MONTH.finditer(text):
            yield f"lowercase month {match.group()!r}"

    problems = _problems(pages, check)
    assert not problems, "\n".join(problems)


def test_no_question_is_prefixed_and_no_optional_label_says_when_it_is_needed(
    pages: dict[str, tuple[str, str]],
) -> None:
    def check(doc: Any) -> Iterator[str]:
        for element in doc.xpath(
            "//label[not(contains(@class, 'govuk-date-input__label'))] | //legend"
        ):
            text = " ".join(element.text_content().split())
            if text.startswith("Select ") and text.endswith("?"):
                yield f"question prefixed: {text!r}"
            if "(optional)" in text and re.search(r"needed (if|when)", text):
                yield f"optional and needed: {text!r}"
        for element in doc.xpath("//*[contains(@class, 'govuk-error-message')]"):
            text = " ".join(element.text_content().split())
            if text.endswith("?"):
                yield f"error message as a question: {text!r}"

    problems = _problems(pages, check)
    assert not problems, "\n".join(problems)


def test_no_page_heading_is_cut(pages: dict[str, tuple[str, str]]) -> None:
    def check(doc: Any) -> Iterator[str]:
        for h1 in doc.xpath("//h1"):
            text = " ".join(h1.text_content().split())
            if text.endswith(("…", "...")):
                yield f"heading cut: {text!r}"

    problems = _problems(pages, check)
    assert not problems, "\n".join(problems)


def test_every_date_a_person_types_is_a_govuk_date_input(
    pages: dict[str, tuple[str, str]],
) -> None:
    def check(doc: Any) -> Iterator[str]:
        for box in doc.xpath("//input[@type='date']"):
            yield f"browser date picker: {box.get('name')}"
        for group in doc.xpath("//div[contains(@class, 'govuk-date-input')]"):
            fieldset = group.xpath("ancestor::fieldset[@role='group']")
            if not fieldset or not fieldset[0].xpath("legend"):
                yield f"date input outside a fieldset with a legend: {group.get('id')}"

    problems = _problems(pages, check)
    assert not problems, "\n".join(problems)


# --- the filter ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dt.date(2026, 12, 6), "6 December 2026"),
        (dt.date(2026, 8, 10), "10 August 2026"),
        ("2026-08-10", "10 August 2026"),
        (None, ""),
        ("", ""),
        ("not a date", "not a date"),
    ],
)
def test_long_date(value: Any, shown: str) -> None:
    assert long_date(value) == shown


def test_long_date_gives_a_date_and_times_local_day(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/London"
    late = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London
    assert long_date(late) == "2 July 2026"


def test_a_date_shown_without_a_filter_spells_the_month_out() -> None:
    from django.template import Context, Template

    shown = Template("{{ d }}|{{ d|date }}").render(Context({"d": dt.date(2026, 12, 6)}))
    assert shown == "6 December 2026|6 December 2026"


# --- content style: questions and error messages -------------------------------------------


@pytest.mark.parametrize(
    ("verb", "label", "message"),
    [
        ("Select", "How was impact measured?", "Select how impact was measured"),
        ("Enter", "When was the decision made?", "Enter when the decision was made"),
        ("Enter", "Why is this being deleted?", "Enter why this is being deleted"),
        ("Enter", "Why was this decision made?", "Enter why this decision was made"),
        ("Enter", "Who is the place for?", "Enter who the place is for"),
        ("Enter", "What is the decision?", "Enter what the decision is"),
        ("Enter", "What needs to change?", "Enter what needs to change"),
        ("Select", "Was the death expected?", "Select if the death was expected"),
        ("Select", "Do you want the place?", "Select if you want the place"),
        ("Enter", "How will we know it worked?", "Enter how we will know it worked"),
        ("Enter", "Title", "Enter title"),
        ("Select", "The agency", "Select the agency"),
        # Questions that cannot be turned safely are not prefixed either.
        (
            "Select",
            "Which safeguarding partnership's area did the child live in?",
            "Select an answer",
        ),
        ("Enter", "What does it show?", "Enter an answer"),
    ],
)
def test_instruction(verb: str, label: str, message: str) -> None:
    assert wording.instruction(verb, label) == message


def _form_classes() -> list[type[forms.BaseForm]]:
    import importlib
    import pkgutil

    import lift

    for module in pkgutil.walk_packages(lift.__path__, "lift."):
        if module.name.rsplit(".", 1)[-1] in {"forms", "filters"} or ".forms." in module.name:
            importlib.import_module(module.name)
    out: list[type[forms.BaseForm]] = []
    todo = [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("lift."):
                out.append(sub)
    return out


@pytest.mark.django_db
def test_no_error_message_of_any_form_is_a_prefixed_question() -> None:
    classes = _form_classes()
    assert len(classes) > 100
    bad = []
    for cls in classes:
        form = forms.Form()
        form.fields = copy.deepcopy(getattr(cls, "base_fields", {}))
        specific_messages(form)
        for name, field in form.fields.items():
            for code, message in field.error_messages.items():
                text = str(message)
                if text.endswith("?"):
                    bad.append(f"{cls.__module__}.{cls.__name__}.{name} ({code}): {text}")
    assert not bad, "\n".join(bad)


# --- "(optional)" and "needed if" --------------------------------------------------------


class _Reasons(forms.Form):
    reason = forms.CharField(label="Reason (needed if you do not approve it)", required=False)
    notes = forms.CharField(label="Notes", required=False)
    title = forms.CharField(label="Title")


def test_optional_marker_is_left_off_a_label_that_says_when_it_is_needed() -> None:
    form = _Reasons()
    assert optional_marker(form["reason"]) == ""
    assert optional_marker(form["notes"]) == " (optional)"
    assert optional_marker(form["title"]) == ""
    rendered = str(form)
    assert "Reason (needed if you do not approve it)</label>" in rendered
    assert "Notes (optional)</label>" in rendered


# --- titles: cut with an ellipsis, headings whole ------------------------------------------


def test_shortened_cuts_at_a_word_with_an_ellipsis() -> None:
    text = (
        "Agencies should make sure that every referral names the child's lead professional clearly"
    )
    short = wording.shortened(text, 40)
    assert short.endswith("…") and len(short) <= 40
    assert text.startswith(short[:-1])
    assert wording.shortened("Short title", 40) == "Short title"


@pytest.mark.django_db
def test_a_long_recommendation_has_its_whole_text_as_its_heading(
    client: Client, business_unit: Any, partnership: Any
) -> None:
    from lift.learning.models import Recommendation

    text = (
        "Partners should agree a single escalation route for concerns about neglect, so that "
        "a practitioner who is worried knows whom to call and when, across every agency."
    )
    rec = Recommendation.objects.create(partnership=partnership, reference="R9", text=text)
    assert str(rec).endswith("…") and len(str(rec)) < 100  # in lists and choices
    client.force_login(business_unit)
    from django.urls import reverse

    for name, heading in [
        ("learning:recommendation_detail", f"R9: {text}"),
        ("learning:recommendation_history", f"R9: {text}"),
        ("learning:recommendation_edit", f"Change R9: {text}"),
    ]:
        response = client.get(reverse(name, args=[rec.pk]))
        assert response.status_code == 200, name
        page = lxml_html.fromstring(response.content)
        assert " ".join(page.xpath("//h1")[0].text_content().split()) == heading, name
