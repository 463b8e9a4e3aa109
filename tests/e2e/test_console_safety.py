"""The console under pressure, driven by the keyboard: a letter in a time field changes nothing,
a doubtful time or pair needs a second Enter, a void sends the Point box back to the gap, and an
entry the server could not store is retried until it is stored exactly once."""
import sqlite3
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_console_browser import log_in
from timing import services
from timing.models import Competition, Passing, Race
from timing.startlists import clone_race

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICE = services.Actor.from_device("finish-line")


def times(race_id, pair, lane):
    return list(
        Passing.objects.current().filter(start__pair__race_id=race_id, start__pair__number=pair, start__lane=lane)
        .order_by("distance").values_list("distance", "time_ms")
    )


def race_row(race_id):
    return Race.objects.filter(pk=race_id).values("current_pair", "version").get()


def expected_problems(screen, *statuses):
    """The browser logs refused requests itself (a 409 asking for a confirmation, a 500 while the
    database is locked): those are the point of the test, anything else is not."""
    screen.problems = [p for p in screen.problems if not any(f"status of {s}" in p for s in statuses)]


def test_a_letter_in_a_time_field_is_refused_with_a_hint_and_changes_nothing(open_screen, startlist_race, official):
    """The issue: with the cursor in a time field, "ns" moved the race to the next pair and "is"
    started the clock. Now they are refused keystrokes, and say so."""
    race_id = startlist_race.id
    services.set_current_pair(race_id, 14, DEVICE)
    services.start_pair(race_id, 14, DEVICE)
    before = race_row(race_id)
    console = log_in(open_screen(), race_id)
    sent = []
    console.on("request", lambda r: r.method == "POST" and sent.append(r.url))
    console.keyboard.press("i")
    expect(console.locator("#time-inner")).to_be_focused()
    console.keyboard.type("17.6ns")
    expect(console.locator("#hint-inner")).to_contain_text("“s” is not part of a time")
    console.keyboard.type("is")
    expect(console.locator("#time-inner")).to_have_value("17.6")
    expect(console.locator("#time-inner")).to_be_focused()
    expect(console.locator("#pair-number")).to_have_text("14")
    console.keyboard.type("0")  # typing on clears the hint
    expect(console.locator("#hint-inner")).to_be_empty()
    console.wait_for_timeout(300)
    assert sent == [] and race_row(race_id) == before
    assert Race.objects.get(pk=race_id).pairs.get(number=15).started_at is None
    assert Passing.objects.filter(start__pair__race_id=race_id).count() == 0
    console.keyboard.press("Enter")
    expect(console.locator("#message-inner")).to_contain_text("Saved 17.60 at 200 m for pair 14 inner")
    assert times(race_id, 14, "inner") == [(200, 17600)]


def test_a_split_far_behind_the_partner_needs_a_second_enter(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    services.record_passing(race_id, 15, "outer", 200, 17_680, DEVICE)
    screen = open_screen()
    console = log_in(screen, race_id)
    console.keyboard.press("i")
    console.keyboard.type("47.60")  # typed for 17.60
    console.keyboard.press("Enter")
    message = console.locator("#message-inner")
    expect(message).to_have_attribute("data-warning", "behind_partner")
    expect(message).to_contain_text("29.92 s behind the partner's 17.680")
    expect(message).to_contain_text("Press Enter again to store it anyway")
    console.wait_for_timeout(200)
    assert times(race_id, 15, "inner") == []
    ARTIFACTS.mkdir(exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-warning.png"), full_page=True)

    # Changing the time drops the warning: the corrected time goes through at once.
    console.keyboard.press("Backspace")
    expect(message).to_be_empty()
    console.keyboard.press("Escape")  # nothing to drop: leaves the field
    expect(console.locator("#time-inner")).not_to_be_focused()
    console.keyboard.press("i")
    console.keyboard.press("Control+a")
    console.keyboard.type("47.60")
    console.keyboard.press("Enter")
    expect(message).to_have_attribute("data-kind", "warning")
    console.keyboard.press("Enter")  # the deliberate second Enter
    expect(message).to_have_text("Saved 47.60 at 200 m for pair 15 inner (Miho Takagi).")
    assert times(race_id, 15, "inner") == [(200, 47_600)]
    expected_problems(screen, 409)


def test_a_time_for_a_pair_that_has_not_started_asks_first_and_says_where_it_went(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 14, DEVICE)
    services.start_pair(race_id, 14, DEVICE)
    screen = open_screen()
    console = log_in(screen, race_id)
    console.keyboard.press("n")  # pair 15 comes up, not started yet
    expect(console.locator("#pair-number")).to_have_text("15")
    expect(console.locator("#pair-not-started")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    console.keyboard.press("o")
    console.keyboard.type("17.68")
    console.keyboard.press("Enter")
    message = console.locator("#message-outer")
    expect(message).to_have_attribute("data-warning", "not_started")
    expect(message).to_contain_text("Pair 15 has not started: is this the right pair?")
    console.wait_for_timeout(200)
    assert times(race_id, 15, "outer") == []
    console.keyboard.press("Enter")
    expect(message).to_have_text("Saved 17.68 at 200 m for pair 15 outer (Jutta Leerdam).")
    assert times(race_id, 15, "outer") == [(200, 17_680)] and times(race_id, 14, "outer") == []
    expected_problems(screen, 409)


def test_after_a_void_the_point_box_waits_at_the_first_point_without_a_time(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    services.record_passing(race_id, 15, "inner", 200, 17_610, DEVICE)
    services.record_passing(race_id, 15, "inner", 600, 44_570, DEVICE)
    console = log_in(open_screen(), race_id)
    expect(console.locator("#point-inner")).to_have_value("1000")
    console.keyboard.press("i")
    console.keyboard.press("Tab")  # Record
    console.keyboard.press("Tab")  # Correct, 200 m
    expect(console.locator('#lane-inner tr[data-point="200"] button')).to_be_focused()
    console.keyboard.press("Enter")
    expect(console.locator('#lane-inner [data-role="edit-time"]')).to_be_focused()
    expect(console.locator('#lane-inner [data-role="edit-time"]')).to_have_value("17.610")  # format_exact
    console.keyboard.press("Tab")
    console.keyboard.type("transponder read the wrong skater")
    console.keyboard.press("Tab")  # Save correction
    console.keyboard.press("Tab")  # Void time
    console.keyboard.press("Enter")
    expect(console.locator('#lane-inner tr[data-point="200"]')).to_have_count(0)
    expect(console.locator("#point-inner")).to_have_value("200")
    assert times(race_id, 15, "inner") == [(600, 44_570)]
    console.keyboard.press("i")
    console.keyboard.type("17.61")
    console.keyboard.press("Enter")
    expect(console.locator("#message-inner")).to_contain_text("Saved 17.61 at 200 m for pair 15 inner")
    assert times(race_id, 15, "inner") == [(200, 17_610), (600, 44_570)]
    expect(console.locator("#point-inner")).to_have_value("1000")


@pytest.fixture
def short_lock_wait():
    """The server's SQLite connections give up on a lock after 0.3 s instead of 20 s (each request
    opens its connection from these settings), so a locked database fails a write quickly."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("timeout")
    options["timeout"] = 0.3
    yield
    options["timeout"] = saved


def test_an_entry_the_database_could_not_store_says_not_saved_and_is_retried_until_stored_once(
    open_screen, startlist_race, official, short_lock_wait,
):
    """A real fault: another connection holds the database's write lock, so the server cannot store
    the entry and answers with an error. The official sees NOT SAVED YET; when the lock goes, a retry
    with the same Idempotency-Key stores the time exactly once."""
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    screen = open_screen()
    console = log_in(screen, race_id)
    sent = []
    console.on("requestfinished", lambda r: r.url.endswith("/passings") and sent.append(
        (r.response().status, r.header_value("idempotency-key"))))
    console.keyboard.press("o")
    console.keyboard.type("17.68")
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        console.keyboard.press("Enter")
        message = console.locator("#message-outer")
        expect(message).to_contain_text("NOT SAVED YET: 17.68 at 200 m, pair 15 outer", timeout=10000)
        expect(message).to_have_attribute("data-kind", "unsaved")
        console.screenshot(path=str(ARTIFACTS / "console-not-saved.png"), full_page=True)
        deadline = time.monotonic() + 10
        while len(sent) < 2 and time.monotonic() < deadline:  # at least one retry failed too
            console.wait_for_timeout(100)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    expect(message).to_have_text("Saved 17.68 at 200 m for pair 15 outer (Jutta Leerdam).", timeout=15000)
    assert times(race_id, 15, "outer") == [(200, 17_680)]
    statuses = [status for status, _ in sent]
    assert len({key for _, key in sent}) == 1, sent  # one entry, one key, however many tries
    assert statuses[-1] == 201 and all(s >= 500 for s in statuses[:-1]) and len(statuses) >= 3, sent
    expected_problems(screen, 500, 503)


def test_esc_stops_retrying_and_the_official_is_told_it_may_not_be_stored(
    open_screen, startlist_race, official, short_lock_wait,
):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    screen = open_screen()
    console = log_in(screen, race_id)
    console.keyboard.press("i")
    console.keyboard.type("17.61")
    locker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        console.keyboard.press("Enter")
        message = console.locator("#message-inner")
        expect(message).to_contain_text("NOT SAVED YET", timeout=10000)
        console.keyboard.press("Escape")
        expect(message).to_contain_text("Stopped trying: 17.61 at 200 m, pair 15 inner may not be stored")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    console.wait_for_timeout(1500)  # no retry comes after the cancel
    assert times(race_id, 15, "inner") == []
    expected_problems(screen, 500, 503)


def test_esc_while_the_first_try_is_on_its_way_only_leaves_the_field(open_screen, startlist_race, official):
    """Found by CI: Esc pressed a moment after Enter, before the answer came, cancelled an entry the
    server was storing, kept the focus in the field, and the next keys went onto the old time."""
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    console = log_in(open_screen(), race_id)
    held = []
    console.route("**/passings", lambda route: held.append(route))  # it waits here until let go
    console.keyboard.press("o")
    console.keyboard.type("17.68")
    console.keyboard.press("Enter")
    for _ in range(100):
        if held:
            break
        console.wait_for_timeout(50)
    assert len(held) == 1, "the entry was never sent"
    console.keyboard.press("Escape")
    expect(console.locator("#time-outer")).not_to_be_focused()
    console.keyboard.press("i")
    expect(console.locator("#time-inner")).to_be_focused()
    held[0].continue_()
    console.unroute("**/passings")
    message = console.locator("#message-outer")
    expect(message).to_have_text("Saved 17.68 at 200 m for pair 15 outer (Jutta Leerdam).")
    expect(console.locator("#time-outer")).to_have_value("")
    assert times(race_id, 15, "outer") == [(200, 17_680)]
    console.keyboard.type("17.60")
    console.keyboard.press("Enter")
    expect(console.locator("#message-inner")).to_contain_text("Saved 17.60 at 200 m for pair 15 inner")
    assert times(race_id, 15, "inner") == [(200, 17_600)]


def test_a_replayed_race_says_so_and_asks_before_a_manual_entry(open_screen, demo_race, official):
    race = clone_race(demo_race, "Women's 1000 m (live replay)")
    Race.objects.filter(pk=race.pk).update(replay_of=demo_race)
    services.set_current_pair(race.id, 15, services.REPLAY)
    services.start_pair(race.id, 15, services.REPLAY)
    screen = open_screen()
    console = log_in(screen, race.id)
    expect(console.locator("#replay-banner")).to_be_visible()
    console.keyboard.press("i")
    console.keyboard.type("17.61")
    console.keyboard.press("Enter")
    expect(console.locator("#message-inner")).to_have_attribute("data-warning", "replaying")
    assert times(race.id, 15, "inner") == []
    console.screenshot(path=str(ARTIFACTS / "console-replay.png"), full_page=True)
    expected_problems(screen, 409)


def test_next_race_puts_the_next_race_of_the_schedule_on_the_ice(open_screen, startlist_race, official):
    later = clone_race(startlist_race, "Women's 1000 m, second run")
    assert later.competition_id == startlist_race.competition_id
    console = log_in(open_screen(), startlist_race.id)
    button = console.locator("#next-race")
    expect(button).to_have_text("Next race: Women's 1000 m, second run")
    button.focus()
    console.keyboard.press("Enter")
    expect(console.locator("#race-message")).to_contain_text("Press again to confirm")
    assert Competition.objects.get(pk=startlist_race.competition_id).on_ice_id is None
    console.keyboard.press("Enter")
    console.wait_for_url(f"**/officials/races/{later.id}/")
    assert Competition.objects.get(pk=startlist_race.competition_id).on_ice_id == later.id


def test_a_correction_that_warns_needs_a_second_enter_and_esc_drops_an_entrys_warning(
    open_screen, startlist_race, official,
):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 15, DEVICE)
    services.start_pair(race_id, 15, DEVICE)
    services.record_passing(race_id, 15, "outer", 200, 17_680, DEVICE)
    services.record_passing(race_id, 15, "inner", 200, 17_610, DEVICE)
    services.record_passing(race_id, 15, "outer", 600, 44_000, DEVICE)
    screen = open_screen()
    console = log_in(screen, race_id)
    # An entry's warning: Esc drops it and keeps the field; a second Esc leaves the field.
    console.keyboard.press("i")
    console.keyboard.type("48.00")  # 600 m, 4 s behind the partner
    console.keyboard.press("Enter")
    message = console.locator("#message-inner")
    expect(message).to_have_attribute("data-kind", "warning")
    console.keyboard.press("Escape")
    expect(message).to_be_empty()
    expect(console.locator("#time-inner")).to_be_focused()
    console.keyboard.press("Escape")
    expect(console.locator("#time-inner")).not_to_be_focused()
    assert times(race_id, 15, "inner") == [(200, 17_610)]

    # A correction 3 s behind the partner: the editor says so, a second Enter stores it.
    console.locator('#lane-inner tr[data-point="200"] button').focus()
    console.keyboard.press("Enter")
    editor = console.locator('#lane-inner [data-role="edit-time"]')
    expect(editor).to_be_focused()
    console.keyboard.press("Control+a")
    console.keyboard.type("21.61")
    console.keyboard.press("Tab")
    console.keyboard.type("typed from the sheet")
    console.keyboard.press("Enter")
    edit_message = console.locator('#lane-inner [data-role="edit-message"]')
    expect(edit_message).to_contain_text("3.93 s behind the partner's 17.680")
    assert times(race_id, 15, "inner") == [(200, 17_610)]
    console.keyboard.press("Enter")
    expect(console.locator('#lane-inner tr[data-point="200"] td').nth(1)).to_have_text("21.61")
    assert times(race_id, 15, "inner") == [(200, 21_610)]
    expected_problems(screen, 409)
