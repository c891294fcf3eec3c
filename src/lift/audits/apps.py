from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: Any, **kwargs: Any) -> None:
    from .reference import sync_templates

    sync_templates()


class AuditsConfig(AppConfig):
    name = "lift.audits"
    label = "audits"
    verbose_name = "Case audits"

    def ready(self) -> None:
        from .reference import templates

        templates()  # a malformed template stops start-up with the file and the problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_audits_templates")
