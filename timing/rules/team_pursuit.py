"""Team pursuit: two teams of three per heat, each starting and finishing on its own straight.

A heat has the shape of an individual pair: the heat is the pair, and its two teams are its two
positions (`inner` = the team starting on the home straight, `outer` = the back straight). A
team's time at a point is stored like a skater's passing, so the leader, the differences, the
ranking and the records are the individual board's (board.compute_board, given this kind's
measuring points); what this module adds is the distances, the measuring points, the team
checks and the head-to-head difference within a heat.

Decisions where the rules are silent (each one is tested in tests/test_rules_team_pursuit.py):

* Measuring points are every 400 m from the team's own line: 400, 800, ... 2400 (women, 6 laps)
  or 3200 (men, 8 laps). Each team's times count from the common start signal, so the two teams'
  times at the same point are directly comparable although they are taken on opposite straights.
  The team sprint (3 laps) is a different race (one skater leaves each lap) and is not offered.
* The first lap's time is the time at 400 m: the team starts standing on the line it finishes
  on, so its opening lap is a whole lap (the individual board leaves an opening part blank).
* A team's time at a point is whatever the timing posts for it; Oval's convention, as at the
  finish, is the third skater. The rules never see individual skaters: a team that finished with
  fewer than three has no time and is marked DNF by an official (the finish is then refused).
* A team is three or four named skaters (the fourth a reserve who may skate a round); two, or
  five, or the same name twice, is refused, as is an empty name.
* The head-to-head difference at a point is the team's time minus the other team's time at that
  point in the same heat, shown only when both teams have a time there (a missed split, or the
  other team not yet there, gives none). Equal times are "ahead" for both, as equal to the
  leader leads on the individual board.
* A disqualified team is out of every comparison, the head-to-head included, retroactively; a
  team that did not finish skated its splits and they still count, as for an individual DNF.
* A catch ends a final heat in the sport; Oval does not infer one from the times. The officials
  record the caught team's outcome with its status, and the catching team's finish as timed.
* Ranking is by time in thousandths with shared ties (1, 1, 3), exactly as an individual
  distance; a tournament (quarterfinals by time, semifinals and finals head to head) is a
  sequence of races in the schedule, each ranked on its own. Who advances is the officials' call.
"""
from dataclasses import dataclass

from . import RuleError
from . import board as individual
from .points import LAP

DISTANCES = (2400, 3200)  # women 6 laps, men 8 laps
#: Where each position of a heat starts: what officials call a team's "lane".
STRAIGHTS = {"inner": "home straight", "outer": "back straight"}
TEAM_SIZES = (3, 4)  # three skate; a fourth may be named as the reserve


def check_distance(distance):
    if distance not in DISTANCES:
        raise RuleError(
            f"{distance} m is not a team pursuit distance; use 2400 (women, 6 laps) or 3200 (men, 8 laps).",
            "distance",
        )
    return distance


def measuring_points(distance):
    """Every lap from the team's own line: 2400 m -> 400, 800, ... 2400."""
    check_distance(distance)
    return tuple(range(LAP, distance + 1, LAP))


def check_point(distance, point):
    points = measuring_points(distance)
    if point not in points:
        raise RuleError(
            f"{point} m is not a measuring point of the {distance} m team pursuit: times are taken "
            f"every lap from the team's own line ({', '.join(map(str, points))}).",
            "distance",
        )
    return point


def check_team(names):
    """The skaters of one team, as typed in a start list: three or four distinct names."""
    cleaned = [n.strip() for n in names]
    if any(not n for n in cleaned):
        raise RuleError("A skater's name is empty; separate the three or four names with ';'.", "skaters")
    if len(cleaned) not in TEAM_SIZES:
        raise RuleError(
            f"A team pursuit team has three skaters (and may name a fourth as reserve), not {len(cleaned)}.",
            "skaters",
        )
    seen = set()
    for n in cleaned:
        if n.casefold() in seen:
            raise RuleError(f"{n} is named twice in one team.", "skaters")
        seen.add(n.casefold())
    return cleaned


@dataclass
class HeadToHead:
    distance: int
    other_ms: int
    diff_ms: int
    ahead: bool


@dataclass
class TeamBoard:
    splits: dict  # (heat, position) -> [board.Split], as on the individual board
    standings: list  # [board.Standing]
    versus: dict  # (heat, position) -> [HeadToHead] at the points where both teams have a time


def compute_board(distance, teams, records=()):
    """`teams` are board.Start rows: pair = the heat, lane = inner (home straight) / outer."""
    points = measuring_points(distance)
    board = individual.compute_board(distance, teams, records, points=points)
    for rows in board.splits.values():
        for split in rows:
            if split.distance == LAP:
                split.lap_ms = split.time_ms
    return TeamBoard(board.splits, board.standings, head_to_head(teams))


def head_to_head(teams):
    counted = {t.key: t for t in teams if t.status != individual.DQ}
    versus = {}
    for t in teams:
        rows = []
        other = counted.get((t.pair, 1 - t.key[1]))
        if t.key in counted and other is not None:
            for point in sorted(t.times):
                if point in other.times:
                    diff = t.times[point] - other.times[point]
                    rows.append(HeadToHead(point, other.times[point], diff, diff <= 0))
        versus[(t.pair, t.lane)] = rows
    return versus
