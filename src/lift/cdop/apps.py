from typing import Any

from django.apps import AppConfig


class CdopConfig(AppConfig):
    name = "lift.cdop"
    label = "cdop"
    verbose_name = "Child death reviews"

    def ready(self) -> None:
        from lift.core import navigation, todo
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from . import annual_report, bench, panels
        from . import todo as kinds
        from .models import ChildDeath
        from .reference import cdop_reference
        from .services import report_reminders

        cdop_reference()  # a malformed reference file stops start-up with the problem
        readers = r.OVERSIGHT | {r.R.CDOP_COORDINATOR}
        navigation.register(
            "Child deaths",
            "cdop:childdeath_list",
            roles=readers,
            order=60,
            prefix="/cdop/",
            text="Every child death notified, its case and the panel's review.",
        )

        def sees_cases(user: Any, partnership: Any) -> bool:
            return ChildDeath.access.allows_any(user, "view", partnership)

        navigation.register(
            "Trends",
            "cdop:trends",
            roles=readers,
            order=61,
            text="Child deaths over three years, small numbers suppressed.",
            check=sees_cases,
        )
        navigation.register(
            "CDOP annual report",
            "cdop:annual_report",
            roles=readers,
            order=62,
            area="reports",
            text="The panel's annual report to the Board.",
            check=sees_cases,
        )
        navigation.register_home_panel(panels.outstanding_forms, order=40)
        navigation.register_home_panel(panels.next_meeting, order=41)
        todo.register(
            todo.Kind(
                key=kinds.AGENCY_REPORT,
                label="Send a child death reporting form",
                provider=kinds.agency_reports,
                candidates=kinds.agency_report_candidates,
            )
        )
        register_tick_step(report_reminders, name="cdop_report_reminders")
        bench.register()
        annual_report.register()
