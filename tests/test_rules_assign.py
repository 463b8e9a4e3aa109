"""Placing a device's split at a measuring point by its time: one test per decision in
timing/rules/assign.py, the issue's measured fault, and properties over the demo race."""
import pytest

from timing import demo
from timing.rules.assign import MAX_PACE, MIN_PACE, assign_point, window_fits
from timing.rules.points import DISTANCES, measuring_points

LEERDAM = {200: 17680, 600: 43780, 1000: 72310}  # women's 1000 m, Milano 2026 (200/600 derived)


def test_the_measured_fault_a_500_m_finish_after_a_missed_100_m_goes_to_the_finish_not_the_100():
    # Lynx feed, PostgreSQL stopped for 5 s: the outer skater's 100 m was lost, then 38.111 came.
    got = assign_point(500, {}, 38111)
    assert (got.point, got.fits) == (500, (500,))


def test_every_split_of_a_clean_race_goes_to_the_next_point():
    times = {}
    for point, ms in LEERDAM.items():
        got = assign_point(1000, times, ms)
        assert got.point == point, got.reason
        times[point] = ms


def test_every_split_of_the_demo_race_goes_to_the_point_it_was_taken_at():
    times = {}
    for pair, lane, point, ms, _ in demo.script(demo.load_data()):
        mine = times.setdefault((pair, lane), {})
        got = assign_point(1000, mine, ms)
        assert got.point == point, (pair, lane, got.reason)
        mine[point] = ms


def test_a_missed_200_m_read_in_the_1000_m_leaves_the_later_splits_at_their_points():
    assert assign_point(1000, {}, 43780).point == 600  # 4.6 m/s for 200 m: too slow; 13.7 for 600 m
    assert assign_point(1000, {600: 43780}, 72310).point == 1000


def test_a_missed_600_m_read_holds_the_finish_rather_than_guess():
    # 54.63 s after her 200 m: one lap at 0.65x her opening pace, or two laps at 1.3x. Both happen.
    got = assign_point(1000, {200: 17680}, 72310)
    assert (got.point, got.fits) == (None, (600, 1000))
    assert got.reason == "72.310 s fits 600 m and 1000 m"


def test_a_missed_lap_in_a_long_race_is_held_since_half_a_lap_pace_would_fit_too():
    # 5000 m, laps of 31 s: the 1400 m read is missed; the next split is 62 s after the 1000 m.
    times = {200: 20000, 600: 51000, 1000: 82000}
    got = assign_point(5000, times, 82000 + 62000)
    assert got.point is None
    assert got.fits == (1400, 1800)  # half her lap pace, or her lap pace
    assert got.reason == "144.000 s fits 1400 m and 1800 m"


def test_a_split_that_two_points_fit_from_the_start_is_held():
    got = assign_point(10000, {}, 67000)  # 400 m at 6.0 m/s or 800 m at 11.9 m/s
    assert (got.point, got.fits) == (None, (400, 800))
    assert assign_point(10000, {}, 47500).point == 400  # 800 m at 16.8 m/s: faster than any record


def test_a_split_that_no_point_fits_is_held_with_the_reason():
    got = assign_point(1000, {200: 17680}, 17700)  # 20 ms after her 200 m
    assert (got.point, got.fits) == (None, ())
    assert got.reason == "17.700 s fits no measuring point after 200 m"
    assert assign_point(1000, {}, 5000).reason == "5.000 s fits no measuring point"  # 40 m/s


def test_a_time_before_her_last_recorded_time_fits_nowhere():
    assert assign_point(1000, {200: 17680, 600: 43780}, 40000).point is None


def test_a_split_after_her_finish_is_held():
    got = assign_point(500, {100: 10500, 500: 38111}, 40000)
    assert (got.point, got.reason) == (None, "she already has a finish time")


def test_a_lap_far_slower_than_her_last_is_held_not_moved_a_point_on():
    # 1500 m, laps of 27 s; she falls and needs 50 s for the next lap (not 400 m at 0.54x her pace).
    times = {300: 24500, 700: 51500}
    got = assign_point(1500, times, 51500 + 50000)
    assert got.point != 1500  # the fall lap never becomes her finish
    assert got.point is None


def test_the_window_counts_the_opener_differently_from_a_lap():
    # The first flying lap after a 100 m opener is 1.5x the opener's average: still the 500 m.
    assert window_fits(500, {100: 10500}, 500, 38111)
    # The same ratio against a steady last lap is no lap of hers.
    assert not window_fits(1000, {200: 17680, 600: 43780}, 1000, 43780 + 14000)


@pytest.mark.parametrize("distance", DISTANCES)
def test_a_clean_race_at_steady_pace_is_placed_point_by_point_at_every_distance(distance):
    for lap_ms in (26000, 31000, 38000):
        times = {}
        for i, point in enumerate(measuring_points(distance)):
            opener = point if i == 0 else None
            ms = int(opener / 400 * lap_ms * 1.25) if opener else times[point - 400] + lap_ms
            got = assign_point(distance, times, ms)
            assert got.point == point, (distance, lap_ms, got.reason)
            times[point] = ms


def test_the_pace_from_the_start_is_bounded_as_the_docstring_claims():
    assert (MIN_PACE, MAX_PACE) == (5.0, 16.0)
    assert window_fits(500, {}, 500, 100000) and not window_fits(500, {}, 500, 100001)
    assert window_fits(500, {}, 500, 31250) and not window_fits(500, {}, 500, 31249)


def test_her_pace_across_a_missed_read_is_her_speed_between_her_two_latest_points():
    # 3000 m, laps of 31 s; the 1000 m read was missed and an official placed 113.0 at 1400 m.
    times = {200: 20000, 600: 51000, 1400: 113000}
    got = assign_point(3000, times, 144000)
    assert (got.point, got.fits) == (1800, (1800,))
