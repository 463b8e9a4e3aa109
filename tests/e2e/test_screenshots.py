"""The reference race at its most dramatic moment, on the stadium board and on a phone, saved
under tests/artifacts/ for a person to look at: pairs 1–14 skated, Takagi and Leerdam in pair 15,
Leerdam green at 600 m (−0.17), then her Olympic record. The browser must not complain at all
(no CSP violation, no script error) while it happens."""
import re

import pytest
from playwright.sync_api import expect

from timing import services

from .conftest import ARTIFACTS, BOARD, PHONE
from .races import last_pair_on_the_ice, last_pair_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADS = re.compile(r"\bleads\b")


def record(race_id, passings):
    for lane, point, ms, invented in passings:
        services.record_passing(race_id, 15, lane, point, ms, services.REPLAY, invented=invented)


def test_the_last_pair_of_milano_2026_on_the_board_and_on_a_phone(open_screen, startlist_race):
    ARTIFACTS.mkdir(exist_ok=True)
    race_id = startlist_race.id
    last_pair_on_the_ice(startlist_race, seconds_ago=45.6)
    record(race_id, last_pair_script(200))
    board_screen, phone_screen = open_screen(BOARD), open_screen(PHONE)
    board = board_screen.open(f"/races/{race_id}/board/")
    phone = phone_screen.open(f"/races/{race_id}/")
    expect(board.locator("#demo")).to_be_visible()
    expect(board.locator("#demo")).to_have_text("DEMO DATA: times marked * are invented")
    expect(phone.locator("#demo")).to_be_visible()
    expect(board.locator("#standings .invented").first).to_have_text("*")  # invented skaters say so

    record(race_id, [p for p in last_pair_script(600) if p[1] == 600])  # Leerdam 43.78, Takagi 44.57

    leerdam = board.locator('#lane-outer tr[data-point="600"]')
    expect(leerdam.locator("td.time")).to_have_class(LEADS, timeout=1000)
    expect(leerdam.locator("td.diff")).to_have_text("−0.17")
    expect(board.locator('#lane-inner tr[data-point="600"] td.time')).not_to_have_class(LEADS)
    expect(phone.locator('#now [data-lane="outer"] td.time[data-point="600"]')).to_have_class(LEADS, timeout=1000)
    assert board.evaluate("() => document.documentElement.scrollHeight") <= BOARD["height"]
    board.screenshot(path=ARTIFACTS / "board-1920x1080.png")
    phone.screenshot(path=ARTIFACTS / "spectator-390x844.png")

    record(race_id, [p for p in last_pair_script(1000) if p[1] == 1000])
    expect(board.locator('#lane-outer [data-clock]')).to_have_text(re.compile(r"1:12\.31"), timeout=1000)
    expect(board.locator("#lane-outer .badge.record")).to_have_text("OR")
    expect(board.locator("#standings li").first).to_contain_text("Jutta Leerdam")
    board.screenshot(path=ARTIFACTS / "board-finish-1920x1080.png")
    phone.screenshot(path=ARTIFACTS / "spectator-finish-390x844.png")
    phone.screenshot(path=ARTIFACTS / "spectator-full-390.png", full_page=True)

    assert board_screen.problems == [] and phone_screen.problems == []
