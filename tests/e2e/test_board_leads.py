"""On the stadium board a time turns green within a second when it leads, red when it does not,
always with a sign as well, and a correction that takes the lead away takes the green away."""
import re

import pytest
from playwright.sync_api import expect

from timing import services
from timing.models import Passing

from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS = re.compile(r"\bleads\b")
BEHIND = re.compile(r"\bbehind\b")


def time_at(page, lane, point):
    return page.locator(f'#lane-{lane} tr[data-point="{point}"] td.time')


def test_a_leading_time_turns_green_within_a_second(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen().open(f"/races/{race_id}/board/")
    expect(page.locator("#pairno")).to_have_text("Pair 2 / 15")

    services.record_passing(race_id, 2, "inner", 200, 17990, services.REPLAY)  # Schulting had 18.05

    cell = time_at(page, "inner", 200)
    expect(cell).to_have_class(LEADS, timeout=1000)
    expect(cell).to_have_text(re.compile(r"▲\s*17\.99"))
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 212, 94)"
    expect(page.locator('#lane-inner tr[data-point="200"] td.diff')).to_have_text("−0.06")


def test_a_slower_time_is_red_with_a_down_sign_and_never_green(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen().open(f"/races/{race_id}/board/")

    services.record_passing(race_id, 2, "outer", 200, 18330, services.REPLAY)

    cell = time_at(page, "outer", 200)
    expect(cell).to_have_class(BEHIND, timeout=1000)
    expect(cell).not_to_have_class(LEADS)
    expect(cell).to_have_text(re.compile(r"▼\s*18\.33"))
    assert cell.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 52, 52)"
    expect(page.locator('#lane-outer tr[data-point="200"] td.diff')).to_have_text("+0.28")
    expect(page.locator('#lane-outer tr[data-point="200"] td.rank')).to_have_text("3")


def test_a_correction_that_removes_the_lead_removes_the_green(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen().open(f"/races/{race_id}/board/")
    services.record_passing(race_id, 2, "inner", 200, 17990, services.REPLAY)
    cell = time_at(page, "inner", 200)
    expect(cell).to_have_class(LEADS, timeout=1000)

    passing = Passing.objects.current().get(start__pair__race_id=race_id, start__pair__number=2, distance=200)
    services.correct_passing(passing.id, 18200, "transponder read the wrong blade", services.REPLAY)

    expect(cell).not_to_have_class(LEADS, timeout=1000)
    expect(cell).to_have_class(BEHIND)
    expect(cell).to_have_text(re.compile(r"▼\s*18\.20"))


def test_a_finish_shows_time_rank_and_record_mark(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen().open(f"/races/{race_id}/board/")
    for point, ms in [(200, 17990), (600, 44000), (1000, 73100)]:  # 1:13.10 beats Takagi's OR 1:13.19
        services.record_passing(race_id, 2, "inner", point, ms, services.REPLAY)

    lane = page.locator("#lane-inner")
    expect(lane.locator("[data-clock]")).to_have_text(re.compile(r"▲\s*1:13\.10"), timeout=1000)
    expect(lane.locator(".result-rank")).to_contain_text("1")
    expect(lane.locator(".badge.record")).to_have_text("OR")
    mine = page.locator('#standings li.mine[data-pair="2"][data-lane="inner"]')
    expect(mine).to_contain_text("1:13.10")
    expect(mine.locator(".record")).to_have_text("OR")
