"""The spectators' page on a phone: the pair on the ice live with the same green/red rule and
sign, the full standings, every pair's times and the pairs still to skate."""
import re

import pytest
from playwright.sync_api import expect

from timing import services

from .conftest import ARTIFACTS, PHONE
from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS = re.compile(r"\bleads\b")
BEHIND = re.compile(r"\bbehind\b")


def test_it_shows_the_pair_on_the_ice_live_with_the_same_rule(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(PHONE).open(f"/races/{race_id}/")
    now = page.locator("#now")
    expect(page.locator("#now-title")).to_have_text("Pair 2 · on the ice")

    services.record_passing(race_id, 2, "inner", 200, 17990, services.REPLAY)
    services.record_passing(race_id, 2, "outer", 200, 18330, services.REPLAY)

    fast = now.locator('[data-lane="inner"] td.time[data-point="200"]')
    slow = now.locator('[data-lane="outer"] td.time[data-point="200"]')
    expect(fast).to_have_class(LEADS, timeout=1000)
    expect(fast).to_have_text(re.compile(r"▲\s*17\.99"))
    expect(slow).to_have_class(BEHIND, timeout=1000)
    expect(slow).not_to_have_class(LEADS)
    expect(slow).to_have_text(re.compile(r"▼\s*18\.33"))
    # Each skater still racing shows the server's projected finish, marked as a projection.
    from tests.conftest import snapshot

    projected = snapshot(race_id)["pairs"][1]["inner"]["projected"]
    expect(now.locator('[data-lane="inner"] .projected')).to_have_text(
        f"projected finish {projected['time']} · {projected['rank']}.")
    # The same times in the pair's row of the history.
    expect(page.locator('table.pair[data-pair="2"] tr[data-lane="inner"] td.time[data-point="200"]')).to_have_class(LEADS)


def test_it_lists_full_standings_every_pairs_times_and_the_pairs_to_come(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(PHONE).open(f"/races/{race_id}/")

    rows = page.locator("#standings tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Suzanne Schulting")
    expect(rows.nth(0)).to_contain_text("1:15.46")
    expect(rows.nth(1)).to_contain_text("+1.69")  # Vigl 1:17.15
    pair_one = page.locator('table.pair[data-pair="1"]')
    expect(pair_one.locator("td.time")).to_have_count(6)
    expect(pair_one.locator('tr[data-lane="outer"] td.time.leads')).to_have_count(3)
    expect(page.locator("#upcoming li")).to_have_count(13)  # pairs 3–15
    expect(page.locator('#upcoming li[data-pair="15"]')).to_contain_text("Jutta Leerdam")

    for point, ms in [(200, 17990), (600, 44900), (1000, 75000)]:
        services.record_passing(race_id, 2, "inner", point, ms, services.REPLAY)
    expect(rows).to_have_count(3, timeout=1000)
    expect(rows.nth(0)).to_contain_text("1:15.00")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bmine\b"))


def test_it_fits_a_phone_without_sideways_scrolling(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(PHONE).open(f"/races/{race_id}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_gap_chart_draws_one_dot_per_split_live_and_adds_a_tapped_skater(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    screen = open_screen(PHONE)
    page = screen.open(f"/races/{race_id}/")
    chart = page.locator("#gaps svg.gap-chart")
    expect(chart.locator("g.series")).to_have_count(2)  # Kowalska and Hansen, on the ice, no splits yet
    expect(chart.locator("circle")).to_have_count(0)
    services.record_passing(race_id, 2, "inner", 200, 17400, services.REPLAY)
    services.record_passing(race_id, 2, "outer", 200, 18400, services.REPLAY)
    services.record_passing(race_id, 2, "inner", 600, 44000, services.REPLAY)
    expect(chart.locator("g.series-0 circle")).to_have_count(2, timeout=2000)
    expect(chart.locator("g.series-1 circle")).to_have_count(1)
    expect(chart.locator('g.series-0 circle[data-point="200"]')).to_have_class("leads")
    expect(chart.locator('g.series-1 circle[data-point="200"]')).to_have_class("behind")
    # Tap Schulting (pair 1, outer) in the standings: her three splits join the chart.
    page.locator('#standings tr[data-pair="1"][data-lane="outer"]').click()
    expect(chart.locator('g.series[data-key="1-outer"] circle')).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=ARTIFACTS / "spectator-gap-chart.png", full_page=True)
