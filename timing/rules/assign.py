"""Which measuring point a device's split belongs to, judged by its elapsed time.

A Lynx `S` packet names the lane, not the point. Counting the lane's earlier splits goes wrong
for good after one missed read (a transponder that did not fire): every later split lands one
point early, and a 500 m finish shows as a 100 m split. So each split is placed by its time: a
point fits when the time is plausible there, and the split is stored only when exactly one point
fits. When none or several fit, nothing is guessed: the split is held for an official.

Decisions (the rules are silent; each has a test in tests/test_rules_assign.py):
- Candidates are the points after the lane's last recorded point. A split cannot belong to an
  earlier point: the wire delivers a lane's splits in the order they happened.
- From the start, the average speed to a point lies between MIN_PACE (5 m/s: every timed
  long-track skater, falls included, is faster over a whole distance; 500 m in 100 s) and
  MAX_PACE (16 m/s: the world records average under 15.3 m/s from a standing start).
- After a recorded time, the speed over the new stretch is compared with the skater's own pace:
  her speed between her two latest recorded points (a lap, or two when a read between them was
  missed: either way at full speed), within LAP_WINDOW (0.4-1.45: a steady skater's laps differ
  by a few percent); with a single recorded point, her average from the start to it, within
  OPENER_WINDOW (0.4-2.2: the first flying lap is 1.2-1.6 times the opener's average, which
  includes the start).
- Both windows reach below half her pace on purpose: a lap at half her pace (a fall) looks
  exactly like two laps at her pace (a missed read), so that case is never decided for her: it is
  held. What is left to chance is a lap more than 2.5 times slower than her last one that also
  fits the next point; the pace from the start excludes most of those.
- The time must come after her last recorded time (otherwise no point fits).
"""
from dataclasses import dataclass

from .points import measuring_points

#: Slowest and fastest plausible average speed from the start to any point, m/s.
MIN_PACE, MAX_PACE = 5.0, 16.0
#: The new stretch's speed relative to her speed between her two latest points.
LAP_WINDOW = (0.4, 1.45)
#: The new stretch's speed relative to her average from the start to her opening point.
OPENER_WINDOW = (0.4, 2.2)


@dataclass(frozen=True)
class Assignment:
    point: int | None  # the one point that fits, or None: hold the split for an official
    fits: tuple  # every point that fits (none, one, or several)
    reason: str  # for the log and the official: why this point, or why none


def _pace(times):
    """(reference speed m/s, window) from the skater's recorded times, or None without any."""
    if not times:
        return None
    recorded = sorted(times)
    last = recorded[-1]
    if len(recorded) >= 2 and times[recorded[-1]] > times[recorded[-2]]:
        before = recorded[-2]
        return (last - before) / ((times[last] - times[before]) / 1000), LAP_WINDOW
    return last / (times[last] / 1000), OPENER_WINDOW


def window_fits(distance, times, point, ms):
    """Whether `ms` is a plausible time at `point` for a skater with these earlier times."""
    if ms <= 0 or not MIN_PACE <= point / (ms / 1000) <= MAX_PACE:
        return False
    pace = _pace(times)
    if pace is None:
        return True
    last = max(times)
    if ms <= times[last]:
        return False
    speed = (point - last) / ((ms - times[last]) / 1000)
    reference, (low, high) = pace
    return low * reference <= speed <= high * reference


def assign_point(distance, times, ms, points=None):
    """The point a split of `ms` after the start belongs to, given the lane's recorded times
    ({point: ms}); see the module's decisions. Never raises for a time: an implausible one is held."""
    points = points or measuring_points(distance)  # a team pursuit passes its own
    last = max(times, default=0)
    candidates = [p for p in points if p > last]
    if not candidates:
        return Assignment(None, (), "she already has a finish time")
    fits = tuple(p for p in candidates if window_fits(distance, times, p, ms))
    if len(fits) == 1:
        return Assignment(fits[0], fits, f"only {fits[0]} m fits {ms / 1000:.3f} s")
    if fits:
        return Assignment(None, fits, f"{ms / 1000:.3f} s fits {' and '.join(f'{p} m' for p in fits)}")
    return Assignment(None, fits, f"{ms / 1000:.3f} s fits no measuring point after {last} m" if last
                      else f"{ms / 1000:.3f} s fits no measuring point")
