from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lift.performance"
    label = "performance"
    verbose_name = "Performance dataset"

    def ready(self) -> None:
        from lift.core import navigation
        from lift.core import roles as r
        from lift.core.documents import register_document
        from lift.core.tasks import register_tick_step

        from . import annual_report, bench, panels, reminders
        from .boardpack import build_board_pack

        readers = r.EVERYONE - {r.R.LEARNER}
        navigation.register(
            "Performance",
            "performance:dataset",
            roles=readers,
            order=70,
            text="The dataset: indicators, values, targets and scrutiny.",
        )
        navigation.register_home_panel(panels.values_due_panel, order=45)
        register_tick_step(reminders.value_reminders, name="performance_value_reminders")
        register_document("board_pack", build_board_pack)
        bench.register()
        annual_report.register()
