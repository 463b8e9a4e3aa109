"""The TV delay: with ?delay=5 every update is shown five seconds late, on the spectator page and
the board alike; the phone remembers its delay; "sync" sets it from a start seen on TV."""
import time

import pytest
from playwright.sync_api import expect

from timing import services

from .conftest import BOARD, PHONE
from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KOK_200 = 'td.time[data-point="200"]'


@pytest.mark.parametrize("page_path,viewport,where", [
    ("/races/{race}/?delay=5", PHONE, '#now [data-lane="inner"] '),
    ("/races/{race}/board/?delay=5", BOARD, "#lane-inner "),
], ids=["spectator", "board"])
def test_a_time_posted_now_appears_only_after_the_delay(open_screen, startlist_race, page_path, viewport, where):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(viewport).open(page_path.format(race=race_id))
    # The snapshot itself waits out the delay: the page shows nothing newer than five seconds ago.
    expect(page.locator(where + '[data-clock="inner"], ' + where + ".clock").first).to_be_attached(timeout=8000)
    posted = time.monotonic()
    services.record_passing(race_id, 2, "inner", 200, 17400, services.REPLAY)
    page.wait_for_timeout(2000)
    expect(page.locator(where + KOK_200)).to_have_count(0)
    expect(page.locator(where + KOK_200)).to_contain_text("17.40", timeout=6000)
    assert time.monotonic() - posted >= 5.0


def test_the_phone_remembers_its_delay_and_syncs_to_a_start_seen_on_tv(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race)  # pair 2 started a moment ago
    screen = open_screen(PHONE)
    page = screen.open(f"/races/{race_id}/")
    page.locator(".tv-delay summary").click()
    page.wait_for_timeout(1500)
    page.locator("#sync").click()
    expect(page.locator("#delay-hint")).to_contain_text("Synced:")
    synced = int(page.locator("#delay").input_value())
    assert 1 <= synced <= 30
    expect(page.locator("#delay-note")).to_have_text(f"TV delay: {synced} s behind live")
    page.locator("#delay").fill("45")
    page.locator("#delay").press("Tab")
    page.reload()
    page.wait_for_selector('[data-status="live"]', state="attached")
    expect(page.locator("#delay")).to_have_value("45")
    expect(page.locator("#delay-note")).to_have_text("TV delay: 45 s behind live")


@pytest.mark.parametrize("asked,shown", [("900", "600"), ("-5", "0"), ("soon", "0")])
def test_a_delay_out_of_range_falls_back_to_a_sensible_value(open_screen, startlist_race, asked, shown):
    race_id = pair_one_skated(startlist_race)
    page = open_screen(PHONE).open(f"/races/{race_id}/?delay={asked}")
    expect(page.locator("#delay")).to_have_value(shown)
