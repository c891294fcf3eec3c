"""Reports: /reports/... and the public site's home, learning and annual report pages."""

from django.urls import path

from lift.core.views.generic import object_urls

from . import public, views

app_name = "reports"

urlpatterns = [
    *object_urls(
        "reports/annual/",
        "annualreport",
        list_view=views.AnnualReportListView,
        add=views.AnnualReportCreateView,
        detail=views.AnnualReportDetailView,
        edit=views.AnnualReportEditView,
        history_view=views.AnnualReportHistoryView,
    ),
    path(
        "reports/annual/<int:pk>/sign-off/",
        views.AnnualReportSignOffView.as_view(),
        name="annualreport_sign_off",
    ),
    path(
        "reports/annual/<int:pk>/sections/ask/",
        views.SectionAssignView.as_view(),
        name="section_assign",
    ),
    path(
        "reports/annual/<int:pk>/sections/<slug:key>/",
        views.SectionView.as_view(),
        name="section",
    ),
    path("public/", public.PublicHomeView.as_view(), name="public_home"),
    path("public/learning/", public.PublicLearningView.as_view(), name="public_learning"),
    path("public/campaigns/", public.PublicCampaignsView.as_view(), name="public_campaigns"),
    path(
        "public/annual-report/",
        public.PublicAnnualReportView.as_view(),
        name="public_annual_report",
    ),
]
