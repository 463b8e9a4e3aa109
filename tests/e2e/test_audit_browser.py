"""The audit trail as an official reads it: the venue's clock, exact times, a pair filter."""
import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_console_browser import log_in
from timing import services
from timing.models import Change

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_the_audit_page_reads_on_the_venues_clock_and_filters_by_pair(open_screen, startlist_race, official):
    competition = startlist_race.competition
    competition.time_zone = "Europe/Rome"
    competition.save()
    race_id = startlist_race.id
    desk = services.Actor.official(official)
    device = services.Actor.from_device("finish-line")
    at = dt.datetime(2026, 2, 9, 17, 3, 0, 538000, tzinfo=dt.timezone.utc)
    services.set_current_pair(race_id, 14, device)
    services.start_pair(race_id, 14, device, at=at)
    services.record_passing(race_id, 14, "outer", 200, 17_900, device)
    p = services.record_passing(race_id, 14, "inner", 200, 18_190, desk)
    services.correct_passing(p.id, 18_210, "photo finish", desk)
    services.set_current_pair(race_id, 15, device)
    services.start_pair(race_id, 15, device, at=at + dt.timedelta(minutes=3))
    services.record_passing(race_id, 15, "inner", 200, 17_610, device)
    Change.objects.filter(race_id=race_id).update(at=at)

    page = log_in(open_screen(), race_id, "audit/")
    expect(page.locator("#zone")).to_have_text("Europe/Rome (CET)")
    rows = page.locator("#audit-table tbody tr")
    expect(rows).to_have_count(8)
    correction = page.locator('#audit-table tr[data-version="5"] td')
    expect(correction).to_have_text(["5", "18:03:00", "official", "Official", "Correction", "pair 14 inner 200 m",
                                     "18.190", "18.210", "photo finish"])
    start = page.locator('#audit-table tr[data-version="2"] td')
    expect(start.nth(4)).to_have_text("Start")
    expect(start.nth(7)).to_have_text("18:03:00.538")
    assert "+00:00" not in page.content() and "T17:03" not in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trail.png"), full_page=True)

    page.select_option("#pair-filter", "15")
    page.click("text=Show")
    page.wait_for_url(re.compile(r"\?pair=15$"))
    expect(rows).to_have_count(3)
    expect(page.locator("#audit-table tbody tr td:nth-child(6)")).to_have_text(["pair 15 inner 200 m", "pair 15", "pair 15"])
    page.screenshot(path=str(ARTIFACTS / "audit-trail-pair-15.png"), full_page=True)


def test_a_team_pursuits_audit_rows_name_heat_team_and_straight(open_screen, official):
    from tests.test_formats_services import TEAMS
    from timing.models import Race
    from timing.startlists import create_race

    race = create_race("Test World Cup", "Women's team pursuit", "Women", 2400, TEAMS, kind=Race.TEAM_PURSUIT)
    device = services.Actor.from_device("finish-line")
    services.start_pair(race.id, 1, device)
    services.record_passing(race.id, 1, "outer", 400, 28_210, device)
    services.record_passing(race.id, 1, "inner", 400, 28_000, device)
    page = log_in(open_screen(), race.id, "audit/")
    expect(page.locator("#audit-table tbody tr td:nth-child(6)")).to_contain_text(
        ["heat 1 Netherlands (NED) home straight 400 m", "heat 1 Canada (CAN) back straight 400 m", "heat 1"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trail-team-pursuit.png"), full_page=True)
