"""An official sets up a competition day from the keyboard: logs in, creates a competition and a
race, uploads a start list with three mistakes and sees all three, uploads the corrected file,
swaps two lanes, and a spectator's page that is already open follows live. Each new page is
saved under tests/artifacts/ for a person to look at."""
import re

import pytest
from playwright.sync_api import expect

from timing.models import Change, Competition, Race, Start

from .conftest import ARTIFACTS, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/conftest.py's official
VIEW = {"width": 1280, "height": 900}

BAD_CSV = (
    "pair,lane,name,nation,pb\n"
    "1,inner,Jutta Leerdam,NED,1:11.61\n"
    "1,middle,Miho Takagi,JPN,1:11.97\n"  # 3: no such lane
    "2,inner,Femke Kok,NED,1:12.59\n"
    "2,inner,Brittany Bowe,USA,1:11.61\n"  # 5: pair 2 inner twice
    "4,inner,Erin Jackson,USA,\n"  # 6: no pair 3
)
GOOD_CSV = (
    "pair,lane,name,nation,pb\n"
    "1,inner,Jutta Leerdam,NED,1:11.61\n"
    "1,outer,Miho Takagi,JPN,1:11.97\n"
    "2,inner,Femke Kok,NED,1:12.59\n"
    "2,outer,Brittany Bowe,USA,1:11.61\n"
    "3,inner,Erin Jackson,USA,\n"
)


def type_into(page, selector, text):
    """Focus by Tab order would be brittle to count; focus the field, then type as a person does."""
    page.focus(selector)
    page.keyboard.type(text)


def refused_once(screen, status=400):
    """The page answered a bad form with a 4xx, as it should: Chromium reports that as a failed
    load, which is expected here and nowhere else."""
    expected = f"error: Failed to load resource: the server responded with a status of {status} (Bad Request)"
    assert screen.problems == [expected], screen.problems
    screen.problems.clear()


def test_an_official_sets_up_a_race_day_by_keyboard(open_screen, official, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    screen = open_screen(VIEW)
    page = screen.page
    page.goto(f"{screen.base}/login/?next=/officials/")
    type_into(page, "#id_username", "official")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{screen.base}/officials/")

    # From the race list to a new competition, by keyboard.
    page.get_by_role("link", name="New competition").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/officials/competitions/new/$"))
    type_into(page, "#id_name", "Dutch Championships")
    page.keyboard.press("Tab")
    page.keyboard.type("Thialf, Heerenveen")
    page.fill("#id_starts_on", "2026-12-27")  # a date picker: its segments are the browser's, not ours
    page.fill("#id_time_zone", "Mars/Olympus")
    page.focus("#id_time_zone")
    page.keyboard.press("Enter")
    expect(page.locator("#id_time_zone_error")).to_contain_text("'Mars/Olympus' is not a time zone")
    expect(page.locator("#id_time_zone")).to_have_attribute("aria-invalid", "true")
    refused_once(screen)
    page.screenshot(path=ARTIFACTS / "setup-competition-form-error.png", full_page=True)
    page.fill("#id_time_zone", "")
    page.focus("#id_time_zone")
    page.keyboard.type("Europe/Amsterdam")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Dutch Championships created. Add its races next.")
    comp = Competition.objects.get(name="Dutch Championships")

    # A race at 14:30 on the venue's clock.
    page.get_by_role("link", name="Add a race").focus()
    page.keyboard.press("Enter")
    type_into(page, "#id_title", "Women's 1000 m")
    page.keyboard.press("Tab")
    page.keyboard.type("Women")
    page.keyboard.press("Tab")  # kind: individual, as it is
    page.keyboard.press("Tab")
    page.keyboard.type("1000")
    page.fill("#id_scheduled_at", "2026-12-27T14:30")
    page.screenshot(path=ARTIFACTS / "setup-race-form.png", full_page=True)
    page.focus("#id_distance")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/officials/races/\d+/startlist/$"))
    race = Race.objects.get(competition=comp)
    expect(page.locator(".flash")).to_contain_text("Women's 1000 m added. Upload its start list.")
    page.screenshot(path=ARTIFACTS / "setup-startlist-empty.png", full_page=True)

    # The CSV with three mistakes: all three listed at once, nothing stored.
    bad, good = tmp_path / "women-1000.csv", tmp_path / "women-1000-fixed.csv"
    bad.write_text(BAD_CSV)
    good.write_text(GOOD_CSV)
    page.set_input_files("#id_upload-file", bad)
    page.get_by_role("button", name="Upload start list").focus()
    page.keyboard.press("Enter")
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(3)
    expect(page.locator("#problems-h")).to_have_text("women-1000.csv: 3 problems, nothing was stored")
    expect(problems.nth(0)).to_contain_text("3lane'middle' is not a lane; write inner or outer.")
    expect(problems.nth(1)).to_contain_text("5lanepair 2 inner is already taken by line 4")
    expect(problems.nth(2)).to_contain_text("6pairpair 4 follows pair 2, so pair 3 is missing")
    assert not Start.objects.filter(pair__race=race).exists()
    refused_once(screen)
    page.screenshot(path=ARTIFACTS / "setup-startlist-csv-problems.png", full_page=True)

    page.set_input_files("#id_upload-file", good)
    page.get_by_role("button", name="Upload start list").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("women-1000-fixed.csv: 5 skaters in 3 pairs stored.")
    expect(page.locator("#pair-1")).to_contain_text("Jutta Leerdam")

    # The spectators' page is open before the swap and follows it live.
    spectator = open_screen(PHONE).open(f"/races/{race.id}/")
    first = spectator.locator('#upcoming li[data-pair="1"] .skater')
    expect(first.nth(0)).to_contain_text("Jutta Leerdam")

    page.get_by_role("button", name="Swap the lanes of pair 1").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Pair 1: lanes swapped.")
    expect(page.locator("#pair-1 .lane-inner")).to_contain_text("Miho Takagi")
    expect(page.locator("#pair-1 .lane-outer")).to_contain_text("Jutta Leerdam")
    expect(first.nth(0)).to_contain_text("Miho Takagi", timeout=5000)
    expect(first.nth(1)).to_contain_text("Jutta Leerdam")
    assert Change.objects.filter(race=race).latest("version").action == "swap"

    # A late entry opens pair 4: the open spectator page gets the whole new list of pairs.
    page.focus("#id_entry-pair")
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    page.select_option("#id_entry-lane", "outer")
    type_into(page, "#id_entry-name", "Kimi Goetz")
    page.keyboard.press("Tab")
    page.keyboard.type("USA")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Kimi Goetz added to pair 4 outer.")
    expect(spectator.locator('#upcoming li[data-pair="4"]')).to_contain_text("Kimi Goetz", timeout=5000)
    page.screenshot(path=ARTIFACTS / "setup-startlist.png", full_page=True)
    spectator.screenshot(path=ARTIFACTS / "setup-spectator-after-swap-390.png", full_page=True)

    # The day's schedule: set the race on the ice; the open public page follows, on the venue's clock.
    public = open_screen(PHONE).open(f"/competitions/{comp.id}/")
    expect(public.locator(f"#race-{race.id}")).to_contain_text("14:30")
    expect(public.locator(f"#race-{race.id} .race-on-ice")).to_have_count(0)
    page.goto(f"{screen.base}/officials/competitions/{comp.id}/")
    page.get_by_role("button", name="Set Women's 1000 m on the ice").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#on-ice-now")).to_contain_text("Women's 1000 m")
    expect(page.locator(f"#race-{race.id}")).to_contain_text("Sun 27 Dec, 14:30")
    page.screenshot(path=ARTIFACTS / "setup-competition.png", full_page=True)
    page.goto(f"{screen.base}/officials/competitions/")
    page.screenshot(path=ARTIFACTS / "setup-competitions.png", full_page=True)
    expect(public.locator(f"#race-{race.id} .race-on-ice")).to_have_text("on the ice", timeout=5000)
    public.screenshot(path=ARTIFACTS / "competition-schedule-390.png", full_page=True)
