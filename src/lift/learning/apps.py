from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "lift.learning"
    label = "learning"
    verbose_name = "Learning chain"
