"""Classifications over several distances (allround, sprint, custom): samalog points, ranks, the
qualification for the last allround distance, and the times a skater needs on the next distance.

Points are kept as integer thousandths everywhere; no float ever touches them. A distance's points
are the official time in hundredths (thousandths dropped first) divided by distance / 500, truncated
to thousandths: thousandths = hundredths * 5000 // distance (38.21 on the 500 m -> 38210,
1:53.29 on the 1500 m -> 37763).

Decisions where the rules are silent (each one is tested in tests/test_rules_classification.py):

* Equal totals share the rank (1, 1, 3); within a shared rank rows are listed by skater key, so
  the same input gives the same table whatever order it arrives in.
* The distances "in play" run from the first to the last one that has a result or is over. A
  skater with a valid time on every distance in play is ranked. One who still has to skate the
  distance in progress is listed after the ranked ones, unranked and without a status ("to skate"),
  by her points over the distances she has done. So during a distance the ranked table holds the
  skaters who have skated it, exactly what the board shows after each pair. Before any result,
  everyone entered is to skate.
* A skater with no result on a distance that is over did not start it: DNS. A DNS, DNF or DQ ends
  her classification: she is listed after the ranked and the to-skate rows, with the first such
  status; those who lasted more distances first, then by points.
* Allround qualification: the best eight after three distances, by rank, so a tie for eighth
  place takes everyone on it (nine or more may skate the fourth distance). It shows as soon as
  the third distance has results (provisional while it is in progress: to-skate rows are null).
  Sprint and custom classifications have no qualification (null).
* Skaters who did not qualify are classified after the qualified ones, by their three-distance
  points (ranks continue after the qualified: 9, 10, ...), as the ISU lists an allround; a time
  such a skater sets on the fourth distance anyway does not count. A qualified skater without a
  valid fourth time is listed with the reason, unranked.
* `behind` is the difference in points to the first ranked row; only ranked rows over all
  distances in play have one.
* Targets are for the next distance (the first that is not over), for every skater still to skate
  it who is in the classification (ranked on every earlier distance, qualified for an allround's
  fourth). Her rival for place p (1: the lead, 3: the podium) is the skater at place p of the table
  as it stands without her: the rivals who have skated the next distance, by total, or, while
  nobody has, everyone by the points they bring into it. "Reaching" a place includes sharing it.
* Against a rival who has skated, the target is the slowest time, in hundredths, that gets her
  there: "6:55.12 or faster" means any official time shown as 6:55.12 or less. It is found exactly
  in integers (no rounding of a division), so a hundredth slower does not reach the place. If
  even 0.01 would not do, the place is out of reach; with fewer rivals than places, any valid
  time reaches it.
* Against a rival who has not skated, the target is a difference: "must be 4.32 s faster than
  Kok" (or "may be 2.10 s slower"). Truncation makes the exact difference depend on the rival's
  hundredths (the 1500 m's points step by 3.333...), so the difference given is the smallest that
  is enough whatever time the rival sets; for some of her times a hundredth less would also do.
"""
from dataclasses import dataclass, field
from math import gcd

from . import RuleError
from .board import DNF, DNS, DQ, OK
from .points import DISTANCES

ALLROUND, SPRINT, CUSTOM = "allround", "sprint", "custom"
KINDS = (ALLROUND, SPRINT, CUSTOM)
ALLROUND_DISTANCES = {"women": (500, 3000, 1500, 5000), "men": (500, 5000, 1500, 10000)}
SPRINT_DISTANCES = (500, 1000, 500, 1000)
#: How many skaters of an allround skate the fourth distance.
QUALIFIERS = 8
#: The allround distance after which the qualification is made (the third, index 2).
QUALIFYING_DISTANCES = 3
LEAD, PODIUM = 1, 3


def check_distances(kind, distances):
    """Refuse a classification whose distances do not make the kind it claims."""
    distances = tuple(distances)
    if kind not in KINDS:
        raise RuleError(f"'{str(kind)[:40]}' is not a kind of classification; use allround, sprint or custom.", "kind")
    if not distances:
        raise RuleError("A classification needs at least one race.", "races")
    for d in distances:
        if d not in DISTANCES:
            raise RuleError(f"{d} m is not a long-track distance.", "races")
    shown = ", ".join(f"{d}" for d in distances)
    if kind == ALLROUND and distances not in ALLROUND_DISTANCES.values():
        raise RuleError(
            f"An allround is 500, 3000, 1500, 5000 m (women) or 500, 5000, 1500, 10000 m (men), in "
            f"that order; these races are {shown} m.",
            "races",
        )
    if kind == SPRINT and distances != SPRINT_DISTANCES:
        raise RuleError(f"A sprint is 500, 1000, 500, 1000 m, in that order; these races are {shown} m.", "races")
    return distances


def distance_points(distance, time_ms):
    """Points in thousandths: hundredths * 5000 // distance (the thousandths of the time dropped)."""
    return (time_ms // 10) * 5000 // distance


def format_points(thousandths):
    """111020 -> "111.020"; never through a float."""
    if thousandths is None:
        return None
    sign = "-" if thousandths < 0 else ""
    whole, part = divmod(abs(thousandths), 1000)
    return f"{sign}{whole}.{part:03d}"


@dataclass(frozen=True)
class Outcome:
    """What a skater did on one distance: a valid time (status OK) or DNS, DNF, DQ."""

    status: str = OK
    time_ms: int | None = None

    @property
    def valid(self):
        return self.status == OK and self.time_ms is not None


@dataclass
class Row:
    key: object
    rank: int | None
    points: int  # thousandths over the distances she has counted
    behind: int | None
    results: list  # per distance: thousandths, or None
    qualified: bool | None
    status: str | None  # DNS, DNF, DQ or None
    to_skate: bool = False


@dataclass
class Target:
    """How a skater reaches a place; exactly one of the fields after `rival` says it."""

    rival: object = None
    time_ms: int | None = None  # the slowest hundredth (as ms) that reaches the place
    faster_than_ms: int | None = None  # must be this much faster than the rival (negative: may be slower)
    any_time: bool = False
    out_of_reach: bool = False


@dataclass
class Targets:
    key: object
    points: int  # what she brings into the distance
    lead: Target
    podium: Target
    rank: int | None = None  # her place on the distances before this one (shared for equal points)


@dataclass
class Classification:
    rows: list
    in_play: int  # how many distances (from the first) the table covers
    next_index: int | None
    targets: list = field(default_factory=list)


def classify(kind, distances, outcomes, over=None, upcoming=(), skaters=()):
    """The table and the targets.

    `outcomes` holds one dict per distance, skater key -> Outcome; keys must sort (the service uses
    tuples of text). `over` says per distance whether it is over (all skated, or the race final).
    `upcoming` lists, in start order, the skaters still to skate the next distance; `skaters` any
    others entered, so that the table lists them before they have a result.
    """
    distances = tuple(distances)
    n = len(distances)
    over = tuple(over) if over is not None else (False,) * n
    if len(outcomes) != n or len(over) != n:
        raise ValueError("one outcome dict and one over flag per distance")
    with_result = [i for i in range(n) if outcomes[i] or over[i]]
    in_play = with_result[-1] + 1 if with_result else 0
    keys = sorted({k for o in outcomes for k in o} | set(skaters) | set(upcoming))

    def outcome(i, key):
        found = outcomes[i].get(key)
        if found is None and over[i]:
            return Outcome(DNS)
        return found

    allround = kind == ALLROUND and n == 4
    qualified = _qualification(distances, outcomes, keys, outcome) if allround and in_play >= QUALIFYING_DISTANCES else None

    complete, to_skate, out, not_qualified = [], [], [], []
    for key in keys:
        q = None if qualified is None else qualified.get(key)
        counted = in_play
        if allround and in_play == 4 and q is False:
            counted = QUALIFYING_DISTANCES
        results, points, status, lasted, missing = [], 0, None, 0, False
        for i in range(n):
            o = outcome(i, key) if i < counted else None
            if status is None and i < counted:
                if o is None:
                    missing = True
                elif not o.valid:
                    status, lasted = o.status, i
            if o is not None and o.valid and status is None and i < counted:
                pts = distance_points(distances[i], o.time_ms)
                points += pts
                results.append(pts)
            else:
                results.append(None)
        row = Row(key, None, points, None, results, q, status)
        if status is not None:
            out.append((-lasted, points, key, row))
        elif missing or counted == 0:
            row.to_skate = True
            done = sum(r is not None for r in results)
            to_skate.append((-done, points, key, row))
        elif counted < in_play:
            not_qualified.append((points, key, row))
        else:
            complete.append((points, key, row))

    complete.sort(key=lambda t: t[:2])
    _rank([r for *_, r in complete], start=1)
    if complete:
        best = complete[0][0]
        for points, _, row in complete:
            row.behind = points - best
    not_qualified.sort(key=lambda t: t[:2])
    qualified_count = sum(1 for v in (qualified or {}).values() if v)
    _rank([r for *_, r in not_qualified], start=qualified_count + 1)
    rows = [r for *_, r in complete]
    rows += [r for *_, r in sorted(to_skate, key=lambda t: t[:3])]
    rows += [r for *_, r in not_qualified]
    rows += [r for *_, r in sorted(out, key=lambda t: t[:3])]

    next_index = next((i for i in range(n) if not over[i]), None)
    result = Classification(rows, in_play, next_index)
    if next_index is not None:
        result.targets = _targets(distances, next_index, outcome, keys, qualified if allround else None, upcoming)
    return result


def _rank(rows, start):
    for n, row in enumerate(rows):
        row.rank = rows[n - 1].rank if n and rows[n - 1].points == row.points else start + n


def _qualification(distances, outcomes, keys, outcome):
    """key -> True/False after three distances; to-skate skaters on them are left out (unknown)."""
    totals = {}
    unknown = set()
    for key in keys:
        total = 0
        for i in range(QUALIFYING_DISTANCES):
            o = outcome(i, key)
            if o is None:
                unknown.add(key)
                break
            if not o.valid:
                total = None
                break
            total += distance_points(distances[i], o.time_ms)
        else:
            totals[key] = total
            continue
        if key not in unknown:
            totals[key] = None
    ranked = sorted(t for t in totals.values() if t is not None)
    cut = ranked[QUALIFIERS - 1] if len(ranked) >= QUALIFIERS else None
    return {
        k: (t is not None and (cut is None or t <= cut)) for k, t in totals.items()
    }


def _points_before(distances, index, outcome, key):
    """Her points over the distances before `index`, or None if she is out of the classification."""
    total = 0
    for i in range(index):
        o = outcome(i, key)
        if o is None or not o.valid:
            return None
        total += distance_points(distances[i], o.time_ms)
    return total


def _targets(distances, index, outcome, keys, qualified, upcoming):
    d = distances[index]
    eligible = {}
    for key in keys:
        if qualified is not None and index == QUALIFYING_DISTANCES and not qualified.get(key):
            continue
        before = _points_before(distances, index, outcome, key)
        if before is not None:
            eligible[key] = before
    done, pending = {}, {}
    for key, before in eligible.items():
        o = outcome(index, key)
        if o is None:
            pending[key] = before
        elif o.valid:
            done[key] = before + distance_points(d, o.time_ms)
    targets = []
    for key in upcoming:
        if key not in pending:
            continue
        mine = pending[key]
        if done:
            rivals = sorted((total, k) for k, total in done.items())
        else:
            rivals = sorted((total, k) for k, total in pending.items() if k != key)
        place = {p: _target(d, mine, rivals, p, bool(done)) for p in (LEAD, PODIUM)}
        rank = 1 + sum(1 for before in eligible.values() if before < mine) if index else None
        targets.append(Targets(key, mine, place[LEAD], place[PODIUM], rank))
    return targets


def _target(distance, mine, rivals, place, rivals_done):
    if len(rivals) < place:
        return Target(any_time=True)
    total, rival = rivals[place - 1]
    if rivals_done:
        h = slowest_hundredths(distance, total - mine)
        if h < 1:
            return Target(rival=rival, out_of_reach=True)
        return Target(rival=rival, time_ms=h * 10)
    return Target(rival=rival, faster_than_ms=faster_than_hundredths(distance, mine - total) * 10)


def slowest_hundredths(distance, margin):
    """The largest h with distance_points(distance, 10 h) <= margin (thousandths); may be < 1.

    h * 5000 // distance <= M  <=>  h * 5000 < (M + 1) * distance  <=>  h <= ((M + 1) d - 1) // 5000.
    """
    return ((margin + 1) * distance - 1) // 5000


def faster_than_hundredths(distance, gap):
    """The smallest D such that, whatever hundredths h the rival skates, h - D keeps the skater's
    points gain within `gap` (her points minus the rival's, thousandths; negative if she is ahead).

    The needed D for one rival time h is h - slowest_hundredths(d, points(h) - gap); it repeats
    every d / gcd(5000, d) hundredths, so one period shows every case.
    """
    period = distance // gcd(5000, distance)
    return max(h - slowest_hundredths(distance, h * 5000 // distance - gap) for h in range(period))


def describe(target, rival_name=""):
    """What a screen says about a target, in one line."""
    from .times import format_time

    if target.any_time:
        return "any valid time"
    if target.out_of_reach:
        return "out of reach"
    if target.time_ms is not None:
        return f"{format_time(target.time_ms)} or faster"
    ms = target.faster_than_ms
    if ms > 0:
        return f"{format_time(ms)} s faster than {rival_name}".rstrip()
    if ms < 0:
        return f"may be {format_time(-ms)} s slower than {rival_name}".rstrip()
    return f"as fast as {rival_name}".rstrip()
