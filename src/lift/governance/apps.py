from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "lift.governance"
    label = "governance"
    verbose_name = "Boards and governance"
