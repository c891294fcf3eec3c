"""Printing a list and a record (issue 22, item 5): the print stylesheet leaves out the
service's navigation, search, filters, buttons and footer, and a table prints every column
rather than a scroll box."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from lift.core.models import Person

from ..factories import PASSWORD

LoginHelper = Callable[[Page, str, str], None]

PRINT_HIDES = (
    ".govuk-service-navigation",
    ".lift-header__account",
    ".govuk-footer",
)


def _shown(page: Page, selector: str) -> bool:
    found = page.locator(selector)
    return any(found.nth(i).is_visible() for i in range(found.count()))


def test_a_list_and_a_record_print_without_the_service_around_them(
    transactional_db: Any, page: Page, lead: Person, login: LoginHelper
) -> None:
    login(page, lead.email, PASSWORD)
    for url in ("/people/", f"/people/{lead.pk}/"):
        page.goto(url)
        for selector in PRINT_HIDES:
            assert _shown(page, selector), f"{selector} is on the screen at {url}"
        page.emulate_media(media="print")
        try:
            for selector in (*PRINT_HIDES, ".govuk-button", "form[method='get']"):
                assert not _shown(page, selector), f"{selector} is printed at {url}"
            assert page.get_by_role("heading", level=1).is_visible()
            overflow = page.evaluate(
                "() => [...document.querySelectorAll('.lift-table-wrapper')]"
                ".map(e => getComputedStyle(e).overflowX)"
            )
            assert all(o == "visible" for o in overflow), f"a table scrolls on paper at {url}"
        finally:
            page.emulate_media(media="screen")
    page.goto("/people/")
    assert page.locator("table").count() >= 1, "the list printed holds a table"
