from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "lift.inspections"
    label = "inspections"
    verbose_name = "Learning from inspection"
