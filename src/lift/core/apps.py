from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lift.core"
    label = "core"
    verbose_name = "LIFT core"

    def ready(self) -> None:
        from . import checks, history, navigation, reference

        history.connect_signals()
        # A malformed reference file stops start-up, naming the file and the problem.
        reference.load_all()
        checks.register()
        navigation.register_core()
