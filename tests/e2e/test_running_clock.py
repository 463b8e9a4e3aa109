"""The running clock counts from the pair's start signal (the server's clock, corrected by the
browser's offset estimate) and stops at each skater's finish, which then stands."""
import re
import time

import pytest
from playwright.sync_api import expect

from timing import services
from timing.models import Pair

from .conftest import PHONE
from .races import last_pair_on_the_ice, pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seconds(text):
    minutes, _, rest = text.strip().rpartition(":")
    return (int(minutes) * 60 if minutes else 0) + float(rest)


def test_the_clock_runs_from_the_start_signal_and_stops_at_each_finish(open_screen, startlist_race):
    race_id = pair_one_skated(startlist_race, start_pair_two=False)
    page = open_screen().open(f"/races/{race_id}/board/")
    inner, outer = page.locator('[data-clock="inner"]'), page.locator('[data-clock="outer"]')

    services.start_pair(race_id, 2, services.REPLAY)
    expect(inner).to_have_class(re.compile(r"\brunning\b"), timeout=1000)
    first = seconds(inner.text_content())
    page.wait_for_timeout(600)
    assert seconds(inner.text_content()) > first, "the clock must run"

    for point, ms in [(200, 18000), (600, 45500), (1000, 76000)]:
        services.record_passing(race_id, 2, "inner", point, ms, services.REPLAY)
    expect(inner).to_have_text(re.compile(r"1:16\.00$"), timeout=1000)
    expect(inner).to_have_class(re.compile(r"\bstopped\b"))
    page.wait_for_timeout(400)
    expect(inner).to_have_text(re.compile(r"1:16\.00$"))  # it stands
    expect(outer).to_have_class(re.compile(r"\brunning\b"))  # her partner is still skating
    running = seconds(outer.text_content())
    page.wait_for_timeout(300)
    assert seconds(outer.text_content()) > running


def test_the_clock_counts_from_the_servers_start_time_not_from_page_load(open_screen, startlist_race):
    last_pair_on_the_ice(startlist_race, seconds_ago=40)
    page = open_screen(PHONE).open(f"/races/{startlist_race.id}/")
    started = Pair.objects.get(race_id=startlist_race.id, number=15).started_at.timestamp()
    shown = seconds(page.locator('[data-clock="outer"]').text_content())
    expected = time.time() - started
    assert expected - 1.0 < shown <= expected, (shown, expected)


def test_the_clock_is_right_on_a_device_whose_own_clock_is_an_hour_wrong(open_screen, startlist_race):
    """The offset estimate from the messages' server_time corrects a badly set device clock."""
    last_pair_on_the_ice(startlist_race, seconds_ago=40)
    screen = open_screen()
    screen.page.clock.install(time=time.time() - 3600)  # the browser's Date and timers, an hour slow
    page = screen.open(f"/races/{startlist_race.id}/board/")
    started = Pair.objects.get(race_id=startlist_race.id, number=15).started_at.timestamp()
    shown = seconds(page.locator('[data-clock="outer"] .digits').text_content())
    expected = time.time() - started
    assert expected - 1.0 < shown <= expected, (shown, expected)
    page.wait_for_timeout(500)
    assert seconds(page.locator('[data-clock="outer"] .digits').text_content()) > shown  # and it runs
