"""The day's schedule as every screen sees it: the competition, its races in order, the race on
the ice. A venue's screens follow it to know what to show; it is a topic of its own
(timing.topics) so that a change of the race on the ice reaches them at once, without a reload.

Times are given twice: as epoch milliseconds for scripts, and as the venue's local clock time
(the competition's time zone), which is what a schedule on a wall says.
"""
from . import screens
from .models import ClassificationRace, Competition
from .snapshot import cached_text, epoch_ms

KIND = "competition"


def competition_summary(comp):
    return {
        "id": comp.id,
        "name": comp.name,
        "venue": comp.venue,
        "starts_on": comp.starts_on.isoformat() if comp.starts_on else None,
        "ends_on": comp.ends_on.isoformat() if comp.ends_on else None,
        "time_zone": comp.time_zone,
        "olympic": comp.olympic,
    }


def race_row(race, zone):
    """A race as the schedule lists it. Only what a schedule shows: a change to any of it moves
    the competition's version; a change to anything else (a time, the current pair) does not."""
    local = race.scheduled_at.astimezone(zone) if race.scheduled_at else None
    return {
        "id": race.id,
        "title": race.title,
        "category": race.category,
        "distance": race.distance,
        "kind": race.kind,
        "order": race.order,
        "state": race.state,
        "scheduled_at": local.isoformat() if local else None,
        "scheduled_ms": epoch_ms(race.scheduled_at),
        "scheduled_local": local.strftime("%H:%M") if local else None,
        "demo": race.demo,
    }


def build(comp):
    """The full schedule snapshot of `comp`: see docs/api.md."""
    zone = comp.zone
    races = [race_row(r, zone) for r in comp.races.in_schedule_order()]
    classifications = classification_rows(comp)
    return {
        "version": comp.version,
        "competition": competition_summary(comp),
        "races": races,
        "on_ice": comp.on_ice_id,
        # What the venue's screens show, and the named screens the officials set otherwise.
        "venue": screens.venue_view(races, comp.on_ice_id, classifications),
        "screens": screens.commanded(comp, races, comp.on_ice_id, classifications),
        "classifications": classifications,
    }


def classification_rows(comp):
    """The competition's classifications and their races in order: what decides whether the venue
    shows one between races. Creating, editing or deleting one moves the competition's version."""
    rows = {}
    entries = ClassificationRace.objects.filter(classification__competition=comp).order_by("classification_id", "order")
    for c in comp.classifications.order_by("id"):
        rows[c.id] = {"id": c.id, "name": c.name, "kind": c.kind, "races": []}
    for e in entries.values("classification_id", "race_id"):
        rows[e["classification_id"]]["races"].append(e["race_id"])
    return list(rows.values())


def load(competition_id):
    return build(Competition.objects.get(pk=competition_id))


def text(competition_id):
    version = Competition.objects.filter(pk=competition_id).values_list("version", flat=True).first()
    return cached_text(KIND, competition_id, version, load)
