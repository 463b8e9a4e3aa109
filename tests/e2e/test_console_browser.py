"""An official logs in and runs a pair from the keyboard; the stadium board follows."""
import re

import pytest
from playwright.sync_api import expect

from timing import services
from timing.models import Change, Passing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # tests/conftest.py's official


def log_in(screen, race_id, where=""):
    """The race's console (or its page `where`, such as "audit/"), reached through the login page."""
    page = screen.page
    page.goto(f"{screen.base}/login/?next=/officials/races/{race_id}/{where}")
    page.fill("#id_username", "official")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(re.compile(rf"/officials/races/{race_id}/{where}$"))
    if not where:
        page.wait_for_selector('#conn[data-status="live"]', state="attached", timeout=10000)
    return page


def board_time(board, lane, point):
    return board.locator(f'#lane-{lane} tr[data-point="{point}"] td.time')


def test_an_official_runs_a_pair_from_the_keyboard_and_the_board_follows(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.set_current_pair(race_id, 14, services.REPLAY)
    console = log_in(open_screen(), race_id)
    board = open_screen().open(f"/races/{race_id}/board/")
    expect(console.locator("#pair-number")).to_have_text("14")

    console.keyboard.press("n")  # next pair: Takagi (inner) and Leerdam (outer)
    expect(console.locator("#pair-number")).to_have_text("15")
    expect(board.locator("#pairno")).to_have_text("Pair 15 / 15")
    expect(console.locator("#lane-outer [data-role=skater]")).to_contain_text("Jutta Leerdam")

    console.keyboard.press("s")  # the start signal; the focus lands in the inner lane's time
    expect(console.locator("#start")).to_be_disabled()
    expect(console.locator("#time-inner")).to_be_focused()

    # In the inner time field a letter is refused with a hint; Esc leaves the field, then O is the shortcut.
    console.keyboard.press("o")
    expect(console.locator("#hint-inner")).to_contain_text("“o” is not part of a time")
    expect(console.locator("#time-inner")).to_be_focused()
    console.keyboard.press("Escape")
    console.keyboard.press("o")
    expect(console.locator("#time-outer")).to_be_focused()
    expect(console.locator("#time-inner")).to_have_value("")
    expect(console.locator("#hint-inner")).to_be_empty()
    expect(console.locator("#point-outer")).to_have_value("200")
    console.keyboard.type("17.68")
    console.keyboard.press("Enter")
    expect(board_time(board, "outer", 200)).to_contain_text("17.68")
    expect(console.locator("#time-outer")).to_have_value("")
    expect(console.locator("#message-outer")).to_have_text("Saved 17.68 at 200 m for pair 15 outer (Jutta Leerdam).")
    expect(console.locator("#point-outer")).to_have_value("600")

    sent = []
    console.on("request", lambda r: r.url.endswith("/passings") and sent.append(r))
    console.keyboard.type("43.78")
    console.keyboard.press("Enter")
    console.keyboard.press("Enter")  # a double Enter must not store the time twice
    expect(board_time(board, "outer", 600)).to_contain_text("43.78")
    assert list(Passing.objects.filter(start__pair__race_id=race_id, distance=600).values_list("time_ms")) == [(43780,)]
    # The second Enter found the field cleared, or carried the same key and got the first answer: never a 409.
    answers = [(r.response().status, r.header_value("idempotency-key"), r.response().header_value("idempotent-replayed"))
               for r in sent]
    assert {(status, key) for status, key, _ in answers} == {(201, answers[0][1])}, answers
    assert [replayed for _, _, replayed in answers].count(None) == 1, answers  # written once, replayed after

    # the inner lane, then a correction from the console with a reason
    expect(console.locator("#message-outer")).to_have_text("Saved 43.78 at 600 m for pair 15 outer (Jutta Leerdam).")
    console.keyboard.press("Escape")
    console.keyboard.press("i")
    console.keyboard.type("17.60")
    console.keyboard.press("Enter")
    expect(board_time(board, "inner", 200)).to_contain_text("17.60")
    console.locator("#lane-inner tbody button", has_text="Correct").click()
    editor = console.locator('#lane-inner [data-role="edit-time"]')
    expect(editor).to_be_focused()
    editor.fill("17.61")
    console.keyboard.press("Tab")
    console.keyboard.type("photo finish")
    console.keyboard.press("Enter")
    expect(board_time(board, "inner", 200)).to_contain_text("17.61")

    # every change is in the console's audit panel, newest first, with who and why
    first_row = console.locator("#audit-table tbody tr").first
    expect(first_row).to_contain_text("Correction")
    expect(first_row).to_contain_text("photo finish")
    expect(first_row).to_contain_text("official")
    assert Change.objects.filter(race_id=race_id, source="official").count() == 6


def test_a_refused_entry_is_explained_next_to_the_field_and_changes_nothing(open_screen, startlist_race, official):
    race_id = startlist_race.id
    screen = open_screen()
    console = log_in(screen, race_id)
    version = startlist_race.version
    console.keyboard.press("o")
    console.keyboard.type("1.00")
    console.keyboard.press("Enter")
    error = console.locator("#message-outer")
    expect(error).to_contain_text("faster than any skater")
    expect(console.locator("#time-outer")).to_have_attribute("aria-invalid", "true")
    assert Passing.objects.count() == 0 and type(startlist_race).objects.get(pk=race_id).version == version
    # the browser logs the 400 answer itself; that one is expected
    screen.problems = [p for p in screen.problems if "status of 400" not in p]
