from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync(sender: Any, **kwargs: Any) -> None:
    from .frameworks import load_shared

    load_shared()


class Section11Config(AppConfig):
    name = "lift.section11"
    label = "section11"
    verbose_name = "Section 11 audits"

    def ready(self) -> None:
        from lift.core import navigation, todo
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from . import panels
        from . import todo as kinds
        from .bench import register as register_bench
        from .frameworks import check_all
        from .services import follow_up_due

        check_all()  # a malformed framework file stops start-up, naming the file and problem
        post_migrate.connect(_sync, sender=self, dispatch_uid="lift_section11_frameworks")
        navigation.register(
            "Section 11",
            "section11:cycle_list",
            roles=r.OVERSIGHT | {r.R.SAFEGUARDING_LEAD, r.R.AUDITOR},
            order=30,
            prefix="/section11/",
            text="Section 11 self-assessments: each agency's return, challenge and follow-up.",
        )
        navigation.register_home_panel(panels.my_return_panel, order=20)
        todo.register(
            todo.Kind(
                key=kinds.RETURN,
                label="Complete and submit a Section 11 return",
                provider=kinds.returns_to_submit,
                roles=frozenset({r.R.SAFEGUARDING_LEAD}),
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.QUESTION,
                label="Answer a peer challenge question",
                provider=kinds.questions_to_answer,
                roles=frozenset({r.R.SAFEGUARDING_LEAD}),
            )
        )
        todo.register(
            todo.Kind(
                key=kinds.PANEL,
                label="Peer challenge a Section 11 return",
                provider=kinds.panel_steps,
                roles=frozenset({r.R.CASE_TEAM}),
            )
        )
        register_tick_step(follow_up_due, name="section11_follow_up_due")
        register_bench()
