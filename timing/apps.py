from django.apps import AppConfig


class TimingConfig(AppConfig):
    name = "timing"
    verbose_name = "Oval timing"

    def ready(self):
        from . import checks  # noqa: F401  registers the system checks
        from .devices import admin  # noqa: F401  registers device tokens in the admin
