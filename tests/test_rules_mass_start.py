"""Mass start: laps from crossings, sprint points, every tie case of the ranking, the running order.

Every decision listed in timing/rules/mass_start.py's docstring has a test here, named for it.
"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timing.rules import RuleConflict, RuleError
from timing.rules.board import DNF, DNS, DQ, OK
from timing.rules.mass_start import (
    LAPS,
    SPRINT_POINTS,
    Entry,
    check_bib,
    check_correction,
    check_crossing,
    compute_board,
)

LAP_MS = 30000


def laps(n, offset=0, pace=LAP_MS):
    """Crossings for n laps at an even pace, `offset` ms behind a skater at that pace."""
    return tuple(pace * lap + offset for lap in range(1, n + 1))


def skater(bib, n=LAPS, offset=0, status=OK, **at):
    """A skater `offset` ms behind the even pace, with some laps moved: lap4=+50 shifts lap 4."""
    times = list(laps(n, offset))
    for key, shift in at.items():
        times[int(key[3:]) - 1] += shift
    return Entry(bib, status, tuple(times))


def table(board):
    return [(s.rank, s.bib, s.status, s.points) for s in board.standings]


def sprint_of(board, lap):
    return next(s for s in board.sprints if s.lap == lap)


# --- laps from crossings -----------------------------------------------------------------------


def test_a_skaters_nth_crossing_is_the_end_of_her_lap_n_whatever_the_order_they_came_in():
    board = compute_board([Entry(7, OK, (90000, 30000, 60000))])
    s = board.skaters[7]
    assert (s.laps_done, s.crossings, s.last_ms) == (3, (30000, 60000, 90000), 90000)


def test_voiding_a_crossing_renumbers_the_later_ones():
    double_read = Entry(7, OK, (30000, 30500, 60000))
    assert compute_board([double_read]).skaters[7].laps_done == 3
    voided = Entry(7, OK, (30000, 60000))
    assert compute_board([voided]).skaters[7].crossings == (30000, 60000)


def test_an_empty_race_has_no_sprints_no_order_and_all_laps_to_go():
    board = compute_board([Entry(1), Entry(2)])
    assert board.sprints == [] and board.running_order == [1, 2]
    assert (board.leader_laps, board.laps_to_go, board.next_sprint) == (0, 16, 4)
    assert table(board) == [(None, 1, OK, 0), (None, 2, OK, 0)]


def test_two_skaters_with_one_bib_are_refused():
    with pytest.raises(RuleError, match="share a bib"):
        compute_board([Entry(3), Entry(3)])


# --- checks on a new or corrected crossing -----------------------------------------------------


def test_a_new_crossing_ends_the_next_lap():
    assert check_crossing((), 30000) == 1
    assert check_crossing((60000, 30000), 90000) == 3


def test_a_crossing_earlier_than_the_previous_one_is_refused():
    with pytest.raises(RuleConflict) as caught:
        check_crossing((30000, 60000), 59000)
    assert caught.value.field == "time"
    assert caught.value.message == (
        "59.000 s is not later than the skater's lap 2 crossing at 60.000 s; correct that crossing instead."
    )
    with pytest.raises(RuleConflict):
        check_crossing((30000, 60000), 60000)


def test_a_17th_lap_is_refused():
    with pytest.raises(RuleConflict, match="17th lap does not exist"):
        check_crossing(laps(16), 17 * LAP_MS)


@pytest.mark.parametrize("gap", [1, 19999])
def test_a_lap_faster_than_20_m_per_s_is_refused(gap):
    with pytest.raises(RuleError, match="faster than any skater"):
        check_crossing((30000,), 30000 + gap)


def test_a_lap_slower_than_1_m_per_s_is_refused():
    with pytest.raises(RuleError, match="slower than 1 m/s"):
        check_crossing((30000,), 30000 + 400_001)
    assert check_crossing((30000,), 30000 + 400_000) == 2


def test_a_correction_keeps_its_lap_between_its_neighbours():
    done = (30000, 60000, 90000)
    assert check_correction(done, 60000, 61000) == 2
    with pytest.raises(RuleConflict, match="not earlier than the lap 3 crossing"):
        check_correction(done, 60000, 90000)
    with pytest.raises(RuleConflict, match="not later than the lap 1 crossing"):
        check_correction(done, 60000, 30000)
    with pytest.raises(RuleError, match="Lap 3 in"):
        check_correction(done, 60000, 75000)  # lap 3 would take 15 s
    assert check_correction(done, 90000, 200000) == 3  # the last one has no neighbour after it


@pytest.mark.parametrize("bib", [0, -1, 1000, "7", 7.0, True, None])
def test_a_bib_is_a_start_number_from_1_to_999(bib):
    with pytest.raises(RuleError) as caught:
        check_bib(bib)
    assert caught.value.field == "bib"


# --- sprint points -----------------------------------------------------------------------------


def test_the_first_three_at_laps_4_8_and_12_take_3_2_and_1():
    board = compute_board([skater(b, offset=b * 100) for b in range(1, 6)])
    for lap in (4, 8, 12):
        s = sprint_of(board, lap)
        assert (s.order, s.points, s.final) == ((1, 2, 3, 4, 5), (3, 2, 1, 0, 0), False)


def test_the_finish_gives_60_40_20_10_6_3_to_the_first_six():
    board = compute_board([skater(b, offset=b * 100) for b in range(1, 9)])
    final = sprint_of(board, 16)
    assert final.final and final.points == (60, 40, 20, 10, 6, 3, 0, 0)
    assert SPRINT_POINTS[16] == (60, 40, 20, 10, 6, 3)


def test_a_sprint_is_ordered_by_the_crossing_of_that_lap_whenever_it_came():
    lapped = Entry(9, OK, laps(4, pace=40000))  # her 4th crossing is at 160 s
    board = compute_board([lapped, skater(1, n=5), skater(2, n=5, offset=500)])
    assert sprint_of(board, 4).order == (1, 2, 9)
    assert board.skaters[9].points == 1


def test_equal_thousandths_in_a_sprint_share_the_place_and_its_points_and_skip_the_next():
    board = compute_board([skater(1, n=4), skater(2, n=4), skater(3, n=4, offset=100), skater(4, n=4, offset=200)])
    s = sprint_of(board, 4)
    assert (s.order, s.places, s.points) == ((1, 2, 3, 4), (1, 1, 3, 4), (3, 3, 1, 0))


def test_a_tie_for_sixth_at_the_finish_gives_both_3_and_the_next_nothing():
    field = [skater(b, offset=b * 100) for b in range(1, 6)] + [skater(6, offset=600), skater(7, offset=600),
                                                              skater(8, offset=700)]
    final = sprint_of(compute_board(field), 16)
    assert final.places[5:] == (6, 6, 8) and final.points[5:] == (3, 3, 0)


def test_a_skater_holds_her_sprint_scores_and_their_sum():
    board = compute_board([skater(1, offset=0), skater(2, offset=100, lap8=-300), skater(3, offset=200)])
    s = board.skaters[2]
    assert [(x.lap, x.place, x.points) for x in s.sprints] == [(4, 2, 2), (8, 1, 3), (12, 2, 2), (16, 2, 40)]
    assert s.points == 47


def test_a_correction_that_changes_who_won_a_sprint_moves_the_points_back():
    before = compute_board([skater(1), skater(2, offset=100)])
    assert sprint_of(before, 4).order == (1, 2)
    # Skater 1's lap 4 crossing corrected from 2:00.000 to 2:00.200: skater 2 won that sprint.
    after = compute_board([skater(1, lap4=200), skater(2, offset=100)])
    assert sprint_of(after, 4).order == (2, 1)
    assert (after.skaters[1].points, after.skaters[2].points) == (3 + 3 + 60 + 2, 2 + 2 + 40 + 3)


# --- the ranking in every tie case --------------------------------------------------------------


def test_the_ranking_is_by_total_points():
    # Skater 3 wins every intermediate sprint but finishes third: 9 + 20 = 29 < 3 + 40 of the second.
    field = [skater(1, lap4=1000, lap8=1000, lap12=1000), skater(2, offset=100, lap4=1000, lap8=1000, lap12=1000),
             skater(3, offset=200, lap4=-500, lap8=-500, lap12=-500)]
    board = compute_board(field)
    assert table(board) == [(1, 1, OK, 66), (2, 2, OK, 43), (3, 3, OK, 29)]


def test_equal_points_rank_by_finish_order():
    # 3 (lap 4) + 3 (lap 8) + 1 (lap 12) + 3 (6th) = 10 = 10 points for 4th place.
    field = [skater(b, offset=b * 100) for b in range(1, 8)]
    field[5] = skater(6, offset=600, lap4=-2000, lap8=-2000, lap12=-350)  # 3 + 3 + 1 + 3 = 10
    board = compute_board(field)
    assert board.skaters[6].points == board.skaters[4].points == 10
    rows = table(board)
    assert rows[3:5] == [(4, 4, OK, 10), (5, 6, OK, 10)]


def test_equal_points_and_the_same_finish_thousandth_share_the_rank():
    field = [skater(1), skater(2, offset=100), skater(3, offset=100), skater(4, offset=300)]
    assert table(compute_board(field)) == [(1, 1, OK, 69), (2, 2, OK, 46), (2, 3, OK, 46), (4, 4, OK, 10)]


def test_skaters_without_points_follow_by_finish_order_even_behind_a_later_finisher_with_points():
    field = [skater(b, offset=b * 100) for b in range(1, 10)]
    field[8] = skater(9, offset=900, lap4=-1500)  # ninth across the line, but won the first sprint
    rows = table(compute_board(field))
    assert [r[1] for r in rows] == [1, 2, 3, 4, 5, 6, 9, 7, 8]
    assert rows[6:] == [(7, 9, OK, 3), (8, 7, OK, 0), (9, 8, OK, 0)]


def test_no_points_and_the_same_finish_share_the_rank():
    field = [skater(b, offset=b * 100) for b in range(1, 7)] + [skater(7, offset=900), skater(8, offset=900)]
    assert table(compute_board(field))[6:] == [(7, 7, OK, 0), (7, 8, OK, 0)]


def test_dnf_follows_every_finisher_and_keeps_the_points_she_skated():
    field = [skater(1, n=9, status=DNF), skater(2, offset=100), skater(3, offset=200)]
    board = compute_board(field)
    assert board.skaters[1].points == 6  # laps 4 and 8 won before she stopped
    assert table(board) == [(1, 2, OK, 2 + 2 + 3 + 60), (2, 3, OK, 1 + 1 + 2 + 40), (None, 1, DNF, 6)]


def test_dq_follows_dnf_and_dns_comes_last():
    field = [Entry(4, DNS), skater(3, offset=300, status=DQ), skater(2, n=3, status=DNF), skater(1)]
    assert [(r[0], r[1], r[2]) for r in table(compute_board(field))] == [
        (1, 1, OK), (None, 2, DNF), (None, 3, DQ), (None, 4, DNS),
    ]


def test_a_disqualification_voids_her_sprints_and_the_others_move_up():
    field = [skater(1), skater(2, offset=100), skater(3, offset=200), skater(4, offset=300)]
    board = compute_board([skater(1, status=DQ)] + field[1:])
    assert sprint_of(board, 4).order == (2, 3, 4) and sprint_of(board, 4).points == (3, 2, 1)
    assert board.skaters[1].points == 0 and board.skaters[1].crossings == ()
    assert table(board)[0] == (1, 2, OK, 69)


def test_skaters_still_racing_follow_the_finishers_unranked_by_points_then_running_order():
    field = [skater(1), skater(2, n=15, offset=100), skater(3, n=15, offset=200, lap4=-300),
             skater(4, n=14, offset=300, lap8=-500), skater(5, n=15, offset=400)]
    rows = table(compute_board(field))
    # Skater 4 is a lap down but has more points than 5; 2 and 3 have 4 each, 2 is ahead on the ice.
    assert rows == [(1, 1, OK, 2 + 2 + 3 + 60), (None, 2, OK, 1 + 1 + 2 + 0), (None, 3, OK, 3 + 0 + 1),
                    (None, 4, OK, 3), (None, 5, OK, 0)]


# --- running order, laps to go, the lead group ---------------------------------------------------


def test_the_running_order_is_by_laps_done_then_the_last_crossing():
    field = [skater(1, n=5, offset=400), skater(2, n=6, offset=900), skater(3, n=6, offset=100), Entry(4),
             skater(5, n=2, status=DNF)]
    board = compute_board(field)
    assert board.running_order == [3, 2, 1, 4]
    assert (board.leader_laps, board.laps_to_go, board.next_sprint) == (6, 10, 8)


def test_a_lapped_skater_is_a_lap_down_but_a_pack_behind_the_leaders_crossing_is_not():
    lapped = Entry(9, OK, laps(5, pace=45000))  # lap 5 at 225 s: the front did lap 7 at 210 s
    board = compute_board([skater(1, n=7), skater(2, n=6, offset=800), lapped])
    assert [board.skaters[b].laps_down for b in (1, 2, 9)] == [0, 0, 2]
    assert board.running_order == [1, 2, 9]


def test_the_next_sprint_follows_the_leader_and_is_none_after_the_finish():
    assert compute_board([skater(1, n=4)]).next_sprint == 8
    assert compute_board([skater(1, n=15)]).next_sprint == 16
    assert compute_board([skater(1)]).next_sprint is None


def test_behind_is_measured_from_the_first_crossing_of_the_same_lap():
    board = compute_board([skater(1, n=6), skater(2, n=5, offset=2500)])
    assert board.skaters[1].behind_ms == 0 and board.skaters[2].behind_ms == 2500


def test_the_lead_group_ends_at_the_first_gap_of_a_second_and_its_gap_is_the_chases_front():
    field = [skater(1, n=6), skater(2, n=6, offset=400), skater(3, n=6, offset=1300),
             skater(4, n=6, offset=6400), skater(5, n=6, offset=6500)]
    board = compute_board(field)
    assert board.lead_group == (1, 2, 3) and board.lead_gap_ms == 6400


def test_a_gap_of_exactly_one_second_splits_the_group():
    board = compute_board([skater(1, n=3), skater(2, n=3, offset=1000)])
    assert board.lead_group == (1,) and board.lead_gap_ms == 1000


def test_the_whole_field_together_has_no_gap():
    board = compute_board([skater(b, n=3, offset=b * 200) for b in range(1, 5)])
    assert board.lead_group == (1, 2, 3, 4) and board.lead_gap_ms is None


def test_a_pack_that_has_not_yet_crossed_the_leaders_lap_stays_in_her_group():
    # The leader has just crossed lap 6; the others are 0.3 s behind her at lap 5.
    board = compute_board([skater(1, n=6), skater(2, n=5, offset=300), skater(3, n=5, offset=500)])
    assert board.running_order == [1, 2, 3] and board.lead_group == (1, 2, 3)


# --- determinism ------------------------------------------------------------------------------


def shuffled(entries, rng):
    out = []
    for e in entries:
        times = list(e.crossings)
        rng.shuffle(times)
        out.append(Entry(e.bib, e.status, tuple(times)))
    rng.shuffle(out)
    return out


@st.composite
def mass_starts(draw):
    """Small fields where ties are likely: few distinct lap times, statuses, unfinished skaters."""
    entries = []
    for bib in range(1, draw(st.integers(1, 10)) + 1):
        status = draw(st.sampled_from([OK, OK, OK, OK, DNF, DQ, DNS]))
        n = 0 if status == DNS else draw(st.sampled_from([LAPS, LAPS, LAPS, 3, 4, 8, 12, 15]))
        times, total = [], 0
        for _ in range(n):
            total += draw(st.sampled_from([29000, 29500, 30000]))
            times.append(total)
        entries.append(Entry(bib, status, tuple(times)))
    return entries


@settings(max_examples=300, deadline=None)
@given(mass_starts(), st.randoms(use_true_random=False))
def test_the_board_does_not_depend_on_the_order_of_its_input(entries, rng):
    assert compute_board(shuffled(entries, rng)) == compute_board(entries)


@settings(max_examples=300, deadline=None)
@given(mass_starts())
def test_the_ranking_follows_points_then_finish_and_shares_only_true_ties(entries):
    board = compute_board(entries)
    ranked = [s for s in board.standings if s.rank is not None]
    keys = [(-s.points, s.finish_ms) for s in ranked]
    assert keys == sorted(keys)
    for s in ranked:
        assert s.rank == 1 + sum(k < (-s.points, s.finish_ms) for k in keys)
        assert s.laps_done == LAPS and board.skaters[s.bib].status == OK
    assert len(board.standings) == len(entries)
    order = [s.status for s in board.standings[len(ranked):]]
    assert order == sorted(order, key=[OK, DNF, DQ, DNS].index)


@settings(max_examples=300, deadline=None)
@given(mass_starts())
def test_points_add_up_to_the_sprint_tables(entries):
    board = compute_board(entries)
    assert sum(s.points for s in board.skaters.values()) == sum(sum(s.points) for s in board.sprints)
    for sp in board.sprints:
        table = SPRINT_POINTS[sp.lap]
        assert list(sp.points) == [table[p - 1] if p <= len(table) else 0 for p in sp.places]
        if len(set(sp.places)) == len(sp.places):
            assert sum(sp.points) == sum(table[: len(sp.order)])
    assert all(board.skaters[b].status != DQ for sp in board.sprints for b in sp.order)


# --- the lap board and the gaps at each lap ------------------------------------------------------


def test_the_lap_board_says_sprint_while_the_leader_skates_a_lap_that_ends_in_a_sprint():
    from timing.rules.mass_start import lap_counter

    shown = {done: lap_counter(done) for done in range(LAPS + 1)}
    assert [done + 1 for done, c in shown.items() if c.sprint] == [4, 8, 12]
    assert [done + 1 for done, c in shown.items() if c.last] == [16]  # the bell, not a sprint
    assert (shown[0].to_go, shown[15].to_go, shown[16].to_go) == (16, 1, 0)


def test_the_front_of_each_lap_is_its_first_crossing_by_anyone_and_a_dq_is_not_in_it():
    board = compute_board([skater(1, 3, 500), skater(2, 2, 0, lap2=900), skater(3, 3, -5000, status=DQ)])
    assert board.fronts == {1: 30000, 2: 60500, 3: 90500}
