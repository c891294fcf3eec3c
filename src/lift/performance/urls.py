from django.urls import path

from lift.core.views.generic import object_urls

from . import views

app_name = "performance"

urlpatterns = [
    path("performance/", views.DatasetView.as_view(), name="dataset"),
    path("performance/import/", views.ImportView.as_view(), name="value_import"),
    *object_urls(
        "performance/indicators/",
        "indicator",
        list_view=views.IndicatorListView,
        add=views.IndicatorCreateView,
        detail=views.IndicatorDetailView,
        edit=views.IndicatorEditView,
        history_view=views.IndicatorHistoryView,
    ),
    path(
        "performance/indicators/<int:pk>/redefine/",
        views.IndicatorRedefineView.as_view(),
        name="indicator_redefine",
    ),
    path(
        "performance/indicators/<int:pk>/values/add/",
        views.ValueCreateView.as_view(),
        name="indicatorvalue_add",
    ),
    path(
        "performance/indicators/<int:pk>/impact/",
        views.IndicatorImpactView.as_view(),
        name="indicator_impact",
    ),
    *object_urls(
        "performance/values/",
        "indicatorvalue",
        list_view=views.ValueListView,
        detail=views.ValueDetailView,
        edit=views.ValueEditView,
        history_view=views.ValueHistoryView,
    ),
    *object_urls(
        "performance/focus/",
        "scrutinyfocus",
        list_view=views.FocusListView,
        add=views.FocusCreateView,
        detail=views.FocusDetailView,
        edit=views.FocusEditView,
        history_view=views.FocusHistoryView,
    ),
    path(
        "performance/focus/<int:pk>/analysis/add/",
        views.AnalysisCommissionView.as_view(),
        name="analysisrequest_add",
    ),
    path(
        "performance/focus/<int:pk>/actions/add/",
        views.FocusActionView.as_view(),
        name="scrutinyfocus_action_add",
    ),
    *object_urls(
        "performance/analysis/",
        "analysisrequest",
        list_view=views.AnalysisListView,
        detail=views.AnalysisDetailView,
        history_view=views.AnalysisHistoryView,
    ),
    path(
        "performance/analysis/<int:pk>/respond/",
        views.AnalysisRespondView.as_view(),
        name="analysisrequest_respond",
    ),
]
