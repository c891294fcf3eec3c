from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: Any, **kwargs: Any) -> None:
    from .taxonomy import sync_themes

    sync_themes()


class LearningConfig(AppConfig):
    name = "lift.learning"
    label = "learning"
    verbose_name = "Learning chain"

    def ready(self) -> None:
        from lift.core import navigation
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from . import annual_report, panels, todo
        from .models import READERS
        from .reminders import action_reminders
        from .taxonomy import taxonomy

        taxonomy()  # a malformed taxonomy stops start-up with the file and the problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_learning_themes")

        readers = READERS - {r.R.LINE_MANAGER}
        navigation.register(
            "Actions",
            "learning:action_list",
            roles=readers,
            order=10,
            text="The action tracker: every agency's actions, until their impact is verified.",
        )
        navigation.register(
            "Findings",
            "learning:finding_list",
            roles=READERS,
            order=11,
            text="What reviews, audits and inspections found.",
        )
        navigation.register(
            "Recommendations",
            "learning:recommendation_list",
            roles=READERS,
            order=11,
            text="What should change, to whom it is addressed, and the response.",
        )
        navigation.register(
            "Library",
            "learning:libraryitem_list",
            roles=r.EVERYONE,
            order=12,
            text="Published reviews, research and briefings, and their key lessons.",
        )
        navigation.register(
            "Dissemination",
            "learning:dissemination_list",
            roles=r.EVERYONE,
            order=13,
            text="How the learning was shared: briefings, events, newsletters.",
        )
        navigation.register_home_panel(panels.my_actions, order=10)
        navigation.register_home_panel(panels.overdue_for_chair, order=11)
        register_tick_step(action_reminders, name="learning_action_reminders")
        todo.register_kinds()
        annual_report.register()
