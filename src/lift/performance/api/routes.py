from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("indicators", views.IndicatorViewSet, basename="indicator")
    router.register("indicator-values", views.IndicatorValueViewSet, basename="indicatorvalue")
    router.register("scrutiny-focus-areas", views.ScrutinyFocusViewSet, basename="scrutinyfocus")
    router.register("analysis-requests", views.AnalysisRequestViewSet, basename="analysisrequest")
