from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "lift.inspections"
    label = "inspections"
    verbose_name = "Learning from inspection"

    def ready(self) -> None:
        from lift.core import navigation
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from .reference import inspection_reference
        from .services import progress_reminders

        inspection_reference()  # a malformed reference file stops start-up with the problem
        navigation.register(
            "Inspections",
            "inspections:inspection_list",
            roles=r.OVERSIGHT | {r.R.SAFEGUARDING_LEAD},
            order=61,
            text="Inspections of the partnership's agencies and the plans that follow them.",
        )
        register_tick_step(progress_reminders, name="inspections_progress_reminders")
