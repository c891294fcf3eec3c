from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "lift.audits"
    label = "audits"
    verbose_name = "Case audits"
