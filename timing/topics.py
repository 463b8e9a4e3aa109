"""What a screen can follow live: one race, or one competition's schedule.

Both are alike to the live layer: an id, a version that every committed change bumps, and a
snapshot (the full state) from which a screen starts and to which it returns after any doubt.
The hub, the publisher and the consumers handle every topic the same way; only this module
knows where each kind keeps its version and how its snapshot is read.
"""
RACE = "race"
COMPETITION = "competition"
KINDS = (RACE, COMPETITION)


def group(kind, ident):
    """The topic's name: also its channel-layer group, so one name means one thing everywhere."""
    return f"{kind}.{ident}"


def parse(name):
    kind, _, ident = name.partition(".")
    return kind, int(ident)


def versions(kind, ids):
    """{id: version} of the topics of one kind that still exist."""
    from .models import Competition, Race

    model = Race if kind == RACE else Competition
    return dict(model.objects.filter(pk__in=ids).values_list("id", "version"))


def snapshot_text(kind, ident):
    """(version, JSON text) of the topic's snapshot, or (None, None) if it does not exist."""
    from . import schedule, snapshot

    return (snapshot.race_text if kind == RACE else schedule.text)(ident)


def cached_text(kind, ident, version):
    """The snapshot text of exactly this version if this process has it, else None: no query."""
    from . import snapshot

    return snapshot.cached(kind, ident, version)
