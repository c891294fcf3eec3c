"""The footer's pages (accessibility statement, privacy notice, cookies, contact) and the
error pages: reachable signed out, in the service's style, saying what the code and the
partnership's settings say; and no mode the README offers shows Django's debug pages."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import loader
from django.test import Client
from django.urls import path
from django.utils.html import escape
from lxml import html as lxml_html

from lift.config import urls as lift_urls
from lift.core import accessibility
from lift.core.models import Partnership, Person
from lift.core.retention import KEPT, retention_rules
from lift.core.views import footer
from lift.voice import services as voice_services

from ..factories import PASSWORD, PartnershipFactory, person_with_role

PAGES = ["/accessibility/", "/privacy/", "/cookies/", "/contact/"]
FOOTER_LABELS = ["Accessibility statement", "Privacy notice", "Cookies", "Contact"]


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


@login_not_required
def denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@login_not_required
def with_message(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved.")
    return HttpResponseRedirect("/")


for _view in (broken, denied, with_message):
    _view.public = True  # type: ignore[attr-defined]

urlpatterns = [
    path("footer-test/broken", broken),
    path("footer-test/denied", denied),
    path("footer-test/message", with_message),
    *lift_urls.urlpatterns,
]
handler403 = lift_urls.handler403
handler404 = lift_urls.handler404
handler500 = lift_urls.handler500

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def text(response: Any) -> str:
    return " ".join(lxml_html.fromstring(response.content).text_content().split())


def footer_links(content: bytes | str) -> list[tuple[str, str]]:
    doc = lxml_html.fromstring(content)
    return [
        (a.text_content().strip(), a.get("href"))
        for a in doc.xpath("//footer//ul[contains(@class, 'govuk-footer__inline-list')]//a")
    ]


@pytest.fixture
def harrowmere(db: Any) -> Partnership:
    return PartnershipFactory(
        name="Harrowmere Safeguarding Children Partnership",
        slug="harrowmere",
        contact_email="partnership@harrowmere.example",
        contact_phone="01632 960 100",
        postal_address="Civic Centre\nMarket Street\nHarrowmere",
        website="https://harrowmere.example/",
    )


# --- the four pages ---------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_each_page_is_public_cacheable_and_styled(url: str, harrowmere: Partnership) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//header[contains(@class, 'govuk-template__header')]")
    assert len(doc.xpath("//main//h1")) == 1
    assert [label for label, _ in footer_links(response.content)] == FOOTER_LABELS


def test_a_signed_in_page_links_to_the_four_pages_for_its_partnership(
    harrowmere: Partnership,
) -> None:
    person = person_with_role("learner", harrowmere)
    client = Client()
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    assert footer_links(response.content) == [
        (label, f"{url}?partnership=harrowmere")
        for label, url in zip(FOOTER_LABELS, PAGES, strict=True)
    ]
    # The linked pages are about the partnership the person works in, and private to them.
    page = client.get("/contact/")
    assert page["Cache-Control"] == "private, no-cache"
    assert "partnership@harrowmere.example" in text(page)


def test_public_site_and_error_pages_link_to_the_four_pages(harrowmere: Partnership) -> None:
    public = Client().get("/public/")
    assert public.status_code == 200
    assert [label for label, _ in footer_links(public.content)] == FOOTER_LABELS
    missing = Client().get("/no-such-page/")
    assert [label for label, _ in footer_links(missing.content)] == FOOTER_LABELS
    for name in ("500", "503"):
        markup = loader.get_template(f"errors/{name}.html").render()
        assert footer_links(markup) == list(zip(FOOTER_LABELS, PAGES, strict=True))


def test_with_several_partnerships_and_none_named_the_page_asks_which(
    harrowmere: Partnership,
) -> None:
    PartnershipFactory(name="Kingsbrook Safeguarding Children Partnership", slug="kingsbrook")
    response = Client().get("/contact/")
    assert response.status_code == 200
    page = text(response)
    assert "Choose the partnership to see." in page
    assert "Kingsbrook Safeguarding Children Partnership" in page
    assert "partnership@harrowmere.example" not in page
    chosen = Client().get("/contact/?partnership=kingsbrook")
    assert "Kingsbrook Safeguarding Children Partnership has not added its contact details" in (
        text(chosen)
    )
    assert Client().get("/contact/?partnership=nowhere").status_code == 404


def test_contact_page_shows_the_partnerships_own_details(harrowmere: Partnership) -> None:
    response = Client().get("/contact/?partnership=harrowmere")
    doc = lxml_html.fromstring(response.content)
    page = text(response)
    assert "Harrowmere Safeguarding Children Partnership" in page
    assert doc.xpath("//main//a[@href='mailto:partnership@harrowmere.example']")
    assert "Telephone: 01632 960 100" in page
    assert "Civic Centre<br>Market Street<br>Harrowmere" in response.content.decode()


def test_contact_page_without_details_says_so(db: Any) -> None:
    bare = PartnershipFactory(name="Fernley Moor Partnership", slug="fernley", website="")
    page = text(Client().get("/contact/"))
    assert f"{bare.name} has not added its contact details to LIFT yet." in page
    assert "how to contact the partnership's business unit" in page
    bare.website = "https://fernley.example/"
    bare.save()
    page = text(Client().get("/contact/"))
    assert "Its website, https://fernley.example/, says how to contact it." in page


def test_the_business_unit_sets_the_contact_details(harrowmere: Partnership) -> None:
    bu = person_with_role("business_unit", harrowmere)
    client = Client()
    client.force_login(bu)
    url = f"/partnership/{harrowmere.pk}/edit/"
    form = client.get(url)
    assert form.status_code == 200
    for name in ("contact_email", "contact_phone", "postal_address"):
        assert f'name="{name}"' in form.content.decode()
    data = {
        "name": harrowmere.name,
        "short_name": harrowmere.short_name,
        "area": harrowmere.area,
        "regime": harrowmere.regime,
        "brand_colour": harrowmere.brand_colour,
        "website": harrowmere.website,
        "contact_email": "not an address",
        "contact_phone": "0300 000 000",
        "postal_address": "Town Hall",
        "report_concern_text": "",
        "reminder_days": 7,
        "escalation_days": 14,
        "reason": "New office",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    harrowmere.refresh_from_db()
    assert harrowmere.contact_email == "partnership@harrowmere.example"
    data["contact_email"] = "bu@harrowmere.example"
    assert client.post(url, data).status_code == 302
    harrowmere.refresh_from_db()
    assert (harrowmere.contact_email, harrowmere.postal_address) == (
        "bu@harrowmere.example",
        "Town Hall",
    )
    assert "bu@harrowmere.example" in text(Client().get("/contact/"))
    # A learner may not change them.
    learner = person_with_role("learner", harrowmere)
    other = Client()
    other.force_login(learner)
    assert other.post(url, data).status_code in (403, 404)


# --- accessibility statement ------------------------------------------------------------


def test_every_known_problem_is_still_there_and_has_an_open_issue() -> None:
    """A fixed problem fails here: take it off the statement (and review the statement)."""
    assert accessibility.KNOWN_PROBLEMS
    for problem in accessibility.KNOWN_PROBLEMS:
        assert problem.issue > 0 and problem.summary.endswith(".") and problem.fix
        assert problem.still_there(), f"Fixed? Take it off the statement: {problem.summary}"


def test_compliance_status_matches_the_known_problems() -> None:
    assert accessibility.COMPLIANCE in ("fully compliant", "partially compliant", "not compliant")
    if accessibility.non_compliant():
        assert accessibility.COMPLIANCE != "fully compliant"
    else:
        assert accessibility.COMPLIANCE == "fully compliant"


def test_the_statement_is_reviewed_every_year() -> None:
    """The regulations ask for a review at least once a year: this fails after a year."""
    assert accessibility.PREPARED <= accessibility.LAST_REVIEWED <= dt.date.today()
    age = (dt.date.today() - accessibility.LAST_REVIEWED).days
    assert age <= 366, "Review the accessibility statement and set LAST_REVIEWED."


def test_accessibility_statement_has_the_sample_statements_parts(harrowmere: Partnership) -> None:
    response = Client().get("/accessibility/")
    page = text(response)
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Technical information about this service's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Disproportionate burden",
        "Content that's not within the scope of the accessibility regulations",
        "Preparation of this accessibility statement",
    ):
        assert heading in page, heading
    assert "This service is run by Harrowmere Safeguarding Children Partnership." in page
    assert (
        "This service is partially compliant with the Web Content Accessibility Guidelines "
        "version 2.2 AA standard" in page
    )
    reviewed = accessibility.LAST_REVIEWED
    assert f"It was last reviewed on {reviewed.day} {reviewed:%B %Y}." in page
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Commission for Northern Ireland" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    for problem in accessibility.KNOWN_PROBLEMS:
        assert escape(problem.summary) in response.content.decode()
    for problem in accessibility.non_compliant():
        assert f"success criterion {', '.join(problem.criteria)}" in page
    assert "partnership@harrowmere.example" in page  # reporting problems: the partnership


# --- privacy notice ---------------------------------------------------------------------


def test_every_restricted_record_is_described() -> None:
    assert set(footer.RESTRICTED_RECORDS) == set(footer.restricted_models())
    assert set(footer.KEPT_RECORDS) == set(KEPT)


def test_privacy_notice_covers_the_special_category_data(
    harrowmere: Partnership,
) -> None:
    youth = person_with_role("youth_forum_coordinator", harrowmere)
    forum = voice_services.forum_save(
        partnership=harrowmere, by=youth, name="Harrowmere Youth Forum", youth_service="Hub"
    )
    response = Client().get("/privacy/")
    page = text(response)
    body = response.content.decode()
    assert "Harrowmere Safeguarding Children Partnership is the controller" in page
    assert "partnership@harrowmere.example" in page
    for basis in (
        "Article 6(1)(e)",
        "Article 9(2)(g)",
        "Schedule 1, paragraph 18 (safeguarding of children and of individuals at risk)",
        "Article 9(2)(h)",
        "Schedule 1, paragraph 2 (health or social care purposes)",
    ):
        assert basis in page, basis
    for record in footer.RESTRICTED_RECORDS.values():
        assert escape(record) in body
    for rule in retention_rules():
        assert escape(rule.description) in body
    for kept in footer.KEPT_RECORDS.values():
        assert escape(kept) in body
    months = forum.retention_months
    assert f"Harrowmere Youth Forum: a member's details are anonymised {months} months" in page
    assert "Information Commissioner's Office" in page and "0303 123 1113" in page


def test_a_retention_setting_changes_the_notice(settings: Any, harrowmere: Partnership) -> None:
    settings.LIFT_RETENTION = {"core.OutboundEmail": {"years": None}}
    body = Client().get("/privacy/").content.decode()
    switched_off = next(r for r in retention_rules() if r.label == "core.OutboundEmail")
    assert escape(switched_off.description) not in body


# --- cookies ----------------------------------------------------------------------------


def listed_cookies() -> list[str]:
    doc = lxml_html.fromstring(Client().get("/cookies/").content)
    return [code.text_content() for code in doc.xpath("//main//table//td/code")]


def test_every_cookie_a_signed_in_person_gets_is_listed(harrowmere: Partnership) -> None:
    person = person_with_role("business_unit", harrowmere, email="bea@harrowmere.example")
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    signed_in = client.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(f"/partnership/{harrowmere.pk}/edit/").status_code == 200
    assert client.get("/footer-test/message").status_code == 302
    set_cookies = set(client.cookies)
    assert {"sessionid", "csrftoken", "messages"} <= set_cookies
    listed = listed_cookies()
    assert set_cookies <= set(listed), f"Not on the cookies page: {set_cookies - set(listed)}"
    assert set(listed) <= set_cookies, f"Listed but never set: {set(listed) - set_cookies}"


def test_cookie_names_and_times_come_from_the_settings(settings: Any, db: Any) -> None:
    settings.SESSION_COOKIE_NAME = "__Host-lift-session"
    settings.CSRF_COOKIE_NAME = "__Host-lift-csrf"
    settings.SESSION_COOKIE_AGE = 20 * 60
    assert listed_cookies() == ["__Host-lift-session", "__Host-lift-csrf", "messages"]
    assert "after 20 minutes without using LIFT" in text(Client().get("/cookies/"))


# --- error pages ------------------------------------------------------------------------


def check_error_pages(client: Client) -> None:
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    page = text(missing)
    assert "Page not found" in page and "If you typed the web address" in page
    assert "URLconf" not in page and "Traceback" not in page

    denied = client.get("/footer-test/denied")
    assert denied.status_code == 403
    assert "You do not have permission to use this page" in text(denied)

    broken = client.get("/footer-test/broken")
    assert broken.status_code == 500
    page = text(broken)
    assert "Sorry, there is a problem with the service" in page and "Try again later." in page
    assert "RuntimeError" not in page and "a bug" not in page and "Traceback" not in page


def test_error_pages_with_debug_off(harrowmere: Partnership) -> None:
    check_error_pages(Client(raise_request_exception=False))


def test_error_pages_in_the_demo(settings: Any, harrowmere: Partnership) -> None:
    settings.DEBUG = False
    settings.LIFT_DEMO = True
    client = Client(raise_request_exception=False)
    check_error_pages(client)
    # The demo banner is on LIFT's own pages, the error pages included.
    assert "This is a demonstration service" in text(client.get("/no-such-page/"))


def test_the_demo_settings_have_debug_off_and_serve_static_files() -> None:
    """`make demo` and `make serve` (lift.config.settings.dev) run without DEBUG, so a
    mistyped address shows LIFT's 404 page, not Django's list of every URL."""
    env = {k: v for k, v in os.environ.items() if k not in ("LIFT_DEBUG", "LIFT_DEMO")}
    env["DJANGO_SETTINGS_MODULE"] = "lift.config.settings.dev"
    env["DATABASE_URL"] = "sqlite:///:memory:"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.LIFT_DEMO, s.WHITENOISE_USE_FINDERS, s.WHITENOISE_AUTOREFRESH)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "True", "True", "True"]


def test_production_refuses_the_demo() -> None:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lift.config.settings.production",
        SECRET_KEY="x" * 60,
        DATABASE_URL="sqlite:///:memory:",
        LIFT_DEBUG="false",
        LIFT_DEMO="true",
    )
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "LIFT_DEMO must be off in production" in out.stderr


def test_a_person_in_the_demo_sees_the_styled_404(harrowmere: Partnership) -> None:
    person: Person = person_with_role("learner", harrowmere)
    client = Client()
    client.force_login(person)
    response = client.get("/reviews/no-such-thing/")
    assert response.status_code == 404
    doc = lxml_html.fromstring(response.content)
    assert doc.xpath("//main//h1")[0].text_content() == "Page not found"
    assert doc.xpath("//main//a[starts-with(@href, '/contact/?partnership=harrowmere')]")


def test_someone_yet_to_give_a_second_factor_can_read_the_footer_pages(
    settings: Any, harrowmere: Partnership
) -> None:
    settings.LIFT_ENFORCE_MFA = True
    bu = person_with_role("business_unit", harrowmere)
    client = Client()
    client.force_login(bu)
    assert client.get("/").status_code == 302  # sent to the second-factor page
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "partnership@harrowmere.example" in text(client.get("/contact/"))
