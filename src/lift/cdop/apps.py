from django.apps import AppConfig


class CdopConfig(AppConfig):
    name = "lift.cdop"
    label = "cdop"
    verbose_name = "Child death reviews"
