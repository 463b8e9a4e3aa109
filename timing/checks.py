"""System checks for what Oval's settings decide at start-up from the environment."""
from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=False)
def secret_key_is_set(app_configs, **kwargs):
    if settings.SECRET_KEY_FROM_ENVIRONMENT or settings.DEBUG:
        return []
    return [
        Warning(
            "SECRET_KEY is not set: this process signs sessions with a random key of its own, so "
            "logins end when it restarts and are not shared with other processes.",
            hint="Set SECRET_KEY in the environment (50 random characters, the same for every process).",
            id="oval.W001",
        )
    ]
