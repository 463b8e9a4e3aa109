"""The stadium board of a team pursuit and of a mass start, live in Chromium, with screenshots.

A team pursuit shows its two teams by straight, their skaters, every lap with the difference to
the other team (green when ahead); a mass start shows laps to go, the running order with the
leader in green, the next sprint highlighted, the sprint points and the lead group's gap."""
import re

import pytest
from playwright.sync_api import expect

from timing import services
from timing.formats import crossings
from timing.formats.demo import mass_start_script
from timing.models import Race
from timing.startlists import Entry, create_race
from tests.conftest import snapshot

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEADS = re.compile(r"\bleads\b")
NEXT = re.compile(r"\bnext\b")


def pursuit():
    entries = [
        Entry(1, "inner", "Netherlands", "NED", invented=True, team_skaters=("Demo NED 1", "Demo NED 2", "Demo NED 3")),
        Entry(1, "outer", "Canada", "CAN", invented=True, team_skaters=("Demo CAN 1", "Demo CAN 2", "Demo CAN 3")),
    ]
    return create_race("Test World Cup", "Women's team pursuit", "Women", 2400, entries, demo=True,
                       kind=Race.TEAM_PURSUIT)


def test_the_team_pursuit_board_shows_both_teams_lap_by_lap_with_the_head_to_head(open_screen):
    race = pursuit()
    services.start_pair(race.id, 1, services.REPLAY)
    for point, ned, can in ((400, 30210, 30400), (800, 58900, 58700), (1200, 87300, 87600)):
        services.record_passing(race.id, 1, "inner", point, ned, services.REPLAY, invented=True)
        services.record_passing(race.id, 1, "outer", point, can, services.REPLAY, invented=True)
    page = open_screen().open(f"/races/{race.id}/board/")
    expect(page.locator("#pairno")).to_have_text("Heat 1 / 1")
    expect(page.locator("#lane-inner .lane-name")).to_have_text("Home straight")
    expect(page.locator("#lane-outer .lane-name")).to_have_text("Back straight")
    expect(page.locator("#lane-inner .members")).to_have_text("Demo NED 1 · Demo NED 2 · Demo NED 3")
    ned_800 = page.locator('#lane-inner tr[data-point="800"] td.versus')
    expect(ned_800).to_have_text("+0.20")
    expect(ned_800).not_to_have_class(LEADS)
    can_800 = page.locator('#lane-outer tr[data-point="800"] td.versus')
    expect(can_800).to_have_text("−0.20")
    assert can_800.evaluate("e => getComputedStyle(e).color") == "rgb(0, 212, 94)"
    # A new lap arrives live and the head-to-head turns with it.
    services.record_passing(race.id, 1, "inner", 1600, 115500, services.REPLAY, invented=True)
    services.record_passing(race.id, 1, "outer", 1600, 116300, services.REPLAY, invented=True)
    expect(page.locator('#lane-inner tr[data-point="1600"] td.versus')).to_have_text("−0.80", timeout=2000)
    expect(page.locator('#lane-inner tr[data-point="1600"] td.lap')).to_have_text("28.20")
    page.screenshot(path=str(ARTIFACTS / "board-team-pursuit.png"))


def mass_race(skaters=20):
    entries = [Entry(1, "", f"Demo skater {b}", "NED", invented=True, bib=b) for b in range(1, skaters + 1)]
    return create_race("Test World Cup", "Men's mass start", "Men", 6400, entries, demo=True, kind=Race.MASS_START)


def test_the_mass_start_board_shows_laps_to_go_the_running_order_and_the_sprints(open_screen):
    race = mass_race()
    services.start_pair(race.id, 1, services.REPLAY)
    laps = {}
    for ms, bib in mass_start_script(20):  # the invented demo race, up to lap 6
        laps[bib] = laps.get(bib, 0) + 1
        if laps[bib] <= 6:
            crossings.record_crossing(race.id, bib, ms, services.REPLAY, invented=True)
    page = open_screen().open(f"/races/{race.id}/board/")
    expect(page.locator("#pairno")).to_have_text("Mass start · 16 laps")
    expect(page.locator("#togo")).to_have_text("10")
    expect(page.locator('.sprint[data-lap="8"]')).to_have_class(NEXT)
    expect(page.locator('.sprint[data-lap="4"] .scorer')).to_have_count(3)
    first = page.locator("#running .runner").first
    expect(first).to_have_class(LEADS)
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 212, 94)"
    # The leader breaks away: she crosses lap 7 alone, and laps to go and the gap follow live.
    leader = int(first.get_attribute("data-bib"))
    last = next(s for s in snapshot(race.id)["skaters"] if s["bib"] == leader)["last_ms"]
    crossings.record_crossing(race.id, leader, last + 28000, services.REPLAY, invented=True)
    expect(page.locator("#togo")).to_have_text("9", timeout=2000)
    # Until the chase crosses lap 7 nobody can say how far behind it is: the field is one group.
    expect(page.locator("#gap")).to_have_text("Lead group: 20")
    chaser = int(page.locator("#running .runner").nth(1).get_attribute("data-bib"))
    crossings.record_crossing(race.id, chaser, last + 32500, services.REPLAY, invented=True)
    expect(page.locator("#gap")).to_have_text(re.compile(r"Lead group: 1\s*\+4\.\d\d to the chase"), timeout=2000)
    page.screenshot(path=str(ARTIFACTS / "board-mass-start.png"))


def test_the_spectator_pages_show_both_kinds_on_a_phone(open_screen):
    from timing.formats import demo
    from .conftest import PHONE

    mass, _ = demo.load_mass_start()
    page = open_screen(PHONE).open(f"/races/{mass.id}/")
    expect(page.locator("#now-title")).to_have_text("0 laps to go")
    expect(page.locator("#standings tr")).to_have_count(20)
    expect(page.locator("#standings tr").first.locator(".time")).to_have_text(re.compile(r"\d+ pt"))
    expect(page.locator('#pairs .sprint[data-lap="16"] li')).to_have_count(6)
    expect(page.locator("#now-lanes tr.leads")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "spectator-mass-start.png"), full_page=True)

    pursuit_race, _ = demo.load_team_pursuit()
    page = open_screen(PHONE).open(f"/races/{pursuit_race.id}/")
    expect(page.locator("#now-title")).to_have_text("Heat 2")
    expect(page.locator(".lane-card.lane-inner .chip")).to_have_text("Home straight")
    expect(page.locator("#standings tr").first.locator(".name")).to_contain_text("Netherlands")
    page.screenshot(path=str(ARTIFACTS / "spectator-team-pursuit.png"), full_page=True)


def test_the_result_list_pages_of_both_kinds(open_screen):
    from timing.formats import demo

    mass, _ = demo.load_mass_start()
    screen = open_screen()
    screen.page.goto(f"{screen.base}/races/{mass.id}/results/")
    expect(screen.page.get_by_text("Demo skater 19").first).to_be_visible()
    screen.page.screenshot(path=str(ARTIFACTS / "results-mass-start.png"), full_page=True)
    pursuit_race, _ = demo.load_team_pursuit()
    screen.page.goto(f"{screen.base}/races/{pursuit_race.id}/results/")
    expect(screen.page.get_by_text("Netherlands").first).to_be_visible()
    screen.page.screenshot(path=str(ARTIFACTS / "results-team-pursuit.png"), full_page=True)
