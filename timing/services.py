"""The one write path. Officials, devices, the Lynx listener, replay and the demo loader all call it.

Every function: validate -> one transaction holding the race row -> write -> bump the version ->
audit -> broadcast after commit. A rejected input raises ServiceError before anything is written,
and the transaction guarantees that a failure halfway leaves nothing behind either.
"""
import json
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import live, snapshot
from .models import Change, Passing, Race, Source
from .rules import RuleConflict, RuleError
from .rules.board import DNF, DNS, DQ, LANES, OK, STATUSES
from .rules.points import check_order, check_point, check_plausible
from .rules.times import check_time_ms, format_time


class ServiceError(Exception):
    """A refused write. `status` is the HTTP answer; `message` is for the person who sent it."""

    status = 400

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ServiceError):
    status = 400


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409


@dataclass(frozen=True)
class Actor:
    """Who is writing: an official (a user), a timing device (its token's name), or a replay."""

    source: str
    user: AbstractBaseUser | None = None
    device: str = ""

    @classmethod
    def official(cls, user):
        return cls(Source.OFFICIAL, user=user)

    @classmethod
    def from_device(cls, name):
        return cls(Source.DEVICE, device=name)


REPLAY = Actor(Source.REPLAY, device="replay")
IMPORT = Actor(Source.IMPORT, device="import")


def _rules(call, *args):
    try:
        return call(*args)
    except RuleConflict as e:
        raise Conflict(e.message, e.field) from e
    except RuleError as e:
        raise Invalid(e.message, e.field) from e


def _write(race_id, action, actor, change):
    """Run `change(race)` as one committed change of the race; return what it returns.

    `change` returns (result, audit) where audit is a dict of Change fields. The board before and
    after are both computed here so that the broadcast says exactly what moved.
    """
    try:
        with transaction.atomic():
            race = Race.objects.select_for_update().select_related("competition").filter(pk=race_id).first()
            if race is None:
                raise NotFound(f"There is no race {race_id}.", "race")
            before = _board_before(race)
            result, audit = change(race)
            Race.objects.filter(pk=race.pk).update(version=F("version") + 1)
            race.refresh_from_db(fields=["version", "state", "current_pair"])
            Change.objects.create(
                race=race, version=race.version, action=action, source=actor.source,
                actor=actor.user, device=actor.device, **audit,
            )
            after = snapshot.build(race)
            live.publish_on_commit(race.id, live.update_message(action, before, after, audit))
            live.cache_snapshot_on_commit(after)
    except IntegrityError as e:
        # Two writers raced past validation; the database's constraint decided. Nothing was kept.
        raise Conflict("Someone else changed this time at the same moment; reload and try again.") from e
    return result


def _board_before(race):
    """The board at the locked version. The write before this one cached it (on commit, keyed by
    version), so in the usual case of one process taking a race's writes it is not built again."""
    text = cache.get(live.snapshot_key(race.id, race.version))
    return json.loads(text) if text is not None else snapshot.build(race)


def _start(race, pair_number, lane):
    if lane not in LANES:
        raise Invalid(f"Lane '{str(lane)[:20]}' does not exist: use 'inner' or 'outer'.", "lane")
    if isinstance(pair_number, bool) or not isinstance(pair_number, int):
        raise Invalid("The pair must be a number, such as 15.", "pair")
    pair = race.pairs.filter(number=pair_number).first()
    if pair is None:
        raise NotFound(f"{race.title} has no pair {pair_number}.", "pair")
    start = pair.starts.select_related("skater").filter(lane=lane).first()
    if start is None:
        raise NotFound(f"Pair {pair_number} has nobody in the {lane} lane.", "lane")
    return start


def _times(start):
    return {p.distance: p.time_ms for p in start.passings.current()}


def _open(race):
    if race.state == Race.FINAL:
        raise Conflict(f"{race.title} is final; reopen it before changing its results.", "race")


def _go_live(race):
    if race.state == Race.SCHEDULED:
        race.state = Race.LIVE
        race.save(update_fields=["state"])


def _where(start):
    return {"pair": start.pair.number, "lane": start.lane}


def _check_distance(race, distance):
    if isinstance(distance, bool) or not isinstance(distance, int):
        raise Invalid("The distance must be a number of metres, such as 600.", "distance")
    _rules(check_point, race.distance, distance)


def _check_time(distance, time_ms):
    _rules(check_time_ms, time_ms)
    _rules(check_plausible, distance, time_ms)


def record_passing(race_id, pair, lane, distance, time_ms, actor, invented=False):
    """A new time for one skater at one measuring point. A second time there is a conflict:
    the first must be corrected, so a retried or doubled entry can never replace it silently."""

    def change(race):
        _open(race)
        start = _start(race, pair, lane)
        _check_distance(race, distance)
        _check_time(distance, time_ms)
        if start.status == DNS:
            raise Conflict(f"{start.skater.name} is marked DNS; clear the status before entering times.", "status")
        if start.status == DNF and distance == race.distance:
            raise Conflict(f"{start.skater.name} is marked DNF; clear the status before entering a finish.", "status")
        times = _times(start)
        if distance in times:
            what = "finish" if distance == race.distance else f"time at {distance} m"
            raise Conflict(
                f"{start.skater.name} already has a {what} ({format_time(times[distance])}); "
                "correct that passing instead of entering a second one.",
                "distance",
            )
        _rules(check_order, race.distance, times, distance, time_ms)
        _go_live(race)
        passing = Passing.objects.create(
            start=start, distance=distance, time_ms=time_ms, source=actor.source,
            entered_by=actor.user, device=actor.device, invented=invented,
        )
        return passing, {**_where(start), "distance": distance, "new_value": format_ms(time_ms)}

    return _write(race_id, "passing", actor, change)


def format_ms(ms):
    return f"{ms / 1000:.3f}"


def _current_passing(passing_id, race_id=None):
    if isinstance(passing_id, bool) or not isinstance(passing_id, int):
        raise Invalid("The passing id must be a number.", "passing")
    p = Passing.objects.select_related("start__pair", "start__skater").filter(pk=passing_id).first()
    if p is None or (race_id is not None and p.start.pair.race_id != race_id):
        raise NotFound(f"There is no passing {passing_id}.", "passing")
    if p.superseded_at is not None:
        raise Conflict(f"Passing {passing_id} was already corrected; correct the current time instead.", "passing")
    if p.voided_at is not None:
        raise Conflict(f"Passing {passing_id} was voided.", "passing")
    return p


def _reason(reason):
    if not isinstance(reason, str) or not reason.strip():
        raise Invalid("Give a reason: it goes into the audit trail.", "reason")
    if len(reason) > 200:
        raise Invalid("Keep the reason under 200 characters.", "reason")
    return reason.strip()


def race_of_passing(passing_id):
    if isinstance(passing_id, bool) or not isinstance(passing_id, int):
        raise Invalid("The passing id must be a number.", "passing")
    race_id = Passing.objects.filter(pk=passing_id).values_list("start__pair__race_id", flat=True).first()
    if race_id is None:
        raise NotFound(f"There is no passing {passing_id}.", "passing")
    return race_id


def correct_passing(passing_id, time_ms, reason, actor):
    """Replace a time with a new one. The old row stays, marked superseded, for the history."""
    race_id = race_of_passing(passing_id)

    def change(race):
        _open(race)
        old = _current_passing(passing_id, race.id)
        why = _reason(reason)
        _check_time(old.distance, time_ms)
        if time_ms == old.time_ms:
            raise Invalid(f"{format_time(time_ms)} is already the stored time; nothing to correct.", "time")
        others = {d: t for d, t in _times(old.start).items() if d != old.distance}
        _rules(check_order, race.distance, others, old.distance, time_ms)
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = Passing.objects.create(
            start=old.start, distance=old.distance, time_ms=time_ms, source=actor.source,
            entered_by=actor.user, device=actor.device, corrects=old, reason=why,
        )
        return new, {
            **_where(old.start), "distance": old.distance, "old_value": format_ms(old.time_ms),
            "new_value": format_ms(time_ms), "reason": why,
        }

    return _write(race_id, "correction", actor, change)


def void_passing(passing_id, reason, actor):
    """Take a time off the board (a false transponder read). The row stays, marked voided."""
    race_id = race_of_passing(passing_id)

    def change(race):
        _open(race)
        p = _current_passing(passing_id, race.id)
        why = _reason(reason)
        p.voided_at = timezone.now()
        p.void_reason = why
        p.save(update_fields=["voided_at", "void_reason"])
        return p, {**_where(p.start), "distance": p.distance, "old_value": format_ms(p.time_ms), "reason": why}

    return _write(race_id, "void", actor, change)


def set_status(race_id, pair, lane, status, reason, actor):
    """DNS, DNF, DQ (with a reason) or back to OK. A status moves the standings, so a final
    race, like its times, must be reopened first."""

    def change(race):
        _open(race)
        start = _start(race, pair, lane)
        if status not in STATUSES:
            raise Invalid(f"Status '{str(status)[:10]}' does not exist: use OK, DNS, DNF or DQ.", "status")
        why = (reason or "").strip() if isinstance(reason, str) else ""
        if status == DQ and not why:
            raise Invalid("A disqualification needs a reason (false starts, crossing…).", "reason")
        if len(why) > 200:
            raise Invalid("Keep the reason under 200 characters.", "reason")
        times = _times(start)
        if status == DNS and times:
            raise Conflict(f"{start.skater.name} has times, so she started; void them first or use DNF.", "status")
        if status == DNF and race.distance in times:
            raise Conflict(f"{start.skater.name} has a finish; void it first to mark DNF.", "status")
        if status == start.status and why == start.status_reason:
            raise Invalid(f"{start.skater.name} is already {status}.", "status")
        old = start.status
        start.status, start.status_reason = status, why if status != OK else ""
        start.save(update_fields=["status", "status_reason"])
        return start, {**_where(start), "old_value": old, "new_value": status, "reason": why}

    return _write(race_id, "status", actor, change)


def set_fall(race_id, pair, lane, fell, actor):
    def change(race):
        _open(race)
        start = _start(race, pair, lane)
        if not isinstance(fell, bool):
            raise Invalid("'fell' must be true or false.", "fell")
        if start.fell == fell:
            raise Invalid(f"{start.skater.name} is already marked {'as fallen' if fell else 'without a fall'}.", "fell")
        start.fell = fell
        start.save(update_fields=["fell"])
        return start, {**_where(start), "old_value": str(not fell), "new_value": str(fell)}

    return _write(race_id, "fall", actor, change)


def start_pair(race_id, pair, actor, at=None, restart=False):
    """The start signal: the running clocks count from `at` (the server's clock by default).

    A recalled start (false start) may restart the clock only while the pair has no times.
    """

    def change(race):
        _open(race)
        if isinstance(pair, bool) or not isinstance(pair, int):
            raise Invalid("The pair must be a number, such as 15.", "pair")
        p = race.pairs.filter(number=pair).first()
        if p is None:
            raise NotFound(f"{race.title} has no pair {pair}.", "pair")
        if p.started_at is not None:
            if not restart:
                raise Conflict(f"Pair {pair} has already started; send restart to recall the start.", "pair")
            if Passing.objects.current().filter(start__pair=p).exists():
                raise Conflict(f"Pair {pair} already has times; void them before restarting its clock.", "pair")
        old = p.started_at
        p.started_at = at or timezone.now()
        p.save(update_fields=["started_at"])
        race.current_pair = pair
        race.state = Race.LIVE
        race.save(update_fields=["current_pair", "state"])
        return p, {"pair": pair, "old_value": old.isoformat() if old else "", "new_value": p.started_at.isoformat()}

    return _write(race_id, "start", actor, change)


def set_current_pair(race_id, pair, actor):
    """Move the boards to another pair (the next one up) before its start."""

    def change(race):
        if isinstance(pair, bool) or not isinstance(pair, int):
            raise Invalid("The pair must be a number, such as 15.", "pair")
        if not race.pairs.filter(number=pair).exists():
            raise NotFound(f"{race.title} has no pair {pair}.", "pair")
        if pair == race.current_pair:
            raise Invalid(f"Pair {pair} is already the current pair.", "pair")
        old = race.current_pair
        race.current_pair = pair
        race.save(update_fields=["current_pair"])
        return race, {"pair": pair, "old_value": str(old), "new_value": str(pair)}

    return _write(race_id, "pair", actor, change)


TRANSITIONS = {
    Race.SCHEDULED: {Race.LIVE},
    Race.LIVE: {Race.FINAL, Race.SCHEDULED},
    Race.FINAL: {Race.LIVE},  # reopening, for a late correction
}


def set_race_state(race_id, state, actor, reason=""):
    def change(race):
        if state not in TRANSITIONS:
            raise Invalid(f"State '{str(state)[:20]}' does not exist: use scheduled, live or final.", "state")
        if state not in TRANSITIONS[race.state]:
            raise Conflict(f"{race.title} is {race.state}; it cannot become {state}.", "state")
        old = race.state
        race.state = state
        race.save(update_fields=["state"])
        return race, {"old_value": old, "new_value": state, "reason": (reason or "")[:200]}

    return _write(race_id, "state", actor, change)


def next_point(race, start):
    """The first measuring point after the skater's last passing: what a device's 'S' means."""
    times = _times(start)
    last = max(times, default=0)
    for point in race.points:
        if point > last:
            return point
    return None
