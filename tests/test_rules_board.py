"""The board: standings, the leader at every point, differences, who leads, and records.

Every decision listed in timing/rules/board.py's docstring has a test here, named for it.
"""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timing.rules.board import DNF, DNS, DQ, OK, Record, Start, compute_board
from timing.rules.points import measuring_points
from timing.rules.times import format_diff, format_time, parse_time


def skater(pair, lane, *shown, status=OK, nation="NED", pb=None, sb=None, distance=1000):
    """A start with its times typed as a board shows them, one per measuring point; None skips one."""
    points = measuring_points(distance)
    times = {p: parse_time(t) for p, t in zip(points, shown) if t is not None}
    return Start(pair, lane, nation, status, times, pb and parse_time(pb), sb and parse_time(sb))


def at(board, pair, lane, point):
    return next(s for s in board.splits[(pair, lane)] if s.distance == point)


def table(board):
    return [(s.rank, s.pair, s.lane, s.status, format_time(s.time_ms)) for s in board.standings]


def leads(board, pair, lane):
    return [s.leads for s in board.splits[(pair, lane)]]


# --- the very first skater -------------------------------------------------------------------


def test_the_very_first_skater_leads_everywhere_with_nothing_to_compare():
    board = compute_board(1000, [skater(1, "inner", "18.19", "46.05", "1:17.15")])
    rows = board.splits[(1, "inner")]
    assert [(r.distance, r.rank, r.leader_ms, r.diff_ms, r.leads) for r in rows] == [
        (200, 1, None, None, True),
        (600, 1, None, None, True),
        (1000, 1, None, None, True),
    ]
    assert [r.lap_ms for r in rows] == [None, 27860, 31100]
    assert table(board) == [(1, 1, "inner", OK, "1:17.15")]


def test_an_empty_race_has_an_empty_board():
    board = compute_board(500, [])
    assert board.splits == {} and board.standings == []


def test_a_pair_with_one_skater_is_a_board_row_like_any_other():
    board = compute_board(1000, [skater(1, "outer", "17.90", "45.10", "1:15.46")])
    assert list(board.splits) == [(1, "outer")] and leads(board, 1, "outer") == [True, True, True]


# --- the leader and the differences ----------------------------------------------------------


def test_later_pairs_are_compared_with_the_leaders_split_at_the_same_point():
    board = compute_board(
        1000,
        [
            skater(1, "outer", "17.90", "45.10", "1:15.46"),  # Schulting leads from pair 1
            skater(2, "inner", "18.18", "44.90", "1:15.74"),
        ],
    )
    rows = board.splits[(2, "inner")]
    assert [(r.leader_ms, format_diff(r.diff_ms), r.leads, r.rank) for r in rows] == [
        (17900, "+0.28", False, 2),
        (45100, "-0.20", True, 1),
        (75460, "+0.28", False, 2),
    ]


def test_a_faster_finish_takes_the_lead_and_becomes_the_reference():
    board = compute_board(
        1000,
        [
            skater(1, "outer", "17.90", "45.10", "1:15.46"),
            skater(11, "inner", "17.80", "44.60", "1:15.00"),  # Jackson takes over
            skater(12, "inner", "17.85", "44.80", "1:15.20"),
        ],
    )
    assert at(board, 11, "inner", 1000).leads and at(board, 11, "inner", 1000).diff_ms == -460
    assert [r.leader_ms for r in board.splits[(12, "inner")]] == [17800, 44600, 75000]
    assert leads(board, 12, "inner") == [False, False, False]


def test_the_leader_is_fixed_by_the_finish_not_by_the_best_split():
    """A fast opener who finishes slower does not become the reference at 200 m."""
    board = compute_board(
        1000,
        [
            skater(1, "inner", "18.00", "45.00", "1:15.00"),
            skater(2, "inner", "17.40", "45.50", "1:16.00"),  # fastest opener, slower finish
            skater(3, "inner", "17.70", "45.20", "1:15.50"),
        ],
    )
    third = at(board, 3, "inner", 200)
    assert (third.leader_ms, third.leads, third.rank) == (18000, True, 2)


# --- ties ------------------------------------------------------------------------------------


def test_a_split_equal_to_the_leaders_leads():
    board = compute_board(
        1000, [skater(1, "inner", "17.68", "43.78", "1:12.31"), skater(2, "inner", "17.68", "43.79", "1:12.32")]
    )
    equal = at(board, 2, "inner", 200)
    assert (equal.diff_ms, format_diff(equal.diff_ms), equal.leads, equal.rank) == (0, "0.00", True, 1)


def test_a_finish_equal_to_the_leaders_shares_first_and_leads():
    board = compute_board(
        500, [skater(1, "inner", "9.80", "34.258", distance=500), skater(2, "outer", "9.70", "34.258", distance=500)]
    )
    finish = at(board, 2, "outer", 500)
    assert (finish.rank, finish.leads, finish.diff_ms) == (1, True, 0)


def test_two_at_34_258_share_first_and_the_next_is_third():
    board = compute_board(
        500,
        [
            skater(1, "inner", "9.80", "34.258", distance=500),
            skater(2, "outer", "9.70", "34.258", distance=500),
            skater(3, "inner", "9.60", "34.26", distance=500),
            skater(3, "outer", "9.60", "34.26", distance=500),
            skater(4, "inner", "9.90", "34.50", distance=500),
        ],
    )
    assert [(r, p, lane) for r, p, lane, _, _ in table(board)] == [
        (1, 1, "inner"), (1, 2, "outer"), (3, 3, "inner"), (3, 3, "outer"), (5, 4, "inner"),
    ]


def test_thousandths_decide_though_both_read_1_45_00():
    """Sochi 2014: Brodka 1:45.006 beat Verweij 1:45.009; the board first showed both as 1:45.00."""
    board = compute_board(
        1500,
        [
            skater(1, "inner", "25.00", "52.00", "1:18.50", "1:45.009", distance=1500),  # Verweij
            skater(2, "outer", "25.10", "52.10", "1:18.60", "1:45.006", distance=1500),  # Brodka
        ],
    )
    assert table(board) == [(1, 2, "outer", OK, "1:45.00"), (2, 1, "inner", OK, "1:45.00")]
    brodka = at(board, 2, "outer", 1500)
    assert brodka.leads and format_diff(brodka.diff_ms) == "-0.003"


def test_when_two_share_first_the_one_skated_first_is_the_reference():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.90", "45.00", "1:15.00"),
            skater(2, "inner", "17.50", "44.50", "1:15.00"),
            skater(3, "inner", "17.70", "44.80", "1:15.10"),
        ],
    )
    assert [r.leader_ms for r in board.splits[(3, "inner")]] == [17900, 45000, 75000]
    assert leads(board, 3, "inner") == [True, True, False]


def test_passings_at_the_same_instant_in_one_pair_do_not_see_each_other():
    """Two skaters crossing together: neither came before the other, so both lead."""
    board = compute_board(
        1000,
        [
            skater(1, "inner", "18.00", "45.00", "1:15.00"),
            skater(2, "inner", "17.80", "44.80", "1:14.80"),
            skater(2, "outer", "17.80", "44.80", "1:14.80"),
        ],
    )
    for lane in ("inner", "outer"):
        assert leads(board, 2, lane) == [True, True, True]
        assert [r.rank for r in board.splits[(2, lane)]] == [1, 1, 1]
        assert at(board, 2, lane, 1000).leader_ms == 75000


# --- one pair, two skaters -------------------------------------------------------------------


def test_both_skaters_of_a_pair_under_the_leader_lead_until_the_first_one_finishes():
    board = compute_board(
        1000,
        [
            skater(1, "outer", "17.90", "45.10", "1:15.46"),
            skater(13, "inner", "17.40", "44.10", "1:12.59"),  # Kok
            skater(13, "outer", "17.60", "44.60", "1:14.55"),  # Bowe
        ],
    )
    assert leads(board, 13, "inner") == [True, True, True]
    assert leads(board, 13, "outer") == [True, True, False]
    bowe = at(board, 13, "outer", 1000)
    # Kok finished first, so she is the leader Bowe's finish is measured against.
    assert (bowe.rank, bowe.leader_ms, format_diff(bowe.diff_ms)) == (2, 72590, "+1.96")
    # Bowe's splits were compared with the leader at the time: Schulting, not her partner.
    assert [r.leader_ms for r in board.splits[(13, "outer")][:2]] == [17900, 45100]
    # Rank at each split counts the partner who passed first.
    assert [r.rank for r in board.splits[(13, "outer")]] == [2, 2, 2]


def test_a_partner_who_finished_earlier_in_the_pair_is_the_leader_for_the_later_splits():
    """A skater far behind (a fall) passes 600 m after her partner finished: the partner leads."""
    board = compute_board(
        1000,
        [
            skater(1, "inner", "18.00", "45.00", "1:15.00"),
            skater(2, "inner", "17.60", "44.20", "1:13.00"),
            skater(2, "outer", "17.90", "1:20.00", "1:52.00"),  # fell after 200 m
        ],
    )
    fallen = board.splits[(2, "outer")]
    assert [r.leader_ms for r in fallen] == [18000, 44200, 73000]
    assert [r.leads for r in fallen] == [True, False, False]


def test_a_partner_does_not_lead_before_she_has_finished():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "18.00", "45.00", "1:15.00"),
            skater(2, "inner", "17.60", "44.20", "1:13.00"),
            skater(2, "outer", "17.90", "44.90", "1:14.00"),
        ],
    )
    # At 200 m and 600 m the partner has not finished: pair 1 is still the leader.
    assert [r.leader_ms for r in board.splits[(2, "outer")]] == [18000, 45000, 73000]


# --- a missing split -------------------------------------------------------------------------


def test_a_split_the_leader_lacks_is_compared_with_the_best_so_far():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "18.00", "45.20", "1:16.00"),
            skater(2, "inner", "17.80", None, "1:15.00"),  # transponder missed 600 m
            skater(3, "inner", "17.90", "45.10", "1:15.50"),
        ],
    )
    at600 = at(board, 3, "inner", 600)
    assert (at600.leader_ms, at600.leads, at600.rank) == (45200, True, 1)
    assert at(board, 3, "inner", 200).leader_ms == 17800  # the leader's own split where she has one


def test_a_missing_split_has_no_row_and_no_lap_around_it():
    board = compute_board(1000, [skater(1, "inner", "17.80", None, "1:15.00")])
    assert [(r.distance, r.lap_ms) for r in board.splits[(1, "inner")]] == [(200, None), (1000, None)]


def test_before_anyone_finishes_a_split_is_compared_with_the_best_so_far():
    board = compute_board(
        1000, [skater(1, "inner", "18.19", "46.05", "1:17.15"), skater(1, "outer", "17.90", "45.10", "1:15.46")]
    )
    vigl, schulting = board.splits[(1, "inner")], board.splits[(1, "outer")]
    # Schulting passed 200 m first, so Vigl's 200 m meets her 17.90.
    assert [(r.leader_ms, r.leads, r.rank) for r in vigl] == [(17900, False, 2), (45100, False, 2), (75460, False, 2)]
    assert [(r.leader_ms, r.leads) for r in schulting] == [(None, True), (None, True), (None, True)]


def test_points_that_are_no_measuring_point_are_left_off_the_board():
    odd = Start(1, "inner", "NED", OK, {200: 17800, 400: 30000, 1000: 75000})
    board = compute_board(1000, [odd])
    assert [r.distance for r in board.splits[(1, "inner")]] == [200, 1000]


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_that_takes_the_lead_away_moves_it_back():
    race = [
        skater(1, "outer", "17.90", "45.10", "1:15.46"),
        skater(2, "inner", "17.80", "44.90", "1:15.40"),
        skater(3, "inner", "17.85", "45.00", "1:15.45"),
    ]
    before = compute_board(1000, race)
    assert at(before, 2, "inner", 1000).leads and not at(before, 3, "inner", 1000).leads

    race[1] = skater(2, "inner", "17.80", "44.90", "1:15.50")  # the finish was misread
    after = compute_board(1000, race)
    corrected = at(after, 2, "inner", 1000)
    assert (corrected.rank, corrected.leads, format_diff(corrected.diff_ms)) == (2, False, "+0.04")
    # Pair 3 is now measured against Schulting again, and her 1:15.45 leads.
    assert [r.leader_ms for r in after.splits[(3, "inner")]] == [17900, 45100, 75460]
    assert at(after, 3, "inner", 1000).leads
    assert [(r, p) for r, p, *_ in table(after)] == [(1, 3), (2, 1), (3, 2)]


# --- statuses --------------------------------------------------------------------------------


def test_a_disqualified_leader_leaves_the_lead_to_the_next_retroactively():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.50", "44.50", "1:14.00", status=DQ),
            skater(2, "inner", "17.90", "45.10", "1:15.46"),
            skater(3, "inner", "18.00", "45.20", "1:15.60"),
        ],
    )
    assert leads(board, 2, "inner") == [True, True, True]
    assert [r.leader_ms for r in board.splits[(2, "inner")]] == [None, None, None]
    assert [r.leader_ms for r in board.splits[(3, "inner")]] == [17900, 45100, 75460]
    assert table(board) == [
        (1, 2, "inner", OK, "1:15.46"), (2, 3, "inner", OK, "1:15.60"), (None, 1, "inner", DQ, None),
    ]


def test_a_disqualified_skaters_own_passings_are_shown_but_neither_rank_nor_lead():
    board = compute_board(1000, [skater(1, "inner", "17.50", "44.50", "1:14.00", status=DQ)])
    rows = board.splits[(1, "inner")]
    assert [(r.time_ms, r.lap_ms, r.rank, r.leader_ms, r.diff_ms, r.leads, r.record) for r in rows] == [
        (17500, None, None, None, None, False, None),
        (44500, 27000, None, None, None, False, None),
        (74000, 29500, None, None, None, False, None),
    ]


def test_a_dnf_skaters_splits_still_count_as_references():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.40", "44.00", status=DNF),  # fast, then fell out
            skater(2, "inner", "17.60", "44.50", "1:15.00"),
            skater(3, "inner", "17.50", "44.40", "1:14.90"),
        ],
    )
    # Nobody had finished: the DNF's splits were the best so far.
    assert [(r.leader_ms, r.leads, r.rank) for r in board.splits[(2, "inner")]] == [
        (17400, False, 2), (44000, False, 2), (None, True, 1),
    ]
    # Pair 2 finished and is the leader from then on; the DNF still counts in the rank at a split.
    assert [(r.leader_ms, r.rank) for r in board.splits[(3, "inner")]] == [(17600, 2), (44500, 2), (75000, 1)]


def test_statuses_come_after_the_ranked_unranked_dnf_then_dq_then_dns():
    board = compute_board(
        1000,
        [
            skater(1, "inner", status=DNS),
            skater(1, "outer", "17.90", status=DNF),
            skater(2, "inner", "17.80", "44.90", "1:15.40", status=DQ),
            skater(2, "outer", "18.00", "45.00", "1:16.00"),
            skater(3, "inner", "18.10", "45.10", "1:15.90"),
        ],
    )
    assert table(board) == [
        (1, 3, "inner", OK, "1:15.90"),
        (2, 2, "outer", OK, "1:16.00"),
        (None, 1, "outer", DNF, None),
        (None, 2, "inner", DQ, None),
        (None, 1, "inner", DNS, None),
    ]
    assert board.splits[(1, "inner")] == []


# --- records as of the moment ----------------------------------------------------------------

GAMES = (Record("OR", parse_time("1:13.19")), Record("WR", parse_time("1:11.61")))


def finishes(board):
    return {(s.pair, s.lane): s.record for s in board.standings}


def test_an_olympic_record_set_in_pair_13_is_the_mark_in_pair_15():
    board = compute_board(
        1000,
        [
            skater(13, "inner", "17.40", "44.10", "1:12.59"),  # Kok: under Takagi's 1:13.19
            skater(14, "inner", "17.70", "44.40", "1:12.80"),  # under 1:13.19, not under Kok
            skater(15, "inner", "17.61", "44.57", "1:13.95"),  # Takagi
            skater(15, "outer", "17.68", "43.78", "1:12.31"),  # Leerdam: under Kok
        ],
        GAMES,
    )
    assert finishes(board) == {(13, "inner"): "OR", (14, "inner"): None, (15, "inner"): None, (15, "outer"): "OR"}
    assert at(board, 15, "outer", 1000).record == "OR"
    assert all(r.record is None for r in board.splits[(15, "outer")][:2])  # splits carry no record


def test_records_are_judged_as_of_the_moment_not_as_of_the_end():
    """Kok's OR stays an OR on the board after Leerdam beat it."""
    board = compute_board(
        1000,
        [skater(13, "inner", "17.40", "44.10", "1:12.59"), skater(15, "outer", "17.68", "43.78", "1:12.31")],
        GAMES,
    )
    assert [s.record for s in board.standings] == ["OR", "OR"]


def test_equalling_a_record_is_marked_with_an_equals_sign():
    board = compute_board(
        1000, [skater(1, "inner", "17.50", "44.50", "1:13.19"), skater(2, "inner", "17.50", "44.50", "1:13.19")], GAMES
    )
    assert [s.record for s in board.standings] == ["=OR", "=OR"]


def test_equalling_an_olympic_record_set_earlier_in_the_race_is_marked_too():
    board = compute_board(
        1000,
        [skater(13, "inner", "17.40", "44.10", "1:12.59"), skater(14, "outer", "17.40", "44.10", "1:12.59")],
        GAMES,
    )
    assert finishes(board) == {(13, "inner"): "OR", (14, "outer"): "=OR"}


def test_a_world_record_is_shown_over_the_olympic_record_it_also_breaks():
    board = compute_board(
        1000, [skater(1, "inner", "17.30", "43.50", "1:11.50"), skater(2, "inner", "17.30", "43.50", "1:11.50")], GAMES
    )
    assert [s.record for s in board.standings] == ["WR", "=WR"]


def test_a_track_record_ranks_after_the_olympic_record_and_moves_with_the_race():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.50", "44.50", "1:13.60"),  # under the track record only
            skater(2, "inner", "17.50", "44.50", "1:13.10"),  # under both: the OR is shown
            skater(3, "inner", "17.50", "44.50", "1:13.50"),  # under the old TR, not under pair 2
        ],
        GAMES + (Record("TR", parse_time("1:14.00")),),
    )
    assert finishes(board) == {(1, "inner"): "TR", (2, "inner"): "OR", (3, "inner"): None}


def test_a_national_record_counts_only_for_its_nation():
    records = (Record("NR", parse_time("1:14.00"), "GBR"), Record("NR", parse_time("1:16.00"), "ITA"))
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.80", "45.00", "1:15.83", nation="GBR"),  # not under the GBR record
            skater(2, "inner", "17.80", "45.00", "1:15.90", nation="ITA"),  # under Italy's
            skater(3, "inner", "17.80", "45.00", "1:15.95", nation="ITA"),  # under 1:16.00, not under pair 2
            skater(4, "inner", "17.80", "45.00", "1:15.00", nation="NED"),  # no Dutch record known
        ],
        records,
    )
    assert finishes(board) == {(1, "inner"): None, (2, "inner"): "NR", (3, "inner"): None, (4, "inner"): None}


def test_a_finish_earlier_in_the_race_is_no_record_where_no_record_is_held():
    """Without an OR (not the Games) a winning time is not an Olympic record."""
    board = compute_board(1000, [skater(1, "inner", "17.80", "45.00", "1:15.00")], (Record("WR", 71610),))
    assert board.standings[0].record is None


def test_a_personal_or_season_best_is_marked_when_no_bigger_record_falls():
    board = compute_board(
        1000,
        [
            skater(1, "inner", "17.80", "45.00", "1:15.00", pb="1:15.20"),
            skater(2, "inner", "17.80", "45.00", "1:15.10", pb="1:14.00", sb="1:15.50"),
            skater(3, "inner", "17.80", "45.00", "1:15.20", pb="1:15.20"),
            skater(4, "inner", "17.80", "45.00", "1:15.30", pb="1:14.00", sb="1:15.30"),
            skater(5, "inner", "17.80", "45.00", "1:16.00", pb="1:14.00", sb="1:15.30"),
            skater(6, "inner", "17.80", "45.00", "1:12.00", pb="1:14.00"),
        ],
        GAMES,
    )
    assert [s.record for s in sorted(board.standings, key=lambda s: s.pair)] == [
        "PB", "SB", "=PB", "=SB", None, "OR",
    ]


def test_a_disqualified_finish_sets_no_mark_for_the_skaters_after_her():
    board = compute_board(
        1000,
        [skater(1, "inner", "17.30", "43.80", "1:12.00", status=DQ), skater(2, "inner", "17.50", "44.50", "1:12.90")],
        GAMES,
    )
    assert finishes(board) == {(2, "inner"): "OR", (1, "inner"): None}


# --- determinism -----------------------------------------------------------------------------

SAMPLE = [
    skater(1, "inner", "18.19", "46.05", "1:17.15"),
    skater(1, "outer", "17.90", "45.10", "1:15.46", pb="1:14.50"),
    skater(2, "inner", "17.90", "45.10", "1:15.46"),
    skater(2, "outer", "17.40", status=DNF),
    skater(3, "inner", "17.60", None, "1:15.00", status=DQ),
    skater(3, "outer", status=DNS),
    skater(4, "outer", "17.68", "43.78", "1:12.31"),
]


def shuffled(starts, rng):
    out = []
    for s in starts:
        items = list(s.times.items())
        rng.shuffle(items)
        out.append(Start(s.pair, s.lane, s.nation, s.status, dict(items), s.pb_ms, s.sb_ms))
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("seed", range(20))
def test_the_same_passings_in_any_order_give_the_same_board(seed):
    assert compute_board(1000, shuffled(SAMPLE, random.Random(seed)), GAMES) == compute_board(1000, SAMPLE, GAMES)


TIMES = {
    200: st.sampled_from([17400, 17600, 17680, 17800]),
    600: st.sampled_from([26100, 26500, 27000]),
    1000: st.sampled_from([28530, 29000, 29500]),
}


@st.composite
def races(draw):
    """Small 1000 m races with many ties, missing splits, statuses and single-skater pairs."""
    starts = []
    for pair in range(1, draw(st.integers(1, 6)) + 1):
        lanes = draw(st.sampled_from([("inner",), ("outer",), ("inner", "outer")]))
        for lane in lanes:
            status = draw(st.sampled_from([OK, OK, OK, DNF, DQ, DNS]))
            times, total = {}, 0
            for point in (200, 600, 1000):
                total += draw(TIMES[point])
                if status == DNS or (status == DNF and point == 1000):
                    continue
                if draw(st.integers(0, 5)) or point == 1000:
                    times[point] = total
            starts.append(
                Start(pair, lane, draw(st.sampled_from(["NED", "JPN"])), status, times,
                      draw(st.sampled_from([None, 73000, 75000])))
            )
    return starts


@settings(max_examples=200, deadline=None)
@given(races(), st.randoms(use_true_random=False))
def test_the_board_does_not_depend_on_the_order_of_its_input(starts, rng):
    assert compute_board(1000, shuffled(starts, rng), GAMES) == compute_board(1000, starts, GAMES)


@settings(max_examples=200, deadline=None)
@given(races())
def test_rank_follows_time_and_equal_times_share_a_rank(starts):
    board = compute_board(1000, starts, GAMES)
    ranked = [s for s in board.standings if s.rank is not None]
    times = [s.time_ms for s in ranked]
    assert times == sorted(times)
    for s in ranked:
        assert s.rank == 1 + sum(t < s.time_ms for t in times)
    assert all(s.rank is None and s.time_ms is None for s in board.standings[len(ranked):])
    # Whoever ends first led when she finished: nobody before her could have been faster.
    assert all(board.splits[(s.pair, s.lane)][-1].leads for s in ranked if s.rank == 1)
    assert len(board.standings) == len(starts)


@settings(max_examples=200, deadline=None)
@given(races())
def test_every_passing_leads_exactly_when_it_is_not_behind_its_reference(starts):
    board = compute_board(1000, starts, GAMES)
    status = {(s.pair, s.lane): s.status for s in starts}
    for key, rows in board.splits.items():
        for r in rows:
            if status[key] == DQ:
                assert (r.rank, r.leads) == (None, False)
            elif r.distance == 1000:
                assert r.leads == (r.rank == 1)
            else:
                assert r.leads == (r.leader_ms is None or r.time_ms <= r.leader_ms)
            if r.leader_ms is not None:
                assert r.diff_ms == r.time_ms - r.leader_ms
