from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "lift.voice"
    label = "voice"
    verbose_name = "Young people's voice"

    def ready(self) -> None:
        from lift.core import navigation, todo
        from lift.core import roles as r
        from lift.core.tasks import register_tick_step

        from . import annual_report
        from . import todo as kinds
        from .services import members_retention
        from .views import chair_panel

        navigation.register(
            "Youth voice",
            "voice:forum",
            roles=r.OVERSIGHT | {r.R.YOUTH_COORDINATOR},
            order=75,
            prefix="/voice/",
            text="The Youth Forum, consultations and what young people said.",
        )
        navigation.register_home_panel(chair_panel, order=40)
        todo.register(
            todo.Kind(
                key=kinds.CHAIR_MEETING,
                label="Meet the Youth Forum this term",
                provider=kinds.chair_meeting,
                roles=frozenset({r.R.CHAIR}),
            )
        )
        register_tick_step(members_retention, name="voice_members_retention")
        annual_report.register()
