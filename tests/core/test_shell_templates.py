"""The page shell and the GOV.UK form templates: markup, error summary, brand stylesheet,
error pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.paginator import Paginator
from django.template import loader
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import include, path
from lxml import html as lxml_html

from lift.config import urls as project_urls
from lift.core import urls as core_urls
from lift.core.forms import DateInput
from lift.core.models import Partnership, Person, RoleAssignment
from lift.core.views import brand

# Until core/urls.py carries the brand.css line, tests that need it use this URL map: the
# project's, with brand.css added to the core namespace.
_core_with_brand = (
    [
        *core_urls.urlpatterns,
        path("brand/<int:partnership_id>.css", brand.partnership_brand_css, name="brand_css"),
    ],
    "core",
)
urlpatterns = [
    *(p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "core"),
    path("", include(_core_with_brand)),
]
with_brand_url = pytest.mark.urls(__name__)


_COMPOUND = re.compile(r"([a-z0-9]*)((?:[#.][\w-]+|\[[\w-]+(?:=[\w-]+)?\])*)$")
_PART = re.compile(r"([#.])([\w-]+)|\[([\w-]+)(?:=([\w-]+))?\]")


def xpath_for(selector: str) -> str:
    """XPath for the simple CSS selectors these tests use (tag, #id, .class, [attr=value],
    descendant combinator, comma), so the tests need no CSS-selector package."""
    paths = []
    for alternative in selector.split(","):
        steps = []
        for compound in alternative.split():
            match = _COMPOUND.match(compound)
            assert match, f"unsupported selector {compound!r}"
            conditions = []
            for kind, name, attr, value in _PART.findall(match.group(2)):
                if kind == "#":
                    conditions.append(f"@id='{name}'")
                elif kind == ".":
                    conditions.append(
                        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
                    )
                else:
                    conditions.append(f"@{attr}='{value}'" if value else f"@{attr}")
            steps.append((match.group(1) or "*") + "".join(f"[{c}]" for c in conditions))
        paths.append("descendant-or-self::" + "//".join(steps))
    return " | ".join(paths)


def css(element: Any, selector: str) -> list[Any]:
    return element.xpath(xpath_for(selector))


def parse(markup: str) -> Any:
    return lxml_html.fromstring(f"<div>{markup}</div>")


class SampleForm(forms.Form):
    title = forms.CharField(label="Title", help_text="As it appears on the report.")
    due_on = forms.DateField(label="Due date", widget=DateInput())
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose"), ("1", "Police")])
    priority = forms.ChoiceField(
        label="Priority",
        choices=[("high", "High"), ("low", "Low")],
        widget=forms.RadioSelect,
        help_text="High priority actions go to the Board.",
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("neglect", "Neglect"), ("voice", "Voice of the child")],
        widget=forms.CheckboxSelectMultiple,
    )
    agreed = forms.BooleanField(label="The chair has agreed this")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("Something about the whole form is wrong.")


@pytest.fixture
def invalid_form() -> SampleForm:
    form = SampleForm(data={"agency": "1", "token": "abc"})
    assert not form.is_valid()
    return form


def test_error_summary_links_every_field_error_to_its_input(invalid_form: SampleForm) -> None:
    doc = parse(str(invalid_form))
    summary = css(doc, ".govuk-error-summary")
    assert len(summary) == 1
    alert = css(summary[0], "[role=alert]")[0]
    assert css(alert, ".govuk-error-summary__title")[0].text_content() == "There is a problem"
    links = {a.get("href"): a.text_content() for a in css(alert, "li a")}
    assert links == {
        "#id_title": "This field is required.",
        "#id_due_on_0": "Enter due date",  # the date input's day box (core.widgets)
        "#id_priority_0": "This field is required.",
        "#id_themes_0": "This field is required.",
        "#id_agreed": "This field is required.",
    }
    # Every link points at an element that exists.
    for href in links:
        assert css(doc, href), href
    # The non-field error is listed, without a link.
    items = [li for li in css(alert, "li") if not css(li, "a")]
    assert [li.text_content().strip() for li in items] == [
        "Something about the whole form is wrong."
    ]


def test_text_input_has_label_hint_error_and_describedby(invalid_form: SampleForm) -> None:
    doc = parse(str(invalid_form))
    field = doc.get_element_by_id("id_title")
    assert field.get("class").split() == ["govuk-input", "govuk-input--error"]
    assert field.get("aria-describedby") == "id_title-hint id_title-error"
    group = field.getparent()
    assert "govuk-form-group--error" in group.get("class")
    assert css(group, "label.govuk-label")[0].get("for") == "id_title"
    assert doc.get_element_by_id("id_title-hint").text_content() == "As it appears on the report."
    error = doc.get_element_by_id("id_title-error")
    assert error.get("class") == "govuk-error-message"
    assert css(error, ".govuk-visually-hidden")[0].text_content() == "Error:"
    assert error.text_content().strip() == "Error: This field is required."


def test_date_select_and_textarea_get_their_govuk_classes(invalid_form: SampleForm) -> None:
    doc = parse(str(invalid_form))
    # A date is the GOV.UK date input: three boxes in a fieldset described by the hint
    # and the error (core.widgets.GovukDateInput).
    due = doc.get_element_by_id("id_due_on")
    assert "govuk-date-input" in due.get("class").split()
    boxes = css(due, "input")
    assert [b.get("name") for b in boxes] == ["due_on_day", "due_on_month", "due_on_year"]
    assert [b.get("type") for b in boxes] == ["text"] * 3
    assert all("govuk-input--error" in b.get("class") for b in boxes)
    fieldset = due.getparent()
    assert fieldset.tag == "fieldset" and fieldset.get("role") == "group"
    assert fieldset.get("aria-describedby") == "id_due_on-hint id_due_on-error"
    assert css(fieldset, "legend")[0].text_content().strip() == "Due date"
    agency = doc.get_element_by_id("id_agency")
    assert agency.tag == "select"
    assert agency.get("class") == "govuk-select"
    assert agency.get("aria-describedby") is None
    notes = doc.get_element_by_id("id_notes")
    assert notes.tag == "textarea" and notes.get("class") == "govuk-textarea"
    # Optional fields say so; required ones carry no marker.
    labels = {lab.get("for"): lab.text_content().strip() for lab in css(doc, "label")}
    assert labels["id_notes"] == "Notes (optional)"
    assert labels["id_title"] == "Title"


def test_radios_are_a_fieldset_with_legend_and_items(invalid_form: SampleForm) -> None:
    doc = parse(str(invalid_form))
    fieldset = doc.get_element_by_id("id_priority_0").getparent().getparent().getparent()
    assert fieldset.tag == "fieldset" and fieldset.get("class") == "govuk-fieldset"
    assert fieldset.get("aria-describedby") == "id_priority-hint id_priority-error"
    assert css(fieldset, "legend")[0].text_content().strip() == "Priority"
    radios = css(fieldset, ".govuk-radios")[0]
    assert radios.get("data-module") == "govuk-radios"
    items = css(radios, ".govuk-radios__item")
    assert [
        (
            css(i, "input")[0].get("value"),
            css(i, "input")[0].get("name"),
            css(i, "input")[0].get("class"),
            css(i, "label")[0].text_content(),
            css(i, "label")[0].get("for"),
        )
        for i in items
    ] == [
        ("high", "priority", "govuk-radios__input", "High", "id_priority_0"),
        ("low", "priority", "govuk-radios__input", "Low", "id_priority_1"),
    ]
    assert doc.get_element_by_id("id_priority-error") is not None


def test_checkboxes_keep_their_choices_and_a_boolean_is_one_checkbox() -> None:
    form = SampleForm(
        data={
            "title": "Neglect audit",
            "due_on": "2031-03-14",
            "agency": "1",
            "themes": ["voice"],
            "agreed": "on",
            "priority": "low",
        }
    )
    form.is_valid()
    doc = parse(str(form))
    boxes = css(doc, "input[name=themes]")
    assert [(b.get("value"), b.get("checked") is not None) for b in boxes] == [
        ("neglect", False),
        ("voice", True),
    ]
    assert all(b.get("class") == "govuk-checkboxes__input" for b in boxes)
    assert boxes[0].getparent().getparent().getparent().tag == "fieldset"
    assert doc.get_element_by_id("id_priority_1").get("checked") is not None
    agreed = doc.get_element_by_id("id_agreed")
    assert agreed.get("type") == "checkbox" and agreed.get("checked") is not None
    single = agreed.getparent().getparent()
    assert single.get("class") == "govuk-checkboxes"
    assert len(css(single, ".govuk-checkboxes__item")) == 1
    assert single.getparent().tag != "fieldset"
    # Field errors are gone; only the form-wide error remains, without a link.
    assert not css(doc, ".govuk-error-summary a")
    assert not css(doc, ".govuk-error-message")


def test_unbound_form_has_no_error_summary_and_renders_hidden_fields() -> None:
    doc = parse(str(SampleForm(initial={"token": "xyz"})))
    assert not css(doc, ".govuk-error-summary")
    hidden = css(doc, "input[type=hidden]")
    assert [(h.get("name"), h.get("value")) for h in hidden] == [("token", "xyz")]
    # Hidden fields sit outside any form group.
    assert hidden[0].getparent().tag == "div" and hidden[0].getparent().get("class") is None


# --- brand.css -------------------------------------------------------------------------


@pytest.fixture
def brand_partnership(db: Any) -> Partnership:
    return Partnership.objects.create(
        name="Fernleigh Test Partnership",
        short_name="Fernleigh",
        slug="fernleigh-test",
        area="Fernleigh (fictional)",
        regime="lscb-2015",
        brand_colour="#A0522D",
    )


def test_brand_css_sets_the_partnership_colour(brand_partnership: Partnership) -> None:
    request = RequestFactory().get(f"/brand/{brand_partnership.pk}.css")
    response = brand.partnership_brand_css(request, partnership_id=brand_partnership.pk)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    stylesheet = response.content.decode()
    assert ".lift-header{border-bottom-color:#a0522d}" in stylesheet
    assert "--lift-brand-colour:#a0522d" in stylesheet


@pytest.mark.parametrize("stored", ["red", "#12345", "#gggggg", "#fff;}x", "1234567", ""])
def test_brand_css_never_passes_on_a_stored_value_that_is_not_a_colour(
    brand_partnership: Partnership, stored: str
) -> None:
    Partnership.objects.filter(pk=brand_partnership.pk).update(brand_colour=stored)
    stylesheet = brand.brand_css(brand.brand_colour_for(brand_partnership.pk))
    assert stylesheet.count(brand.DEFAULT_BRAND_COLOUR) == 3
    assert stored == "" or stored not in stylesheet


@pytest.mark.django_db
def test_brand_css_for_an_unknown_partnership_is_the_default() -> None:
    response = brand.partnership_brand_css(RequestFactory().get("/"), partnership_id=987654)
    assert response.status_code == 200
    assert f"border-bottom-color:{brand.DEFAULT_BRAND_COLOUR}" in response.content.decode()


def test_brand_css_is_public_and_read_only() -> None:
    assert brand.partnership_brand_css.public is True  # type: ignore[attr-defined]
    assert brand.partnership_brand_css.login_required is False  # type: ignore[attr-defined]
    response = brand.partnership_brand_css(RequestFactory().post("/"), partnership_id=1)
    assert response.status_code == 405


@with_brand_url
def test_brand_css_is_served_to_anyone_at_its_url(brand_partnership: Partnership) -> None:
    response = Client().get(f"/brand/{brand_partnership.pk}.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "#a0522d" in response.content.decode()


# --- the page shell --------------------------------------------------------------------


@pytest.fixture
def member(brand_partnership: Partnership) -> Person:
    person = Person.objects.create_user(
        "morgan.member@example.test", "a-long-test-password", full_name="Morgan Ashdown"
    )
    RoleAssignment.objects.create(person=person, partnership=brand_partnership, role="board_member")
    return person


def shell_request(person: Any, partnership: Partnership | None, path: str = "/") -> Any:
    request = RequestFactory().get(path)
    request.user = person
    request.partnership = partnership  # type: ignore[attr-defined]
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@with_brand_url
def test_base_page_has_the_govuk_shell(member: Person, brand_partnership: Partnership) -> None:
    request = shell_request(member, brand_partnership)
    request._messages.add(25, "Action saved.")
    request._messages.add(20, "Reminders go out tonight.")
    markup = render_to_string("errors/404.html", {"title": "Ignored"}, request=request)
    doc = lxml_html.fromstring(markup)
    assert doc.get("class") == "govuk-template" and doc.get("lang") == "en-GB"
    assert css(doc, "body")[0].get("class") == "govuk-template__body"
    dash = "\N{EN DASH}"
    assert css(doc, "title")[0].text_content() == f"Page not found {dash} Fernleigh {dash} LIFT"
    skip = css(doc, "a.govuk-skip-link")[0]
    assert skip.get("href") == "#main-content"
    assert css(doc, "main#main-content.govuk-main-wrapper")
    # Stylesheets: ours, then the partnership's colour, with the colour as cache-buster,
    # then the print stylesheet, for paper only.
    links = [link.get("href") for link in css(doc, "link[rel=stylesheet]")]
    assert links == [
        "/static/lift/lift.css",
        f"/brand/{brand_partnership.pk}.css?v=A0522D",
        "/static/lift/print.css",
    ]
    assert [link.get("media") for link in css(doc, "link[rel=stylesheet]")] == [
        None,
        None,
        "print",
    ]
    # One module script, no inline script, no style attribute anywhere.
    scripts = css(doc, "script")
    assert [(s.get("type"), s.get("src")) for s in scripts] == [("module", "/static/lift/lift.js")]
    assert not css(doc, "[style]") and not css(doc, "style")
    # Service navigation: the partnership's short name links home.
    service = css(doc, ".govuk-service-navigation__service-name a")[0]
    assert (service.text_content().strip(), service.get("href")) == ("Fernleigh", "/")
    # Who is signed in, and a POST sign-out form with a CSRF token.
    assert "Morgan Ashdown" in css(doc, ".lift-header__person")[0].text_content()
    form = css(doc, "form.lift-header__form")[0]
    assert (form.get("method"), form.get("action")) == ("post", "/accounts/logout/")
    assert css(form, "input[name=csrfmiddlewaretoken]")
    assert css(form, "button")[0].text_content().strip() == "Sign out"
    # One partnership: no switcher link.
    assert not [a for a in css(doc, "a") if a.text_content() == "Change partnership"]
    # Messages: a success banner, and an "Important" one for the rest.
    success = css(doc, ".govuk-notification-banner--success")
    assert len(success) == 1 and success[0].get("role") == "alert"
    assert "Action saved." in success[0].text_content()
    banners = css(doc, ".govuk-notification-banner")
    assert len(banners) == 2
    assert "Reminders go out tonight." in banners[1].text_content()
    assert banners[1].get("role") == "region"
    # No crown, no GOV.UK logo, no licence logo.
    assert "GOV.UK" not in markup
    assert not css(doc, "svg.govuk-footer__licence-logo, .govuk-header__logotype")
    # Not the demo: no demonstration banner.
    assert not css(doc, ".govuk-phase-banner")


def test_navigation_marks_the_current_section(
    member: Person, brand_partnership: Partnership
) -> None:
    request = shell_request(member, brand_partnership, path="/agencies/")
    nav_items = [
        {"label": "My work", "url": "/", "active": False},
        {"label": "Agencies", "url": "/agencies/", "active": True},
    ]
    template = loader.get_template("base.html")
    doc = lxml_html.fromstring(
        template.render({"title": "Agencies", "nav_items": nav_items}, request)
    )
    items = css(doc, ".govuk-service-navigation__item")
    active = [i for i in items if "govuk-service-navigation__item--active" in i.get("class")]
    assert len(active) == 1
    link = css(active[0], "a")[0]
    assert link.get("aria-current") in {"page", "true"}
    assert css(link, "strong.govuk-service-navigation__active-fallback")
    assert css(doc, "h1.govuk-heading-l")[0].text_content() == "Agencies"


def test_switcher_link_and_demo_banner_when_the_context_says_so(
    member: Person, brand_partnership: Partnership
) -> None:
    request = shell_request(member, brand_partnership)
    template = loader.get_template("base.html")
    doc = lxml_html.fromstring(
        template.render(
            {"title": "My work", "can_switch_partnership": True, "demo_mode": True}, request
        )
    )
    switch = [a for a in css(doc, "a") if a.text_content() == "Change partnership"]
    assert len(switch) == 1
    banner = css(doc, ".govuk-phase-banner")[0]
    assert "This is a demonstration service" in banner.text_content()


@pytest.mark.django_db
def test_signed_out_shell_has_no_account_links() -> None:
    request = shell_request(AnonymousUser(), None)
    doc = lxml_html.fromstring(render_to_string("errors/403.html", request=request))
    assert css(doc, "h1")[0].text_content() == "You do not have permission to use this page"
    assert not css(doc, ".lift-header__account")
    assert not css(doc, ".govuk-service-navigation")
    assert [link.get("href") for link in css(doc, "link[rel=stylesheet]")] == [
        "/static/lift/lift.css",
        "/static/lift/print.css",
    ]


# --- error pages -----------------------------------------------------------------------


@pytest.mark.django_db
def test_not_found_page_is_served_with_404(member: Person) -> None:
    client = Client()
    client.force_login(member)
    response = client.get("/no-such-page-anywhere/")
    assert response.status_code == 404
    doc = lxml_html.fromstring(response.content)
    assert css(doc, "h1")[0].text_content() == "Page not found"
    assert css(doc, ".govuk-service-navigation")


def test_server_error_page_renders_without_a_request_or_database() -> None:
    markup = loader.get_template("errors/500.html").render()
    doc = lxml_html.fromstring(markup)
    assert css(doc, "h1")[0].text_content() == "Sorry, there is a problem with the service"
    assert [link.get("href") for link in css(doc, "link[rel=stylesheet]")] == [
        "/static/lift/lift.css"
    ]
    assert not css(doc, "script") and not css(doc, "[style]")


# --- includes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, ["1", "2", "…", "40"]),
        (2, ["1", "2", "3", "…", "40"]),
        (20, ["1", "…", "19", "20", "21", "…", "40"]),
        (39, ["1", "…", "38", "39", "40"]),
        (40, ["1", "…", "39", "40"]),
    ],
)
def test_pagination_shows_ends_neighbours_and_ellipses(page: int, expected: list[str]) -> None:
    page_obj = Paginator(range(400), 10).get_page(page)
    request = RequestFactory().get(f"/actions/?status=open&page={page}")
    doc = parse(
        render_to_string(
            "govuk/includes/pagination.html", {"page_obj": page_obj, "request": request}
        )
    )
    items = [li.text_content().strip() for li in css(doc, ".govuk-pagination__item")]
    assert [("…" if i == "⋯" else i) for i in items] == expected
    current = css(doc, ".govuk-pagination__item--current a")[0]
    assert current.get("aria-current") == "page" and current.text_content() == str(page)
    for link in css(doc, "a.govuk-pagination__link"):
        assert "status=open" in link.get("href")
    assert bool(css(doc, ".govuk-pagination__prev")) == (page > 1)
    assert bool(css(doc, ".govuk-pagination__next a[rel=next]")) == (page < 40)


def test_pagination_is_absent_for_a_single_page() -> None:
    page_obj = Paginator(range(5), 10).get_page(1)
    request = RequestFactory().get("/")
    markup = render_to_string(
        "govuk/includes/pagination.html", {"page_obj": page_obj, "request": request}
    )
    assert markup.strip() == ""


def test_summary_list_escapes_values_and_marks_empty_ones() -> None:
    rows = [("Title", "<b>Neglect</b>\nsecond line"), ("Owner", ""), ("Count", 0)]
    doc = parse(render_to_string("govuk/includes/summary_list.html", {"rows": rows}))
    keys = [dt.text_content() for dt in css(doc, ".govuk-summary-list__key")]
    assert keys == ["Title", "Owner", "Count"]
    values = css(doc, ".govuk-summary-list__value")
    assert values[0].text_content() == "<b>Neglect</b>second line"
    assert css(values[0], "br") and not css(values[0], "b")
    assert values[1].text_content() == "Not recorded"
    assert values[2].text_content() == "0"


def test_tabs_are_links_with_the_current_one_marked() -> None:
    tabs = [
        {"label": "Details", "url": "/agencies/3/", "active": True},
        {"label": "History", "url": "/agencies/3/history/", "active": False},
    ]
    doc = parse(render_to_string("govuk/includes/tabs.html", {"tabs": tabs}))
    links = css(doc, "nav a")
    assert [(a.text_content(), a.get("href"), a.get("aria-current")) for a in links] == [
        ("Details", "/agencies/3/", "page"),
        ("History", "/agencies/3/history/", None),
    ]


def test_error_summary_include_links_where_it_can() -> None:
    errors = [{"text": "Choose a meeting", "href": "#meeting"}, {"text": "The pack is locked"}]
    doc = parse(render_to_string("govuk/includes/error_summary.html", {"error_list": errors}))
    items = css(doc, ".govuk-error-summary [role=alert] li")
    assert [(li.text_content(), [a.get("href") for a in css(li, "a")]) for li in items] == [
        ("Choose a meeting", ["#meeting"]),
        ("The pack is locked", []),
    ]
