from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lift.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from lift.core import navigation, todo
        from lift.core import roles as r
        from lift.core.documents import register_document

        from . import todo as kinds
        from .bench import register as register_bench
        from .documents import build_annual_report

        register_document("annual_report", build_annual_report)
        register_bench()
        todo.register(
            todo.Kind(
                key=kinds.SECTION_DUE,
                label="Write a section of the annual report",
                provider=kinds.sections_due,
                candidates=kinds.section_due_candidates,
            )
        )
        navigation.register(
            "Reports",
            "core:area_reports",
            order=90,
            prefix="/reports/",
            area="board",
            text="The annual report and what each area reports to the Board.",
        )
        navigation.register(
            "Annual reports",
            "reports:annualreport_list",
            roles=r.OVERSIGHT | {r.R.BUSINESS_UNIT, r.R.CHAIR},
            order=10,
            area="reports",
            text="The partnership's annual report: chairs' sections, sign-off, publication.",
        )
