from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "lift.governance"
    label = "governance"
    verbose_name = "Boards and governance"

    def ready(self) -> None:
        from lift.core import navigation, todo
        from lift.core import roles as r

        from . import annual_report, bench, panels
        from . import todo as kinds
        from .responsibilities import catalogue

        catalogue()  # a malformed responsibilities file stops start-up, naming the problem
        readers = r.EVERYONE - {r.R.LEARNER}
        navigation.register(
            "Boards and sub-groups",
            "governance:board_list",
            roles=readers,
            order=60,
            text="The Board, the Executive and the sub-groups, their members and work.",
        )
        navigation.register(
            "Meetings",
            "governance:meeting_list",
            roles=readers,
            order=61,
            text="Agendas, papers, attendance, minutes and decisions.",
        )
        navigation.register(
            "Business plan",
            "governance:businessplan_list",
            roles=readers,
            order=62,
            text="The priorities for the year and progress against them.",
        )
        navigation.register_home_panel(panels.my_meetings_panel, order=30)
        bench.register()
        annual_report.register()
        todo.register(
            todo.Kind(
                key=kinds.MINUTES,
                label="Minutes to approve",
                provider=kinds.minutes,
                roles=r.ADMINS | {r.R.CHAIR},
            )
        )
