"""The classification page on a phone: the table (points per distance, behind, the line under the
eight qualifiers), the targets for the next distance, and the table reordering live when a time
is posted in one of its races (pushed on the competition socket)."""
import re

import pytest
from playwright.sync_api import expect

from timing import demo_championship, services
from timing.rules.classification import distance_points, format_points
from timing.rules.times import parse_time

from .conftest import ARTIFACTS, BOARD, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def three(row):
    return sum(distance_points(d, parse_time(t)) for d, t in zip((500, 3000, 1500), row[2:5]))


def test_the_page_reorders_when_a_time_is_posted_and_shows_the_targets(open_screen):
    c, _ = demo_championship.load()
    fifth = c.ordered_races()[-1]
    by_three = sorted(demo_championship.SKATERS, key=three)
    screen = open_screen(PHONE)
    page = screen.open(f"/classifications/{c.id}/")

    rows = page.locator("#classif tr")
    expect(rows).to_have_count(10)
    expect(rows.nth(0)).to_contain_text(by_three[0][0])
    expect(rows.nth(0).locator("td.points")).to_have_text(format_points(three(by_three[0])))
    expect(rows.nth(1).locator("td.points .behind")).to_have_text("+" + format_points(three(by_three[1]) - three(by_three[0])))
    expect(page.locator("#classif tr.cut")).to_have_count(1)
    expect(rows.nth(7)).to_have_class(re.compile(r"\bcut\b"))  # the line under the eighth
    expect(page.locator("#demo")).to_be_visible()
    # Before the 5000 m nobody has skated it: the targets are differences against the leader.
    leader, second = by_three[0][0], by_three[1][0]
    card = page.locator(f'#targets .target-card[data-skater="{second}"]')
    gap_hundredths = three(by_three[1]) - three(by_three[0])  # 5000 m: a thousandth of a point is 0.01 s
    expect(card).to_contain_text(f"{gap_hundredths // 100}.{gap_hundredths % 100:02d} s faster than {leader}")
    # Pair 1 is up: the two skaters' targets also stand above the table.
    expect(page.locator("#now .target-card")).to_have_count(2)
    expect(page.locator("#now-title")).to_have_text("Pair 1 · 5000 m · what they need")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "classification-before-5000.png"), full_page=True)

    # Pair 1 skates: the eighth qualifier (inner) finishes; she alone has four distances and leads.
    eighth = by_three[7]
    services.start_pair(fifth.id, 1, services.REPLAY)
    services.record_passing(fifth.id, 1, "inner", 5000, parse_time(eighth[5]), services.REPLAY)
    expect(rows.nth(0)).to_contain_text(eighth[0], timeout=2000)
    total = three(eighth) + distance_points(5000, parse_time(eighth[5]))
    expect(rows.nth(0).locator("td.points")).to_have_text(format_points(total))
    expect(page.locator("#classif tr.cut")).to_contain_text(by_three[6][0])  # still under the last qualified
    expect(rows.nth(0).locator("td.rank")).to_have_text("1.")
    # The others now need a time against her total.
    seventh = by_three[6]
    need = total - three(seventh)  # 5000 m points are the hundredths
    card = page.locator(f'#targets .target-card[data-skater="{seventh[0]}"]')
    expect(card).to_contain_text(f"{need // 6000}:{need % 6000 // 100:02d}.{need % 100:02d} or faster")

    # Pair 1 outer: the seventh qualifier, faster on the 5000 m; the table reorders again.
    services.record_passing(fifth.id, 1, "outer", 5000, parse_time(seventh[5]), services.REPLAY)
    totals = sorted([(total, eighth[0]), (three(seventh) + distance_points(5000, parse_time(seventh[5])), seventh[0])])
    expect(rows.nth(0)).to_contain_text(totals[0][1], timeout=2000)
    expect(rows.nth(1)).to_contain_text(totals[1][1])
    page.screenshot(path=str(ARTIFACTS / "classification-after-pair-1.png"), full_page=True)


def test_the_announcer_and_the_venue_board_show_the_pair_up_and_the_table(open_screen):
    c, _ = demo_championship.load()
    by_three = sorted(demo_championship.SKATERS, key=three)
    ARTIFACTS.mkdir(exist_ok=True)
    for view, viewport in [("announcer", {"width": 1280, "height": 800}), ("board", BOARD)]:
        page = open_screen(viewport).open(f"/classifications/{c.id}/{view}/")
        now = page.locator("#now .target-card")
        expect(now).to_have_count(2)
        expect(now.nth(0)).to_contain_text(by_three[7][0])  # pair 1: the two last qualifiers
        expect(now.nth(1)).to_contain_text(by_three[6][0])
        expect(page.locator("#next")).to_be_hidden()
        expect(page.locator("#classif tr")).to_have_count(10)
        page.screenshot(path=str(ARTIFACTS / f"classification-{view}.png"))
