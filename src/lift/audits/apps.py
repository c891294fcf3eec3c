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
        from lift.core import navigation, todo
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from . import bench
        from . import todo as kinds
        from .reference import templates
        from .reminders import audit_reminders

        templates()  # a malformed template stops start-up with the file and the problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_audits_templates")
        navigation.register(
            "Audits",
            "audits:audit_list",
            roles=r.OVERSIGHT | {r.R.SAFEGUARDING_LEAD, r.R.AUDITOR, r.R.YOUTH_COORDINATOR},
            order=30,
            prefix="/audits/",
            text="Multi-agency and single-agency case audits, their findings and actions.",
        )
        todo.register(
            todo.Kind(
                key=kinds.ASSIGNMENT,
                label="Declare involvement and complete an audit return",
                provider=kinds.assignments,
                roles=frozenset({r.R.AUDITOR}),
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.CASE_AUDIT_FEEDBACK,
                label="Give the feedback from a case audit",
                provider=kinds.case_audit_feedback,
                roles=frozenset({r.R.AUDITOR, r.R.SAFEGUARDING_LEAD}),
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.CASE_AUDIT_ACKNOWLEDGE,
                label="Acknowledge the feedback from a case audit",
                provider=kinds.case_audit_acknowledgements,
                personal=True,
            )
        )
        register_tick_step(audit_reminders, name="audits_return_reminders")
        bench.register()
