from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("inspections", views.InspectionViewSet, basename="inspection")
    router.register(
        "inspection-progress-reports", views.ProgressReportViewSet, basename="inspection-progress"
    )
