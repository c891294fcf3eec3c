"""The footer's pages: accessibility statement, privacy notice, cookies and contact.

Public (signed in or out) and cacheable like the rest of the public site. Each is about one
partnership: the one `?partnership=<slug>` names, else the one a signed-in person is working
in, else the only one; with several and none named, the page lists them to choose from.
What the pages say comes from code and settings, so the tests keep it true: the statement
from `lift.core.accessibility`, the retention periods from `lift.core.retention`, the
restricted records from the models, the cookies from the session, CSRF and message settings,
and the contact details from the partnership's own settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from .. import accessibility
from ..models import Partnership
from ..portability import is_restricted_model
from ..retention import KEPT, retention_rules
from .public import PublicView

# What each model holding a child's identifiers (those declaring `history_restricted`) keeps,
# for the privacy notice. tests/core/test_footer_pages.py fails when a restricted model is
# missing here, so a new one cannot go unmentioned.
RESTRICTED_RECORDS: dict[str, str] = {
    "reviews.ChildIdentity": (
        "Safeguarding practice reviews: the child's name, other names, date of birth, "
        "address, postcode, NHS number and other identifiers, seen only by the review's "
        "case team."
    ),
    "audits.CaseIdentity": (
        "Case file audits: who the sampled child is (name, other names, date of birth, "
        "address and agency record numbers), seen only by the audit team and its auditors."
    ),
    "cdop.ChildDeathIdentity": (
        "Child death reviews: the child's name, date of birth, date of death, address, "
        "postcode, NHS number and the circumstances of the death as notified, seen only by "
        "the child death overview panel's coordinator and the panel members for the case."
    ),
    "cdop.ChildDeath": (
        "Child death notifications: the name, role, organisation, e-mail address and "
        "telephone number of the professional who told us about the death, seen only by "
        "the coordinator."
    ),
    "cdop.AgencyReport": (
        "Agency reporting forms for child death reviews: what each agency knew about the "
        "child and family, including health information, seen only by the coordinator and "
        "the panel members for the case."
    ),
}

# What each record retention never removes (lift.core.retention.KEPT) is, in plain words.
KEPT_RECORDS: dict[str, str] = {
    "core.AccessLog": (
        "The record of who opened each restricted record, and when: kept for ever, and never "
        "changed, so it always shows who saw the most sensitive information."
    ),
    "core.ChangeLog": (
        "The history of changes to records: kept for ever, and never changed, so it always "
        "shows who changed what."
    ),
}


def restricted_models() -> list[str]:
    """Labels of every model holding restricted child identifiers, as the models declare."""
    return sorted(m._meta.label for m in apps.get_models() if is_restricted_model(m))


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def _duration(seconds: int) -> str:
    if seconds % (365 * 24 * 3600) == 0 or seconds >= 364 * 24 * 3600:
        years = round(seconds / (365 * 24 * 3600))
        return "1 year" if years == 1 else f"{years} years"
    if seconds % (24 * 3600) == 0:
        days = seconds // (24 * 3600)
        return "1 day" if days == 1 else f"{days} days"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def cookies() -> list[Cookie]:
    """Every cookie LIFT sets, read from the settings that name and time them."""
    idle = _duration(settings.SESSION_COOKIE_AGE)
    session_expires = (
        f"When you close your browser, or after {idle} without using LIFT"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"After {idle} without using LIFT"
    )
    found = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in as you move from page to page",
            session_expires,
        )
    ]
    if not settings.CSRF_USE_SESSIONS:
        found.append(
            Cookie(
                settings.CSRF_COOKIE_NAME,
                "Stops other websites sending forms to LIFT in your name",
                _duration(settings.CSRF_COOKIE_AGE)
                if settings.CSRF_COOKIE_AGE
                else "When you close your browser",
            )
        )
    storage = import_string(settings.MESSAGE_STORAGE)
    if issubclass(storage, CookieStorage) or any(
        issubclass(s, CookieStorage) for s in getattr(storage, "storage_classes", ())
    ):
        found.append(
            Cookie(
                CookieStorage.cookie_name,
                "Shows you a message on the next page, for example that your changes were saved",
                "When the message has been shown, or when you close your browser",
            )
        )
    return found


class FooterPageView(PublicView):
    """One footer page, about the chosen partnership."""

    template_name = ""
    title = ""
    needs_partnership = True

    def partnership_shown(self) -> tuple[Partnership | None, list[Partnership]]:
        named = self.named()
        if named is not None:
            return named, []
        current = getattr(self.request, "partnership", None)
        if current is not None:
            return current, []
        return self.chosen()

    def extra_context(self, partnership: Partnership | None) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        partnership, everyone = self.partnership_shown()
        if partnership is None and self.needs_partnership and everyone:
            return self.choose(everyone, self.title, "Choose the partnership to see.")
        context = {"title": self.title, "partnership": partnership, "shown": partnership}
        context.update(self.extra_context(partnership))
        return self.respond(self.template_name, context)


class AccessibilityStatementView(FooterPageView):
    template_name = "core/footer/accessibility.html"
    title = "Accessibility statement for LIFT"

    def extra_context(self, partnership: Partnership | None) -> dict[str, Any]:
        return {
            "wcag_version": accessibility.WCAG_VERSION,
            "wcag_level": accessibility.WCAG_LEVEL,
            "compliance": accessibility.COMPLIANCE,
            "prepared": accessibility.PREPARED,
            "last_reviewed": accessibility.LAST_REVIEWED,
            "how_tested": accessibility.HOW_TESTED,
            "non_compliant": accessibility.non_compliant(),
            "other_problems": accessibility.other_problems(),
            "known_problems": accessibility.KNOWN_PROBLEMS,
            "base_url": settings.LIFT_BASE_URL,
        }


class PrivacyNoticeView(FooterPageView):
    template_name = "core/footer/privacy.html"
    title = "Privacy notice"

    def extra_context(self, partnership: Partnership | None) -> dict[str, Any]:
        forums: list[Any] = []
        if partnership is not None and apps.is_installed("lift.voice"):
            forum_model = apps.get_model("voice", "YouthForum")
            forums = list(forum_model._base_manager.filter(partnership=partnership))
        return {
            "restricted_records": [RESTRICTED_RECORDS[label] for label in restricted_models()],
            "retention": retention_rules(),
            "kept": [KEPT_RECORDS[label] for label in sorted(KEPT)],
            "forums": forums,
        }


class CookiesView(FooterPageView):
    template_name = "core/footer/cookies.html"
    title = "Cookies"
    needs_partnership = False

    def extra_context(self, partnership: Partnership | None) -> dict[str, Any]:
        return {"cookies": cookies()}


class ContactView(FooterPageView):
    template_name = "core/footer/contact.html"
    title = "Contact"
