from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lift.core"
    label = "core"
    verbose_name = "LIFT core"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_migrate, pre_migrate

        from . import checks, dataversion, db, handover, history, navigation, pending, reference

        history.connect_signals()
        # No log line shows a restricted identifier loaded or saved in its request or task.
        from .ops.logs import track_restricted_models

        track_restricted_models()
        # Every write changes the data version, so cached readings are never stale.
        dataversion.install()
        # A malformed reference file stops start-up, naming the file and the problem.
        reference.load_all()
        checks.register()
        navigation.register_core()
        # A deactivated person's open steps, on their safeguarding lead's to-do list.
        handover.register_kind()
        # Overdue to-do steps go to the agency's safeguarding lead, then the Chair.
        pending.register_tick_step()
        pre_migrate.connect(
            lambda sender, **kw: history.suppress_during_migrate(True),
            sender=self,
            weak=False,
            dispatch_uid="lift_history_migrate_on",
        )
        post_migrate.connect(
            lambda sender, **kw: history.suppress_during_migrate(False),
            sender=list(apps.get_app_configs())[-1],
            weak=False,
            dispatch_uid="lift_history_migrate_off",
        )
        post_migrate.connect(
            lambda sender, using="default", **kw: db.install_append_only_triggers(using),
            sender=self,
            weak=False,
            dispatch_uid="lift_append_only",
        )
