"""DNS, DNF, DQ (with its reason) and a fall are shown in words, on the board and to spectators."""
import re

import pytest
from playwright.sync_api import expect

from timing import services

from .conftest import PHONE
from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_shows_a_fall_and_a_dnf_and_stops_her_clock(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen().open(f"/races/{race_id}/board/")
    services.record_passing(race_id, 2, "outer", 200, 18330, services.REPLAY)
    services.set_fall(race_id, 2, "outer", True, services.REPLAY)
    services.set_status(race_id, 2, "outer", "DNF", "", services.REPLAY)

    lane = page.locator("#lane-outer")
    expect(lane.locator(".badge.status-fall")).to_have_text("FALL", timeout=1000)
    expect(lane.locator(".badge.status-dnf")).to_have_text("DNF")
    expect(lane.locator("[data-clock]")).to_have_text("DNF")
    expect(lane.locator("[data-clock]")).to_have_class(re.compile(r"\bstopped\b"))
    expect(page.locator('#standings li.mine[data-lane="outer"] .time')).to_have_text("DNF")


def test_the_spectators_see_a_disqualification_with_its_reason(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(PHONE).open(f"/races/{race_id}/")
    services.set_status(race_id, 1, "inner", "DQ", "two false starts", services.REPLAY)

    badge = page.locator('table.pair[data-pair="1"] tr[data-lane="inner"] .badge.status-dq')
    expect(badge).to_have_text("DQ", timeout=1000)
    expect(badge).to_have_attribute("title", "two false starts")
    row = page.locator('#standings tr[data-pair="1"][data-lane="inner"]')
    expect(row.locator(".time")).to_have_text("DQ")
    expect(row.locator(".rank")).to_have_text("")
    # Her times no longer rank or lead: no green, no red.
    expect(page.locator('table.pair[data-pair="1"] tr[data-lane="inner"] td.time.unranked')).to_have_count(3)


def test_a_pair_with_a_dns_shows_it_and_keeps_the_other_skater(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race, start_pair_two=False)
    services.set_status(race_id, 2, "inner", "DNS", "", services.REPLAY)
    services.set_current_pair(race_id, 2, services.REPLAY)
    page = open_screen().open(f"/races/{race_id}/board/")
    expect(page.locator("#lane-inner [data-clock]")).to_have_text("DNS")
    expect(page.locator("#lane-inner .badge.status-dns")).to_have_text("DNS")
    expect(page.locator("#lane-outer [data-clock]")).to_have_text("0.0")
