"""Classifications beyond their own page: the venue board between races (it shows the
classification once the race on the ice is final, and the next race when it is called and
started), the announcer's targets for the pair on the ice, the classification page's TV delay,
and the officials' form that edits and deletes one by keyboard."""
import re
import time

import pytest
from playwright.sync_api import expect

from timing import classification_table, demo_championship, services
from timing.classifications import create_classification
from timing.models import Classification
from timing.rules.classification import distance_points, format_points
from timing.rules.times import parse_time
from timing.startlists import Entry, create_race

from .conftest import ARTIFACTS, BOARD, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SWITCH_MS = 5000
FOUR = [("Joy Beune", "NED", "38.21"), ("Ragne Wiklund", "NOR", "38.90"),
        ("Irene Schouten", "NED", "39.50"), ("Isabelle Weidemann", "CAN", "38.60")]


def three(row):
    return sum(distance_points(d, parse_time(t)) for d, t in zip((500, 3000, 1500), row[2:5]))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def a_championship():
    entries = [Entry(n // 2 + 1, ("inner", "outer")[n % 2], name, nation) for n, (name, nation, _) in enumerate(FOUR)]
    races = [create_race("Board Championship", f"Women's {d} m", "Women", d, entries) for d in (500, 3000, 1500, 5000)]
    c = create_classification(races[0].competition_id, "Allround women", "allround", [r.id for r in races], services.REPLAY)
    return races, c


def test_the_venue_board_shows_the_classification_after_the_last_pair_and_the_next_race_when_it_goes_on(open_screen):
    races, c = a_championship()
    r500, r3000 = races[0], races[1]
    services.set_on_ice(r500.competition_id, r500.id, services.REPLAY)
    page = open_screen(BOARD).open(f"/competitions/{r500.competition_id}/board/")
    screen = page.locator("#screen")
    for n, (pair, lane) in enumerate([(1, "inner"), (1, "outer"), (2, "inner"), (2, "outer")]):
        if lane == "inner":
            services.start_pair(r500.id, pair, services.REPLAY)
        services.record_passing(r500.id, pair, lane, 500, parse_time(FOUR[n][2]), services.REPLAY)
    expect(screen).to_have_attribute("data-show", "race", timeout=SWITCH_MS)

    # The last pair is in and the race made final: the venue shows the allround between races.
    services.set_race_state(r500.id, "final", services.REPLAY)
    expect(screen).to_have_attribute("data-show", "classification", timeout=SWITCH_MS)
    rows = page.locator(".sheet-classification .cl-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Joy Beune")
    expect(rows.nth(0).locator(".points")).to_have_text("38.210")
    expect(rows.nth(1)).to_contain_text("Isabelle Weidemann")
    expect(rows.nth(1).locator(".behind")).to_have_text("+0.390")
    table = classification_table.build(c)
    first = table["next"]["targets"][0]
    expect(page.locator(".cl-next-title")).to_have_text("3000 m · to lead")
    expect(page.locator(f'.cl-target[data-skater="{first["skater"]["name"]}"] .lead')).to_have_text(first["lead"]["text"])
    shot(page, "venue-board-classification.png")

    # The 3000 m is called to the ice: its start list; its first pair starts: its board.
    services.set_on_ice(r3000.competition_id, r3000.id, services.REPLAY)
    expect(screen).to_have_attribute("data-show", "between", timeout=SWITCH_MS)
    services.start_pair(r3000.id, 1, services.REPLAY)
    expect(screen).to_have_attribute("data-show", "race", timeout=SWITCH_MS)
    expect(screen).to_have_attribute("data-race", str(r3000.id))


def test_the_venue_board_shows_the_demo_allround_with_the_line_under_the_eighth(open_screen):
    c, _ = demo_championship.load()
    by_three = sorted(demo_championship.SKATERS, key=three)
    page = open_screen(BOARD).open(f"/competitions/{c.competition_id}/board/")
    expect(page.locator("#screen")).to_have_attribute("data-show", "classification", timeout=SWITCH_MS)
    rows = page.locator(".cl-row")
    expect(rows).to_have_count(10)
    expect(rows.nth(0)).to_contain_text(by_three[0][0])
    expect(rows.nth(0).locator(".points")).to_have_text(format_points(three(by_three[0])))
    expect(page.locator(".cl-row.cut")).to_have_count(1)
    expect(rows.nth(7)).to_have_class(re.compile(r"\bcut\b"))
    expect(page.locator(".cl-target")).to_have_count(8)
    expect(page.locator(".cl-target").first).to_contain_text(by_three[7][0])  # pair 1: the eighth qualifier
    expect(page.locator(".sheet-classification .demo")).to_be_visible()
    shot(page, "venue-board-classification-demo.png")


def test_the_announcer_shows_what_the_two_skaters_on_the_ice_need_in_the_classification(open_screen):
    c, _ = demo_championship.load()
    r5000 = c.ordered_races()[-1]
    targets = classification_table.build(c)["next"]["targets"]
    pair1 = {t["lane"]: t for t in targets if t["pair"] == 1}
    page = open_screen({"width": 1600, "height": 1000}).open(f"/races/{r5000.id}/announcer/")
    for lane in ("inner", "outer"):
        t = pair1[lane]
        block = page.locator(f'.card[data-lane="{lane}"] .classif-target[data-classification="{c.id}"]')
        expect(block).to_contain_text("Allround")
        expect(block.locator(".classif-lead")).to_contain_text(t["lead"]["text"])
        expect(block.locator(".classif-podium")).to_contain_text(t["podium"]["text"])
        expect(block.locator(".classif-standing")).to_contain_text(f"{t['points']} pts")
    assert pair1["inner"]["rank"] == 8  # the demo's pair 1: the last qualifiers
    expect(page.locator('.card[data-lane="inner"] .classif-standing')).to_contain_text("8th")
    expect(page.locator(".next .classif-next").first).to_contain_text("Allround")  # pair 2, briefly
    shot(page, "announcer-classification.png")

    # Pair 1 inner finishes: the outer skater's target is now a time against hers, on the page at once.
    services.start_pair(r5000.id, 1, services.REPLAY)
    eighth = sorted(demo_championship.SKATERS, key=three)[7]
    services.record_passing(r5000.id, 1, "inner", 5000, parse_time(eighth[5]), services.REPLAY)
    now = {t["lane"]: t for t in classification_table.build(c)["next"]["targets"] if t["pair"] == 1}
    assert "or faster" in now["outer"]["lead"]["text"]
    expect(page.locator('.card[data-lane="outer"] .classif-lead')).to_contain_text(now["outer"]["lead"]["text"], timeout=SWITCH_MS)


def test_the_classification_page_with_a_delay_shows_a_change_only_after_it(open_screen):
    c, _ = demo_championship.load()
    r5000 = c.ordered_races()[-1]
    by_three = sorted(demo_championship.SKATERS, key=three)
    page = open_screen(PHONE).open(f"/classifications/{c.id}/?delay=5")
    expect(page.locator("#delay-note")).to_have_text("TV delay: 5 s behind live")
    rows = page.locator("#classif tr")
    expect(rows.nth(0)).to_contain_text(by_three[0][0], timeout=8000)  # the first table waits out the delay too
    eighth = by_three[7]
    services.start_pair(r5000.id, 1, services.REPLAY)
    posted = time.monotonic()
    services.record_passing(r5000.id, 1, "inner", 5000, parse_time(eighth[5]), services.REPLAY)
    page.wait_for_timeout(2000)
    expect(rows.nth(0)).to_contain_text(by_three[0][0], timeout=100)  # still the old table
    expect(rows.nth(0)).to_contain_text(eighth[0], timeout=6000)
    assert time.monotonic() - posted >= 5.0
    shot(page, "classification-delay.png")


@pytest.mark.parametrize("asked,note", [("900", "TV delay: 600 s behind live"), ("-5", None), ("soon", None)])
def test_a_classification_delay_out_of_range_falls_back_like_the_race_pages(open_screen, asked, note):
    c, _ = demo_championship.load()
    page = open_screen(PHONE).open(f"/classifications/{c.id}/?delay={asked}")
    if note is None:
        expect(page.locator("#delay-note")).to_be_hidden()
        expect(page.locator("#classif tr")).to_have_count(10)  # no delay: the table at once
    else:
        expect(page.locator("#delay-note")).to_have_text(note)
        page.wait_for_timeout(1000)
        expect(page.locator("#classif tr")).to_have_count(0)


def test_an_official_edits_and_deletes_a_classification_by_keyboard(open_screen, official):
    races, c = a_championship()
    screen = open_screen({"width": 1280, "height": 900})
    page = screen.page
    page.goto(f"{screen.base}/login/?next=/officials/competitions/{races[0].competition_id}/classifications/")
    page.focus("#id_username")
    page.keyboard.type("official")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/classifications/$"))
    page.get_by_role("link", name="Edit Allround women").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?edit="))
    expect(page.locator("h2")).to_have_text("Edit Allround women")
    shot(page, "officials-classification-edit.png")

    # A kind the races do not make: refused with the reason, nothing changed.
    page.focus('select[name="kind"]')
    page.keyboard.press("ArrowDown")  # allround -> sprint
    page.focus('input[name="name"]')
    page.keyboard.press("Enter")
    expect(page.locator("#error")).to_contain_text("A sprint is 500, 1000, 500, 1000 m")
    assert screen.problems == ["error: Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    screen.problems.clear()
    shot(page, "officials-classification-refused.png")
    assert Classification.objects.get().kind == "allround"

    # Back to allround, a new name, Enter: saved, and the page of the classification opens.
    page.focus('select[name="kind"]')
    page.keyboard.press("ArrowUp")
    page.focus('input[name="name"]')
    page.keyboard.press("Control+a")
    page.keyboard.type("Allround women (WK)")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/classifications/{c.id}/$"))
    expect(page.locator("h1")).to_have_text("Allround women (WK)")

    page.goto(f"{screen.base}/officials/competitions/{races[0].competition_id}/classifications/?edit={c.id}")
    page.get_by_role("button", name="Delete Allround women (WK)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/classifications/$"))
    expect(page.locator("main li").first).to_have_text("None yet.")
    assert not Classification.objects.exists()


def test_an_official_puts_a_classification_on_a_named_screen_from_the_screens_page(open_screen, official):
    races, c = a_championship()
    comp_id = races[0].competition_id
    named = open_screen().open(f"/screens/east-stand/?competition={comp_id}")
    expect(named.locator("#screen")).to_have_attribute("data-show", "between")  # nothing over yet
    officials = open_screen({"width": 1400, "height": 800})
    desk = officials.page
    desk.goto(f"{named.url.split('/screens/')[0]}/login/?next=/officials/competitions/{comp_id}/screens/")
    desk.fill("#id_username", "official")
    desk.fill("#id_password", PASSWORD)
    desk.press("#id_password", "Enter")
    row = desk.locator('tr[data-screen="east-stand"]')
    row.locator("select[name=mode]").select_option("classification")
    expect(row.locator("select[name=race]")).to_be_hidden()
    row.locator("select[name=classification]").select_option(str(c.id))
    row.locator("button").click()
    expect(named.locator("#screen")).to_have_attribute("data-show", "classification", timeout=SWITCH_MS)
    expect(named.locator(".sheet-classification .sheet-title")).to_have_text("Allround women")
    expect(named.locator(".cl-row")).to_have_count(4)  # everyone entered, to skate
    expect(row.locator(".shows")).to_have_text("Classification: Allround women", timeout=5000)
    shot(desk, "officials-screens-classification.png")
    shot(named, "named-screen-classification.png")


def test_the_competition_announcer_follows_the_next_race_while_the_venue_shows_the_classification(open_screen):
    c, _ = demo_championship.load()
    page = open_screen({"width": 1600, "height": 1000}).open(f"/competitions/{c.competition_id}/announcer/")
    expect(page.locator(".head h1")).to_have_text("Women's 5000 m (invented demo)")
    expect(page.locator(f'.card[data-lane="inner"] .classif-target[data-classification="{c.id}"]')).to_be_visible()
