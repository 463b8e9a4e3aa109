"""The result list in Chromium: the board turns to it when the race is closed, live and without a
reload, and back to the pairs when it is reopened; the result page on screen and in print (A4,
black on white). Screenshots go to tests/artifacts/ for a person to look at."""
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.results_races import DQ_REASON, with_statuses
from timing import services
from timing.models import Race

from .conftest import ARTIFACTS, BOARD, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_the_race_turns_the_board_to_the_result_list_and_reopening_turns_it_back(open_screen, demo_race):
    ARTIFACTS.mkdir(exist_ok=True)
    race = with_statuses(demo_race, close=False)
    screen = open_screen(BOARD)
    board = screen.open(f"/races/{race.id}/board/")
    expect(board.locator("#lane-outer .name")).to_contain_text("Jutta Leerdam")
    expect(board.locator("#results")).to_be_hidden()
    board.evaluate("() => { window.notReloaded = true; }")

    services.set_race_state(race.id, Race.FINAL, services.REPLAY)
    results = board.locator("#results")
    expect(results).to_be_visible(timeout=2000)
    expect(board.locator("#board")).to_have_attribute("data-view", "results")
    expect(board.locator("#lanes, .lanes")).to_be_hidden()
    rows = results.locator("li.result-row")
    expect(rows).to_have_count(30)
    expect(rows.first).to_contain_text("Jutta Leerdam")
    expect(rows.first.locator(".time")).to_have_text("1:12.31")
    expect(rows.first.locator(".record")).to_have_text("OR")
    smeding = rows.nth(10)
    expect(smeding.locator(".name")).to_have_text("Ellia Smeding")
    expect(smeding.locator(".behind")).to_have_text("+3.52")
    hansen = results.locator('li.result-row[data-pair="2"][data-lane="outer"]')
    expect(hansen.locator(".time")).to_have_text("DQ")
    expect(hansen.locator(".reason")).to_have_text(f"Disqualified: {DQ_REASON}")
    expect(results.locator(".official-mark")).to_have_text("official")
    expect(board.locator("#state")).to_have_text("FINAL")
    assert board.evaluate("() => window.notReloaded") is True
    assert board.evaluate("() => document.documentElement.scrollHeight") <= BOARD["height"]
    last = rows.last.bounding_box()
    assert last["y"] + last["height"] <= BOARD["height"], "the whole list fits on the board"
    board.screenshot(path=ARTIFACTS / "board-results-1920x1080.png")

    services.set_race_state(race.id, Race.LIVE, services.REPLAY, reason="late correction")
    expect(results).to_be_hidden(timeout=2000)
    expect(board.locator("#board")).to_have_attribute("data-view", "pairs")
    expect(board.locator(".lanes")).to_be_visible()
    assert board.evaluate("() => window.notReloaded") is True


def test_the_result_page_on_screen_and_in_print(open_screen, demo_race):
    ARTIFACTS.mkdir(exist_ok=True)
    race = with_statuses(demo_race, close=False)
    screen = open_screen({"width": 1280, "height": 900})
    page = screen.page
    page.goto(f"{screen.base}/races/{race.id}/results/")
    expect(page.locator("#official-mark")).to_have_text("UNOFFICIAL")
    expect(page.locator("tbody.skater").first).to_contain_text("Jutta Leerdam")
    expect(page.locator(".reason", has_text=DQ_REASON)).to_be_visible()
    page.screenshot(path=ARTIFACTS / "results-screen-1280.png", full_page=True)

    page.emulate_media(media="print")
    white = "rgb(255, 255, 255)"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == white
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    expect(page.locator(".site-bar")).to_be_hidden()
    page.screenshot(path=ARTIFACTS / "results-print-emulated.png", full_page=True)
    pdf = page.pdf(path=ARTIFACTS / "results-print-chromium.pdf", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF-")
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox  # the stylesheet's @page size, A4 in points
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)

    phone = open_screen(PHONE).page
    phone.goto(f"{screen.base}/races/{race.id}/results/")
    expect(phone.locator("tbody.skater").first).to_contain_text("Jutta Leerdam")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=ARTIFACTS / "results-phone-390.png")


def test_a_board_opened_on_a_closed_race_shows_its_result_list(open_screen, demo_race):
    board = open_screen(BOARD).open(f"/races/{demo_race.id}/board/")
    expect(board.locator("#results")).to_be_visible(timeout=2000)
    expect(board.locator("#results li.result-row")).to_have_count(30)
    expect(board.locator("#results li.result-row").nth(10)).to_contain_text("Ellia Smeding")
    expect(board.locator(".lanes")).to_be_hidden()
