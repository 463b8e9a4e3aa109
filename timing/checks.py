"""System checks for what Oval's settings decide at start-up from the environment, and for the
demo official left behind on a production server."""
import os

from django.conf import settings
from django.core.checks import Tags, Warning, register


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


#: What `manage.py demoofficial` sets unless OVAL_DEMO_PASSWORD says otherwise.
DEMO_PASSWORD = "oval-demo-official"


@register(Tags.database)
def no_demo_official_in_production(app_configs=None, **kwargs):
    """The demo official ('official', a published password, staff) is for `make run` only; with
    DEBUG off it is an open door. A database check (`manage.py check --database default`), so a
    plain `check` never opens a database; `manage.py serve` runs it at every start."""
    if settings.DEBUG:
        return []
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError

    try:
        user = get_user_model().objects.filter(username="official").first()
    except DatabaseError:  # not migrated yet: nothing to find
        return []
    passwords = {DEMO_PASSWORD, os.environ.get("OVAL_DEMO_PASSWORD", DEMO_PASSWORD)}
    if user is None or not user.is_active or not any(user.check_password(p) for p in passwords):
        return []
    return [
        Warning(
            "!!! THE DEMO OFFICIAL EXISTS WITH DEBUG OFF: user 'official' still has the demo password "
            "printed in the README, and may enter times and open the admin.",
            hint="Deactivate or delete it in the admin (or `manage.py changepassword official`) before anyone can reach this server.",
            id="oval.W002",
        )
    ]
