"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server, with axe-core checking every page we visit.

Chromium is never downloaded: the tests use the system browser (`apt-get install chromium`),
or the one named by LIFT_CHROMIUM. Without it the browser tests are skipped with a notice,
except under CI=true, where they fail: CI must never pass by skipping them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread; Django would then refuse
# database access from "async context". The tests are synchronous, so that guard is noise here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = os.environ.get("LIFT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_DIR = Path(__file__).resolve().parent
# Generous for a 2-core CI machine running two workers; a real hang still fails.
TIMEOUT_MS = 15_000


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m "not browser"` leaves them out)."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"Chromium not found at {CHROMIUM}: browser tests need Debian's Chromium "
        "('apt-get install chromium') or LIFT_CHROMIUM=/path/to/chromium."
    )
    if in_ci():
        pytest.fail(f"{message} CI=true, so this is a failure, not a skip.", pytrace=False)
    pytest.skip(f"{message} Browser tests skipped.")


@pytest.fixture(scope="session")
def playwright_instance(chromium_path: str) -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies or storage carried over)."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page on the live server; `page.goto("/")` is relative to it.

    The strict Content Security Policy is enforced as in production: any violation the
    browser reports (an inline script or style, a third-party host) fails the test.
    """
    page = context.new_page()
    violations: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield page
    if violations:
        pytest.fail(
            "The page broke the Content Security Policy:\n" + "\n".join(violations),
            pytrace=False,
        )


def _otp_token_for(email: str) -> str:
    """The current code of the person's confirmed authenticator app."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (
        TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).order_by("pk").first()
    )
    if device is None:
        raise AssertionError(
            f"{email} was asked for a second factor but has no confirmed TOTP device."
        )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


LoginHelper = Callable[[Page, str, str], None]


@pytest.fixture
def login(live_server: Any) -> LoginHelper:
    """Sign in through the real sign-in page, and the second-factor page where the role
    needs one; leaves the page wherever LIFT sends the person after signing in."""

    def sign_in(page: Page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.locator("input[name=password]").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if re.search(r"/accounts/mfa/", page.url):
            # The verify page of lift.core.views.accounts.MfaView: one field, "code".
            page.locator("input[name=code]").fill(_otp_token_for(email))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
        if "/accounts/login/" in page.url or "/accounts/mfa/" in page.url:
            errors = page.locator(".govuk-error-summary").all_inner_texts()
            raise AssertionError(f"Signing in as {email} failed at {page.url}: {errors}")

    return sign_in


def _describe(violation: dict[str, Any]) -> str:
    lines = [
        f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
        f"{violation.get('help', '')} [{violation.get('helpUrl', '')}]"
    ]
    for node in violation.get("nodes", []):
        target = " ".join(str(t) for t in node.get("target", []))
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


AccessibilityCheck = Callable[[Page], None]


@pytest.fixture
def assert_accessible() -> AccessibilityCheck:
    """Run axe-core on the page as it is now; any violation fails the test."""
    axe = Axe()

    def check(page: Page) -> None:
        results = axe.run(page)
        violations = results.response.get("violations", [])
        if violations:
            report = "\n".join(_describe(v) for v in violations)
            pytest.fail(
                f"{len(violations)} accessibility violation(s) on {page.url}:\n{report}",
                pytrace=False,
            )

    return check
