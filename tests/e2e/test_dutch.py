"""The pages in Dutch, as a browser set to Dutch asks for them (Accept-Language: nl): the page's
own words, the words the scripts draw, and the times in the sport's format, unchanged. The site
bar's switch turns a page Dutch and back by keyboard; without the scripts' catalogue a page still
works, in English."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, BOARD, PHONE, Screen
from .races import pair_one_skated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DUTCH = "nl-NL"  # Chromium then sends Accept-Language: nl-NL,nl


@pytest.fixture
def open_dutch(live_url, browser):
    """open_dutch(viewport) -> Screen in a Chromium set to Dutch; checked for complaints afterwards."""
    contexts, screens = [], []

    def make(viewport=PHONE, locale=DUTCH):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        screens.append(Screen(context.new_page(), live_url))
        return screens[-1]

    yield make
    for context in contexts:
        context.close()
    problems = [p for s in screens for p in s.problems]
    assert not problems, f"the browser complained: {problems}"


def test_the_spectator_page_of_the_reference_race_in_dutch(open_dutch, demo_race):
    page = open_dutch(PHONE).open(f"/races/{demo_race.id}/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    # The template's words ...
    expect(page.locator("h2", has_text="Achterstand op de leider")).to_be_visible()
    expect(page.locator(".site-bar .officials-link")).to_have_text("Jury")
    # ... and the script's: the race's state, the pairs, the empty list of pairs to come.
    expect(page.locator("#state")).to_have_text("definitief")
    expect(page.locator("#upcoming")).to_contain_text("Alle ritten zijn gestart.")
    expect(page.locator("#pairs .pair-no").first).to_have_text("Rit 1")
    # Times keep the sport's format: a dot before the hundredths, never a decimal comma.
    leader = page.locator("#standings tr").first
    expect(leader).to_contain_text("Jutta Leerdam")
    expect(leader.locator("td.time")).to_have_text("1:12.31")
    assert not re.search(r"\d,\d\d\b", page.locator("#standings").inner_text())
    page.screenshot(path=str(ARTIFACTS / "dutch-spectator.png"), full_page=True)


def test_the_board_in_dutch_while_a_pair_skates(open_dutch, startlist_race):
    race_id = pair_one_skated(startlist_race)
    page = open_dutch(BOARD).open(f"/races/{race_id}/board/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#state")).to_have_text("● LIVE")
    expect(page.locator("#pairno")).to_have_text("Rit 2 / 15")
    expect(page.locator("#lane-inner .lane-name")).to_have_text("Binnen")
    expect(page.locator("#lane-outer .armband-name")).to_have_text("rode armband")
    expect(page.locator(".table h2")).to_have_text("Stand")
    expect(page.locator("#standings li").first).to_contain_text("1:15.46")
    page.screenshot(path=str(ARTIFACTS / "dutch-board.png"))


def test_the_switch_turns_the_page_dutch_and_back_by_keyboard(open_dutch, startlist_race):
    page = open_dutch(PHONE, locale="en-US").open(f"/races/{startlist_race.id}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    def choose(language):
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.value") == language:
                page.keyboard.press("Enter")
                return
        raise AssertionError(f"the {language} button is not reachable by Tab")

    choose("nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert page.url.endswith(f"/races/{startlist_race.id}/")  # the same page, now in Dutch
    page.wait_for_selector('[data-status="live"]', state="attached")
    expect(page.locator("#upcoming")).to_be_visible()
    expect(page.locator("h2", has_text="Nog te rijden")).to_be_visible()
    expect(page.locator(".language button[value=nl]")).to_be_disabled()
    page.screenshot(path=str(ARTIFACTS / "dutch-switch.png"))

    choose("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2", has_text="Still to skate")).to_be_visible()


def test_without_the_catalogue_the_page_still_works_in_english_words(live_url, browser, startlist_race):
    race_id = pair_one_skated(startlist_race)
    context = browser.new_context(viewport=PHONE, locale=DUTCH)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/jsi18n/**", lambda route: route.abort())
        page.goto(f"{live_url}/races/{race_id}/")
        page.wait_for_selector('[data-status="live"]', state="attached", timeout=10000)
        expect(page.locator("#now-title")).to_have_text("Pair 2 · on the ice")
        assert not errors
    finally:
        context.close()


def test_the_mass_start_console_in_dutch_by_keyboard(open_dutch, official):
    from timing.models import Race
    from timing.startlists import Entry, create_race

    from .test_console_browser import log_in

    race = create_race("Test World Cup", "Men's mass start", "Men", 6400,
                       [Entry(1, "", "Jorrit Bergsma", "NED", bib=7)], kind=Race.MASS_START)
    console = log_in(open_dutch(BOARD), race.id)
    expect(console.locator("#crossing-entry h3")).to_contain_text("Passages van de finishlijn")  # the template's
    expect(console.locator("#laps-to-go-label")).to_have_text("ronden te gaan")  # the script's
    console.keyboard.press("s")
    expect(console.locator("#bib")).to_be_focused()
    console.keyboard.press("Enter")  # no bib yet
    expect(console.locator("#crossing-message")).to_have_text("Typ eerst het rugnummer, bijvoorbeeld 7.")
    console.keyboard.type("7")
    console.keyboard.press("Enter")
    console.keyboard.type("31.20")
    console.keyboard.press("Enter")
    expect(console.locator("#crossing-message")).to_have_text("Ronde 1 opgeslagen voor rugnummer 7 (Jorrit Bergsma) op 31.20.")
    expect(console.locator("#crossing-rows button").first).to_have_text("Corrigeren")
    console.screenshot(path=str(ARTIFACTS / "dutch-mass-start-console.png"), full_page=True)


def test_the_held_splits_panel_in_dutch(open_dutch, startlist_race, official):
    from timing import services

    from .test_console_browser import log_in

    lynx = services.Actor.from_device("lynx")
    services.start_pair(startlist_race.id, 1, services.IMPORT)
    services.hold_split(startlist_race.id, 1, "inner", 19_000, lynx, "fits no point", ())
    console = log_in(open_dutch(BOARD), startlist_race.id)
    expect(console.locator("#held-count")).to_have_text("1 vastgehouden tussentijd")
    expect(console.locator("#held-panel thead")).to_contain_text("Plaatsen op")  # the template's
    expect(console.locator("#held-rows")).to_contain_text("geen meetpunt past:")  # the script's
    expect(console.locator('#held-rows [data-role="discard"]')).to_contain_text("Verwerpen")
    console.screenshot(path=str(ARTIFACTS / "dutch-held-splits.png"), full_page=True)
