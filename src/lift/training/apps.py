from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: Any, **kwargs: Any) -> None:
    from .questionsets import sync_question_sets

    sync_question_sets()


class TrainingConfig(AppConfig):
    name = "lift.training"
    label = "training"
    verbose_name = "Training"

    def ready(self) -> None:
        from lift.core import navigation, todo

        from . import annual_report
        from . import todo as kinds
        from .panels import my_training
        from .questionsets import question_sets
        from .tasks import register_steps

        question_sets()  # a malformed question set stops start-up with the file and problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_training_question_sets")
        register_steps()
        annual_report.register()
        from .bench import register as register_bench

        register_bench()
        from lift.core.documents import register_document

        from .reports import build_annual_report

        register_document("training_annual_report", build_annual_report)
        navigation.register(
            "Training",
            "training:catalogue",
            order=60,
            prefix="/training/",
            text="Courses and sessions, booking a place, your training record.",
        )

        def sees_training_report(user: Any, partnership: Any) -> bool:
            from .models import AgencyTraining

            return AgencyTraining.access.allows(user, "view", partnership)

        navigation.register(
            "Training annual report",
            "training:annual_report",
            order=61,
            area="reports",
            text="Multi-agency and single-agency training, its evaluation and impact.",
            check=sees_training_report,
        )
        navigation.register_home_panel(my_training, order=40)
        todo.register(
            todo.Kind(
                key=kinds.APPROVAL,
                label="Approve a booking",
                provider=kinds.approvals,
                candidates=kinds.approval_candidates,
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.EVALUATION,
                label="Evaluate a course",
                provider=kinds.evaluations,
                personal=True,
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.FOLLOW_UP,
                label="Answer a training impact follow-up",
                provider=kinds.follow_ups,
                personal=True,
            )
        )
