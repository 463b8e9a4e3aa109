"""Mass start: 16 laps with up to 24 skaters, sprint points at laps 4, 8 and 12 and at the finish.

The one input is each skater's current crossings of the line (times from the start) and status;
everything else (laps done, sprint orders, points, the running order, the standings) is derived
from them, so a correction or a void moves every number that depends on it, and the result is
the same whatever order the crossings arrived in (every sort ends on the bib, which is unique).

Decisions where the rules are silent (each one is tested in tests/test_rules_mass_start.py):

* A skater's n-th crossing, in time order, is the end of her lap n. Voiding a crossing (a double
  transponder read) therefore renumbers her later ones. A crossing must be later than her last
  one, and a 17th is refused: a missed read is entered by correcting, never by inserting.
* A lap faster than 20 m/s (400 m under 20 s) is a wiring or typing error and is refused, as an
  individual split would be; a lap slower than 1 m/s likewise.
* A sprint's order is the order of the skaters' crossings ending that lap, whenever each crossed
  (a lapped skater's 4th crossing comes late and ranks late). Equal thousandths share the place
  and both take its points; the next place is skipped (3, 3, then 1), as ranks are shared on the
  individual board.
* The finish is the sprint of lap 16: 60, 40, 20, 10, 6, 3 points (the table since 2018/19).
* A disqualification voids the skater's crossings retroactively: she leaves every sprint, and the
  skaters behind her move up and take the points she had. A skater who did not finish keeps the
  points of the sprints she really skated, and her crossings hold their places in those sprints.
* Ranking: finishers by total points, equal totals by finish order, skaters without points after
  them by finish order (that is one sort: points down, then finish time up). The same points and
  the same finish thousandth share the rank. Then the skaters still racing (status OK, no finish
  yet; unranked, by points then running order), then DNF, DQ and DNS, unranked, by bib.
* The running order is by laps done, then by the time of the last crossing; a skater without a
  crossing is last, by bib. DNF, DQ and DNS skaters are not in it.
* `behind_ms` is a skater's last crossing minus the first crossing of the same lap by anyone
  (the front of the race at that lap). The lead group is the front of the running order in which
  each skater crossed within GROUP_GAP_MS of the one ahead (the cycling convention of one second);
  its gap is the `behind_ms` of the first skater outside it (the front of the chase). With nobody
  outside it there is no gap.
* A skater is laps down when the front of the race had completed more laps than she had at the
  moment of her last crossing (she has been lapped); a pack that has simply not reached the line
  yet, after the leader crossed, is not a lap down.
* Laps to go and the next sprint follow the leader (the most laps done): the next sprint is the
  first of laps 4, 8, 12, 16 she has not completed.
* The lap board at the line (`lap_counter`) turns when the leader crosses. While she skates a lap
  that ends in a sprint (4, 8, 12) it says SPRINT, as the real boards ring the bell for it; the
  final lap is the last lap (the bell), not a sprint, although it scores like one.
* A skater's gap at a lap (for the gap chart) is her crossing of it minus the first crossing of
  it by anyone (`fronts`), the same reference as `behind_ms`: the gap to the front of the race
  at that lap, not to the skater who leads now.
"""
from dataclasses import dataclass, field

from . import RuleConflict, RuleError
from .board import DNF, DNS, DQ, OK
from .points import LAP, MAX_SPEED, MIN_SPEED

LAPS = 16
DISTANCE = LAPS * LAP
SPRINT_POINTS = {4: (3, 2, 1), 8: (3, 2, 1), 12: (3, 2, 1), 16: (60, 40, 20, 10, 6, 3)}
SPRINT_LAPS = tuple(SPRINT_POINTS)
MAX_SKATERS = 24
GROUP_GAP_MS = 1000
MIN_LAP_MS = int(LAP / MAX_SPEED * 1000)  # 20 s
MAX_LAP_MS = int(LAP / MIN_SPEED * 1000)  # 400 s


@dataclass(frozen=True)
class Entry:
    bib: int
    status: str = OK
    crossings: tuple = ()  # times from the start, in ms, any order


@dataclass(frozen=True)
class SprintScore:
    lap: int
    place: int
    points: int


@dataclass
class Skater:
    bib: int
    status: str
    laps_done: int
    crossings: tuple  # ms at the end of lap 1, 2, ... (empty for a disqualified skater)
    last_ms: int | None
    behind_ms: int | None
    laps_down: int
    points: int
    sprints: tuple  # SprintScore for every sprint she scored in


@dataclass
class Sprint:
    lap: int
    order: tuple  # bibs in the order they completed the lap
    places: tuple  # shared places, parallel to order
    points: tuple  # points each took, parallel to order (0 beyond the table)
    final: bool


@dataclass
class Standing:
    rank: int | None
    bib: int
    status: str
    points: int
    finish_ms: int | None
    laps_done: int


@dataclass
class MassStartBoard:
    skaters: dict  # bib -> Skater
    sprints: list  # Sprint for laps 4, 8, 12, 16, as far as skated
    standings: list
    running_order: list  # bibs
    leader_laps: int
    laps_to_go: int
    next_sprint: int | None
    lead_group: tuple = field(default_factory=tuple)
    lead_gap_ms: int | None = None
    fronts: dict = field(default_factory=dict)  # lap -> the first crossing of it by anyone


@dataclass(frozen=True)
class LapCounter:
    to_go: int  # crossings of the line still to come for the leader
    sprint: bool  # the lap being skated ends in an intermediate sprint
    last: bool  # the final lap: the bell


def lap_counter(leader_laps):
    """What the lap board shows while the leader skates the lap after `leader_laps`."""
    skating = leader_laps + 1
    return LapCounter(LAPS - leader_laps, skating in SPRINT_LAPS and skating < LAPS, skating == LAPS)


# --- checks for a new or corrected crossing -----------------------------------------------------


def check_bib(bib):
    if isinstance(bib, bool) or not isinstance(bib, int) or not 1 <= bib <= 999:
        raise RuleError("A bib is a start number from 1 to 999, such as 7.", "bib")
    return bib


def _check_lap(lap, ms):
    if ms < MIN_LAP_MS:
        raise RuleError(
            f"Lap {lap} in {ms / 1000:.3f} s would be faster than any skater (400 m under 20 s); "
            "check the time and the bib.",
            "time",
        )
    if ms > MAX_LAP_MS:
        raise RuleError(f"Lap {lap} in {ms / 1000:.3f} s would be slower than 1 m/s; check the time.", "time")


def check_crossing(crossings, ms):
    """A new crossing ends the next lap: it must be later than the last, and there are 16 laps.
    Returns the lap it ends."""
    done = sorted(crossings)
    if len(done) >= LAPS:
        raise RuleConflict(
            f"This skater has already crossed the line {LAPS} times and finished; a 17th lap does not exist.",
            "bib",
        )
    last = done[-1] if done else 0
    if ms <= last:
        raise RuleConflict(
            f"{ms / 1000:.3f} s is not later than the skater's lap {len(done)} crossing at {last / 1000:.3f} s; "
            "correct that crossing instead.",
            "time",
        )
    _check_lap(len(done) + 1, ms - last)
    return len(done) + 1


def check_correction(crossings, old_ms, ms):
    """A corrected crossing keeps its lap: it must stay between the crossings either side of it."""
    done = sorted(crossings)
    lap = done.index(old_ms) + 1
    before = done[lap - 2] if lap > 1 else 0
    after = done[lap] if lap < len(done) else None
    if ms <= before:
        raise RuleConflict(
            f"{ms / 1000:.3f} s is not later than the lap {lap - 1} crossing at {before / 1000:.3f} s.", "time"
        )
    if after is not None and ms >= after:
        raise RuleConflict(
            f"{ms / 1000:.3f} s is not earlier than the lap {lap + 1} crossing at {after / 1000:.3f} s.", "time"
        )
    _check_lap(lap, ms - before)
    if after is not None:
        _check_lap(lap + 1, after - ms)
    return lap


# --- the board ----------------------------------------------------------------------------------


def shared_places(times):
    """1-based places for sorted `times`, equal times sharing (1, 1, 3)."""
    places = []
    for n, t in enumerate(times):
        places.append(places[-1] if n and times[n - 1] == t else n + 1)
    return places


def sprint(lap, crossed):
    """`crossed` maps bib -> time at the end of `lap` for every skater who completed it."""
    order = sorted(crossed, key=lambda bib: (crossed[bib], bib))
    places = shared_places([crossed[b] for b in order])
    table = SPRINT_POINTS[lap]
    points = [table[p - 1] if p <= len(table) else 0 for p in places]
    return Sprint(lap, tuple(order), tuple(places), tuple(points), lap == LAPS)


def compute_board(entries):
    bibs = [e.bib for e in entries]
    if len(set(bibs)) != len(bibs):
        raise RuleError("Two skaters share a bib; every skater needs her own start number.", "bib")
    laps = {e.bib: tuple(sorted(e.crossings))[:LAPS] if e.status != DQ else () for e in entries}

    sprints = []
    for lap in SPRINT_LAPS:
        crossed = {b: t[lap - 1] for b, t in laps.items() if len(t) >= lap}
        if crossed:
            sprints.append(sprint(lap, crossed))
    scores = {b: [] for b in bibs}
    for s in sprints:
        for bib, place, pts in zip(s.order, s.places, s.points):
            if pts:
                scores[bib].append(SprintScore(s.lap, place, pts))

    front = {}  # lap -> the first crossing of it by anyone
    for t in laps.values():
        for lap, ms in enumerate(t, 1):
            front[lap] = min(front.get(lap, ms), ms)

    skaters = {}
    for e in entries:
        t = laps[e.bib]
        skaters[e.bib] = Skater(
            bib=e.bib,
            status=e.status,
            laps_done=len(t),
            crossings=t,
            last_ms=t[-1] if t else None,
            behind_ms=t[-1] - front[len(t)] if t else None,
            laps_down=sum(1 for ms in front.values() if t and ms <= t[-1]) - len(t),
            points=sum(s.points for s in scores[e.bib]),
            sprints=tuple(scores[e.bib]),
        )

    racing = [s for s in skaters.values() if s.status == OK]
    running = sorted(racing, key=lambda s: (-s.laps_done, s.last_ms if s.last_ms is not None else 0, s.bib))
    running = [s for s in running if s.laps_done] + sorted((s for s in running if not s.laps_done), key=lambda s: s.bib)
    group, gap = _lead_group(running)

    leader_laps = max((s.laps_done for s in racing), default=0)
    return MassStartBoard(
        skaters=skaters,
        sprints=sprints,
        standings=standings(skaters.values(), running),
        running_order=[s.bib for s in running],
        leader_laps=leader_laps,
        laps_to_go=LAPS - leader_laps,
        next_sprint=next((lap for lap in SPRINT_LAPS if lap > leader_laps), None),
        lead_group=group,
        lead_gap_ms=gap,
        fronts=front,
    )


def _lead_group(running):
    moving = [s for s in running if s.laps_done]
    if not moving:
        return (), None
    group = [moving[0]]
    for s in moving[1:]:
        if s.behind_ms - group[-1].behind_ms >= GROUP_GAP_MS:
            break
        group.append(s)
    rest = moving[len(group):]
    return tuple(s.bib for s in group), (rest[0].behind_ms if rest else None)


def standings(skaters, running):
    finished = sorted(
        (s for s in skaters if s.status == OK and s.laps_done == LAPS),
        key=lambda s: (-s.points, s.last_ms, s.bib),
    )
    rows = []
    for n, s in enumerate(finished):
        prev = rows[-1] if rows else None
        same = prev is not None and (prev.points, prev.finish_ms) == (s.points, s.last_ms)
        rows.append(Standing(prev.rank if same else n + 1, s.bib, OK, s.points, s.last_ms, LAPS))
    still = [s for s in running if s.laps_done < LAPS]
    still.sort(key=lambda s: -s.points)  # stable: the running order decides equal points
    rows += [Standing(None, s.bib, OK, s.points, None, s.laps_done) for s in still]
    order = {DNF: 0, DQ: 1, DNS: 2}
    for s in sorted((s for s in skaters if s.status != OK), key=lambda s: (order[s.status], s.bib)):
        rows.append(Standing(None, s.bib, s.status, s.points, None, s.laps_done))
    return rows
