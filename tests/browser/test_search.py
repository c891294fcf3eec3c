"""Search in a real browser, on the demo: a Board member searches from the header box for
"neglected", gets ranked results with the words found highlighted, filters them to one area
and opens one. Both pages axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from lift.core import demo

AccessibilityCheck = Callable[[Page], None]
LoginHelper = Callable[[Page, str, str], None]


@pytest.fixture
def demo_built(transactional_db: Any) -> None:
    from tests.core.demo_checks import build_demo

    build_demo()


def test_search_from_the_header_and_open_a_result(
    demo_built: None, page: Page, login: LoginHelper, assert_accessible: AccessibilityCheck
) -> None:
    login(page, "board@harrowmere.example", demo.DEMO_PASSWORD)
    box = page.get_by_role("search", name="Search LIFT")
    box.get_by_label("Search LIFT").fill("neglected")
    box.get_by_role("button", name="Search").click()
    page.wait_for_load_state()

    assert "/search/?q=neglected" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    count = page.locator("#result-count")
    expect(count).to_contain_text("for \u2018neglected\u2019")
    assert page.locator("mark.lift-search__hit").count() > 0
    assert_accessible(page)

    # One area only: every result is from it.
    page.get_by_label("Area").select_option("learning")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_load_state()
    assert "area=learning" in page.url
    tags = page.locator(".lift-search-results li p .govuk-tag").all_inner_texts()
    assert tags and set(tags) <= {"Finding", "Recommendation", "Action", "Library item"}

    first = page.locator(".lift-search-results h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title[:40])
    assert_accessible(page)
