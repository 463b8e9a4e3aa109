"""The mass-start console, keyboard only: bib, Enter, time, Enter stores a crossing; the server
counts the laps, refuses a bib that is not in the start list, and computes the running order and
the sprint points, which the console only shows. Corrections and voids carry a reason; a double
Enter stores once; a crossing the server could not store is retried with the same key."""
import sqlite3
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_console_browser import log_in
from tests.e2e.test_console_safety import expected_problems, short_lock_wait  # noqa: F401
from timing import services
from timing.formats import crossings
from timing.models import Crossing, Race
from timing.startlists import Entry, create_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKATERS = {1: "Bart Swings", 2: "Joey Mantia", 3: "Andrea Giovannini", 7: "Jorrit Bergsma"}


@pytest.fixture
def mass(db):
    entries = [Entry(1, "", name, "NED", bib=bib) for bib, name in SKATERS.items()]
    return create_race("Test World Cup", "Men's mass start", "Men", 6400, entries, kind=Race.MASS_START)


def stored(race_id):
    """(bib, ms) of every current crossing, in time order."""
    return list(Crossing.objects.current().filter(start__pair__race_id=race_id).order_by("time_ms")
                .values_list("start__bib", "time_ms"))


def cross(page, bib, clock):
    page.keyboard.press("Escape")  # out of whichever field; then B is the shortcut to the bib
    page.keyboard.press("b")
    page.keyboard.type(str(bib))
    page.keyboard.press("Enter")  # on to the time
    expect(page.locator("#crossing-time")).to_be_focused()
    page.keyboard.type(clock)
    page.keyboard.press("Enter")


def test_an_official_enters_crossings_by_bib_and_the_running_order_follows(open_screen, mass, official):
    screen = open_screen()
    console = log_in(screen, mass.id)
    expect(console.locator("#lane-inner")).to_have_count(0)
    expect(console.locator("#mass-not-started")).to_be_visible()
    console.keyboard.press("s")  # the start signal; the focus lands in the bib field
    expect(console.locator("#start")).to_be_disabled()
    expect(console.locator("#mass-not-started")).to_be_hidden()
    expect(console.locator("#bib")).to_be_focused()
    console.keyboard.press("Escape")

    message = console.locator("#crossing-message")
    cross(console, 7, "31.20")
    expect(message).to_have_text("Saved lap 1 for bib 7 (Jorrit Bergsma) at 31.20.")
    expect(console.locator("#bib")).to_be_focused()
    expect(console.locator("#bib")).to_have_value("")
    expect(console.locator("#crossing-time")).to_have_value("")
    # Tab works as well as Enter between the two fields.
    console.keyboard.type("1")
    console.keyboard.press("Tab")
    console.keyboard.type("31.45")
    console.keyboard.press("Enter")
    expect(message).to_have_text("Saved lap 1 for bib 1 (Bart Swings) at 31.45.")
    cross(console, 2, "31.90")
    expect(message).to_contain_text("bib 2")
    cross(console, 7, "1:02.10")
    expect(message).to_have_text("Saved lap 2 for bib 7 (Jorrit Bergsma) at 1:02.10.")

    rows = console.locator("#crossing-rows tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("7Jorrit Bergsma21:02.10")  # newest first
    expect(rows.nth(1)).to_contain_text("2Joey Mantia131.90")
    running = console.locator("#running-rows tr")
    expect(running.nth(0)).to_have_attribute("data-bib", "7")
    assert [running.nth(i).get_attribute("data-bib") for i in range(4)] == ["7", "1", "2", "3"]
    expect(running.nth(0).locator("td.laps")).to_have_text("2")
    expect(running.nth(3).locator("td.laps")).to_have_text("0")
    assert stored(mass.id) == [(7, 31200), (1, 31450), (2, 31900), (7, 62100)]

    # A bib that is not in the start list: the server's words, nothing stored.
    version = Race.objects.get(pk=mass.id).version
    cross(console, 9, "1:02.50")
    expect(message).to_have_text("Men's mass start has no skater with bib 9.")
    expect(console.locator("#bib")).to_have_attribute("aria-invalid", "true")
    expect(console.locator("#crossing-time")).not_to_have_attribute("aria-invalid", "true")
    expect(console.locator("#crossing-time")).to_have_value("1:02.50")
    assert len(stored(mass.id)) == 4 and Race.objects.get(pk=mass.id).version == version

    # A letter in the bib field is refused with a hint, and is no shortcut.
    console.keyboard.press("Escape")
    console.keyboard.press("b")
    console.keyboard.press("Control+a")
    console.keyboard.type("1s")
    expect(console.locator("#crossing-hint")).to_contain_text("“s” is not part of a bib")
    expect(console.locator("#bib")).to_have_value("1")
    expect(console.locator("#bib")).to_be_focused()
    assert Race.objects.get(pk=mass.id).version == version

    # A double Enter stores the crossing once: one key, the second try answered from it.
    sent = []
    console.on("request", lambda r: r.url.endswith("/crossings") and sent.append(r))
    console.keyboard.press("Enter")
    console.keyboard.press("Control+a")
    console.keyboard.type("1:02.40")
    console.keyboard.press("Enter")
    console.keyboard.press("Enter")
    expect(message).to_have_text("Saved lap 2 for bib 1 (Bart Swings) at 1:02.40.")
    console.wait_for_timeout(300)
    assert stored(mass.id).count((1, 62400)) == 1
    assert {(r.response().status, r.header_value("idempotency-key")) for r in sent} == {(201, sent[0].header_value("idempotency-key"))}

    # A correction with its reason, from the keyboard: Tab from the entry reaches the newest crossing.
    console.keyboard.press("Tab")  # time
    console.keyboard.press("Tab")  # Record
    console.keyboard.press("Tab")  # Correct, the newest crossing (bib 1, lap 2)
    expect(console.locator('#crossing-rows tr[data-bib="1"] button').first).to_be_focused()
    console.keyboard.press("Enter")
    editor = console.locator('#crossing-rows [data-role="edit-time"]')
    expect(editor).to_be_focused()
    expect(editor).to_have_value("1:02.400")
    console.keyboard.press("Control+a")
    console.keyboard.type("1:02.35")
    console.keyboard.press("Tab")
    console.keyboard.type("photo finish")
    console.keyboard.press("Enter")
    expect(rows.nth(0)).to_contain_text("1:02.35")
    assert (1, 62350) in stored(mass.id) and (1, 62400) not in stored(mass.id)

    # A void needs a reason: without one the server says so; with one, her crossing goes.
    console.locator('#crossing-rows tr[data-bib="2"] button').focus()
    console.keyboard.press("Enter")
    expect(editor).to_be_focused()
    console.keyboard.press("Tab")  # reason, left empty
    console.keyboard.press("Tab")  # Save correction
    console.keyboard.press("Tab")  # Void time
    console.keyboard.press("Enter")
    edit_message = console.locator('#crossing-rows [data-role="edit-message"]')
    expect(edit_message).to_have_text("Give a reason: it goes into the audit trail.")
    assert (2, 31900) in stored(mass.id)
    console.keyboard.press("Shift+Tab")
    console.keyboard.press("Shift+Tab")
    console.keyboard.type("transponder of bib 3 read as 2")
    console.keyboard.press("Tab")
    console.keyboard.press("Tab")
    console.keyboard.press("Enter")
    expect(console.locator('#crossing-rows tr[data-bib="2"]')).to_have_count(0)
    assert stored(mass.id) == [(7, 31200), (1, 31450), (7, 62100), (1, 62350)]
    expect(console.locator('#running-rows tr[data-bib="2"] td.laps')).to_have_text("0")
    first = console.locator("#audit-table tbody tr").first
    expect(first).to_contain_text("transponder of bib 3 read as 2")
    ARTIFACTS.mkdir(exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-mass-start.png"), full_page=True)
    expected_problems(screen, 400, 404)


def test_the_running_order_shows_the_servers_sprint_points(open_screen, mass, official):
    services.start_pair(mass.id, 1, services.REPLAY)
    for lap in (1, 2, 3):
        for bib, offset in ((1, 0), (2, 300), (3, 600)):
            crossings.record_crossing(mass.id, bib, 31000 * lap + offset, services.REPLAY)
    console = log_in(open_screen(), mass.id)
    expect(console.locator("#next-sprint")).to_have_text("next sprint: lap 4")
    expect(console.locator("#laps-to-go")).to_have_text("13")
    cross(console, 2, "2:03.50")
    expect(console.locator("#crossing-message")).to_contain_text("Saved lap 4 for bib 2")
    cross(console, 1, "2:03.80")
    expect(console.locator("#crossing-message")).to_contain_text("Saved lap 4 for bib 1")
    expect(console.locator('#running-rows tr[data-bib="2"] td.points')).to_have_text("3")
    expect(console.locator('#running-rows tr[data-bib="1"] td.points')).to_have_text("2")
    expect(console.locator("#running-rows tr").first).to_have_attribute("data-bib", "2")
    expect(console.locator("#next-sprint")).to_have_text("next sprint: lap 8")
    expect(console.locator("#laps-to-go")).to_have_text("12")

    # DNF by bib, from the status form.
    console.locator("#status-bib").focus()
    console.keyboard.type("3")
    console.keyboard.press("Tab")
    console.keyboard.press("Tab")
    console.keyboard.type("fell, did not go on")
    console.locator("#status-value").select_option("DNF")
    console.locator("#status-reason").press("Enter")
    expect(console.locator('#running-rows tr.out[data-bib="3"]')).to_contain_text("DNF")
    expect(console.locator('#running-rows tr.out[data-bib="3"]')).to_contain_text("fell, did not go on")
    console.screenshot(path=str(ARTIFACTS / "console-mass-start-points.png"), full_page=True)


def test_a_crossing_the_server_could_not_store_is_retried_until_stored_once(
    open_screen, mass, official, short_lock_wait,  # noqa: F811
):
    services.start_pair(mass.id, 1, services.REPLAY)
    screen = open_screen()
    console = log_in(screen, mass.id)
    sent = []
    console.on("requestfinished", lambda r: r.url.endswith("/crossings") and sent.append(
        (r.response().status, r.header_value("idempotency-key"))))
    console.keyboard.press("b")
    console.keyboard.type("7")
    console.keyboard.press("Enter")
    console.keyboard.type("31.20")
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    message = console.locator("#crossing-message")
    try:
        console.keyboard.press("Enter")
        expect(message).to_contain_text("NOT SAVED YET: bib 7 at 31.20", timeout=10000)
        deadline = time.monotonic() + 10
        while len(sent) < 2 and time.monotonic() < deadline:
            console.wait_for_timeout(100)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    expect(message).to_have_text("Saved lap 1 for bib 7 (Jorrit Bergsma) at 31.20.", timeout=15000)
    assert stored(mass.id) == [(7, 31200)]
    assert len({key for _, key in sent}) == 1 and sent[-1][0] == 201 and all(s >= 500 for s, _ in sent[:-1]), sent
    expected_problems(screen, 500, 503)


def test_esc_while_the_first_try_is_on_its_way_does_not_cancel_the_crossing(open_screen, mass, official):
    services.start_pair(mass.id, 1, services.REPLAY)
    console = log_in(open_screen(), mass.id)
    held = []
    console.route("**/crossings", lambda route: held.append(route))
    cross(console, 7, "31.20")
    for _ in range(100):
        if held:
            break
        console.wait_for_timeout(50)
    assert len(held) == 1, "the crossing was never sent"
    console.keyboard.press("Escape")
    expect(console.locator("#crossing-time")).not_to_be_focused()
    held[0].continue_()
    console.unroute("**/crossings")
    expect(console.locator("#crossing-message")).to_have_text("Saved lap 1 for bib 7 (Jorrit Bergsma) at 31.20.")
    assert stored(mass.id) == [(7, 31200)]
