from django.apps import AppConfig


class TimingConfig(AppConfig):
    name = "timing"
    verbose_name = "Oval timing"

    def ready(self):
        from .devices import admin  # noqa: F401  registers device tokens in the admin
