"""Trends, the annual report, campaigns, the NCMD export and the partnership's settings."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from lift.core import history
from lift.core.documents import document_response, render_html
from lift.core.views.generic import (
    LiftView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    ObjectMixin,
    add_validation_errors,
    restricted,
)

from .. import export, services, stats
from ..filters import CampaignFilter
from ..forms import CampaignForm, SettingsForm
from ..models import Campaign, CdopSettings, ChildDeath, ChildDeathIdentity
from ..tables import CAMPAIGN_TABLE


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2200 else default


class TrendsView(LiftView):
    """Trends across cases, with small numbers suppressed (shown outside the panel)."""

    permission = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not ChildDeath.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        this_year = timezone.localdate().year
        year = _year(request, this_year)
        years = [year - 2, year - 1, year]
        t = stats.trends(self.partnership, years)
        return render(
            request,
            "cdop/trends.html",
            {
                "title": f"Child death trends, {years[0]} to {years[-1]}",
                "body": mark_safe(stats.trends_html(t)),
                "year": year,
                "previous": year - 1,
                "next": year + 1 if year < this_year else None,
            },
        )


class AnnualReportView(LiftView):
    """The CDOP annual report to the Board: page, PDF or DOCX (?format=)."""

    permission = "view"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not ChildDeath.access.allows_any(request.user, "view", self.partnership):
            raise PermissionDenied
        year = _year(request, timezone.localdate().year)
        doc = stats.annual_report(self.partnership, year)
        fmt = request.GET.get("format", "")
        if fmt in ("pdf", "docx"):
            return document_response(doc, fmt, f"cdop-annual-report-{year}")
        return render(
            request,
            "cdop/annual_report.html",
            {
                "title": doc.title,
                "body": mark_safe(render_html(doc, include_title=False)),
                "year": year,
            },
        )


class NcmdCaseExportView(ObjectMixin):
    """One case's NCMD export (JSON or CSV). The coordinator only; written to the access
    log because it contains the restricted record."""

    model = ChildDeath
    permission = "export"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        case = self.object
        identity = ChildDeathIdentity.objects.filter(case=case).first()
        if identity is not None:
            history.record_access(request.user, identity, purpose="NCMD export", path=request.path)
        return _export_response([case], fmt, case.reference.lower())


class NcmdBulkExportView(LiftView):
    """Every case of a year of death, for submission in one file."""

    permission = "export"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not ChildDeath.access.allows_any(request.user, "export", self.partnership):
            raise PermissionDenied
        year = _year(request, timezone.localdate().year)
        cases = list(
            restricted(ChildDeath, request, "export")
            .filter(year_of_death=year)
            .select_related("partnership", "identity", "analysis__meeting")
            .order_by("reference")
        )
        for case in cases:
            identity = getattr(case, "identity", None)
            if identity is not None:
                history.record_access(
                    request.user, identity, purpose="NCMD export", path=request.path
                )
        fmt = "csv" if request.GET.get("format") == "csv" else "json"
        return _export_response(cases, fmt, f"cdop-ncmd-{year}")


def _export_response(cases: list[ChildDeath], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + export.as_csv(cases), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(export.as_json(cases), content_type="application/json")
        fmt = "json"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- campaigns -------------------------------------------------------------------------------


class CampaignListView(ObjectListView):
    model = Campaign
    table = CAMPAIGN_TABLE
    filterset_class = CampaignFilter
    add_url_name = "cdop:campaign_add"
    title = "Campaigns and publications"
    ordering = ("-started_on", "-id")


class CampaignCreateView(ObjectCreateView):
    model = Campaign
    form_class = CampaignForm

    def save(self, form: forms.BaseForm) -> models.Model:
        return services.campaign_create(
            partnership=self.partnership,
            by=self.me,
            **form.cleaned_data,  # type: ignore[arg-type]
        )


class CampaignDetailView(ObjectDetailView):
    model = Campaign
    fields = [
        "title",
        "kind",
        "audience",
        "partners",
        "factor",
        "started_on",
        "ended_on",
        "reach",
        "description",
        "published",
    ]


class CampaignEditView(ObjectEditView):
    """Correct the campaign through `campaign_update`."""

    model = Campaign
    form_class = CampaignForm

    def save(self, form: forms.BaseForm) -> Campaign:
        return services.campaign_update(
            campaign=self.object, by=self.me, **{n: form.cleaned_data[n] for n in form.fields}
        )


class CampaignDeleteView(ObjectDeleteView):
    model = Campaign
    success_url_name = "cdop:campaign_list"


class CampaignHistoryView(ObjectHistoryView):
    model = Campaign


# --- settings --------------------------------------------------------------------------------


class SettingsView(LiftView):
    """The partnership's CDOP settings: suppression threshold and reporting-form links."""

    permission = "change"

    def _check(self) -> CdopSettings:
        if not CdopSettings.access.allows(self.request.user, "change", self.partnership):
            raise PermissionDenied
        return services.settings_for(self.partnership)

    def _render(self, form: forms.BaseForm) -> HttpResponse:
        return render(
            self.request,
            "core/step.html",
            {
                "form": form,
                "title": "CDOP settings",
                "submit_label": "Save the settings",
                "cancel_url": reverse("cdop:childdeath_list"),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(SettingsForm(instance=self._check()))

    def post(self, request: HttpRequest) -> HttpResponse:
        cfg = self._check()
        form = SettingsForm(request.POST, instance=cfg)
        if form.is_valid():
            from django.core.exceptions import ValidationError

            try:
                saved = form.save(commit=False)
                saved.full_clean()
                saved.save()
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                messages.success(request, "Settings saved.")
                return HttpResponseRedirect(request.path)
        return self._render(form)
