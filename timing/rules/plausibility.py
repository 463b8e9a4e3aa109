"""Soft plausibility: times the rules allow but that are probably a slip of the fingers.

A hard refusal (timing/rules/points.py `check_plausible`, `check_order`) is for a time no skater
can set; these warnings are for a time a skater *could* set but rarely does, such as 40.38 at
100 m typed for 10.38. The official confirms with a second Enter; nothing is refused outright,
because a fall, a record or a slow lap after a fall are real.

Decisions where the rules are silent:

* Behind the partner: more than PARTNER_GAP_MS behind the other skater of the pair at the same
  point. Only *behind*: a skater far ahead is what a typo in the partner's time looks like, and
  that time was warned about when it was typed.
* Slow lap: a 400 m lap more than LAP_SLOWDOWN_PERCENT (15 %) slower than the skater's previous 400 m lap.
  The opening part (100, 200 or 300 m) is not a lap and is never compared.
* Record pace: faster than the world record's average pace up to that point (record × point /
  distance). The start from standstill makes early splits slower than the average pace, so this
  only fires on a time that is really fast, or a record at the finish, which deserves a look.
* Where the time goes: into a race that a recording is being replayed into, into a pair whose
  clock has not started, or into a pair that is not the one on the ice. A pair that has not
  started is said once (not also "not current"): it is the stronger reason to stop.
* Each warning has a stable code (the console and tests key on it) and a sentence for the official.
"""
from dataclasses import dataclass

from .points import lap_ms, measuring_points
from .times import format_exact

PARTNER_GAP_MS = 3000
LAP_SLOWDOWN_PERCENT = 15

BEHIND_PARTNER, SLOW_LAP, RECORD_PACE = "behind_partner", "slow_lap", "record_pace"
REPLAYING, NOT_STARTED, NOT_CURRENT = "replaying", "not_started", "not_current"
#: Warnings about *where* a time goes rather than the time itself: the page shows them on the pair.
PAIR_WARNINGS = (REPLAYING, NOT_STARTED, NOT_CURRENT)


@dataclass(frozen=True)
class SoftWarning:
    code: str
    message: str


def warnings_for(distance, point, ms, own, partner=None, world_record_ms=None, points=None):
    """Warnings for a proposed time `ms` at `point`, given the skater's other times `own` and the
    partner's times `partner` ({point: ms}, without the one being replaced), and the world record."""
    found = []
    theirs = (partner or {}).get(point)
    if theirs is not None and ms - theirs > PARTNER_GAP_MS:
        found.append(SoftWarning(
            BEHIND_PARTNER,
            f"{format_exact(ms)} at {point} m is {(ms - theirs) / 1000:.2f} s behind the partner's "
            f"{format_exact(theirs)}; check the time.",
        ))
    points = points or measuring_points(distance)  # a team pursuit passes its own
    times = {**own, point: ms}
    lap = lap_ms(points, times, point)
    before = lap_ms(points, times, point - 400) if lap is not None and point - 400 in points else None
    # In integers, so that exactly 15 % slower is no warning.
    if lap is not None and before is not None and lap * 100 > before * (100 + LAP_SLOWDOWN_PERCENT):
        found.append(SoftWarning(
            SLOW_LAP,
            f"The lap to {point} m would take {format_exact(lap)}, "
            f"{100 * (lap - before) / before:.0f} % slower than the lap before ({format_exact(before)}); "
            "check the time and the point.",
        ))
    if world_record_ms is not None and ms * distance < world_record_ms * point:
        pace = world_record_ms * point // distance
        found.append(SoftWarning(
            RECORD_PACE,
            f"{format_exact(ms)} at {point} m is faster than world-record pace ({format_exact(pace)}); "
            "check the time and the point.",
        ))
    return found


def pair_warnings(pair, current_pair, started, replaying=False):
    """Warnings about the pair an official's entry goes to."""
    found = []
    if replaying:
        found.append(SoftWarning(
            REPLAYING, "This race is a live replay of a recording: an entry here mixes with the replayed times.",
        ))
    if not started:
        found.append(SoftWarning(NOT_STARTED, f"Pair {pair} has not started: is this the right pair?"))
    elif pair != current_pair:
        found.append(SoftWarning(
            NOT_CURRENT, f"Pair {pair} is not the current pair ({current_pair}): is this the right pair?",
        ))
    return found
