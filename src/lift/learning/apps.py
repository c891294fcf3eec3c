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
        from .taxonomy import taxonomy

        taxonomy()  # a malformed taxonomy stops start-up with the file and the problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_learning_themes")
