"""Learning from inspection: /inspections/..."""

from django.urls import path

from lift.core.views.generic import object_urls

from . import views

app_name = "inspections"

urlpatterns = [
    *object_urls(
        "inspections/",
        "inspection",
        list_view=views.InspectionListView,
        add=views.InspectionCreateView,
        detail=views.InspectionDetailView,
        edit=views.InspectionEditView,
        history_view=views.InspectionHistoryView,
    ),
    path(
        "inspections/<int:pk>/judgements/add/",
        views.JudgementAddView.as_view(),
        name="judgement_add",
    ),
    path(
        "inspections/<int:pk>/recommendations/add/",
        views.RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path("inspections/<int:pk>/actions/add/", views.ActionAddView.as_view(), name="action_add"),
    path("inspections/<int:pk>/report/add/", views.ReportFileView.as_view(), name="report_add"),
    *object_urls(
        "inspections/progress-reports/",
        "progressreport",
        detail=views.ProgressReportDetailView,
        history_view=views.ProgressReportHistoryView,
    ),
    path(
        "inspections/progress-reports/<int:pk>/present/",
        views.ProgressReportPresentView.as_view(),
        name="progressreport_present",
    ),
]
