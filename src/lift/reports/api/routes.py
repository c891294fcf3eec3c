from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("reports/annual", views.AnnualReportViewSet, basename="annualreport")
    router.register(
        "reports/annual-report-sections",
        views.AnnualReportSectionViewSet,
        basename="annualreportsection",
    )
