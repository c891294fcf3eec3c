from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "lift.training"
    label = "training"
    verbose_name = "Training"
