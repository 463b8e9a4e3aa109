"""The one write path. Officials, devices, the Lynx listener, replay and the demo loader all call it.

Every function: validate -> one transaction holding the race row -> write -> bump the version ->
audit -> broadcast after commit. A rejected input raises ServiceError before anything is written,
and the transaction guarantees that a failure halfway leaves nothing behind either.
"""
import datetime as dt
import json
from dataclasses import dataclass
from zoneinfo import available_timezones

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, InterfaceError, InternalError, OperationalError, transaction
from django.db.models import Count, F
from django.utils import timezone

from . import classification_table, schedule, snapshot, startlists, topics
from .messages import race_update, schedule_update
from .models import Change, Competition, Crossing, HeldSplit, Pair, Passing, Race, Record, Source, Start
from .prepared import Prepared
from .publish import publish_on_commit
from .rules import RuleConflict, RuleError, mass_start, team_pursuit
from .rules.assign import assign_point
from .rules.board import DNF, DNS, DQ, LANES, OK, STATUSES
from .rules.plausibility import PAIR_WARNINGS, REPLAYING, pair_warnings, warnings_for
from .rules.points import DISTANCES, check_order, check_point, check_plausible
from .rules.times import check_time_ms, format_exact, format_time


#: What a write meets when the database is away rather than refusing: refused or lost connections,
#: a full disk (Operational), a connection already closed (Interface), a standby still read-only
#: after a failover (Internal). Not a refusal: the API answers 503, the Lynx listener retries.
DATABASE_AWAY = (OperationalError, InterfaceError, InternalError)


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
    after are both computed here so that the broadcast says exactly what moved. When the change
    moves what the day's schedule shows of the race (its state, title, time), the competition's
    version moves too, so venue screens hear of it without following every race.
    """
    try:
        with transaction.atomic():
            race = Race.objects.select_for_update().select_related("competition").filter(pk=race_id).first()
            if race is None:
                raise NotFound(f"There is no race {race_id}.", "race")
            before = _board_before(race)
            listed = schedule.race_row(race, race.competition.zone)
            result, audit = change(race)
            Race.objects.filter(pk=race.pk).update(version=F("version") + 1)
            [(race.version, race.state, race.current_pair)] = _RACE_ROW(race.id)
            Change.objects.create(
                race=race, version=race.version, action=action, source=actor.source,
                actor=actor.user, device=actor.device, **audit,
            )
            after = snapshot.build(race)
            # Cached before it is announced: a hub that hears the version finds its text at once.
            snapshot.cache_on_commit(topics.RACE, after, race.id)
            publish_on_commit(topics.group(topics.RACE, race.id), race_update(action, before, after, audit))
            if schedule.race_row(race, race.competition.zone) != listed:
                _schedule_moved(race.competition_id, action, audit)
            classification_table.push_for_race(race, audit)  # the classifications it counts in
    except IntegrityError as e:
        # Two writers raced past validation; the database's constraint decided. Nothing was kept.
        raise Conflict("Someone else changed this time at the same moment; reload and try again.") from e
    return _stamped(result, race.version)


def _stamped(result, version):
    """The race version this write committed, carried by what it returns (`committed_version`),
    so whoever answers the write (timing/api_write.py) need not ask the database for it again."""
    if hasattr(result, "__dict__"):
        result.committed_version = version
    return result


def _board_before(race):
    """The board at the locked version. The write before this one cached it (on commit, keyed by
    version), so in the usual case of one process taking a race's writes it is not built again."""
    text = snapshot.cached(topics.RACE, race.id, race.version)
    return json.loads(text) if text is not None else snapshot.build(race)


def _schedule_moved(competition_id, action, audit):
    """Bump and push the competition's schedule after a change already audited on its race."""
    Competition.objects.filter(pk=competition_id).update(version=F("version") + 1)
    _push_schedule(Competition.objects.get(pk=competition_id), action, audit)


def _push_schedule(comp, action, audit):
    after = schedule.build(comp)
    snapshot.cache_on_commit(topics.COMPETITION, after, comp.id)
    publish_on_commit(topics.group(topics.COMPETITION, comp.id), schedule_update(action, after, audit))


def _write_competition(competition_id, action, actor, change):
    """Run `change(competition)` as one committed change of the day's schedule: the same steps
    as `_write` (lock, validate, write, bump, audit, push on commit) for the competition."""
    if isinstance(competition_id, bool) or not isinstance(competition_id, int):
        raise Invalid("The competition must be a number, such as 3.", "competition")
    with transaction.atomic():
        comp = Competition.objects.select_for_update().filter(pk=competition_id).first()
        if comp is None:
            raise NotFound(f"There is no competition {competition_id}.", "competition")
        result, audit = change(comp)
        Competition.objects.filter(pk=comp.pk).update(version=F("version") + 1)
        comp.refresh_from_db()
        Change.objects.create(
            competition=comp, version=comp.version, action=action, source=actor.source,
            actor=actor.user, device=actor.device, **audit,
        )
        _push_schedule(comp, action, audit)
    return result


def _start(race, pair_number, lane):
    _in_pairs(race)
    if lane not in LANES:
        raise Invalid(f"Lane '{str(lane)[:20]}' does not exist: use 'inner' or 'outer'.", "lane")
    if isinstance(pair_number, bool) or not isinstance(pair_number, int):
        raise Invalid("The pair must be a number, such as 15.", "pair")
    start = Start.objects.select_related("skater", "pair").filter(
        pair__race=race, pair__number=pair_number, lane=lane
    ).first()
    if start is None:
        if not race.pairs.filter(number=pair_number).exists():
            raise NotFound(f"{race.title} has no pair {pair_number}.", "pair")
        raise NotFound(f"Pair {pair_number} has nobody in the {lane} lane.", "lane")
    return start


#: A start's current times, on every entry's path: compiled once (timing/prepared.py).
_TIMES = Prepared(lambda start: Passing.objects.current().filter(start_id=start).values_list("distance", "time_ms"), int)
#: What a change may have moved of the locked race row, read back after the version bump.
_RACE_ROW = Prepared(lambda race: Race.objects.filter(pk=race).values_list("version", "state", "current_pair"), int)


def _times(start):
    return dict(_TIMES(start.id))


def _open(race):
    if race.state == Race.FINAL:
        raise Conflict(f"{race.title} is final; reopen it before changing its results.", "race")


def _go_live(race):
    if race.state == Race.SCHEDULED:
        race.state = Race.LIVE
        race.save(update_fields=["state"])


def _where(start):
    where = {"pair": start.pair.number, "lane": start.lane}
    return where if start.bib is None else {**where, "bib": start.bib}


def _check_distance(race, distance):
    if isinstance(distance, bool) or not isinstance(distance, int):
        raise Invalid("The distance must be a number of metres, such as 600.", "distance")
    if race.kind == Race.TEAM_PURSUIT:
        _rules(team_pursuit.check_point, race.distance, distance)
    else:
        _rules(check_point, race.distance, distance)


def _in_pairs(race):
    if race.kind == Race.MASS_START:
        raise Conflict(
            f"{race.title} is a mass start: send crossings of the line by bib "
            f"(POST /api/races/{race.id}/crossings), not passings by pair and lane.",
            "race",
        )


def _check_time(distance, time_ms):
    _rules(check_time_ms, time_ms)
    _rules(check_plausible, distance, time_ms)


class Unconfirmed(Conflict):
    """A time the rules allow but that looks wrong (timing/rules/plausibility.py) or goes where the
    official may not mean it to: refused until it is sent again with confirm=True. `warning` is the
    first warning's code, for the page to key on; the message lists them all."""

    def __init__(self, warnings, field="time"):
        super().__init__(" ".join(w.message for w in warnings), field)
        self.warning = warnings[0].code
        self.warnings = [w.code for w in warnings]


def _soft_check(race, start, distance, time_ms, actor, confirm, correction=False):
    """Officials' soft warnings. Devices, the Lynx listener, replay and imports never get them:
    timing hardware is the source of truth and cannot press Enter twice, and a replay or an import
    repeats times that were accepted once. A correction is aimed at one passing on purpose, so of
    the pair's warnings it gets only the replay's."""
    if confirm or actor.source != Source.OFFICIAL:
        return
    pair = start.pair
    found = pair_warnings(pair.number, race.current_pair, pair.started_at is not None, race.replay_of_id is not None)
    if correction:
        found = [w for w in found if w.code == REPLAYING]
    partner = pair.starts.exclude(pk=start.pk).first()
    records = Record.objects.filter(kind="WR", category=race.category, distance=race.distance)
    record = records.order_by("time_ms").first()
    found += warnings_for(
        race.distance, distance, time_ms, {d: t for d, t in _times(start).items() if d != distance},
        _times(partner) if partner else {}, record.time_ms if record else None, race.points,
    )
    if found:
        raise Unconfirmed(found, "pair" if found[0].code in PAIR_WARNINGS else "time")


def record_passing(race_id, pair, lane, distance, time_ms, actor, invented=False, confirm=False):
    """A new time for one skater at one measuring point. A second time there is a conflict:
    the first must be corrected, so a retried or doubled entry can never replace it silently.
    An official's entry that warns (see _soft_check) is stored only with confirm=True."""

    def change(race):
        _open(race)
        return _record(race, _start(race, pair, lane), distance, time_ms, actor, invented, confirm=confirm)

    return _write(race_id, "passing", actor, change)


def _record(race, start, distance, time_ms, actor, invented=False, audit=None, confirm=False):
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
    _rules(check_order, race.distance, times, distance, time_ms, race.points)
    _soft_check(race, start, distance, time_ms, actor, confirm)
    _go_live(race)
    passing = Passing.objects.create(
        start=start, distance=distance, time_ms=time_ms, source=actor.source,
        entered_by=actor.user, device=actor.device, invented=invented,
    )
    return passing, {**_where(start), "distance": distance, "new_value": format_exact(time_ms), **(audit or {})}


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


def race_of(model, ident, what, field):
    """The race a stored time belongs to (a passing, a crossing, a held split), checked first:
    its race row is what the write then locks."""
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise Invalid(f"The {what} id must be a number.", field)
    race_id = model.objects.filter(pk=ident).values_list("start__pair__race_id", flat=True).first()
    if race_id is None:
        raise NotFound(f"There is no {what} {ident}.", field)
    return race_id


def race_of_passing(passing_id):
    return race_of(Passing, passing_id, "passing", "passing")


def correct_passing(passing_id, time_ms, reason, actor, confirm=False):
    """Replace a time with a new one. The old row stays, marked superseded, for the history.
    The new time gets the same soft warnings as an entry, except the pair's: a correction is
    deliberately aimed at one passing."""
    race_id = race_of_passing(passing_id)

    def change(race):
        _open(race)
        old = _current_passing(passing_id, race.id)
        why = _reason(reason)
        _check_time(old.distance, time_ms)
        if time_ms == old.time_ms:
            raise Invalid(f"{format_time(time_ms)} is already the stored time; nothing to correct.", "time")
        others = {d: t for d, t in _times(old.start).items() if d != old.distance}
        _rules(check_order, race.distance, others, old.distance, time_ms, race.points)
        _soft_check(race, old.start, old.distance, time_ms, actor, confirm, correction=True)
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = Passing.objects.create(
            start=old.start, distance=old.distance, time_ms=time_ms, source=actor.source,
            entered_by=actor.user, device=actor.device, corrects=old, reason=why,
        )
        return new, {
            **_where(old.start), "distance": old.distance, "old_value": format_exact(old.time_ms),
            "new_value": format_exact(time_ms), "reason": why,
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
        return p, {**_where(p.start), "distance": p.distance, "old_value": format_exact(p.time_ms), "reason": why}

    return _write(race_id, "void", actor, change)


def set_status(race_id, pair, lane, status, reason, actor):
    """DNS, DNF, DQ (with a reason) or back to OK. A status moves the standings, so a final
    race, like its times, must be reopened first."""

    def find(race):
        start = _start(race, pair, lane)
        times = _times(start)
        return start, bool(times), race.distance in times

    return change_status(race_id, find, status, reason, actor)


def change_status(race_id, find, status, reason, actor):
    """The status change itself; `find(race)` gives (start, has times, has a finish), so a mass
    start (by bib, timing/formats/crossings.py) shares every rule here."""

    def change(race):
        _open(race)
        start, started, finished = find(race)
        if status not in STATUSES:
            raise Invalid(f"Status '{str(status)[:10]}' does not exist: use OK, DNS, DNF or DQ.", "status")
        why = (reason or "").strip() if isinstance(reason, str) else ""
        if status == DQ and not why:
            raise Invalid("A disqualification needs a reason (false starts, crossing…).", "reason")
        if len(why) > 200:
            raise Invalid("Keep the reason under 200 characters.", "reason")
        if status == DNS and started:
            raise Conflict(f"{start.skater.name} has times, so she started; void them first or use DNF.", "status")
        if status == DNF and finished:
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
            if Passing.objects.current().filter(start__pair=p).exists() or \
                    Crossing.objects.current().filter(start__pair=p).exists():
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
        if race.state == Race.FINAL and not (reason or "").strip():
            raise Invalid(f"{race.title} is final: give the reason for reopening it (a protest, a late correction).", "reason")
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


# --- the competition day: competitions, their races, the race on the ice, start lists ----------

COMPETITION_FIELDS = {"name", "venue", "starts_on", "ends_on", "time_zone", "olympic"}
RACE_FIELDS = {"title", "category", "distance", "kind", "scheduled_at", "order"}
#: Distances each kind of race is skated over (the rules of each kind check the rest).
KIND_DISTANCES = {
    Race.INDIVIDUAL: DISTANCES,
    Race.TEAM_PURSUIT: team_pursuit.DISTANCES,
    Race.MASS_START: (mass_start.DISTANCE,),
}


def _text(data, name, limit, label, required=True):
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(f"The {label} must be text.", name)
    value = value.strip()
    if required and not value:
        raise Invalid(f"The {label} is empty: give one.", name)
    if len(value) > limit:
        raise Invalid(f"Keep the {label} under {limit} characters (it has {len(value)}).", name)
    return value


def _date(data, name):
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        pass
    raise Invalid(f"'{str(value)[:30]}' is not a date: write it as 2026-02-09.", name)


def _zone(data):
    name = data.get("time_zone", "UTC")
    if not isinstance(name, str) or name not in available_timezones():
        raise Invalid(
            f"'{str(name)[:40]}' is not a time zone: use an IANA name such as Europe/Amsterdam or Asia/Tokyo.",
            "time_zone",
        )
    return name


def _known_fields(data, allowed, what):
    if not isinstance(data, dict):
        raise Invalid(f"The {what} must be given as fields.", None)
    for name in data:
        if name not in allowed:
            raise Invalid(f"Unknown field '{str(name)[:40]}' for a {what}; known: {', '.join(sorted(allowed))}.", str(name)[:40])


def _competition_values(data, current=None):
    _known_fields(data, COMPETITION_FIELDS, "competition")
    merged = {**(current or {}), **data}
    values = {
        "name": _text(merged, "name", 200, "competition's name"),
        "venue": _text(merged, "venue", 200, "venue", required=False),
        "starts_on": _date(merged, "starts_on"),
        "ends_on": _date(merged, "ends_on"),
        "time_zone": _zone(merged),
        "olympic": merged.get("olympic", False),
    }
    if not isinstance(values["olympic"], bool):
        raise Invalid("'olympic' must be true or false.", "olympic")
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        raise Invalid("The competition cannot end before it starts: check the dates.", "ends_on")
    return values


def _competition_audit(comp):
    return f"{comp.name} · {comp.venue or 'no venue'} · {comp.starts_on or 'no date'} · {comp.time_zone}"


def create_competition(data, actor):
    """A new competition, its schedule empty. Audited as the competition's first version."""
    values = _competition_values(data)
    with transaction.atomic():
        comp = Competition.objects.create(**values, version=1, owner=actor.user)
        if actor.user is not None:  # its creator owns it and officiates it (timing/access.py)
            comp.officials.add(actor.user)
        Change.objects.create(
            competition=comp, version=1, action="competition", source=actor.source, actor=actor.user,
            device=actor.device, new_value=_competition_audit(comp)[:200],
        )
    return comp


def add_official(competition_id, username, actor):
    """Assign an official to a competition: she may then write to it and open its pages."""
    from django.contrib.auth import get_user_model

    name = str(username or "").strip()
    user = get_user_model().objects.filter(username=name).first() if name else None
    if user is None:
        raise NotFound(f"There is no user '{name[:40]}': an administrator creates the account first.", "username")
    if not user.is_active or not user.has_perm("timing.enter_times"):
        raise Invalid(f"{user.get_username()} is not an official: an administrator gives the account the "
                      "'enter times' permission (or the officials' group) first.", "username")

    def change(comp):
        if comp.officials.filter(pk=user.pk).exists():
            raise Invalid(f"{user.get_username()} is already an official of {comp.name}.", "username")
        comp.officials.add(user)
        return user, {"new_value": user.get_username()[:200]}

    return _write_competition(competition_id, "official added", actor, change)


def remove_official(competition_id, user_id, actor):
    """Take an official off a competition. Its owner stays: an administrator changes the owner."""

    def change(comp):
        user = comp.officials.filter(pk=user_id).first() if isinstance(user_id, int) else None
        if user is None:
            raise NotFound(f"User {user_id} is not an official of {comp.name}.", "user")
        if user.pk == comp.owner_id:
            raise Invalid(f"{user.get_username()} owns {comp.name} and stays its official; an administrator can "
                          "change the owner in the admin.", "user")
        comp.officials.remove(user)
        return user, {"old_value": user.get_username()[:200]}

    return _write_competition(competition_id, "official removed", actor, change)


def update_competition(competition_id, data, actor):
    def change(comp):
        current = {f: getattr(comp, f) for f in COMPETITION_FIELDS}
        values = _competition_values(data, current)
        if values == current:
            raise Invalid("Nothing to change: every field already has that value.", None)
        old = _competition_audit(comp)
        for name, value in values.items():
            setattr(comp, name, value)
        comp.save(update_fields=list(values))
        return comp, {"old_value": old[:200], "new_value": _competition_audit(comp)[:200]}

    return _write_competition(competition_id, "competition", actor, change)


def _scheduled_at(value, zone):
    """An aware datetime from ISO text or a datetime; a time without an offset is the venue's."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(
                f"'{value[:40]}' is not a date and time: write it as 2026-02-09T16:00 (the venue's time) "
                "or with an offset, 2026-02-09T16:00+01:00.",
                "scheduled_at",
            ) from None
    if not isinstance(value, dt.datetime):
        raise Invalid("The scheduled time must be a date and time such as 2026-02-09T16:00.", "scheduled_at")
    return value if value.tzinfo else value.replace(tzinfo=zone)


def _race_values(data, zone, current=None):
    _known_fields(data, RACE_FIELDS, "race")
    merged = {**(current or {}), **data}
    kind = merged.get("kind") or Race.INDIVIDUAL
    if kind not in KIND_DISTANCES:
        raise Invalid(f"Kind '{str(kind)[:20]}' does not exist: use individual, team_pursuit or mass_start.", "kind")
    distance = merged.get("distance")
    if isinstance(distance, bool) or not isinstance(distance, int):
        raise Invalid("The distance must be a number of metres, such as 1000.", "distance")
    if distance not in KIND_DISTANCES[kind]:
        allowed = ", ".join(map(str, KIND_DISTANCES[kind]))
        raise Invalid(f"A {kind.replace('_', ' ')} race is not skated over {distance} m; use {allowed}.", "distance")
    order = merged.get("order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= 10_000):
        raise Invalid("The order must be a whole number from 0, such as 3.", "order")
    return {
        "title": _text(merged, "title", 200, "race's title"),
        "category": _text(merged, "category", 40, "category (such as Women or Men)"),
        "distance": distance,
        "kind": kind,
        "scheduled_at": _scheduled_at(merged.get("scheduled_at"), zone),
        "order": order,
    }


def _race_audit(race):
    when = race.scheduled_at.isoformat(timespec="minutes") if race.scheduled_at else "no time"
    return f"race {race.id}: {race.title} · {race.category} · {race.distance} m · {when} · #{race.order}"


def create_race(competition_id, data, actor):
    """A race added to the day's schedule (last, unless an order is given); its start list comes next."""

    def change(comp):
        values = _race_values(data, comp.zone)
        if comp.races.filter(title=values["title"]).exists():
            raise Conflict(f"{comp.name} already has a race '{values['title']}': give this one another title.", "title")
        if values["order"] is None:
            last = comp.races.order_by("-order").values_list("order", flat=True).first()
            values["order"] = 1 if last is None else last + 1
        race = Race.objects.create(competition=comp, **values)
        return race, {"new_value": _race_audit(race)[:200]}

    return _write_competition(competition_id, "race added", actor, change)


def update_race(race_id, data, actor):
    """Title, category, time and place in the day may change at any time; distance and kind only
    while nothing has been timed, since every time already taken belongs to them."""

    def change(race):
        current = {f: getattr(race, f) for f in RACE_FIELDS}
        values = _race_values(data, race.competition.zone, current)
        if values == current:
            raise Invalid("Nothing to change: every field already has that value.", None)
        if (values["distance"], values["kind"]) != (race.distance, race.kind) and (
            race.state != Race.SCHEDULED or race.pairs.filter(started_at__isnull=False).exists()
        ):
            raise Conflict(f"{race.title} has started: its distance and kind can no longer change.", "distance")
        if values["title"] != race.title and race.competition.races.filter(title=values["title"]).exists():
            raise Conflict(f"{race.competition.name} already has a race '{values['title']}'.", "title")
        old = _race_audit(race)
        for name, value in values.items():
            setattr(race, name, value)
        race.save(update_fields=list(values))
        return race, {"old_value": old[:200], "new_value": _race_audit(race)[:200]}

    return _write(race_id, "race", actor, change)


def set_on_ice(competition_id, race_id, actor):
    """The race the venue's screens follow now (None: nothing on the ice, between sessions)."""

    def change(comp):
        if race_id is not None and (isinstance(race_id, bool) or not isinstance(race_id, int)):
            raise Invalid("The race must be a number, such as 12, or null for none.", "race")
        race = None
        if race_id is not None:
            race = Race.objects.filter(pk=race_id).first()
            if race is None:
                raise NotFound(f"There is no race {race_id}.", "race")
            if race.competition_id != comp.id:
                raise Invalid(f"Race {race_id} belongs to another competition ({race.competition.name}).", "race")
        if comp.on_ice_id == race_id:
            raise Invalid(f"{race.title if race else 'Nothing'} is already on the ice.", "race")
        old = comp.on_ice
        comp.on_ice = race
        comp.save(update_fields=["on_ice"])
        return comp, {
            "old_value": (f"race {old.id}: {old.title}" if old else "")[:200],
            "new_value": (f"race {race.id}: {race.title}" if race else "none")[:200],
        }

    return _write_competition(competition_id, "on ice", actor, change)


def replace_startlist(race_id, entries, actor):
    """A whole new start list, while no pair has started: a federation's entry system sending a
    corrected list. The old, never-skated start list is replaced; the audit row says by what."""

    def change(race):
        _open(race)
        if race.state != Race.SCHEDULED or race.pairs.filter(started_at__isnull=False).exists():
            raise Conflict(f"{race.title} has started: edit its start list pair by pair instead of replacing it.", "race")
        if Passing.objects.filter(start__pair__race=race).exists() or Crossing.objects.filter(
            start__pair__race=race
        ).exists():
            raise Conflict(f"{race.title} already has times: void them before replacing the start list.", "race")
        try:
            checked = startlists.prepare(race.kind, race.distance, entries)
            old = Start.objects.filter(pair__race=race).count()
            Start.objects.filter(pair__race=race).delete()
            race.pairs.all().delete()
            startlists.add_starts(race, checked)  # a licence given to another name is refused here
        except startlists.StartListError as e:
            raise Invalid("; ".join(map(str, e.problems))[:1000], "starts") from e
        if race.current_pair != 1:
            race.current_pair = 1
            race.save(update_fields=["current_pair"])
        pairs = len({e.pair for e in checked})
        return race, {"old_value": f"{old} skaters", "new_value": f"{len(checked)} skaters in {pairs} pairs"}

    return _write(race_id, "start list", actor, change)


# --- the start list: late entries, withdrawals, moves, swaps and renumbering --------------------
#
# A pair's composition is open until its start signal (or its first time, whichever is first) and
# locked after: the boards, the audit trail and the results all name skaters by pair and lane.
# A race may be live while its later pairs are still being rearranged; a final race is closed.
#
# Withdrawal, decided: a skater withdrawn before the pair starts is taken off the start list. The
# Start row is removed: it holds no fact yet (no start signal, no time; the database's PROTECT on
# Passing.start makes removing a start that has a time impossible), while the Skater, the
# personal bests and the audit row (who withdrew whom, from which pair and lane, and why) stay.
# Keeping the start as "DNS withdrawn" instead would hold the lane, so a reserve could not take
# it, and would put a non-starter in the results of a race that skater was never going to skate.
# A skater who is called and does not appear is DNS through set_status, as before. A pair left
# empty stays until renumber_pairs closes the gap.


def _pair_for_edit(race, number, new_allowed=False):
    """The unstarted pair `number`; with new_allowed, the number after the last creates a pair."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise Invalid("The pair must be a number, such as 15.", "pair")
    pair = race.pairs.filter(number=number).first()
    if pair is None:
        last = race.pairs.order_by("-number").values_list("number", flat=True).first() or 0
        if new_allowed and number == last + 1:
            return Pair(race=race, number=number)  # saved by the caller once everything is checked
        where = f"{race.title} has pairs 1 to {last}" if last else f"{race.title} has no pairs yet"
        end = f"; use one of them or pair {last + 1} for a new pair at the end." if new_allowed else "."
        raise NotFound(f"{where}, not pair {number}{end}", "pair")
    _check_unstarted(pair)
    return pair


def _check_unstarted(pair):
    if Pair.objects.filter(pk=pair.pk).started().exists():
        raise Conflict(f"Pair {pair.number} has started; its skaters can no longer change.", "pair")


def _lane(lane, field="lane"):
    if lane not in LANES:
        raise Invalid(f"Lane '{str(lane)[:20]}' does not exist: use 'inner' or 'outer'.", field)
    return lane


def _occupant(pair, lane):
    return None if pair.pk is None else pair.starts.select_related("skater").filter(lane=lane).first()


def _who(start):
    return f"{start.skater.name} ({start.skater.nation})"


def _checked(check, value, field):
    result, problem = check(value)
    if problem:
        raise Invalid(problem[0].upper() + problem[1:], field)
    return result


def add_entry(race_id, data, actor):
    """A late entry: `data` has pair, lane, name, nation and optionally pb (text such as 1:14.20)
    and licence. The lane must be free; the pair after the last one makes a new pair."""
    def change(race):
        _open(race)
        pair = _pair_for_edit(race, data.get("pair"), new_allowed=True)
        lane = _lane(data.get("lane"))
        name = _checked(startlists.check_name, data.get("name", ""), "name")
        nation = _checked(startlists.check_nation, data.get("nation", ""), "nation")
        pb_ms = _checked(startlists.check_pb, data.get("pb") or "", "pb")
        licence = _checked(startlists.check_licence, data.get("licence") or "", "licence")
        taken = _occupant(pair, lane)
        if taken is not None:
            raise Conflict(f"{_who(taken)} already skates in pair {pair.number} {lane}; choose a free lane.", "lane")
        twin = Start.objects.filter(pair__race=race, skater__name__iexact=name, skater__nation=nation)
        if licence:
            twin = twin | Start.objects.filter(pair__race=race, skater__licence=licence)
        twin = twin.select_related("pair", "skater").first()
        if twin is not None:
            raise Conflict(f"{_who(twin)} is already in pair {twin.pair.number} {twin.lane}; move that start instead.", "name")
        try:
            entry = startlists.Entry(pair.number, lane, name, nation, pb_ms, licence=licence)
            skater = startlists.skater_for(entry, race.distance)
        except startlists.StartListError as e:
            raise Conflict(e.problems[0].message[0].upper() + e.problems[0].message[1:], "licence") from None
        if pair.pk is None:
            pair.save()
        start = Start.objects.create(pair=pair, lane=lane, skater=skater)
        return start, {"pair": pair.number, "lane": lane, "new_value": _who(start)}

    return _write(race_id, "entry", actor, change)


def withdraw(race_id, pair, lane, reason, actor):
    """Take a skater off the start list before the pair starts (see the decision above)."""

    def change(race):
        _open(race)
        p = _pair_for_edit(race, pair)
        start = _occupant(p, _lane(lane))
        if start is None:
            raise NotFound(f"Pair {pair} has nobody in the {lane} lane.", "lane")
        why = (reason or "").strip() if isinstance(reason, str) else ""
        if len(why) > 200:
            raise Invalid("Keep the reason under 200 characters.", "reason")
        who = _who(start)
        start.delete()
        return who, {"pair": pair, "lane": lane, "old_value": who, "reason": why or "withdrawn"}

    return _write(race_id, "withdraw", actor, change)


def move_start(race_id, pair, lane, to_pair, to_lane, actor):
    """Move a skater to an empty lane of another pair or the same one; the pair after the last one
    makes a new pair."""

    def change(race):
        _open(race)
        source = _pair_for_edit(race, pair)
        start = _occupant(source, _lane(lane))
        if start is None:
            raise NotFound(f"Pair {pair} has nobody in the {lane} lane.", "lane")
        target = _pair_for_edit(race, to_pair, new_allowed=True)
        _lane(to_lane, "to_lane")
        if (target.number, to_lane) == (pair, lane):
            raise Invalid(f"{_who(start)} is already in pair {pair} {lane}.", "to_pair")
        taken = _occupant(target, to_lane)
        if taken is not None:
            raise Conflict(
                f"{_who(taken)} already skates in pair {target.number} {to_lane}; move that skater first or swap the lanes.",
                "to_lane",
            )
        if target.pk is None:
            target.save()
        start.pair, start.lane = target, to_lane
        start.save(update_fields=["pair", "lane"])
        return start, {
            "pair": target.number, "lane": to_lane,
            "old_value": f"{_who(start)}, pair {pair} {lane}", "new_value": f"pair {target.number} {to_lane}",
        }

    return _write(race_id, "move", actor, change)


def swap_lanes(race_id, pair, actor):
    """Inner becomes outer and outer inner within one pair (the draw put them the wrong way round)."""

    def change(race):
        _open(race)
        p = _pair_for_edit(race, pair)
        lanes = {s.lane: s for s in p.starts.select_related("skater")}
        if not lanes:
            raise Invalid(f"Pair {pair} is empty; there is nobody to swap.", "pair")
        inner, outer = lanes.get("inner"), lanes.get("outer")
        names = {lane: _who(s) for lane, s in lanes.items()}
        # Through a parking value, one row at a time: the (pair, lane) unique index is checked per row.
        for start, lane in ((inner, ""), (outer, "inner"), (inner, "outer")):
            if start is not None:
                start.lane = lane
                start.save(update_fields=["lane"])
        return p, {
            "pair": pair, "old_value": f"inner {names.get('inner', '-')}, outer {names.get('outer', '-')}",
            "new_value": f"inner {names.get('outer', '-')}, outer {names.get('inner', '-')}",
        }

    return _write(race_id, "swap", actor, change)


def renumber_pairs(race_id, order, actor):
    """Renumber the pairs 1, 2, 3… in `order` (today's pair numbers, in their new order). Empty
    pairs left out of it are removed, which closes the gaps a withdrawal leaves; `order=None`
    does just that. A started pair keeps its number: the audit trail and the boards name it."""

    def change(race):
        _open(race)
        pairs = {p.number: p for p in race.pairs.all()}
        sizes = dict(
            Start.objects.filter(pair__race=race).values_list("pair__number").annotate(n=Count("id"))
        )
        wanted = [n for n in sorted(pairs) if sizes.get(n)] if order is None else order
        if not isinstance(wanted, list) or any(isinstance(n, bool) or not isinstance(n, int) for n in wanted):
            raise Invalid("The new order must be a list of pair numbers, such as [1, 2, 4, 3].", "order")
        unknown = [n for n in wanted if n not in pairs]
        if unknown:
            raise NotFound(f"{race.title} has no pair {unknown[0]}.", "order")
        doubled = sorted({n for n in wanted if wanted.count(n) > 1})
        if doubled:
            raise Invalid(f"Pair {doubled[0]} is in the new order twice.", "order")
        missing = [n for n in sorted(pairs) if n not in wanted and sizes.get(n)]
        if missing:
            raise Invalid(f"Pair {missing[0]} has skaters; put it in the new order.", "order")
        mapping = {old: new for new, old in enumerate(wanted, 1)}
        if all(mapping.get(n) == n for n in pairs):
            raise Invalid("The pairs are already numbered in this order; nothing to change.", "order")
        for number, pair in pairs.items():
            if mapping.get(number) != number:
                _check_unstarted(pair)
        # Park every pair out of the way first: the (race, number) unique index is checked per row.
        offset = max(pairs) + len(pairs) + 1
        for number, pair in pairs.items():
            if number not in mapping:
                pair.delete()  # empty and unstarted: it holds nothing
            elif mapping[number] != number:
                pair.number = number + offset
                pair.save(update_fields=["number"])
        for number, pair in pairs.items():
            if number in mapping and mapping[number] != number:
                pair.number = mapping[number]
                pair.save(update_fields=["number"])
        current = race.current_pair
        race.current_pair = mapping.get(current) or min(
            [mapping[n] for n in mapping if n > current] or [1]
        )
        race.save(update_fields=["current_pair"])
        old = " ".join(str(n) for n in wanted)
        return mapping, {"old_value": _clip(old), "new_value": _clip(" ".join(str(n) for n in range(1, len(wanted) + 1)))}

    return _write(race_id, "renumber", actor, change)


def _clip(text, limit=200):
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- splits no single point fits (timing/rules/assign.py): held for an official -------------


def hold_split(race_id, pair, lane, time_ms, actor, reason, fits=()):
    """Keep a device's split off the board, for an official to place with one key. Audited and
    broadcast like any write, so every console sees it at once."""

    def change(race):
        start = _start(race, pair, lane)
        _rules(check_time_ms, time_ms)
        held = HeldSplit.objects.create(start=start, time_ms=time_ms, device=actor.device, reason=reason[:200],
                                        fits=",".join(map(str, fits)))
        return held, {**_where(start), "new_value": format_exact(time_ms), "reason": reason[:200]}

    return _write(race_id, "held", actor, change)


def race_of_held(held_id):
    return race_of(HeldSplit, held_id, "held split", "held")


def _open_held(held_id):
    held = HeldSplit.objects.select_related("start__pair", "start__skater").get(pk=held_id)
    if held.placed_id is not None:
        raise Conflict(f"Held split {held_id} was already placed at {held.placed.distance} m.", "held")
    if held.discarded_at is not None:
        raise Conflict(f"Held split {held_id} was already discarded.", "held")
    return held


def place_held(held_id, distance, actor):
    """An official puts a held split at the point she knows it belongs to: a passing like any
    other (order and plausibility checked), marked as placed from the hold. No soft warning asks
    her to confirm: the time is the device's, and choosing its point is the deliberate act."""
    race_id = race_of_held(held_id)

    def change(race):
        _open(race)
        held = _open_held(held_id)
        passing, audit = _record(race, held.start, distance, held.time_ms, actor,
                                 audit={"reason": f"placed from held split {held_id}"}, confirm=True)
        held.placed = passing
        held.save(update_fields=["placed"])
        return passing, audit

    passing = _write(race_id, "passing", actor, change)
    _place_later_holds(race_id, passing.start_id, held_id)
    return passing


def _place_later_holds(race_id, start_id, placed_id):
    """Once an official has placed one held split, the lane's later ones may fit a single point
    by the same rule the listener applies (timing/rules/assign.py): place those, oldest first,
    each as its own audited write in the device's name; stop at the first that still does not fit."""
    for held_id, device in HeldSplit.objects.open().filter(start_id=start_id).order_by("time_ms").values_list("id", "device"):

        def change(race, held_id=held_id):
            _open(race)
            held = _open_held(held_id)
            found = assign_point(race.distance, _times(held.start), held.time_ms, race.points)
            if found.point is None:
                raise Conflict(found.reason, "held")
            passing, audit = _record(race, held.start, found.point, held.time_ms, Actor.from_device(device), audit={
                "reason": f"placed by its time once held split {placed_id} was placed ({found.reason})"[:200]})
            held.placed = passing
            held.save(update_fields=["placed"])
            return passing, audit

        try:
            _write(race_id, "passing", Actor.from_device(device), change)
        except ServiceError:
            return


def discard_held(held_id, reason, actor):
    """A held split that is no skater's time (a stray read): kept, marked discarded, with why."""
    race_id = race_of_held(held_id)

    def change(race):
        held = _open_held(held_id)
        why = _reason(reason)
        held.discarded_at = timezone.now()
        held.discard_reason = why
        held.save(update_fields=["discarded_at", "discard_reason"])
        return held, {**_where(held.start), "old_value": format_exact(held.time_ms), "reason": why}

    return _write(race_id, "discard", actor, change)


# --- the venue's screens: what the officials put on each --------------------------------------


def _screen_command(comp, data):
    """(mode, race, text, classification) from a command, checked against the competition; see
    timing/screens.py."""
    from .models import Screen

    _known_fields(data, {"mode", "race", "text", "classification"}, "screen command")
    mode = data.get("mode")
    modes = [m for m, _ in Screen.MODES]
    if mode not in modes:
        raise Invalid(f"Mode '{str(mode)[:20]}' does not exist: use {', '.join(modes)}.", "mode")
    race_id = data.get("race")
    race = None
    if race_id is not None:
        if mode in (Screen.FOLLOW, Screen.MESSAGE, Screen.CLASSIFICATION):
            raise Invalid(f"A screen in {mode} mode shows no particular race: leave out 'race'.", "race")
        if isinstance(race_id, bool) or not isinstance(race_id, int):
            raise Invalid("The race must be a number, such as 12.", "race")
        race = comp.races.filter(pk=race_id).first()
        if race is None:
            raise NotFound(f"{comp.name} has no race {race_id}.", "race")
    elif mode in (Screen.RACE, Screen.RESULTS, Screen.STARTLIST):
        raise Invalid(f"Say which race the screen shows in {mode} mode: give 'race'.", "race")
    text = ""
    if mode == Screen.MESSAGE:
        text = _text(data, "text", 200, "message")
    elif data.get("text"):
        raise Invalid(f"Only a screen in message mode shows a text: leave out 'text' for {mode}.", "text")
    return mode, race, text, _screen_classification(comp, mode, data.get("classification"))


def _screen_classification(comp, mode, wanted):
    from .models import Screen

    if mode != Screen.CLASSIFICATION:
        if wanted is not None:
            raise Invalid(f"Only a screen in classification mode shows a classification: leave it out for {mode}.",
                          "classification")
        return None
    if wanted is None:
        raise Invalid("Say which classification the screen shows: give 'classification'.", "classification")
    if isinstance(wanted, bool) or not isinstance(wanted, int):
        raise Invalid("The classification must be a number, such as 3.", "classification")
    found = comp.classifications.filter(pk=wanted).first()
    if found is None:
        raise NotFound(f"{comp.name} has no classification {wanted}.", "classification")
    return found


def _screen_words(screen):
    what = screen.mode
    if screen.race_id:
        what += f" race {screen.race_id}"
    if screen.text:
        what += f" '{screen.text}'"
    if screen.classification_id:
        what += f" classification {screen.classification_id}"
    return what


def set_screen(competition_id, name, data, actor):
    """Put something on one named screen (created if no display has opened it yet, so a screen
    can be set up before it is plugged in). One audited competition change, pushed to it live."""
    from . import screens
    from .models import Screen

    problem = screens.name_problem(name)
    if problem:
        raise Invalid(problem, "name")

    def change(comp):
        mode, race, text, classification = _screen_command(comp, data)
        screen = comp.screens.filter(name=name).first()
        if screen is None:
            if comp.screens.count() >= screens.MAX_SCREENS:
                raise Conflict(f"{comp.name} already has {screens.MAX_SCREENS} screens.", "name")
            screen = Screen(competition=comp, name=name)
        elif (screen.mode, screen.race_id, screen.text, screen.classification_id) == (
                mode, race and race.id, text, classification and classification.id):
            raise Invalid(f"Screen {name} already shows that.", "mode")
        old = _screen_words(screen) if screen.pk else ""
        screen.mode, screen.race, screen.text, screen.classification = mode, race, text, classification
        screen.save()
        return screen, {"old_value": f"{name}: {old}"[:200] if old else "", "new_value": f"{name}: {_screen_words(screen)}"[:200]}

    return _write_competition(competition_id, "screen", actor, change)


def set_all_screens(competition_id, data, actor):
    """Put the same thing on every screen of the competition at once: one change, one push."""

    def change(comp):
        mode, race, text, classification = _screen_command(comp, data)
        every = list(comp.screens.all())
        if not every:
            raise NotFound(f"{comp.name} has no screens yet: open /screens/<name>/ on a display first.", "name")
        wanted = (mode, race and race.id, text, classification and classification.id)
        moved = [s for s in every if (s.mode, s.race_id, s.text, s.classification_id) != wanted]
        if not moved:
            raise Invalid("Every screen already shows that.", "mode")
        comp.screens.filter(pk__in=[s.pk for s in moved]).update(
            mode=mode, race=race, text=text, classification=classification)
        moved[0].mode, moved[0].race, moved[0].text, moved[0].classification = mode, race, text, classification
        return moved, {"new_value": f"{len(moved)} of {len(every)} screens: {_screen_words(moved[0])}"[:200]}

    return _write_competition(competition_id, "screens", actor, change)
