"""Every venue and broadcast page with a team pursuit heat and a mass start, live in Chromium.

Each race is built through the service layer, a page opened on it, then a passing or a crossing
posted: the page must show what the server computed, without a reload. Screenshots of every page
and kind go to tests/artifacts/ (the venue board at 1920×1080)."""
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import snapshot
from timing import services
from timing.formats import crossings
from timing.formats.demo import mass_start_script

from .conftest import ARTIFACTS
from .test_formats_boards import mass_race, pursuit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEADS = re.compile(r"\bleads\b")
AHEAD = re.compile(r"\bahead\b")
NEXT = re.compile(r"\bnext\b")
GREEN = "rgb(0, 212, 94)"


def shot(page, name, **kw):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # the overlay fades in; a picture mid-fade shows washed-out colours
    page.screenshot(path=str(ARTIFACTS / name), **kw)


def pursuit_on_ice(laps=3):
    """Netherlands (home straight) and Canada (back straight) `laps` laps into heat 1, on the ice."""
    race = pursuit()
    services.set_on_ice(race.competition_id, race.id, services.REPLAY)
    # Started long enough ago that every time below has already happened (counters wait for it).
    services.start_pair(race.id, 1, services.REPLAY, at=timezone.now() - dt.timedelta(minutes=4))
    for point, ned, can in ((400, 30210, 30400), (800, 58900, 58700), (1200, 87300, 87600))[:laps]:
        services.record_passing(race.id, 1, "inner", point, ned, services.REPLAY, invented=True)
        services.record_passing(race.id, 1, "outer", point, can, services.REPLAY, invented=True)
    return race


def mass_on_ice(upto_lap=6, skaters=20):
    """The invented demo mass start up to lap `upto_lap`, on the ice."""
    race = mass_race(skaters)
    services.set_on_ice(race.competition_id, race.id, services.REPLAY)
    services.start_pair(race.id, 1, services.REPLAY, at=timezone.now() - dt.timedelta(minutes=10))
    done = {}
    for ms, bib in mass_start_script(skaters):
        done[bib] = done.get(bib, 0) + 1
        if done[bib] <= upto_lap:
            crossings.record_crossing(race.id, bib, ms, services.REPLAY, invented=True)
    return race


def skater(race, bib):
    return next(s for s in snapshot(race.id)["skaters"] if s["bib"] == bib)


def leader_breaks_away(race, seconds=28):
    """The leader of the running order crosses her next lap alone; returns (bib, her new time)."""
    snap = snapshot(race.id)
    bib = snap["running_order"][0]
    ms = skater(race, bib)["last_ms"] + seconds * 1000
    crossings.record_crossing(race.id, bib, ms, services.REPLAY, invented=True)
    return bib, ms


# --- the venue screens -------------------------------------------------------------------------


def test_the_venue_board_shows_a_mass_start_as_the_mass_start_board(open_screen):
    race = mass_on_ice(upto_lap=6)
    page = open_screen().open(f"/competitions/{race.competition_id}/board/")
    expect(page.locator("#screen")).to_have_attribute("data-show", "race")
    expect(page.locator("#board [data-part=pairno]")).to_have_text("Mass start · 16 laps")
    expect(page.locator("#board #togo")).to_have_text("10")
    expect(page.locator('#board .sprint[data-lap="8"]')).to_have_class(NEXT)
    expect(page.locator('#board .sprint[data-lap="4"] .scorer')).to_have_count(3)
    expect(page.locator("#board [data-part=table-title]")).to_have_text("Points")
    first = page.locator("#board #running .runner").first
    expect(first).to_have_class(LEADS)
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") == GREEN
    expect(page.locator("#board #standings .standing").first.locator(".time")).to_have_text(re.compile(r"\d+ pt"))
    expect(page.locator("#board #mass-clock")).to_have_text(re.compile(r"\d:\d\d\.\d"))
    leader_breaks_away(race)
    expect(page.locator("#board #togo")).to_have_text("9", timeout=2000)
    shot(page, "venue-board-mass-start.png")

    named = open_screen().open(f"/screens/north-stand/?competition={race.competition_id}")
    expect(named.locator("#board #togo")).to_have_text("9")
    expect(named.locator("#board #running .runner")).to_have_count(12)


def test_the_venue_board_shows_a_team_pursuit_heat_by_straight_with_its_teams(open_screen):
    race = pursuit_on_ice()
    page = open_screen().open(f"/competitions/{race.competition_id}/board/")
    expect(page.locator("#board [data-part=pairno]")).to_have_text("Heat 1 / 1")
    expect(page.locator("#board #lane-inner .lane-name")).to_have_text("Home straight")
    expect(page.locator("#board #lane-outer .lane-name")).to_have_text("Back straight")
    expect(page.locator("#board #lane-inner .who .name")).to_have_text("Netherlands*")
    expect(page.locator("#board #lane-outer .members")).to_have_text("Demo CAN 1 · Demo CAN 2 · Demo CAN 3")
    expect(page.locator("#board [data-part=table-title]")).to_have_text("Standings")
    services.record_passing(race.id, 1, "inner", 1600, 115500, services.REPLAY, invented=True)
    services.record_passing(race.id, 1, "outer", 1600, 116300, services.REPLAY, invented=True)
    versus = page.locator('#board #lane-inner tr[data-point="1600"] td.versus')
    expect(versus).to_have_text("−0.80", timeout=2000)
    assert versus.evaluate("e => getComputedStyle(e).color") == GREEN
    shot(page, "venue-board-team-pursuit.png")


# --- the lap counter ---------------------------------------------------------------------------


def test_the_lap_counter_counts_each_team_of_a_team_pursuit(open_screen):
    race = pursuit_on_ice(laps=1)
    page = open_screen().open(f"/races/{race.id}/laps/?lap_delay=0")
    expect(page.locator("#title")).to_have_text("Women's team pursuit · heat 1")
    expect(page.locator('[data-lane="inner"] .lane-name')).to_have_text("Home straight")
    expect(page.locator('[data-to-go="inner"] .digits')).to_have_text("5")
    services.record_passing(race.id, 1, "inner", 800, 58900, services.REPLAY, invented=True)
    expect(page.locator('[data-to-go="inner"] .digits')).to_have_text("4", timeout=2000)
    expect(page.locator('[data-to-go="outer"] .digits')).to_have_text("5")
    expect(page.locator('[data-lane="inner"] .last-lap .lap-time')).to_have_text("28.69")
    shot(page, "laps-team-pursuit.png")


def test_the_lap_counter_of_a_mass_start_follows_the_leader_and_says_sprint(open_screen):
    race = mass_on_ice(upto_lap=2)
    page = open_screen().open(f"/races/{race.id}/laps/?lap_delay=0")
    counter = page.locator('[data-to-go="leader"]')
    expect(counter.locator(".digits")).to_have_text("14")
    expect(page.locator(".sprint-flag")).to_be_hidden()
    expect(page.locator('.sprint-chip[data-lap="4"]')).to_have_class(NEXT)
    leader, _ = leader_breaks_away(race)  # she starts lap 4: it ends in a sprint
    expect(counter.locator(".digits")).to_have_text("13", timeout=2000)
    expect(page.locator(".sprint-flag")).to_be_visible()
    expect(counter.locator(".label")).to_have_text("laps to go · sprint lap")
    expect(page.locator(".laps-mass .leader .bib")).to_have_text(str(leader))
    shot(page, "laps-mass-start-sprint.png")


def test_the_lap_counter_of_a_mass_start_rings_the_bell_and_finishes(open_screen):
    race = mass_on_ice(upto_lap=15, skaters=6)
    page = open_screen().open(f"/races/{race.id}/laps/?lap_delay=0")
    counter = page.locator('[data-to-go="leader"]')
    expect(counter.locator(".digits")).to_have_text("1")
    expect(counter.locator(".label")).to_have_text("last lap")
    expect(page.locator(".laps-mass")).to_have_class(re.compile(r"\bbell\b"))
    expect(page.locator(".sprint-flag")).to_be_hidden()
    shot(page, "laps-mass-start-bell.png")
    leader_breaks_away(race)
    expect(counter.locator(".digits")).to_have_text("FINISH", timeout=2000)


# --- the broadcast overlay ---------------------------------------------------------------------


def test_the_overlay_shows_both_teams_with_the_difference_at_the_same_lap(open_screen):
    race = pursuit_on_ice(laps=2)
    page = open_screen().open(f"/races/{race.id}/overlay/?hold=600")  # the finish stays up
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"
    expect(page.locator(".lower-third .title .pairno")).to_have_text("Heat 1")
    expect(page.locator('.row[data-lane="inner"] .straight')).to_have_text("Home straight")
    expect(page.locator('.row[data-lane="inner"] .nation')).to_have_text("NED")
    expect(page.locator('.row[data-lane="outer"] .versus')).to_have_text("▲−0.20")
    services.record_passing(race.id, 1, "inner", 1200, 87300, services.REPLAY, invented=True)
    services.record_passing(race.id, 1, "outer", 1200, 87600, services.REPLAY, invented=True)
    ahead = page.locator('.row[data-lane="inner"] .versus')
    expect(ahead).to_have_text("▲−0.30", timeout=2000)
    expect(ahead).to_have_class(AHEAD)
    assert ahead.evaluate("e => getComputedStyle(e).backgroundColor") == GREEN
    expect(page.locator('.row[data-lane="inner"] .last-split .lap')).to_have_text("28.40")
    shot(page, "overlay-team-pursuit.png")
    # The finish is the third skater's: the team's time, with its rank.
    for point, ned, can in ((1600, 115500, 116300), (2000, 143800, 145000), (2400, 172100, 173900)):
        services.record_passing(race.id, 1, "inner", point, ned, services.REPLAY, invented=True)
        services.record_passing(race.id, 1, "outer", point, can, services.REPLAY, invented=True)
    expect(page.locator('.row[data-lane="inner"] .clock')).to_have_text("2:52.10", timeout=2000)
    expect(page.locator('.row[data-lane="inner"] .finish-rank')).to_have_text("rank 1")
    expect(page.locator('.row[data-lane="inner"] .finish .third')).to_have_text("3rd skater")
    expect(page.locator('.row[data-lane="outer"] .versus')).to_have_text("▼+1.80")
    expect(page.locator(".lower-third")).not_to_have_class(re.compile(r"\bhidden\b"))
    shot(page, "overlay-team-pursuit-finish.png")


def test_the_overlay_of_a_mass_start_shows_the_front_then_the_sprint_points(open_screen):
    race = mass_on_ice(upto_lap=3)
    page = open_screen().open(f"/races/{race.id}/overlay/")
    box = page.locator(".lower-third")
    expect(box).to_have_attribute("data-part", "order")
    expect(box.locator(".title .laps-to-go")).to_have_text("13 laps to go")
    expect(box.locator(".next-sprint")).to_have_text("Sprint lap")
    expect(box.locator(".runner")).to_have_count(5)
    leader = box.locator(".runner").first
    expect(leader).to_have_class(LEADS)
    assert leader.evaluate("e => getComputedStyle(e).backgroundColor") == GREEN
    shot(page, "overlay-mass-start.png")
    # The whole field crosses lap 4: the sprint's points come up while the leader skates lap 5.
    done = {}
    for ms, bib in mass_start_script(20):
        done[bib] = done.get(bib, 0) + 1
        if done[bib] == 4:
            crossings.record_crossing(race.id, bib, ms, services.REPLAY, invented=True)
    expect(box).to_have_attribute("data-part", "sprint", timeout=2000)
    expect(box.locator(".sub")).to_have_text("Sprint lap 4 · points")
    expect(box.locator(".scorer")).to_have_count(3)
    expect(box.locator(".scorer .points")).to_have_text(["+3", "+2", "+1"])
    shot(page, "overlay-mass-start-sprint.png")


def test_the_overlay_of_a_mass_start_ends_on_the_podium_with_points(open_screen):
    race = mass_on_ice(upto_lap=16, skaters=8)
    page = open_screen().open(f"/races/{race.id}/overlay/?hold=600")
    box = page.locator(".lower-third")
    expect(box).to_have_attribute("data-part", "podium")
    expect(box.locator(".podium")).to_have_count(3)
    expect(box.locator(".podium").first.locator(".points")).to_have_text(re.compile(r"^6\d pt$"))
    expect(box).not_to_have_class(re.compile(r"\bhidden\b"))
    shot(page, "overlay-mass-start-podium.png")
    # The venue's overlay follows the race on the ice, whatever its kind.
    venue = open_screen().open(f"/competitions/{race.competition_id}/overlay/?hold=600")
    expect(venue.locator(".lower-third")).to_have_attribute("data-part", "podium")
    expect(venue.locator(".lower-third .podium")).to_have_count(3)


# --- the embeddable widget ---------------------------------------------------------------------

EMBED = {"width": 400, "height": 600}


def test_the_embed_widget_shows_a_team_pursuit_heat_and_its_standings(open_screen):
    race = pursuit_on_ice(laps=2)
    page = open_screen(EMBED).open(f"/races/{race.id}/embed/")
    expect(page.locator("#now-title")).to_have_text("Heat 1 · on the ice")
    expect(page.locator(".lane-card.lane-inner .chip")).to_have_text("Home straight")
    expect(page.locator(".lane-card.lane-outer .name")).to_have_text("Canada*")
    for point, ned, can in ((1200, 87300, 87600), (1600, 115500, 116300), (2000, 143800, 145000), (2400, 172100, 173900)):
        services.record_passing(race.id, 1, "inner", point, ned, services.REPLAY, invented=True)
        services.record_passing(race.id, 1, "outer", point, can, services.REPLAY, invented=True)
    expect(page.locator("#standings tr")).to_have_count(2, timeout=2000)
    expect(page.locator("#standings tr").first.locator(".name")).to_have_text("Netherlands*")
    expect(page.locator("#standings tr").nth(1).locator(".behind")).to_have_text("+1.80")
    shot(page, "embed-team-pursuit.png")


def test_the_embed_widget_shows_a_mass_starts_running_order_with_points(open_screen):
    race = mass_on_ice(upto_lap=4)
    page = open_screen(EMBED).open(f"/races/{race.id}/embed/")
    expect(page.locator("#now-title")).to_have_text("12 laps to go · next sprint: lap 8")
    running = page.locator("#now-lanes table.running tr")
    expect(running).to_have_count(20)
    expect(page.locator("#now-lanes tr.leads")).to_have_count(1)
    expect(page.locator("#standings tr").first.locator(".time")).to_have_text("3 pt")
    leader_breaks_away(race)
    expect(page.locator("#now-title")).to_have_text("11 laps to go · next sprint: lap 8", timeout=2000)
    shot(page, "embed-mass-start.png")


# --- the gap chart on the spectator page ---------------------------------------------------------


def test_the_gap_chart_of_a_team_pursuit_draws_the_head_to_head_lap_by_lap(open_screen):
    from .conftest import PHONE

    race = pursuit_on_ice(laps=2)
    page = open_screen(PHONE).open(f"/races/{race.id}/")
    versus = page.locator("#gaps .versus-chart svg")
    expect(versus.locator("g.series")).to_have_count(2)
    expect(versus.locator('g.series-0 circle[data-point="800"]')).to_have_class("behind")  # NED +0.20
    expect(versus.locator('g.series-1 circle[data-point="800"]')).to_have_class("leads")
    services.record_passing(race.id, 1, "inner", 1200, 87300, services.REPLAY, invented=True)
    services.record_passing(race.id, 1, "outer", 1200, 87600, services.REPLAY, invented=True)
    expect(versus.locator('g.series-0 circle[data-point="1200"]')).to_have_class("leads", timeout=2000)
    expect(versus.locator("g.series-0 circle")).to_have_count(3)
    expect(page.locator("#gaps figure").nth(1).locator("svg g.series")).to_have_count(2)  # to the leader
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "gapchart-team-pursuit.png", full_page=True)


def test_the_gap_chart_of_a_mass_start_draws_the_front_of_the_race_at_each_lap(open_screen):
    from .conftest import PHONE

    race = mass_on_ice(upto_lap=6)
    page = open_screen(PHONE).open(f"/races/{race.id}/")
    chart = page.locator("#gaps svg.gap-chart")
    expect(chart.locator("g.series")).to_have_count(5)
    expect(chart.locator("g.series-0 circle")).to_have_count(6)
    bib, _ = leader_breaks_away(race, seconds=28)
    expect(chart.locator(f'g.series[data-key="{bib}"] circle')).to_have_count(7, timeout=2000)
    expect(chart.locator(f'g.series[data-key="{bib}"] circle[data-point="7"]')).to_have_class("leads")
    shot(page, "gapchart-mass-start.png", full_page=True)


def test_the_announcer_view_charts_the_head_to_head_and_the_front_of_a_mass_start(open_screen):
    race = pursuit_on_ice(laps=2)
    page = open_screen().open(f"/races/{race.id}/announcer/")
    expect(page.locator(".head .pairno")).to_have_text("Heat 1 / 1")
    expect(page.locator('.card[data-lane="inner"] .armband')).to_have_text("Home straight")
    versus = page.locator(".announcer-gaps .versus-chart svg")
    expect(versus.locator("g.series-0 circle")).to_have_count(2)
    services.record_passing(race.id, 1, "inner", 1200, 87300, services.REPLAY, invented=True)
    expect(versus.locator("g.series-0 circle")).to_have_count(2)  # no head to head until Canada is there too
    services.record_passing(race.id, 1, "outer", 1200, 87600, services.REPLAY, invented=True)
    expect(versus.locator('g.series-0 circle[data-point="1200"]')).to_have_class("leads", timeout=2000)
    shot(page, "announcer-team-pursuit.png")

    mass = mass_on_ice(upto_lap=6)
    page = open_screen().open(f"/races/{mass.id}/announcer/")
    expect(page.locator(".head .pairno")).to_have_text("10 of 16 laps to go")
    expect(page.locator(".announcer-gaps svg g.series")).to_have_count(5)
    expect(page.locator(".cards")).to_have_count(0)
    shot(page, "announcer-mass-start.png")


def test_between_races_the_venue_shows_a_mass_starts_field_and_its_points(open_screen):
    from timing.formats import demo

    done, _ = demo.load_mass_start()  # final: the last race of its day
    services.set_on_ice(done.competition_id, done.id, services.REPLAY)
    page = open_screen().open(f"/competitions/{done.competition_id}/board/")
    expect(page.locator("#screen")).to_have_attribute("data-show", "between")
    results = page.locator(".sheet-results .standing")
    expect(results.first.locator(".time")).to_have_text(re.compile(r"^\d+ pt$"))
    shot(page, "venue-between-mass-start-results.png")
    nxt = mass_race(24)  # a day whose next race is a full mass-start field
    named = open_screen().open(f"/screens/field/?competition={nxt.competition_id}")
    services.set_on_ice(nxt.competition_id, nxt.id, services.REPLAY)
    expect(named.locator(".sheet-startlist .pair-row")).to_have_count(24, timeout=2000)
    expect(named.locator('.sheet-startlist .pair-row[data-bib="24"] .name')).to_have_text("Demo skater 24*")
    shot(named, "venue-between-mass-start-startlist.png")
