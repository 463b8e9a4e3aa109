"""Measuring points: where split times are taken for each distance.

A lap is 400 m, and every distance finishes on the same line, so the first point sits at the
distance's remainder after whole laps (500 m -> 100, 1000 m -> 200, 1500 m -> 300; when the
remainder is zero, one full lap: 10000 m -> 400) and the others follow every 400 m.
"""
from . import RuleConflict, RuleError

LAP = 400
DISTANCES = (500, 1000, 1500, 3000, 5000, 10000)


def measuring_points(distance):
    if distance not in DISTANCES:
        raise RuleError(
            f"{distance} m is not a long-track distance; use one of {', '.join(map(str, DISTANCES))}.",
            "distance",
        )
    first = distance % LAP or LAP
    return tuple(range(first, distance + 1, LAP))


def check_point(distance, point):
    points = measuring_points(distance)
    if point not in points:
        raise RuleError(
            f"{point} m is not a measuring point of the {distance} m; use one of "
            f"{', '.join(map(str, points))}.",
            "distance",
        )
    return point


def lap_ms(points, times, point):
    """Time for the 400 m that end at `point`, or None for an opening part shorter than a lap or a
    missing split. The 10000 m's first point is 400 m from the start, so its first lap is its time."""
    idx = points.index(point)
    if idx == 0 and point == LAP:  # the 10000 m: its first point is a whole lap from the start
        return times.get(point)
    if idx == 0 or points[idx - 1] != point - LAP:
        return None
    before = times.get(points[idx - 1])
    here = times.get(point)
    if before is None or here is None:
        return None
    return here - before


#: Lap counters stand at each lane from this distance up (3000 m: 7½ laps).
LAP_COUNTER_FROM = 3000


def laps_to_go(distance, passed):
    """Whole laps left after passing the point `passed` (0: at the start), as a lap counter shows.

    The counter counts crossings of the finish line still to come: 25 at the start of a 10000 m,
    24 after its first lap, 0 after the finish. On the 3000 m and 5000 m the start is half a lap
    before the line, so the counter reads 8 and 13 until the first crossing at 200 m, then 7 and
    12: the number of times the skater will still pass under it.
    """
    return -(-(distance - passed) // LAP)


#: The fastest any skater has gone is about 15 m/s on average; 20 m/s leaves room and still
#: catches a split typed into the wrong box (1.00 at 200 m).
MAX_SPEED = 20.0
#: Slower than a walk over the whole point: a typing error, not a skater.
MIN_SPEED = 1.0


def check_plausible(point, ms):
    """A time no skater could set at this point is a typing or wiring error, not a result."""
    speed = point / (ms / 1000)
    if speed > MAX_SPEED:
        raise RuleError(
            f"{ms / 1000:.3f} s at {point} m would be {speed:.1f} m/s, faster than any skater; "
            "check the time and the measuring point.",
            "time",
        )
    if speed < MIN_SPEED:
        raise RuleError(
            f"{ms / 1000:.3f} s at {point} m would be slower than 1 m/s; check the time and the measuring point.",
            "time",
        )
    return ms


def check_order(distance, times, point, ms, points=None):
    """A new time must come after the skater's earlier passings and before her later ones.

    `points`, when given, are already checked (a team pursuit's own measuring points)."""
    if points is None:
        points = measuring_points(distance)
        check_point(distance, point)
    for other in points:
        t = times.get(other)
        if t is None or other == point:
            continue
        if other < point and t >= ms:
            raise RuleConflict(
                f"{ms / 1000:.3f} s at {point} m is not later than the {t / 1000:.3f} s already "
                f"recorded at {other} m.",
                "time",
            )
        if other > point and t <= ms:
            raise RuleConflict(
                f"{ms / 1000:.3f} s at {point} m is not earlier than the {t / 1000:.3f} s already "
                f"recorded at {other} m.",
                "time",
            )
    return ms


def next_point(distance, times, points=None):
    """The point an official types next for a skater: the first without a time, so after a void
    or a missed split the box waits where the gap is; None once every point has a time."""
    return next((p for p in points or measuring_points(distance) if p not in times), None)
