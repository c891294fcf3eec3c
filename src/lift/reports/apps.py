from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lift.reports"
    label = "reports"
    verbose_name = "Reports"
