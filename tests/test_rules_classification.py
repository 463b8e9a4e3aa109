"""Classifications: points, truncation, ranks, qualification and targets.

Every decision listed in timing/rules/classification.py's docstring has a test here, named for it,
and the targets are checked by skating them: the target reaches the place, a hundredth slower does
not.
"""
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from timing.rules import RuleError
from timing.rules.board import DNF, DNS, DQ
from timing.rules.classification import (
    ALLROUND,
    CUSTOM,
    SPRINT,
    Outcome,
    check_distances,
    classify,
    describe,
    distance_points,
    faster_than_hundredths,
    format_points,
    slowest_hundredths,
)
from timing.rules.points import DISTANCES
from timing.rules.times import parse_time

WOMEN = (500, 3000, 1500, 5000)
MEN = (500, 5000, 1500, 10000)


def t(text):
    return Outcome(time_ms=parse_time(text))


def race(**times):
    """One distance's outcomes: skater name -> time text or a status."""
    return {name: Outcome(status=v) if v in (DNS, DNF, DQ) else t(v) for name, v in times.items()}


def table(c):
    return [(r.rank, r.key, format_points(r.points), r.status) for r in c.rows]


# --- points ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "distance, shown, points",
    [
        (500, "38.21", "38.210"),
        (1000, "1:12.31", "36.155"),
        (1500, "1:53.29", "37.763"),
        (10000, "12:54.69", "38.734"),
        (3000, "4:01.23", "40.205"),  # 241.23 / 6 = 40.205
        (3000, "4:01.24", "40.206"),  # 40.20666... truncated, not 40.207
        (5000, "6:55.12", "41.512"),
        (1500, "1:53.30", "37.766"),  # 37.7666...
        (1500, "1:53.31", "37.770"),
    ],
)
def test_points_are_the_time_per_500_m_truncated_to_thousandths(distance, shown, points):
    assert format_points(distance_points(distance, parse_time(shown))) == points


def test_the_thousandths_of_the_time_are_dropped_before_dividing():
    # 38.219 counts as 38.21: 38.210, not 38.219; 1:53.299 counts as 1:53.29.
    assert distance_points(500, 38219) == 38210
    assert distance_points(1500, 113299) == distance_points(1500, 113290) == 37763


def test_ten_thousand_metres_truncates_the_half_thousandth():
    assert distance_points(10000, 774690) == 38734  # 38.7345 -> 38.734, not 38.735


@settings(max_examples=500)
@given(st.sampled_from(DISTANCES), st.integers(min_value=1, max_value=30 * 60 * 1000))
def test_points_agree_with_exact_fractions_truncated(distance, ms):
    exact = Fraction(ms // 10, 100) / Fraction(distance, 500)
    assert distance_points(distance, ms) == int(exact * 1000)  # int() truncates a positive Fraction


@pytest.mark.parametrize("th, shown", [(111020, "111.020"), (0, "0.000"), (5, "0.005"), (38734, "38.734"), (-1250, "-1.250")])
def test_points_are_shown_with_three_decimals(th, shown):
    assert format_points(th) == shown


# --- kinds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, distances", [(ALLROUND, WOMEN), (ALLROUND, MEN), (SPRINT, (500, 1000, 500, 1000)), (CUSTOM, (1500,)), (CUSTOM, (500, 500, 10000))])
def test_it_accepts_the_distances_of_each_kind(kind, distances):
    assert check_distances(kind, distances) == distances


@pytest.mark.parametrize(
    "kind, distances, says",
    [
        (ALLROUND, (500, 1500, 3000, 5000), "these races are 500, 1500, 3000, 5000 m"),
        (ALLROUND, (500, 3000, 1500), "An allround is 500, 3000, 1500, 5000 m (women)"),
        (ALLROUND, (500, 3000, 1500, 10000), "in that order"),
        (SPRINT, (500, 500, 1000, 1000), "A sprint is 500, 1000, 500, 1000 m"),
        (CUSTOM, (), "at least one race"),
        ("relay", (500,), "'relay' is not a kind"),
        (CUSTOM, (800,), "800 m is not a long-track distance"),
    ],
)
def test_it_refuses_distances_that_do_not_make_the_kind(kind, distances, says):
    with pytest.raises(RuleError) as caught:
        check_distances(kind, distances)
    assert says in caught.value.message
    assert caught.value.field in ("kind", "races")


# --- the table ---------------------------------------------------------------------------------


def test_a_hand_calculated_allround_after_two_distances():
    c = classify(
        ALLROUND,
        WOMEN,
        [race(A="38.21", B="38.50", C="39.02"), race(A="4:05.00", B="4:01.23", C="4:03.99"), {}, {}],
        over=(True, True, False, False),
    )
    # A 38.210 + 40.833 = 79.043; B 38.500 + 40.205 = 78.705; C 39.020 + 40.665 = 79.685
    assert table(c) == [(1, "B", "78.705", None), (2, "A", "79.043", None), (3, "C", "79.685", None)]
    assert [r.behind for r in c.rows] == [0, 338, 980]
    assert c.rows[1].results == [38210, 40833, None, None]
    assert c.in_play == 2 and c.next_index == 2


def test_equal_totals_share_the_rank_and_the_next_rank_is_skipped():
    c = classify(CUSTOM, (500, 1000), [race(A="38.00", B="38.50", C="39.00"), race(A="1:17.00", B="1:16.00", C="1:14.00")], over=(True, True))
    # A 38.000 + 38.500 = 76.500; B 38.500 + 38.000 = 76.500; C 39.000 + 37.000 = 76.000
    assert table(c) == [(1, "C", "76.000", None), (2, "A", "76.500", None), (2, "B", "76.500", None)]


def test_a_tie_made_by_truncation_is_a_tie():
    # 1:53.29 and 1:53.29 + 0.009 s are the same hundredth and the same points.
    c = classify(CUSTOM, (1500,), [{"A": Outcome(time_ms=113290), "B": Outcome(time_ms=113299)}], over=(True,))
    assert [r.rank for r in c.rows] == [1, 1]


def test_the_table_does_not_depend_on_the_order_the_results_arrive_in():
    names = [f"S{i:02d}" for i in range(16)]
    rng = random.Random(7)
    outcomes = [{n: Outcome(time_ms=rng.randrange(38000, 40000, 10)) for n in names} for _ in range(2)]
    outcomes[1]["S03"] = Outcome(DQ)
    reference = table(classify(SPRINT, (500, 1000, 500, 1000), outcomes + [{}, {}], over=(True, True, False, False)))
    for _ in range(5):
        shuffled = [dict(rng.sample(list(o.items()), len(o))) for o in outcomes]
        assert table(classify(SPRINT, (500, 1000, 500, 1000), shuffled + [{}, {}], over=(True, True, False, False))) == reference


def test_during_a_distance_the_ranked_table_holds_those_who_skated_it_and_the_rest_are_to_skate():
    c = classify(
        CUSTOM,
        (500, 1000),
        [race(A="38.00", B="38.50", C="39.00", D="37.90"), race(C="1:14.00", D="1:20.00")],
        over=(True, False),
    )
    assert table(c) == [(1, "C", "76.000", None), (2, "D", "77.900", None), (None, "A", "38.000", None), (None, "B", "38.500", None)]
    assert [r.to_skate for r in c.rows] == [False, False, True, True]
    assert [r.behind for r in c.rows] == [0, 1900, None, None]


def test_no_result_on_a_distance_that_is_over_is_a_dns():
    c = classify(CUSTOM, (500, 1000), [race(A="38.00", B="38.50"), race(A="1:16.00")], over=(True, True))
    assert table(c) == [(1, "A", "76.000", None), (None, "B", "38.500", DNS)]


def test_a_skater_without_a_valid_time_is_listed_after_with_the_first_reason_those_who_lasted_longer_first():
    c = classify(
        CUSTOM,
        (500, 1000, 500),
        [race(A="38.00", B=DQ, C="38.10", D="39.00"), race(A="1:16.00", C=DNF, D="1:17.00"), race(A="38.20", D=DNS)],
        over=(True, True, True),
    )
    assert table(c) == [(1, "A", "114.200", None), (None, "D", "77.500", DNS), (None, "C", "38.100", DNF), (None, "B", "0.000", DQ)]
    assert c.rows[2].results == [38100, None, None]


def test_a_result_that_comes_before_the_table_is_in_play_counts_nothing():
    c = classify(CUSTOM, (500, 1000), [{}, {}])
    assert c.rows == [] and c.in_play == 0 and c.next_index == 0 and c.targets == []


def test_before_any_result_everyone_entered_is_to_skate():
    c = classify(CUSTOM, (500, 1000), [{}, {}], skaters=["B", "A"])
    assert [(r.key, r.rank, r.to_skate) for r in c.rows] == [("A", None, True), ("B", None, True)]


def test_an_entered_skater_without_a_result_yet_is_listed_to_skate():
    c = classify(CUSTOM, (500, 1000), [race(A="38.00"), {}], skaters=["A", "B"])
    assert table(c) == [(1, "A", "38.000", None), (None, "B", "0.000", None)]
    assert c.rows[1].to_skate


# --- allround qualification --------------------------------------------------------------------


def allround_field(n=10, fourth=None, over=(True, True, True, False)):
    """n skaters S01..Sn whose points rise with the number; S01 leads after three distances."""
    names = [f"S{i:02d}" for i in range(1, n + 1)]
    five = {s: Outcome(time_ms=38000 + 100 * i) for i, s in enumerate(names)}
    three = {s: Outcome(time_ms=240000 + 100 * i) for i, s in enumerate(names)}
    fifteen = {s: Outcome(time_ms=115000 + 100 * i) for i, s in enumerate(names)}
    return names, classify(ALLROUND, WOMEN, [five, three, fifteen, fourth or {}], over=over)


def test_the_best_eight_after_three_distances_qualify():
    names, c = allround_field()
    assert [r.qualified for r in c.rows] == [True] * 8 + [False] * 2
    assert [r.rank for r in c.rows] == list(range(1, 11))


def test_a_tie_for_eighth_place_takes_both_to_the_fourth_distance():
    names = [f"S{i:02d}" for i in range(1, 11)]
    base = [{s: Outcome(time_ms=38000 + 100 * i) for i, s in enumerate(names)} for _ in range(3)]
    base[0]["S09"] = base[0]["S08"]
    base[1]["S09"] = base[1]["S08"]
    base[2]["S09"] = base[2]["S08"]
    c = classify(ALLROUND, WOMEN, base + [{}], over=(True, True, True, False))
    assert [(r.key, r.rank, r.qualified) for r in c.rows][7:] == [("S08", 8, True), ("S09", 8, True), ("S10", 10, False)]


def test_skaters_who_did_not_qualify_are_ranked_after_the_qualified_by_three_distances_and_a_fourth_time_does_not_count():
    names = [f"S{i:02d}" for i in range(1, 11)]
    fourth = {s: Outcome(time_ms=420000) for s in names[:8]}
    fourth["S10"] = Outcome(time_ms=380000)  # skated anyway, much faster: does not count
    fourth["S01"] = Outcome(time_ms=440000)
    _, c = allround_field(fourth=fourth, over=(True, True, True, True))
    keys = [(r.key, r.rank, r.qualified) for r in c.rows]
    assert keys[:8] == [(f"S{i:02d}", i - 1, True) for i in range(2, 9)] + [("S01", 8, True)]
    assert keys[8:] == [("S09", 9, False), ("S10", 10, False)]
    assert c.rows[9].results[3] is None
    assert c.rows[8].behind is None


def test_a_qualified_skater_who_falls_in_the_fourth_distance_is_listed_with_the_reason():
    fourth = {f"S{i:02d}": Outcome(time_ms=420000) for i in range(2, 9)}
    fourth["S01"] = Outcome(DNF)
    _, c = allround_field(fourth=fourth, over=(True, True, True, True))
    assert (c.rows[-1].key, c.rows[-1].rank, c.rows[-1].status, c.rows[-1].qualified) == ("S01", None, DNF, True)
    assert [r.rank for r in c.rows[:7]] == list(range(1, 8))


def test_a_skater_out_before_the_third_distance_does_not_qualify():
    names = [f"S{i:02d}" for i in range(1, 5)]
    days = [{s: Outcome(time_ms=38000 + 100 * i) for i, s in enumerate(names)} for _ in range(3)]
    days[1]["S02"] = Outcome(DQ)
    c = classify(ALLROUND, WOMEN, days + [{}], over=(True, True, True, False))
    assert {r.key: r.qualified for r in c.rows} == {"S01": True, "S03": True, "S04": True, "S02": False}


def test_qualification_is_provisional_while_the_third_distance_is_skated():
    names = [f"S{i:02d}" for i in range(1, 11)]
    days = [{s: Outcome(time_ms=38000 + 100 * i) for i, s in enumerate(names)} for _ in range(2)]
    third = {s: Outcome(time_ms=115000) for s in names[:4]}
    c = classify(ALLROUND, WOMEN, days + [third, {}], over=(True, True, False, False))
    assert [r.qualified for r in c.rows] == [True] * 4 + [None] * 6


def test_before_the_third_distance_and_in_a_sprint_there_is_no_qualification():
    _, c = allround_field(over=(True, True, False, False))
    assert {r.qualified for r in c.rows} == {True, False}  # the third has results: it shows
    c = classify(ALLROUND, WOMEN, [race(A="38.00"), {}, {}, {}], over=(True, False, False, False))
    assert c.rows[0].qualified is None
    c = classify(SPRINT, (500, 1000, 500, 1000), [race(A="38.00"), race(A="1:16.00"), race(A="38.00"), {}], over=(True, True, True, False))
    assert c.rows[0].qualified is None


# --- targets -----------------------------------------------------------------------------------


def skate(kind, distances, outcomes, over, key, index, time_ms):
    """The table after `key` skates `time_ms` on distance `index`."""
    after = [dict(o) for o in outcomes]
    after[index][key] = Outcome(time_ms=time_ms)
    return classify(kind, distances, after, over=over)


def rank_of(c, key):
    return next(r.rank for r in c.rows if r.key == key)


def test_a_hand_calculated_lead_target_against_a_rival_who_has_skated():
    # Before the 5000 m: A 120.000 (after three), K 119.000 who skated 6:55.12 -> 119.000 + 41.512 = 160.512.
    outcomes = [{}, {}, {}, {}]
    outcomes[0] = {"A": Outcome(time_ms=40000), "K": Outcome(time_ms=39500)}
    outcomes[1] = {"A": Outcome(time_ms=240000), "K": Outcome(time_ms=240000)}  # 40.000 each
    outcomes[2] = {"A": Outcome(time_ms=120000), "K": Outcome(time_ms=118500)}  # 40.000, 39.500
    outcomes[3] = {"K": Outcome(time_ms=415120)}
    over = (True, True, True, False)
    c = classify(ALLROUND, WOMEN, outcomes, over=over, upcoming=["A"])
    (a,) = c.targets
    assert a.points == 120000 and a.lead.rival == "K"
    # A needs 40.512 points: 5000 m points are the hundredths, so 6:45.12.
    assert a.lead.time_ms == 405120 and describe(a.lead) == "6:45.12 or faster"
    assert rank_of(skate(ALLROUND, WOMEN, outcomes, over, "A", 3, 405129), "A") == 1  # shares the lead
    assert rank_of(skate(ALLROUND, WOMEN, outcomes, over, "A", 3, 405130), "A") == 2
    assert a.podium.any_time and describe(a.podium) == "any valid time"


def test_the_lead_target_on_the_1500_m_is_exact_at_the_truncated_hundredth():
    # A brings 80.000, K has 80.000 + 37.763 (1:53.29) = 117.763. A may score 37.763 at most:
    # 1:53.29 gives 37.763, 1:53.30 gives 37.766. The naive 37.763 * 3 = 113.289 s would say 1:53.28.
    outcomes = [{"A": Outcome(time_ms=40000), "K": Outcome(time_ms=40000)}, {"A": Outcome(time_ms=240000), "K": Outcome(time_ms=240000)}, {"K": Outcome(time_ms=113290)}, {}]
    c = classify(ALLROUND, WOMEN, outcomes, over=(True, True, False, False), upcoming=["A"])
    assert c.targets[0].lead.time_ms == 113290


def test_a_difference_against_a_rival_who_has_not_skated():
    # Before the last 1000 m of a sprint: A 38.000 + 38.000 + 38.000 = 114.000, K 111.000; A must win
    # back 3.000 points, 6.00 s on the 1000 m (5 thousandths a hundredth, no truncation there).
    outcomes = [race(A="38.00", K="37.00"), race(A="1:16.00", K="1:14.00"), race(A="38.00", K="37.00"), {}]
    c = classify(SPRINT, (500, 1000, 500, 1000), outcomes, over=(True, True, True, False), upcoming=["K", "A"])
    k, a = c.targets
    assert (a.key, a.lead.rival, a.lead.faster_than_ms) == ("A", "K", 6000)
    assert describe(a.lead, "Kok") == "6.00 s faster than Kok"
    assert (k.key, k.lead.rival, k.lead.faster_than_ms) == ("K", "A", -6000)
    assert describe(k.lead, "Leerdam") == "may be 6.00 s slower than Leerdam"


def test_each_target_carries_her_rank_on_the_distances_before_shared_for_equal_points():
    # After three sprint distances: K 111.000, A and B 114.000 each (2nd shared), C 115.000.
    outcomes = [race(A="38.00", B="38.00", K="37.00", C="38.50"), race(A="1:16.00", B="1:16.00", K="1:14.00", C="1:16.00"),
                race(A="38.00", B="38.00", K="37.00", C="38.50"), {}]
    c = classify(SPRINT, (500, 1000, 500, 1000), outcomes, over=(True, True, True, False), upcoming=["C", "B", "A", "K"])
    assert [(x.key, x.rank) for x in c.targets] == [("C", 4), ("B", 2), ("A", 2), ("K", 1)]
    first = classify(SPRINT, (500, 1000, 500, 1000), [{}, {}, {}, {}], upcoming=["A", "K"])
    assert [x.rank for x in first.targets] == [None, None]  # nothing skated yet: no place to have


def test_a_difference_on_the_1500_m_is_the_one_that_suffices_whatever_the_rival_skates():
    # 3.00 s on the 1500 m is 1.000 point whatever the rival skates; 1.004 points need 3.01 s
    # when her hundredths make 10 h / 3 whole, 3.02 s otherwise: 3.02 s is given.
    assert faster_than_hundredths(1500, 1000) == 300
    assert faster_than_hundredths(1500, 1001) == 301
    assert faster_than_hundredths(1500, 1004) == 302
    assert distance_points(1500, 120000) - distance_points(1500, 120000 - 3010) == 1004
    assert distance_points(1500, 120010) - distance_points(1500, 120010 - 3010) == 1003
    assert faster_than_hundredths(1500, 0) == 0  # the same time shares
    assert faster_than_hundredths(5000, 1000) == 1000  # a point is 10.00 s on the 5000 m
    assert faster_than_hundredths(5000, 0) == 0


def test_a_place_out_of_reach_says_so():
    # K's total, 38.000 + 21.000, is below the 60.000 A brings into the last distance.
    outcomes = [{"A": Outcome(time_ms=60000), "K": Outcome(time_ms=38000)}, {"K": Outcome(time_ms=42000)}]
    c = classify(CUSTOM, (500, 1000), outcomes, over=(True, False), upcoming=["A"])
    assert c.targets[0].lead.out_of_reach and c.targets[0].lead.rival == "K"
    assert describe(c.targets[0].lead) == "out of reach"


def test_with_fewer_rivals_than_places_any_time_reaches_it():
    c = classify(CUSTOM, (500, 1000), [race(A="38.00", B="38.10"), {}], over=(True, False), upcoming=["A", "B"])
    assert c.targets[0].lead.rival == "B" and c.targets[0].podium.any_time


def test_the_podium_rival_is_third_of_the_table_without_her():
    names = ["A", "B", "C", "D", "E"]
    first = {n: Outcome(time_ms=38000 + 100 * i) for i, n in enumerate(names)}
    second = {"A": Outcome(time_ms=76000), "B": Outcome(time_ms=76500), "C": Outcome(time_ms=77000), "D": Outcome(time_ms=77500)}
    c = classify(CUSTOM, (500, 1000), [first, second], over=(True, False), upcoming=["E"])
    (e,) = c.targets
    assert e.lead.rival == "A" and e.podium.rival == "C"
    # C: 38.200 + 38.500 = 76.700; E brings 38.400 and may score 38.300 on the 1000 m: 1:16.60 or faster.
    assert e.podium.time_ms == 76600


def test_only_qualified_skaters_have_targets_and_rivals_on_the_fourth_allround_distance():
    names = [f"S{i:02d}" for i in range(1, 11)]
    five = {s: Outcome(time_ms=38000 + 100 * i) for i, s in enumerate(names)}
    three = {s: Outcome(time_ms=240000 + 100 * i) for i, s in enumerate(names)}
    fifteen = {s: Outcome(time_ms=115000 + 100 * i) for i, s in enumerate(names)}
    c = classify(ALLROUND, WOMEN, [five, three, fifteen, {}], over=(True, True, True, False), upcoming=names)
    assert [x.key for x in c.targets] == names[:8]
    assert {x.lead.rival for x in c.targets} == {"S01", "S02"}


def test_no_targets_once_every_distance_is_over():
    _, c = allround_field(fourth={f"S{i:02d}": Outcome(time_ms=420000) for i in range(1, 9)}, over=(True,) * 4)
    assert c.next_index is None and c.targets == []


# --- properties: skate the target --------------------------------------------------------------

totals = st.integers(min_value=30000, max_value=200000)


@settings(max_examples=400)
@given(st.sampled_from(DISTANCES), totals, totals, st.integers(min_value=2000, max_value=1_200_000))
def test_skating_the_lead_target_leads_or_shares_and_a_hundredth_slower_does_not(distance, mine, theirs, rival_ms):
    rival_total = theirs + distance_points(distance, rival_ms)
    h = slowest_hundredths(distance, rival_total - mine)
    assume(h >= 1)
    assert mine + distance_points(distance, h * 10 + 9) <= rival_total  # any time shown as the target
    assert mine + distance_points(distance, (h + 1) * 10) > rival_total


@settings(max_examples=200)
@given(st.sampled_from(DISTANCES), st.integers(min_value=500, max_value=90000), st.integers(min_value=500, max_value=90000), st.integers(min_value=0, max_value=3000))
def test_the_target_in_a_whole_table_leads_and_a_hundredth_slower_does_not(distance, a_ms, k_ms, extra):
    """Through classify itself: A brings one 500 m, K too and has skated `distance` already."""
    k_time = 30000 + extra * 10 + distance * 60
    outcomes = [{"A": Outcome(time_ms=30000 + a_ms), "K": Outcome(time_ms=30000 + k_ms)}, {"K": Outcome(time_ms=k_time)}]
    over = (True, False)
    c = classify(CUSTOM, (500, distance), outcomes, over=over, upcoming=["A"])
    lead = c.targets[0].lead
    if lead.out_of_reach:
        assert rank_of(skate(CUSTOM, (500, distance), outcomes, over, "A", 1, 10), "A") == 2
        return
    assert rank_of(skate(CUSTOM, (500, distance), outcomes, over, "A", 1, lead.time_ms + 9), "A") == 1
    assert rank_of(skate(CUSTOM, (500, distance), outcomes, over, "A", 1, lead.time_ms + 10), "A") == 2


@settings(max_examples=400)
@given(st.sampled_from(DISTANCES), st.integers(min_value=-20000, max_value=20000), st.integers(min_value=3000, max_value=100000))
def test_a_difference_suffices_whatever_the_rival_skates_and_is_the_smallest_that_does(distance, gap, h_rival):
    """`gap` = her points minus the rival's; skating D hundredths faster keeps her level or ahead."""
    d = faster_than_hundredths(distance, gap)
    hs = range(h_rival, h_rival + distance // 100 + 1)  # covers a full period of the truncation
    for h in hs:
        assert gap + distance_points(distance, (h - d) * 10) <= distance_points(distance, h * 10)
    assert any(gap + distance_points(distance, (h - d + 1) * 10) > distance_points(distance, h * 10) for h in hs)


@settings(max_examples=200)
@given(st.sampled_from(DISTANCES), st.integers(min_value=0, max_value=5000), st.integers(min_value=0, max_value=5000),
       st.integers(min_value=0, max_value=50000))
def test_skating_the_difference_against_a_rival_still_to_come_leads_in_the_whole_table(distance, a_extra, k_extra, k_more):
    """Neither has skated `distance`: A skates K's time minus the target difference and leads or
    shares, whatever K's time (checked through classify for one K time each draw)."""
    outcomes = [{"A": Outcome(time_ms=35000 + a_extra * 10), "K": Outcome(time_ms=35000 + k_extra * 10)}, {}]
    c = classify(CUSTOM, (500, distance), outcomes, over=(True, False), upcoming=["A", "K"])
    lead = next(x for x in c.targets if x.key == "A").lead
    assert lead.rival == "K" and lead.faster_than_ms is not None
    k_time = distance * 70 + k_more * 10  # about 35 s per 500 m, and slower
    a_time = k_time - lead.faster_than_ms
    assume(a_time > 0)
    after = [dict(outcomes[0]), {"A": Outcome(time_ms=a_time + 9), "K": Outcome(time_ms=k_time)}]
    assert rank_of(classify(CUSTOM, (500, distance), after, over=(True, True)), "A") == 1
