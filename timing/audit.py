"""The audit trail as people read it: one row format for the audit page and the console's panel.

Stored changes keep machine values (a start signal as an ISO timestamp in UTC, times as exact
thousandths); a row shows them on the venue's clock (Competition.zone) and with the same labels
everywhere, so an official comparing the console with the printed trail reads the same words.
"""
from datetime import datetime

from .models import Change, Race, Start
from .rules.points import LAP
from .rules.team_pursuit import STRAIGHTS

#: The one label of each kind of change.
ACTIONS = {
    "passing": "Time",
    "correction": "Correction",
    "void": "Void",
    "status": "Status",
    "fall": "Fall",
    "start": "Start",
    "pair": "Current pair",
    "state": "Race state",
    "crossing": "Crossing",
    "held": "Held split",
    "discard": "Discard",
}


def changes_of(race, pair=None):
    changes = Change.objects.filter(race=race).select_related("actor").order_by("-version")
    return changes.filter(pair=pair) if pair is not None else changes


def clock(moment, zone, exact=False):
    """A moment on the venue's clock: 04:08:00, or 04:08:00.538 for a start signal."""
    local = moment.astimezone(zone)
    return local.strftime("%H:%M:%S.%f")[:-3] if exact else local.strftime("%H:%M:%S")


def _value(change, value, zone):
    """A start signal is stored as an ISO timestamp: shown as the venue's clock, to the thousandth."""
    if change.action == "start" and value:
        try:
            return clock(datetime.fromisoformat(value), zone, exact=True)
        except ValueError:
            return value
    return value


def teams_of(race):
    """A team pursuit's teams by (heat, position), for rows that name them; None for any other race.

    Rows store the heat as `pair` and the position as `lane` (so old rows stay valid); the wording
    is made here, when a row is shown, from the start list as it is now.
    """
    if race.kind != Race.TEAM_PURSUIT:
        return None
    starts = Start.objects.filter(pair__race=race).select_related("pair", "skater")
    return {(s.pair.number, s.lane): _team(s.skater) for s in starts}


def _team(skater):
    return f"{skater.name} ({skater.nation})" if skater.nation and skater.nation != skater.name else skater.name


def _where(c, teams=None):
    if teams is not None and c.pair:  # a team pursuit: heat 1 Netherlands (NED) home straight 400 m
        return " ".join(x for x in (
            f"heat {c.pair}", teams.get((c.pair, c.lane), ""), STRAIGHTS.get(c.lane, c.lane),
            f"{c.distance} m" if c.distance else "",
        ) if x)
    if c.bib is not None:  # a mass start: by bib, and a crossing's lap (its distance is lap x 400 m)
        return " ".join(x for x in (f"bib {c.bib}", f"lap {c.distance // LAP}" if c.distance else "") if x)
    return " ".join(x for x in (
        f"pair {c.pair}" if c.pair else "", c.lane, f"{c.distance} m" if c.distance else "",
    ) if x)


def _source(c):
    label = c.get_source_display()
    return f"{label} ({c.device})" if c.device and c.actor_id is None and c.device != c.source else label


def row(c, zone, teams=None):
    """One change as its row shows it (every value a string, ready to print); `teams` from teams_of."""
    return {
        "version": c.version,
        "at": clock(c.at, zone),
        "at_iso": c.at.astimezone(zone).isoformat(),
        "day": c.at.astimezone(zone).strftime("%a %d %b %Y"),
        "who": c.who,
        "source": _source(c),
        "action": ACTIONS.get(c.action, c.action),
        "where": _where(c, teams),
        "old_value": _value(c, c.old_value, zone),
        "new_value": _value(c, c.new_value, zone),
        "reason": c.reason,
        "pair": c.pair,
    }


def zone_label(zone, moment):
    """"Europe/Rome (CET)": the zone's name and its abbreviation at that moment."""
    abbreviation = moment.astimezone(zone).tzname()
    name = getattr(zone, "key", None) or abbreviation
    return name if name == abbreviation else f"{name} ({abbreviation})"
