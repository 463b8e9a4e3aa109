"""Soft plausibility warnings: one test per decision in timing/rules/plausibility.py."""
import pytest

from timing.rules.plausibility import (
    BEHIND_PARTNER, NOT_CURRENT, NOT_STARTED, RECORD_PACE, REPLAYING, SLOW_LAP, pair_warnings, warnings_for,
)
from timing.rules.points import next_point

WR_1000 = 71_610  # an invented women's 1000 m record: pace 14.322 s per 200 m


def codes(*args, **kwargs):
    return [w.code for w in warnings_for(*args, **kwargs)]


def test_a_plain_split_warns_about_nothing():
    assert codes(1000, 200, 17_680, {}, {200: 17_600}, WR_1000) == []


def test_the_issue_typo_40_38_for_10_38_at_100_m_is_behind_the_partner():
    found = warnings_for(500, 100, 40_380, {}, {100: 10_380})
    assert [w.code for w in found] == [BEHIND_PARTNER]
    assert found[0].message == "40.380 at 100 m is 30.00 s behind the partner's 10.380; check the time."


@pytest.mark.parametrize("gap, warned", [(3000, False), (3001, True)])
def test_more_than_three_seconds_behind_the_partner_warns_three_exactly_does_not(gap, warned):
    assert (codes(1000, 600, 44_000 + gap, {200: 18_000}, {200: 17_900, 600: 44_000}) == [BEHIND_PARTNER]) is warned


def test_far_ahead_of_the_partner_is_not_this_skaters_warning():
    assert codes(1000, 600, 44_000, {}, {600: 60_000}) == []


def test_no_partner_time_at_the_point_means_no_comparison():
    assert codes(1000, 600, 60_000, {200: 18_000}, {200: 17_900}) == []


@pytest.mark.parametrize("lap, warned", [(29_900, False), (29_901, True)])
def test_a_lap_more_than_15_percent_slower_than_the_lap_before_warns(lap, warned):
    own = {200: 18_000, 600: 44_000}  # lap to 600: 26.000; exactly 15 % slower is 29.900
    assert (SLOW_LAP in codes(1000, 1000, 44_000 + lap, own, {})) is warned


def test_the_opening_part_is_not_a_lap_and_is_never_compared():
    # 600 m after a 200 m opening: only one lap so far, nothing to compare it with.
    assert codes(1000, 600, 60_000, {200: 18_000}, {}) == []


def test_a_missing_split_before_leaves_no_lap_to_compare():
    assert codes(1500, 1100, 120_000, {300: 25_000}, {}) == []


def test_a_slow_lap_message_gives_both_laps():
    [w] = warnings_for(1000, 1000, 80_000, {200: 18_000, 600: 44_000}, {})
    assert w.message.startswith("The lap to 1000 m would take 36.000, 38 % slower than the lap before (26.000)")


def test_faster_than_world_record_pace_warns_and_record_pace_itself_does_not():
    pace_600 = WR_1000 * 600 // 1000  # 42.966
    assert codes(1000, 600, pace_600 - 1, {200: 17_000}, {}, WR_1000) == [RECORD_PACE]
    assert codes(1000, 600, pace_600 + 1, {200: 17_000}, {}, WR_1000) == []


def test_a_world_record_at_the_finish_asks_for_a_look():
    assert codes(1000, 1000, WR_1000 - 10, {200: 17_000, 600: 43_000}, {}, WR_1000) == [RECORD_PACE]


def test_without_a_world_record_there_is_no_pace_to_compare():
    assert codes(1000, 200, 12_000, {}, {}, None) == []


def test_every_warning_that_applies_is_given_in_order():
    assert codes(1000, 1000, 90_000, {200: 18_000, 600: 44_000}, {1000: 75_000}, 95_000) == [
        BEHIND_PARTNER, SLOW_LAP, RECORD_PACE,
    ]


def test_the_time_being_replaced_is_not_compared_with_itself():
    # The caller passes `own` without the replaced point; a correction of 600 m compares to 200 m only.
    assert codes(1000, 600, 44_500, {200: 18_000, 1000: 74_000}, {}) == []


def test_a_pair_not_started_is_said_once_not_also_not_current():
    assert [w.code for w in pair_warnings(2, 1, started=False)] == [NOT_STARTED]


def test_a_started_pair_that_is_not_current_warns():
    [w] = pair_warnings(1, 2, started=True)
    assert (w.code, w.message) == (NOT_CURRENT, "Pair 1 is not the current pair (2): is this the right pair?")


def test_the_current_started_pair_is_fine_and_a_replay_always_warns():
    assert pair_warnings(3, 3, started=True) == []
    assert [w.code for w in pair_warnings(3, 3, started=True, replaying=True)] == [REPLAYING]


@pytest.mark.parametrize(
    "times, point",
    [({}, 200), ({200: 1}, 600), ({200: 1, 600: 2}, 1000), ({200: 1, 1000: 3}, 600), ({600: 2}, 200),
     ({200: 1, 600: 2, 1000: 3}, None)],
)
def test_the_next_point_is_the_first_without_a_time(times, point):
    assert next_point(1000, times) == point
