"""Public pages (no account): the child death notification form and the agency reporting
form behind a single-use link.

Abuse protection: CSRF (Django's middleware, on for these pages as for every other), a rate
limit per IP address on submissions (Django's cache), a size limit on every field, nothing
submitted ever rendered as HTML, and no page that shows or confirms any existing case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from lift.core.forms import specific_messages
from lift.core.views.generic import LiftView, add_validation_errors

from .. import rules, services
from ..choices import NotifiedVia, ReportStatus
from ..forms import PublicNotificationForm, PublicReportForm

SESSION_REFERENCE = "cdop_notified_reference"


def rate_limit() -> tuple[int, int]:
    """(submissions, seconds) allowed per IP address: LIFT_CDOP_PUBLIC_RATE, default 5/hour."""
    return tuple(getattr(settings, "LIFT_CDOP_PUBLIC_RATE", (5, 3600)))  # type: ignore[return-value]


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded header could be forged to escape the limit. Behind a
    # proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return str(request.META.get("REMOTE_ADDR", "unknown"))[:64]


def over_limit(request: HttpRequest, scope: str) -> bool:
    """Count one submission from this IP; True once it is past the limit."""
    allowed, seconds = rate_limit()
    key = f"lift:cdop:rate:{scope}:{client_ip(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > allowed


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # Never sent to other sites (the reporting link's token is in the URL); "no-referrer"
    # would make browsers send "Origin: null", which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request: HttpRequest) -> HttpResponse:
    return _private(
        render(request, "cdop/public_rate_limited.html", {"title": "Too many attempts"}, status=429)
    )


@method_decorator([login_not_required, never_cache], name="dispatch")
class PublicNotifyView(LiftView):
    """Any professional can notify a child's death here without an account."""

    public = True
    template_name = "cdop/public_notify.html"

    def render_form(self, form: PublicNotificationForm, status: int = 200) -> HttpResponse:
        return _private(
            render(
                self.request,
                self.template_name,
                {"title": "Notify the Child Death Overview Panel of a child's death", "form": form},
                status=status,
            )
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PublicNotificationForm()
        specific_messages(form)
        return self.render_form(form)

    def post(self, request: HttpRequest) -> HttpResponse:
        if over_limit(request, "notify"):
            return _too_many(request)
        form = PublicNotificationForm(request.POST)
        specific_messages(form)
        if not form.is_valid():
            return self.render_form(form)
        data = dict(form.cleaned_data)
        partnership = data.pop("partnership")
        try:
            case = services.childdeath_notify(
                partnership=partnership, by=None, via=NotifiedVia.PUBLIC_FORM, **data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
            return self.render_form(form)
        request.session[SESSION_REFERENCE] = case.reference
        return HttpResponseRedirect(reverse("cdop:public_notify_done"))


@method_decorator([login_not_required, never_cache], name="dispatch")
class PublicNotifyDoneView(LiftView):
    """Thank you: the reference of the notification just made in this browser, nothing else."""

    public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        reference = request.session.pop(SESSION_REFERENCE, "")
        return _private(
            render(
                request,
                "cdop/public_notify_done.html",
                {"title": "Notification sent", "reference": reference},
            )
        )


def _gone(request: HttpRequest, *, status: int) -> HttpResponse:
    title = "This link is not valid" if status == 404 else "This link has expired or been used"
    return _private(
        render(
            request,
            "cdop/public_report_gone.html",
            {"title": title, "status": status},
            status=status,
        )
    )


@method_decorator([login_not_required, never_cache], name="dispatch")
class PublicReportView(LiftView):
    """An agency's reporting form behind its single-use, expiring link. An unknown link is
    404; an expired, used or withdrawn one is 410 Gone, with a page saying what to do."""

    public = True

    def _report(self, token: str) -> Any:
        report = services.report_for_token(token)
        if report is None:
            return None, _gone(self.request, status=404)
        usable = report.status == ReportStatus.REQUESTED and rules.ReportLinkUsable.usable(
            report.token_expires_at, report.token_used_at
        )
        if not usable:
            return None, _gone(self.request, status=410)
        return report, None

    def render_form(self, report: Any, form: PublicReportForm) -> HttpResponse:
        return _private(
            render(
                self.request,
                "cdop/public_report.html",
                {
                    "title": f"Child death reporting form: {report.case.reference}",
                    "report": report,
                    "identity": getattr(report.case, "identity", None),
                    "form": form,
                },
            )
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        report, refused = self._report(token)
        if refused is not None:
            return refused
        form = PublicReportForm(questions=services.report_questions(report))
        specific_messages(form)
        return self.render_form(report, form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if over_limit(request, "report"):
            return _too_many(request)
        report, refused = self._report(token)
        if refused is not None:
            return refused
        form = PublicReportForm(request.POST, questions=services.report_questions(report))
        specific_messages(form)
        if not form.is_valid():
            return self.render_form(report, form)
        try:
            services.agency_report_submit(
                token=token, answers=form.answers(), completed_by=form.cleaned_data["completed_by"]
            )
        except ValidationError as exc:
            if exc.messages == rules.ReportLinkUsable.violation().messages:
                return _gone(request, status=410)
            add_validation_errors(form, exc)
            return self.render_form(report, form)
        return HttpResponseRedirect(reverse("cdop:public_report_done"))


@method_decorator([login_not_required, never_cache], name="dispatch")
class PublicReportDoneView(LiftView):
    public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        return _private(
            render(request, "cdop/public_report_done.html", {"title": "Reporting form sent"})
        )
