"""Held splits in the console, keyboard only: a device split no single point fits appears at once
(the snapshot's count moves, the console fetches the list), the official places it with one key
and the boards show the time at that point; a discard, with its reason, takes it away."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_console_browser import board_time, log_in
from tests.e2e.test_console_safety import expected_problems, times
from timing import services
from timing.models import Change, HeldSplit, Start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LYNX = services.Actor.from_device("lynx")


def test_a_held_split_appears_live_and_is_placed_with_one_key(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.start_pair(race_id, 1, LYNX)
    services.record_passing(race_id, 1, "outer", 200, 18_050, LYNX)
    screen = open_screen()
    console = log_in(screen, race_id)
    board = open_screen().open(f"/races/{race_id}/board/")
    panel = console.locator("#held-panel")
    expect(panel).to_be_hidden()

    # As the Lynx listener does when 1:12.31 fits both 600 m and 1000 m.
    held = services.hold_split(race_id, 1, "outer", 72_310, LYNX, "72.310 s fits 600 m and 1000 m", (600, 1000))
    expect(panel).to_be_visible()
    expect(console.locator("#held-count")).to_have_text("1 held split")
    row = console.locator(f'#held-rows tr[data-held="{held.id}"]')
    skater = Start.objects.get(pair__race_id=race_id, pair__number=1, lane="outer").skater.name
    expect(row.locator("td").nth(2)).to_have_text(skater)
    expect(row.locator("td.time")).to_have_text("1:12.31")
    expect(row.locator("td").nth(1)).to_have_text("outer")
    expect(row.locator("button.point")).to_have_text(["1 600 m", "2 1000 m"])
    expect(row.locator("td.arrived")).to_contain_text("s ago")
    ARTIFACTS.mkdir(exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-held.png"), full_page=True)

    sent = []
    console.on("requestfinished", lambda r: "/place" in r.url and sent.append(
        (r.response().status, r.post_data_json, r.header_value("idempotency-key"))))
    console.keyboard.press("h")  # the oldest held split, ready for its key
    expect(row.locator('[data-role="place-1"]')).to_be_focused()
    console.keyboard.press("2")  # 1000 m: one key
    expect(console.locator("#held-message")).to_contain_text("Placed 1:12.31 at 1000 m for pair 1 outer")
    expect(panel).to_be_hidden()
    expect(console.locator('#lane-outer tr[data-point="1000"]')).to_contain_text("1:12.31")
    expect(board_time(board, "outer", 1000)).to_contain_text("1:12.31")
    assert times(race_id, 1, "outer") == [(200, 18_050), (1000, 72_310)]
    assert HeldSplit.objects.get(pk=held.id).placed.distance == 1000
    assert [(status, body) for status, body, _ in sent] == [(201, {"distance": 1000})] and sent[0][2]
    assert Change.objects.filter(race_id=race_id).latest("version").reason == f"placed from held split {held.id}"
    # The race did not move to a pair, nor started anything: digits in the panel are points only.
    assert console.locator("#pair-number").text_content() == "1"


def test_a_split_no_point_fits_offers_the_next_point_and_a_discard_needs_a_reason(open_screen, startlist_race, official):
    race_id = startlist_race.id
    services.start_pair(race_id, 1, LYNX)
    services.record_passing(race_id, 1, "inner", 200, 18_190, LYNX)
    screen = open_screen()
    console = log_in(screen, race_id)
    stray = services.hold_split(race_id, 1, "inner", 19_000, LYNX, "0.810 s after 200 m fits no point", ())
    later = services.hold_split(race_id, 1, "inner", 46_050, LYNX, "46.050 s fits no point", ())
    rows = console.locator("#held-rows tr")
    expect(rows).to_have_count(2)
    expect(console.locator("#held-count")).to_have_text("2 held splits")
    first = console.locator(f'#held-rows tr[data-held="{stray.id}"]')
    expect(first.locator("select")).to_have_value("600")  # her next point, as the server says

    # D asks for the reason; an empty one is refused with the server's words, Esc goes back.
    console.keyboard.press("h")
    expect(first.locator('[data-role="place-chosen"]')).to_be_focused()
    console.keyboard.press("d")
    reason = first.locator('[data-role="discard-reason"]')
    expect(reason).to_be_focused()
    console.keyboard.press("Enter")
    expect(console.locator("#held-message")).to_have_text("Give a reason: it goes into the audit trail.")
    console.keyboard.type("a stray read of the next pair")
    console.keyboard.press("Enter")
    expect(console.locator("#held-message")).to_contain_text("Discarded 19.00 for pair 1 inner")
    expect(rows).to_have_count(1)
    assert HeldSplit.objects.get(pk=stray.id).discard_reason == "a stray read of the next pair"
    assert times(race_id, 1, "inner") == [(200, 18_190)]

    # The other one: Enter on Place puts it at her next point (600 m).
    console.keyboard.press("h")
    expect(console.locator(f'#held-rows tr[data-held="{later.id}"] [data-role="place-chosen"]')).to_be_focused()
    console.keyboard.press("Enter")
    expect(console.locator("#held-panel")).to_be_hidden()
    expect(console.locator('#lane-inner tr[data-point="600"]')).to_contain_text("46.05")
    assert times(race_id, 1, "inner") == [(200, 18_190), (600, 46_050)]
    expected_problems(screen, 400)


def test_a_team_pursuit_console_speaks_of_heats_straights_and_teams(open_screen, official):
    from tests.e2e.test_formats_boards import pursuit

    race = pursuit()
    services.start_pair(race.id, 1, LYNX)
    console = log_in(open_screen(), race.id)
    expect(console.locator("#lane-inner h3")).to_contain_text("Home straight")
    expect(console.locator("#lane-outer h3")).to_contain_text("Back straight")
    expect(console.locator(".pair-bar h2")).to_contain_text("Heat 1")
    expect(console.locator('#lane-inner [data-role="skater"]')).to_contain_text("Netherlands (NED)")
    expect(console.locator('#lane-inner [data-role="members"]')).to_have_text("Demo NED 1 · Demo NED 2 · Demo NED 3")
    console.keyboard.press("o")
    console.keyboard.type("30.40")
    console.keyboard.press("Enter")
    expect(console.locator("#message-outer")).to_have_text("Saved 30.40 at 400 m for heat 1 back straight (Canada).")
    assert "inner lane" not in console.locator("#console").inner_text().lower()
    assert "outer lane" not in console.locator("#console").inner_text().lower()
    console.screenshot(path=str(ARTIFACTS / "console-team-pursuit.png"), full_page=True)
