"""Pages of the annual report (/reports/...)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from lift.core.documents import Para, document_request, document_response
from lift.core.forms import specific_messages
from lift.core.models import Person
from lift.core.tables import Column, Table
from lift.core.views.generic import (
    LiftView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    add_validation_errors,
    allowed,
    restricted,
)

from . import services
from .documents import doc_html, live_sections, report_doc
from .forms import NarrativeForm, NewReportForm
from .models import SIGNED_OFF_MESSAGE, AnnualReport
from .registry import annual_sections


def _me(request: HttpRequest) -> Person:
    """The signed-in person (every page here needs a sign-in)."""
    return cast(Person, request.user)


class AnnualReportListView(ObjectListView):
    model = AnnualReport
    table = Table(
        [
            Column("__str__", "Report", sort="year", link=True),
            Column("year", "Year"),
            Column("status", "Status"),
            Column("signed_off_on", "Signed off"),
        ]
    )
    add_url_name = "reports:annualreport_add"
    title = "Annual reports"
    intro = (
        "The partnership's annual report, assembled from the live data of every area in use. "
        "The business unit writes the narrative; figures refresh until the report is signed off."
    )
    ordering = ("-year", "-id")


class AnnualReportCreateView(LiftView):
    permission = "add"

    def check(self) -> None:
        if not AnnualReport.access.allows(self.request.user, "add", self.partnership):
            raise PermissionDenied

    def page(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "reports/form.html",
            {
                "form": form,
                "title": "Start an annual report",
                "back": reverse("reports:annualreport_list"),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check()
        return self.page(specific_messages(NewReportForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check()
        form = specific_messages(NewReportForm(request.POST))
        if form.is_valid():
            try:
                report = services.annual_report_create(
                    partnership=self.partnership, by=_me(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Annual report started.")
                return HttpResponseRedirect(report.get_absolute_url())
        return self.page(form)


class AnnualReportDetailView(ObjectDetailView):
    """The report as a page, or ?format=pdf / docx."""

    model = AnnualReport
    template_name = "reports/annualreport_detail.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("format", "")
        if fmt in ("pdf", "docx"):
            doc = report_doc(self.object)
            return document_response(doc, fmt, doc.title, cached=True)
        return super().get(request, *args, **kwargs)  # type: ignore[return-value]

    def summary(self) -> list[tuple[str, Any]]:
        return []

    def extra_context(self) -> dict[str, Any]:
        r = self.object
        return {
            "body": mark_safe(doc_html(report_doc(r))),
            "can_change": not r.is_signed_off and allowed(self.request, r, "change"),
            "can_sign_off": not r.is_signed_off and allowed(self.request, r, "sign_off"),
            "can_delete": False,
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Build the PDF or DOCX in the background."""
        fmt = request.POST.get("format", "pdf")
        if fmt not in ("pdf", "docx"):
            raise Http404
        generated = document_request(
            kind="annual_report", subject=self.object, fmt=fmt, user=request.user
        )
        return HttpResponseRedirect(reverse("core:document_status", args=[generated.pk]))


def _opening(blocks: list[Any]) -> str:
    """The text of a section's first paragraph, if it opens with one."""
    first = blocks[0] if blocks else None
    return first.text if isinstance(first, Para) else ""


class _ReportAction(LiftView):
    permission: ClassVar[str | None] = "change"

    @cached_property
    def object(self) -> AnnualReport:
        try:
            obj = restricted(AnnualReport, self.request, "view").get(pk=self.kwargs["pk"])
        except AnnualReport.DoesNotExist as exc:
            raise Http404 from exc
        if not allowed(self.request, obj, self.permission or "view"):
            raise PermissionDenied
        return obj

    def frozen(self) -> HttpResponse | None:
        if self.object.is_signed_off:
            messages.error(self.request, SIGNED_OFF_MESSAGE)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return None


class AnnualReportEditView(_ReportAction):
    """Edit the narrative: a foreword, a commentary per section in use, next year's
    priorities."""

    def sections(self) -> list[tuple[str, str, str]]:
        """(key, title, what the figures say) of each section in use: the section's opening
        sentences, so the narrative can be written not to contradict them."""
        present = {key: _opening(blocks) for key, _, blocks in live_sections(self.object)}
        return [(s.key, s.title, present[s.key]) for s in annual_sections() if s.key in present]

    def make(self, data: Any = None) -> NarrativeForm:
        r = self.object
        initial: dict[str, Any] = {
            "foreword": r.foreword,
            "priorities_next_year": r.priorities_next_year,
        }
        for n in r.narratives.all():
            initial[f"narrative_{n.key}"] = n.text
        return specific_messages(NarrativeForm(data, initial=initial, sections=self.sections()))  # type: ignore[return-value]

    def page(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "reports/form.html",
            {
                "form": form,
                "object": self.object,
                "title": "Write the narrative",
                "back": self.object.get_absolute_url(),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.frozen() or self.page(self.make())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stop = self.frozen()
        if stop:
            return stop
        form = self.make(request.POST)
        if form.is_valid():
            try:
                services.annual_report_update(
                    report=self.object,
                    by=_me(request),
                    foreword=form.cleaned_data["foreword"],
                    priorities_next_year=form.cleaned_data["priorities_next_year"],
                    narratives=form.narratives(),
                )
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Saved.")
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.page(form)


class AnnualReportSignOffView(_ReportAction):
    permission = "sign_off"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.frozen() or render(
            request,
            "reports/sign_off.html",
            {"object": self.object, "title": f"Sign off {self.object}"},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stop = self.frozen()
        if stop:
            return stop
        services.annual_report_sign_off(report=self.object, by=_me(request))
        messages.success(request, "Signed off. The report is now frozen.")
        return HttpResponseRedirect(self.object.get_absolute_url())


class AnnualReportHistoryView(ObjectHistoryView):
    model = AnnualReport
