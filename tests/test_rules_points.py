"""Measuring points, lap times and the checks that keep a typed split plausible and in order."""
import pytest

from timing.rules import RuleConflict, RuleError
from timing.rules.points import DISTANCES, check_order, check_plausible, check_point, lap_ms, measuring_points


@pytest.mark.parametrize(
    "distance, points",
    [
        (500, (100, 500)),
        (1000, (200, 600, 1000)),
        (1500, (300, 700, 1100, 1500)),
        (3000, (200, 600, 1000, 1400, 1800, 2200, 2600, 3000)),
        (5000, (200, 600, 1000, 1400, 1800, 2200, 2600, 3000, 3400, 3800, 4200, 4600, 5000)),
        (10000, tuple(range(400, 10001, 400))),
    ],
)
def test_it_lists_the_measuring_points_of_every_distance(distance, points):
    assert measuring_points(distance) == points


def test_the_10000_m_has_25_splits_one_per_lap():
    assert len(measuring_points(10000)) == 25


@pytest.mark.parametrize("distance", DISTANCES)
def test_every_distance_ends_on_its_finish_and_steps_one_lap(distance):
    points = measuring_points(distance)
    assert points[-1] == distance
    assert all(b - a == 400 for a, b in zip(points, points[1:]))


@pytest.mark.parametrize("distance", [0, 100, 800, 1001, 2000, -500, 20000])
def test_it_refuses_a_distance_that_is_not_skated_and_lists_the_real_ones(distance):
    with pytest.raises(RuleError) as caught:
        measuring_points(distance)
    assert caught.value.field == "distance"
    assert caught.value.message == (
        f"{distance} m is not a long-track distance; use one of 500, 1000, 1500, 3000, 5000, 10000."
    )


@pytest.mark.parametrize("point", [0, 100, 400, 999, 1200, -200])
def test_it_refuses_a_point_that_is_not_measured_and_lists_the_real_ones(point):
    with pytest.raises(RuleError) as caught:
        check_point(1000, point)
    assert caught.value.field == "distance"
    assert caught.value.message == f"{point} m is not a measuring point of the 1000 m; use one of 200, 600, 1000."


def test_it_accepts_a_measuring_point():
    assert check_point(1500, 700) == 700


def test_it_gives_lap_times_between_points_400_m_apart():
    points = measuring_points(1000)
    times = {200: 17680, 600: 43780, 1000: 72310}
    assert [lap_ms(points, times, p) for p in points] == [None, 26100, 28530]


def test_the_500_m_has_one_full_lap_after_the_opening_100_m():
    assert lap_ms(measuring_points(500), {100: 10350, 500: 37120}, 500) == 26770


def test_the_10000_m_first_lap_is_its_first_split():
    points = measuring_points(10000)
    assert [lap_ms(points, {400: 31000, 800: 61500}, p) for p in points[:3]] == [31000, 30500, None]


def test_a_missing_split_leaves_the_laps_around_it_empty():
    points = measuring_points(1500)
    times = {300: 24000, 1100: 80000, 1500: 108000}
    assert [lap_ms(points, times, p) for p in points] == [None, None, None, 28000]


@pytest.mark.parametrize("point, ms", [(200, 17680), (1000, 72310), (10000, 774690), (100, 9400)])
def test_it_accepts_times_a_skater_can_set(point, ms):
    assert check_plausible(point, ms) == ms


def test_it_refuses_a_time_faster_than_any_skater_and_says_how_fast():
    with pytest.raises(RuleError) as caught:
        check_plausible(200, 1000)  # 1.00 typed into the 200 m box
    assert caught.value.message == (
        "1.000 s at 200 m would be 200.0 m/s, faster than any skater; check the time and the measuring point."
    )


def test_it_refuses_a_time_slower_than_a_walk():
    with pytest.raises(RuleError) as caught:
        check_plausible(200, 201000)
    assert "slower than 1 m/s" in caught.value.message and caught.value.field == "time"


def test_it_accepts_a_split_between_the_ones_around_it():
    assert check_order(1000, {200: 17680, 1000: 72310}, 600, 43780) == 43780


def test_it_refuses_a_time_not_later_than_an_earlier_split():
    with pytest.raises(RuleConflict) as caught:
        check_order(1000, {200: 17680, 600: 43780}, 1000, 43780)
    assert caught.value.message == "43.780 s at 1000 m is not later than the 43.780 s already recorded at 600 m."


def test_it_refuses_a_time_not_earlier_than_a_later_split():
    with pytest.raises(RuleConflict) as caught:
        check_order(1000, {1000: 72310}, 600, 72400)
    assert caught.value.message == "72.400 s at 600 m is not earlier than the 72.310 s already recorded at 1000 m."


def test_an_order_conflict_is_a_conflict_not_a_malformed_input():
    """A well-formed time that contradicts stored ones answers 409, so it is its own class."""
    assert issubclass(RuleConflict, RuleError)
    with pytest.raises(RuleConflict):
        check_order(500, {100: 10000}, 500, 9000)


def test_a_time_at_its_own_point_is_not_compared_with_itself():
    assert check_order(1000, {600: 43780}, 600, 44000) == 44000
