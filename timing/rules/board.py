"""Standings, leaders, differences and records: everything a board derives from stored times.

The one input is the set of current passings and statuses; the output is the same for the same
input, whatever order it arrives in (every sort below ends on a unique key).

Decisions where the rules are silent (each one is tested in tests/test_rules_board.py):

* "Before" means earlier in the race: an earlier pair, or the same pair at a smaller time. Two
  times in one pair at the same millisecond happened together; neither is before the other.
* The leader for a passing is the first of the standings built from the finishes before it.
  When two finishes share first place, the one skated first is the reference.
* A split is compared with the leader's split at that point. If the leader has no split there
  (a missed transponder) or nobody has finished yet, it is compared with the best split at that
  point so far. With nothing to compare against (the very first skater), it leads.
* Equal to the reference leads. A finish leads when it ranks first at that moment.
* A disqualification voids the skater's times: she drops out of the standings and out of every
  other skater's comparison, retroactively, and her own passings neither rank nor lead. A DNF
  skater's splits were really skated and still count as references; she has no finish.
* A record is judged as of the moment the time was skated: against the records held before the
  race and the faster finishes earlier in this race (a record set in pair 13 is the mark to beat
  in pair 15). Equalling a record is shown with "=" ("=OR").
"""
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from .points import lap_ms, measuring_points

LANES = ("inner", "outer")
OK, DNS, DNF, DQ = "OK", "DNS", "DNF", "DQ"
STATUSES = (OK, DNS, DNF, DQ)
RECORD_ORDER = ("WR", "OR", "TR", "NR", "PB", "SB")


@dataclass(frozen=True)
class Start:
    pair: int
    lane: str
    nation: str = ""
    status: str = OK
    times: dict = field(default_factory=dict)  # measuring point (m) -> ms from the pair's start
    pb_ms: int | None = None
    sb_ms: int | None = None

    @property
    def key(self):
        return (self.pair, LANES.index(self.lane))


@dataclass(frozen=True)
class Record:
    kind: str  # WR, OR, TR or NR
    time_ms: int
    nation: str = ""  # only for NR


@dataclass
class Split:
    distance: int
    time_ms: int
    lap_ms: int | None
    rank: int | None
    leader_ms: int | None
    diff_ms: int | None
    leads: bool
    record: str | None = None


@dataclass
class Standing:
    rank: int | None
    pair: int
    lane: str
    status: str
    time_ms: int | None
    record: str | None


@dataclass
class Board:
    splits: dict  # (pair, lane) -> [Split] in point order
    standings: list


def _record_mark(start, ms, records, earlier_finishes):
    """The most important record that `ms` breaks or equals, as of when it was skated."""
    for kind in RECORD_ORDER:
        if kind == "PB":
            marks = [start.pb_ms] if start.pb_ms else []
        elif kind == "SB":
            marks = [start.sb_ms] if start.sb_ms else []
        else:
            marks = [r.time_ms for r in records if r.kind == kind and (kind != "NR" or r.nation == start.nation)]
            if not marks:
                continue
            # A faster finish earlier in this race has become the record to beat.
            marks += [t for t, nation in earlier_finishes if kind != "NR" or nation == start.nation]
        if not marks:
            continue
        best = min(marks)
        if ms < best:
            return kind
        if ms == best:
            return "=" + kind
    return None


def compute_board(distance, starts, records=(), points=None):
    """The board of one race. `points` defaults to the distance's measuring points; a team
    pursuit passes its own (every 400 m from each team's line), the rules being the same."""
    points = points or measuring_points(distance)
    by_key = {s.key: s for s in starts}
    counted = [s for s in starts if s.status != DQ]

    # Every counted passing, in race order: (pair, time, lane index, point).
    events = sorted(
        (s.pair, ms, s.key[1], point) for s in counted for point, ms in s.times.items() if point in points
    )
    best_at = {p: [] for p in points}  # sorted times at each point among passings so far
    finishes = []  # sorted (time, pair, lane index) of finishes so far
    finish_nations = []  # (time, nation) of finishes so far, for records
    results = {}  # (pair, lane index, point) -> Split

    i = 0
    while i < len(events):
        # Passings at the same instant in the same pair are compared with the same history.
        j = i
        while j < len(events) and events[j][:2] == events[i][:2]:
            j += 1
        for pair, ms, lane_idx, point in events[i:j]:
            start = by_key[(pair, lane_idx)]
            leader = by_key[finishes[0][1:]] if finishes else None
            if point == distance:
                rank = 1 + bisect_left(finishes, (ms,))
                ref = finishes[0][0] if finishes else None
                leads = rank == 1
                record = _record_mark(start, ms, records, finish_nations)
            else:
                times = best_at[point]
                rank = 1 + bisect_left(times, ms)
                ref = leader.times.get(point) if leader else None
                if ref is None:
                    ref = times[0] if times else None
                leads = ref is None or ms <= ref
                record = None
            results[(pair, lane_idx, point)] = Split(
                distance=point,
                time_ms=ms,
                lap_ms=lap_ms(points, start.times, point),
                rank=rank,
                leader_ms=ref,
                diff_ms=None if ref is None else ms - ref,
                leads=leads,
                record=record,
            )
        for pair, ms, lane_idx, point in events[i:j]:
            insort(best_at[point], ms)
            if point == distance and by_key[(pair, lane_idx)].status == OK:
                insort(finishes, (ms, pair, lane_idx))
                finish_nations.append((ms, by_key[(pair, lane_idx)].nation))
        i = j

    splits = {}
    for s in starts:
        rows = []
        for point in points:
            if point not in s.times:
                continue
            found = results.get((s.pair, s.key[1], point))
            if found is None:  # a disqualified skater: shown, never ranked or leading
                found = Split(point, s.times[point], lap_ms(points, s.times, point), None, None, None, False)
            rows.append(found)
        splits[(s.pair, s.lane)] = rows
    return Board(splits=splits, standings=standings(distance, starts, results))


def standings(distance, starts, results):
    """Ranked by thousandths, equal times sharing a rank (1, 1, 3); DNF, DQ, DNS after, unranked."""
    finished = sorted(
        (s.times[distance], s.key, s) for s in starts if s.status == OK and distance in s.times
    )
    rows = []
    for n, (ms, key, s) in enumerate(finished):
        rank = rows[-1].rank if rows and rows[-1].time_ms == ms else n + 1
        split = results.get((s.pair, key[1], distance))
        rows.append(Standing(rank, s.pair, s.lane, OK, ms, split.record if split else None))
    order = {DNF: 0, DQ: 1, DNS: 2}
    for s in sorted((s for s in starts if s.status != OK), key=lambda s: (order[s.status], s.key)):
        rows.append(Standing(None, s.pair, s.lane, s.status, None, None))
    return rows
