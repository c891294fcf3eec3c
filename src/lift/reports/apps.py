from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lift.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from lift.core import navigation
        from lift.core import roles as r
        from lift.core.documents import register_document

        from .bench import register as register_bench
        from .documents import build_annual_report
        from .sections import register_all

        register_all()
        register_document("annual_report", build_annual_report)
        register_bench()
        navigation.register(
            "Reports",
            "reports:annualreport_list",
            roles=r.OVERSIGHT | {r.R.BUSINESS_UNIT, r.R.CHAIR},
            order=90,
            prefix="/reports/",
        )
