"""Team pursuit: points, team checks, lap times, the head-to-head, the leader and the ranking.

Every decision listed in timing/rules/team_pursuit.py's docstring has a test here, named for it.
"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timing.rules import RuleError
from timing.rules.board import DNF, DNS, DQ, OK, Record, Start
from timing.rules.points import check_order
from timing.rules.team_pursuit import (
    DISTANCES,
    check_distance,
    check_point,
    check_team,
    compute_board,
    measuring_points,
)
from timing.rules.times import format_diff, format_time, parse_time


def team(heat, position, *shown, status=OK, nation="NED", distance=2400):
    """A team with its times typed as a board shows them, one per lap; None skips one."""
    points = measuring_points(distance)
    times = {p: parse_time(t) for p, t in zip(points, shown) if t is not None}
    return Start(heat, position, nation, status, times)


def table(board):
    return [(s.rank, s.pair, s.lane, s.status, format_time(s.time_ms)) for s in board.standings]


def versus(board, heat, position):
    return [(v.distance, format_diff(v.diff_ms), v.ahead) for v in board.versus[(heat, position)]]


NED = ("28.00", "56.50", "1:25.00", "1:53.50", "2:22.00", "2:50.00")
CAN = ("28.20", "56.40", "1:25.10", "1:53.80", "2:22.50", "2:50.80")


# --- distances and measuring points ------------------------------------------------------------


@pytest.mark.parametrize(
    "distance, points",
    [(2400, (400, 800, 1200, 1600, 2000, 2400)), (3200, (400, 800, 1200, 1600, 2000, 2400, 2800, 3200))],
)
def test_measuring_points_are_every_lap_from_the_teams_own_line(distance, points):
    assert measuring_points(distance) == points


@pytest.mark.parametrize("distance", [500, 1000, 1200, 3000, 6400, 0])
def test_it_refuses_a_distance_that_is_not_a_team_pursuit(distance):
    with pytest.raises(RuleError) as caught:
        check_distance(distance)
    assert caught.value.field == "distance"
    assert "use 2400 (women, 6 laps) or 3200 (men, 8 laps)" in caught.value.message


def test_the_team_sprint_is_not_offered():
    assert DISTANCES == (2400, 3200)


@pytest.mark.parametrize("point", [500, 200, 100, 2800, 0])
def test_a_time_at_500_m_or_off_the_lap_is_refused_with_the_real_points(point):
    with pytest.raises(RuleError) as caught:
        check_point(2400, point)
    assert caught.value.field == "distance"
    assert caught.value.message == (
        f"{point} m is not a measuring point of the 2400 m team pursuit: times are taken every lap "
        "from the team's own line (400, 800, 1200, 1600, 2000, 2400)."
    )


def test_the_order_check_of_the_individual_distances_applies_to_the_teams_points():
    points = measuring_points(3200)
    assert check_order(3200, {400: 28000, 1200: 85000}, 800, 56000, points=points) == 56000
    with pytest.raises(RuleError):
        check_order(3200, {400: 28000, 1200: 85000}, 800, 86000, points=points)


# --- the team ----------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [["Kok", "Leerdam", "Schouten"], ["A", "B", "C", "D"]])
def test_a_team_is_three_skaters_or_four_with_a_reserve(names):
    assert check_team(names) == names


@pytest.mark.parametrize("names, count", [(["A", "B"], 2), (["A"], 1), (["A", "B", "C", "D", "E"], 5)])
def test_a_team_with_two_or_five_skaters_is_refused(names, count):
    with pytest.raises(RuleError) as caught:
        check_team(names)
    assert caught.value.field == "skaters"
    assert f"not {count}" in caught.value.message


def test_a_name_twice_or_an_empty_name_is_refused():
    with pytest.raises(RuleError, match="named twice"):
        check_team(["Kok", "kok ", "Schouten"])
    with pytest.raises(RuleError, match="empty"):
        check_team(["Kok", " ", "Schouten"])


def test_names_are_trimmed():
    assert check_team([" A", "B ", "C"]) == ["A", "B", "C"]


# --- lap times and the head-to-head ------------------------------------------------------------


def test_the_first_lap_is_a_whole_lap_and_every_lap_has_a_time():
    board = compute_board(2400, [team(1, "inner", *NED)])
    assert [format_time(s.lap_ms) for s in board.splits[(1, "inner")]] == [
        "28.00", "28.50", "28.50", "28.50", "28.50", "28.00",
    ]


def test_the_head_to_head_difference_is_taken_at_every_lap_and_is_green_when_ahead():
    board = compute_board(2400, [team(1, "inner", *NED), team(1, "outer", *CAN)])
    assert versus(board, 1, "inner") == [
        (400, "-0.20", True), (800, "+0.10", False), (1200, "-0.10", True),
        (1600, "-0.30", True), (2000, "-0.50", True), (2400, "-0.80", True),
    ]
    assert versus(board, 1, "outer") == [
        (400, "+0.20", False), (800, "-0.10", True), (1200, "+0.10", False),
        (1600, "+0.30", False), (2000, "+0.50", False), (2400, "+0.80", False),
    ]


def test_equal_times_at_a_lap_are_ahead_for_both_teams():
    board = compute_board(2400, [team(1, "inner", "28.00"), team(1, "outer", "28.00")])
    assert versus(board, 1, "inner") == versus(board, 1, "outer") == [(400, "0.00", True)]


def test_no_difference_until_both_teams_have_a_time_at_the_lap():
    board = compute_board(2400, [team(1, "inner", "28.00", "56.50"), team(1, "outer", "28.20")])
    assert versus(board, 1, "inner") == [(400, "-0.20", True)]


def test_a_missed_split_gives_no_difference_at_that_lap_only():
    board = compute_board(2400, [team(1, "inner", "28.00", None, "1:25.00"), team(1, "outer", *CAN[:3])])
    assert [v[0] for v in versus(board, 1, "inner")] == [400, 1200]


def test_a_heat_with_one_team_has_no_head_to_head():
    board = compute_board(2400, [team(1, "outer", *NED)])
    assert board.versus[(1, "outer")] == [] and board.standings[0].rank == 1


def test_a_disqualified_team_is_out_of_the_head_to_head_retroactively():
    board = compute_board(2400, [team(1, "inner", *NED), team(1, "outer", *CAN, status=DQ)])
    assert board.versus[(1, "inner")] == [] and board.versus[(1, "outer")] == []
    assert table(board)[0] == (1, 1, "inner", OK, "2:50.00")


def test_a_team_that_did_not_finish_still_counts_in_the_head_to_head():
    board = compute_board(2400, [team(1, "inner", *NED), team(1, "outer", *CAN[:4], status=DNF)])
    assert versus(board, 1, "inner")[-1] == (1600, "-0.30", True)
    assert table(board) == [(1, 1, "inner", OK, "2:50.00"), (None, 1, "outer", DNF, None)]


# --- the finish, the leader, the ranking -------------------------------------------------------


def test_the_finish_is_the_teams_time_and_ranks_by_thousandths_with_shared_ties():
    board = compute_board(
        2400,
        [
            team(1, "inner", *NED[:5], "2:55.123"),
            team(1, "outer", *NED[:5], "2:55.123"),
            team(2, "inner", *NED[:5], "2:55.124"),
            team(2, "outer", *NED[:5], "2:55.12"),
        ],
    )
    assert [(r, p, lane) for r, p, lane, _, _ in table(board)] == [
        (1, 2, "outer"), (2, 1, "inner"), (2, 1, "outer"), (4, 2, "inner"),
    ]


def test_a_team_without_three_at_the_finish_has_no_time_and_follows_the_ranked():
    board = compute_board(
        2400, [team(1, "inner", *NED[:5], status=DNF), team(1, "outer", *CAN), team(2, "inner", status=DNS)]
    )
    assert table(board) == [(1, 1, "outer", OK, "2:50.80"), (None, 1, "inner", DNF, None),
                            (None, 2, "inner", DNS, None)]


def test_later_heats_are_compared_with_the_leader_of_the_standings_at_each_lap():
    board = compute_board(2400, [team(1, "inner", *NED), team(1, "outer", *CAN), team(2, "inner", *CAN)])
    rows = board.splits[(2, "inner")]
    assert [(r.leader_ms, format_diff(r.diff_ms), r.leads) for r in rows] == [
        (28000, "+0.20", False), (56500, "-0.10", True), (85000, "+0.10", False),
        (113500, "+0.30", False), (142000, "+0.50", False), (170000, "+0.80", False),
    ]
    assert rows[-1].rank == 2


def test_in_the_first_heat_each_lap_is_compared_with_the_best_time_there_so_far():
    board = compute_board(2400, [team(1, "inner", *NED), team(1, "outer", *CAN)])
    # Same heat: at 800 m Canada's 56.40 came first, so the Dutch 56.50 is behind it.
    assert [r.leads for r in board.splits[(1, "inner")]] == [True, False, True, True, True, True]
    assert [r.leader_ms for r in board.splits[(1, "outer")]][:2] == [28000, None]


def test_a_team_record_is_marked_as_on_the_individual_board():
    board = compute_board(3200, [team(1, "inner", "28.0", "55.0", "1:22.0", "1:49.0", "2:16.0", "2:43.0",
                                      "3:10.0", "3:34.00", distance=3200)],
                          [Record("OR", parse_time("3:37.58")), Record("WR", parse_time("3:34.00"))])
    assert board.standings[0].record == "=WR"


# --- determinism ------------------------------------------------------------------------------


def shuffled(teams, rng):
    out = []
    for t in teams:
        items = list(t.times.items())
        rng.shuffle(items)
        out.append(Start(t.pair, t.lane, t.nation, t.status, dict(items)))
    rng.shuffle(out)
    return out


LAP_TIMES = st.sampled_from([28000, 28500, 29000])


@st.composite
def tournaments(draw):
    """Small 2400 m rounds with ties, missing laps, statuses and single-team heats."""
    teams = []
    for heat in range(1, draw(st.integers(1, 4)) + 1):
        for lane in draw(st.sampled_from([("inner",), ("outer",), ("inner", "outer")])):
            status = draw(st.sampled_from([OK, OK, OK, DNF, DQ, DNS]))
            times, total = {}, 0
            for point in range(400, 2401, 400):
                total += draw(LAP_TIMES)
                if status == DNS or (status == DNF and point == 2400):
                    continue
                if draw(st.integers(0, 5)) or point == 2400:
                    times[point] = total
            teams.append(Start(heat, lane, draw(st.sampled_from(["NED", "CAN"])), status, times))
    return teams


@settings(max_examples=200, deadline=None)
@given(tournaments(), st.randoms(use_true_random=False))
def test_the_team_board_does_not_depend_on_the_order_of_its_input(teams, rng):
    assert compute_board(2400, shuffled(teams, rng)) == compute_board(2400, teams)


@settings(max_examples=200, deadline=None)
@given(tournaments())
def test_the_head_to_head_is_antisymmetric_and_only_between_counted_teams(teams):
    board = compute_board(2400, teams)
    by_key = {(t.pair, t.lane): t for t in teams}
    for (heat, lane), rows in board.versus.items():
        other = "outer" if lane == "inner" else "inner"
        if rows:
            assert by_key[(heat, lane)].status != DQ and by_key[(heat, other)].status != DQ
        theirs = {v.distance: v for v in board.versus.get((heat, other), [])}
        for v in rows:
            assert theirs[v.distance].diff_ms == -v.diff_ms
            assert v.ahead == (v.diff_ms <= 0) and (v.ahead or theirs[v.distance].ahead)


@settings(max_examples=200, deadline=None)
@given(tournaments())
def test_rank_follows_time_and_equal_times_share_a_rank(teams):
    board = compute_board(2400, teams)
    ranked = [s for s in board.standings if s.rank is not None]
    times = [s.time_ms for s in ranked]
    assert times == sorted(times)
    assert all(s.rank == 1 + sum(t < s.time_ms for t in times) for s in ranked)
    assert len(board.standings) == len(teams)
