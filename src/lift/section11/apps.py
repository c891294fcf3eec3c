from django.apps import AppConfig


class Section11Config(AppConfig):
    name = "lift.section11"
    label = "section11"
    verbose_name = "Section 11 audits"
