from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "lift.voice"
    label = "voice"
    verbose_name = "Young people's voice"
