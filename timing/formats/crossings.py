"""Mass-start writes: a skater crossing the line, by bib. Through services._write like every write.

The server counts the laps (a skater's n-th current crossing ends her lap n), so a device only
says "bib 7 crossed at 2:05.31". Correction and void keep the old row, as for passings.
"""
from django.utils import timezone

from ..models import Crossing, Race, Start
from ..rules import mass_start
from ..rules.board import DNF, DNS
from ..rules.points import LAP
from ..rules.times import check_time_ms, format_exact, format_time
from ..services import Conflict, Invalid, NotFound, race_of, _go_live, _open, _reason, _rules, _where, _write, change_status


def _mass_start(race):
    if race.kind != Race.MASS_START:
        raise Conflict(
            f"{race.title} is not a mass start: send passings by pair and lane "
            f"(POST /api/races/{race.id}/passings), not crossings by bib.",
            "race",
        )


def _by_bib(race, bib):
    _mass_start(race)
    _rules(mass_start.check_bib, bib)
    start = Start.objects.select_related("pair", "skater").filter(pair__race=race, bib=bib).first()
    if start is None:
        raise NotFound(f"{race.title} has no skater with bib {bib}.", "bib")
    return start


def _crossings(start):
    return sorted(start.crossings.current().values_list("time_ms", flat=True))


def record_crossing(race_id, bib, time_ms, actor, invented=False):
    """Bib `bib` crossed the line `time_ms` after the start: the end of her next lap."""

    def change(race):
        _open(race)
        start = _by_bib(race, bib)
        _rules(check_time_ms, time_ms)
        if start.status == DNS:
            raise Conflict(f"{start.skater.name} is marked DNS; clear the status before entering crossings.", "status")
        lap = _rules(mass_start.check_crossing, _crossings(start), time_ms)
        if start.status == DNF and lap == mass_start.LAPS:
            raise Conflict(f"{start.skater.name} is marked DNF; clear the status before entering a finish.", "status")
        _go_live(race)
        crossing = Crossing.objects.create(
            start=start, time_ms=time_ms, source=actor.source, entered_by=actor.user, device=actor.device,
            invented=invented,
        )
        crossing.lap = lap  # not stored (it is derived), but the answer names it
        return crossing, {**_where(start), "distance": lap * LAP, "new_value": format_exact(time_ms)}

    return _write(race_id, "crossing", actor, change)


def race_of_crossing(crossing_id):
    return race_of(Crossing, crossing_id, "crossing", "crossing")


def _current(crossing_id):
    c = Crossing.objects.select_related("start__pair", "start__skater").get(pk=crossing_id)
    if c.superseded_at is not None:
        raise Conflict(f"Crossing {crossing_id} was already corrected; correct the current time instead.", "crossing")
    if c.voided_at is not None:
        raise Conflict(f"Crossing {crossing_id} was voided.", "crossing")
    return c


def correct_crossing(crossing_id, time_ms, reason, actor):
    """A new time for a crossing; it keeps its lap, so it must stay between its neighbours."""
    race_id = race_of_crossing(crossing_id)

    def change(race):
        _open(race)
        old = _current(crossing_id)
        why = _reason(reason)
        _rules(check_time_ms, time_ms)
        if time_ms == old.time_ms:
            raise Invalid(f"{format_time(time_ms)} is already the stored time; nothing to correct.", "time")
        lap = _rules(mass_start.check_correction, _crossings(old.start), old.time_ms, time_ms)
        old.superseded_at = timezone.now()
        old.save(update_fields=["superseded_at"])
        new = Crossing.objects.create(
            start=old.start, time_ms=time_ms, source=actor.source, entered_by=actor.user, device=actor.device,
            corrects=old, reason=why,
        )
        new.lap = lap
        return new, {
            **_where(old.start), "distance": lap * LAP, "old_value": format_exact(old.time_ms),
            "new_value": format_exact(time_ms), "reason": why,
        }

    return _write(race_id, "correction", actor, change)


def void_crossing(crossing_id, reason, actor):
    """Take a crossing off (a double read): her later crossings each end one lap earlier."""
    race_id = race_of_crossing(crossing_id)

    def change(race):
        _open(race)
        c = _current(crossing_id)
        why = _reason(reason)
        c.lap = _crossings(c.start).index(c.time_ms) + 1
        c.voided_at = timezone.now()
        c.void_reason = why
        c.save(update_fields=["voided_at", "void_reason"])
        return c, {**_where(c.start), "distance": c.lap * LAP, "old_value": format_exact(c.time_ms), "reason": why}

    return _write(race_id, "void", actor, change)


def set_bib_status(race_id, bib, status, reason, actor):
    """DNS, DNF, DQ or OK for a mass-start skater, under the same rules as a pair's skater."""

    def find(race):
        start = _by_bib(race, bib)
        done = _crossings(start)
        return start, bool(done), len(done) >= mass_start.LAPS

    return change_status(race_id, find, status, reason, actor)
