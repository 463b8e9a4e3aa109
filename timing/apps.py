from django.apps import AppConfig


class TimingConfig(AppConfig):
    name = "timing"
    verbose_name = "Oval timing"
