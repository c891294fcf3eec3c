from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lift.performance"
    label = "performance"
    verbose_name = "Performance dataset"
