"""The projected finish (timing/rules/projection.py): one test per decision of its docstring."""
from hypothesis import given
from hypothesis import strategies as st

from timing.rules.projection import project, projected_rank

LEERDAM = {200: 17680, 600: 43780, 1000: 72310}
KOK = {200: 17400, 600: 43700, 1000: 72590}
BOWE = {200: 17900, 600: 44900, 1000: 74550}


def test_one_reference_scales_her_race_by_the_share_still_to_come():
    # Takagi at 600 m in 44.57: Leerdam's race says 44.57 x 72.31 / 43.78 = 73.614...
    assert project(1000, {200: 17610, 600: 44570}, [LEERDAM]) == 44570 * 72310 // 43780 == 73614


def test_the_median_of_the_references_is_taken_so_one_fade_does_not_move_it():
    times = {200: 17610, 600: 44570}
    said = sorted(44570 * r[1000] // r[600] for r in (LEERDAM, KOK, BOWE))
    assert project(1000, times, [LEERDAM, KOK, BOWE]) == said[1]
    faded = {**BOWE, 1000: 90000}
    assert project(1000, times, [LEERDAM, KOK, faded]) == sorted(44570 * r[1000] // r[600] for r in (LEERDAM, KOK, faded))[1]


def test_an_even_count_takes_the_lower_median():
    times = {200: 17610}
    said = sorted(17610 * r[1000] // r[200] for r in (LEERDAM, KOK))
    assert project(1000, times, [LEERDAM, KOK]) == said[0]


def test_only_references_with_a_time_at_her_last_point_count():
    missed = {200: 17500, 1000: 73000}  # her 600 m transponder did not fire
    assert project(1000, {200: 17610, 600: 44570}, [missed, LEERDAM]) == 44570 * 72310 // 43780


def test_without_any_reference_an_even_pace_with_a_slow_opener_is_assumed():
    assert project(1000, {200: 17680}, []) == 17680 * 1050 // 250 == 74256
    assert project(500, {100: 9700}, [{500: 37000}]) == 9700 * 550 // 150  # the reference has no 100 m
    assert project(1000, {200: 17680, 600: 43780}, []) == 43780 * 1000 // 600  # after a full lap: even pace


def test_a_skater_with_no_split_or_a_finish_is_not_projected():
    assert project(1000, {}, [LEERDAM]) is None
    assert project(1000, LEERDAM, [KOK]) is None


def test_the_projected_rank_shares_with_an_equal_finish():
    finishes = [72310, 72590, 74550]
    assert [projected_rank(ms, finishes) for ms in (70000, 72310, 72311, 80000)] == [1, 1, 2, 4]


@given(
    st.integers(min_value=1000, max_value=60000),
    st.lists(st.tuples(st.integers(5000, 30000), st.integers(60000, 120000)), min_size=1, max_size=8),
)
def test_the_projection_ignores_the_order_of_the_references_and_moves_with_her_time(at, refs):
    references = [{200: a, 1000: max(f, a + 1)} for a, f in refs]
    forward = project(1000, {200: at}, references)
    assert forward == project(1000, {200: at}, list(reversed(references)))
    assert project(1000, {200: at + 100}, references) >= forward
