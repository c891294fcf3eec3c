"""Pages of the annual report (/reports/...)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from lift.core.documents import document_request, document_response
from lift.core.forms import specific_messages
from lift.core.history import for_object
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
from .documents import openings, report_doc, report_html, section_html
from .forms import AssignForm, NarrativeForm, NewReportForm, ReturnForm, SectionForm
from .models import SIGNED_OFF_MESSAGE, AnnualReport, Narrative
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
        can_change = not r.is_signed_off and allowed(self.request, r, "change")
        return {
            "body": mark_safe(report_html(r)),
            "can_change": can_change,
            "can_sign_off": not r.is_signed_off and allowed(self.request, r, "sign_off"),
            "can_delete": False,
            "chair_sections": chair_sections(r),
            "can_assign": can_change,
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


def chair_sections(report: AnnualReport) -> list[dict[str, Any]]:
    """The sections asked of a group's chair, in the report's order, with their state (one
    query)."""
    order = {s.key: (s.order, s.title) for s in annual_sections()}
    rows = []
    for n in report.narratives.filter(board__isnull=False).select_related(
        "board__chair", "submitted_by"
    ):
        position, title = order.get(n.key, (999, n.key))
        if n.is_submitted:
            state, colour = f"Submitted {n.submitted_on:%-d %B %Y}", "green"
        elif n.text.strip():
            state, colour = "Being written", "blue"
        else:
            state, colour = "Not started", "grey"
        overdue = not n.is_submitted and n.due_on is not None and n.due_on < timezone.localdate()
        rows.append(
            {
                "position": position,
                "narrative": n,
                "title": title,
                "state": state,
                "colour": "red" if overdue else colour,
                "overdue": overdue,
            }
        )
    return sorted(rows, key=lambda row: row["position"])


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


class _ReportFormAction(_ReportAction):
    """A form on an unsigned report: GET shows it, POST saves it through `save(form)` (a
    service; its ValidationError shown on the form) and goes back to the report with the
    message `save` returns. A signed-off report is frozen: both go back to it."""

    form_title: ClassVar[str] = ""

    def make(self, data: Any = None) -> forms.BaseForm:
        raise NotImplementedError

    def save(self, form: Any) -> str:
        raise NotImplementedError

    def page(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "reports/form.html",
            {
                "form": form,
                "object": self.object,
                "title": self.form_title,
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
                message = self.save(form)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.page(form)


class AnnualReportEditView(_ReportFormAction):
    """Edit the narrative: a foreword, a commentary per section in use, next year's
    priorities."""

    form_title = "Write the narrative"

    def sections(self) -> list[tuple[str, str, str]]:
        """(key, title, what the figures say) of each section in use that the business unit
        writes (not one asked of a group's chair): the section's opening sentences, so the
        narrative can be written not to contradict them."""
        present = openings(self.object)
        theirs = set(
            self.object.narratives.filter(board__isnull=False).values_list("key", flat=True)
        )
        return [
            (s.key, s.title, present[s.key])
            for s in annual_sections()
            if s.key in present and s.key not in theirs
        ]

    def make(self, data: Any = None) -> NarrativeForm:
        r = self.object
        initial: dict[str, Any] = {
            "foreword": r.foreword,
            "priorities_next_year": r.priorities_next_year,
        }
        for n in r.narratives.filter(board__isnull=True):
            initial[f"narrative_{n.key}"] = n.text
        return specific_messages(NarrativeForm(data, initial=initial, sections=self.sections()))  # type: ignore[return-value]

    def save(self, form: Any) -> str:
        services.annual_report_update(
            report=self.object,
            by=_me(self.request),
            foreword=form.cleaned_data["foreword"],
            priorities_next_year=form.cleaned_data["priorities_next_year"],
            narratives=form.narratives(),
        )
        return "Saved."


class AnnualReportSignOffView(_ReportAction):
    permission = "sign_off"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        waiting = [row for row in chair_sections(self.object) if not row["narrative"].is_submitted]
        return self.frozen() or render(
            request,
            "reports/sign_off.html",
            {"object": self.object, "title": f"Sign off {self.object}", "waiting": waiting},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stop = self.frozen()
        if stop:
            return stop
        try:
            services.annual_report_sign_off(report=self.object, by=_me(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(request, "Signed off. The report is now frozen.")
        return HttpResponseRedirect(self.object.get_absolute_url())


class AnnualReportHistoryView(ObjectHistoryView):
    model = AnnualReport


# --- sections written by a group's chair ------------------------------------------------


class SectionView(LiftView):
    """One section of the report: its figures for the year and its text. The chair of the
    group asked writes it here, saves a draft and submits it; the business unit reads it
    and can return a submitted section for changes."""

    permission = "view"

    @cached_property
    def narrative(self) -> Narrative:
        try:
            return (
                restricted(Narrative, self.request, "view")
                .select_related("report", "board__chair", "submitted_by")
                .get(report_id=self.kwargs["pk"], key=self.kwargs["key"])
            )
        except Narrative.DoesNotExist as exc:
            raise Http404 from exc

    def section(self) -> Any:
        return next((s for s in annual_sections() if s.key == self.narrative.key), None)

    def page(self, form: forms.BaseForm | None = None) -> HttpResponse:
        n = self.narrative
        report = n.report
        open_ = not report.is_signed_off
        can_write = open_ and not n.is_submitted and allowed(self.request, n, "change")
        if can_write and form is None:
            form = specific_messages(SectionForm(initial={"text": n.text}))
        section = self.section()
        return render(
            self.request,
            "reports/section.html",
            {
                "title": services.section_title(n.key),
                "narrative": n,
                "report": report,
                "form": form if can_write else None,
                "can_submit": can_write
                and n.board_id is not None
                and allowed(self.request, n, "submit"),
                "can_return": open_ and n.is_submitted and allowed(self.request, n, "assign"),
                "return_form": ReturnForm(),
                "figures": mark_safe(section_html(report, section)) if section else "",
                "history": [c for c in for_object(n).order_by("-at")[:20] if c.reason],
                "back": report.get_absolute_url()
                if allowed(self.request, report, "view")
                else reverse("core:home"),
            },
        )

    def get(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        return self.page()

    def post(self, request: HttpRequest, pk: int, key: str) -> HttpResponse:
        n = self.narrative
        if request.POST.get("action") == "return":
            if not allowed(request, n, "assign"):
                raise PermissionDenied
            form: forms.BaseForm = ReturnForm(request.POST)
            if form.is_valid():
                try:
                    services.section_return(
                        narrative=n, by=_me(request), reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, "Returned to the chair for changes.")
            return HttpResponseRedirect(request.path)
        if not allowed(request, n, "change"):
            raise PermissionDenied
        form = specific_messages(SectionForm(request.POST))
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                n = services.section_write(
                    narrative=n, text=form.cleaned_data["text"], by=_me(request)
                )
                if submit:
                    if not allowed(request, n, "submit"):
                        raise PermissionDenied
                    services.section_submit(narrative=n, by=_me(request))
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Submitted to the business unit." if submit else "Saved as a draft.",
                )
                return HttpResponseRedirect(request.path)
        return self.page(form)


class SectionAssignView(_ReportFormAction):
    """Ask a group's chair to write a section of the report (the business unit)."""

    permission = "change"
    form_title = "Ask a group's chair to write a section"

    def make(self, data: Any = None) -> AssignForm:
        from lift.governance.models import Board

        boards = (
            Board.objects.filter(
                partnership=self.object.partnership, is_active=True, chair__isnull=False
            )
            .select_related("chair")
            .order_by("kind", "name")
        )
        form = AssignForm(
            data,
            sections=[(s.key, s.title) for s in annual_sections()],
            boards=boards,
            initial={"key": self.request.GET.get("section", "")},
        )
        return specific_messages(form)  # type: ignore[return-value]

    def save(self, form: Any) -> str:
        board = form.cleaned_data["board"]
        services.section_assign(
            report=self.object,
            key=form.cleaned_data["key"],
            board=board,
            due_on=form.cleaned_data["due_on"],
            by=_me(self.request),
        )
        title = services.section_title(form.cleaned_data["key"])
        return (
            f"Asked the chair of {board} to write {title}."
            if board
            else f"The business unit writes {title}."
        )
