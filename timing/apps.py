from django.apps import AppConfig


class TimingConfig(AppConfig):
    name = "timing"
    verbose_name = "Oval timing"

    def ready(self):
        from . import checks  # noqa: F401  registers the system checks
        from .devices import admin  # noqa: F401  registers device tokens in the admin
        from django.db.models.signals import post_delete

        from .models import Race
        from .screens import bump_on_race_delete

        post_delete.connect(bump_on_race_delete, sender=Race, dispatch_uid="oval-screens-race-deleted")
