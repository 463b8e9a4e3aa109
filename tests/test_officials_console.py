"""The officials' pages: who gets in, what the console page holds, and the audit trail."""
import datetime as dt
import re

import pytest
from django.test import Client

from tests.callers import fast_password_hashing  # noqa: F401
from tests.procs import ROOT
from timing import services
from timing.models import Change

pytestmark = pytest.mark.django_db

PAGES = ["/officials/", "/officials/races/{race}/", "/officials/races/{race}/audit/", "/officials/races/{race}/audit.json"]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(page, client, startlist_race):
    response = client.get(page.format(race=startlist_race.id))
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("page", PAGES)
def test_a_logged_in_non_official_gets_403(page, spectator_user, startlist_race):
    assert logged_in(spectator_user).get(page.format(race=startlist_race.id)).status_code == 403


def test_an_unknown_race_is_404(official):
    assert logged_in(official).get("/officials/races/999999/").status_code == 404


def test_the_listing_links_each_race_to_its_console_and_audit_trail(official, startlist_race):
    html = logged_in(official).get("/officials/").content.decode()
    assert f'href="/officials/races/{startlist_race.id}/"' in html
    assert f'href="/officials/races/{startlist_race.id}/audit/"' in html


def test_the_console_has_both_lanes_and_loads_its_module_without_inline_code(official, startlist_race):
    response = logged_in(official).get(f"/officials/races/{startlist_race.id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="lane-inner"' in html and 'id="lane-outer"' in html and 'id="time-inner"' in html
    assert f'data-race="{startlist_race.id}"' in html
    assert "csrfmiddlewaretoken" in html  # the console's fetch() sends it as X-CSRFToken
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in s for s in scripts), "inline scripts break the CSP"
    assert not re.search(r"\sstyle=", html) and "<style" not in html, "inline styles break the CSP"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_console_static_files_are_served(official, startlist_race):
    client = logged_in(official)
    modules = sorted(f"console/{p.name}" for p in (ROOT / "static" / "oval" / "console").glob("*.js"))
    assert "console/main.js" in modules and len(modules) >= 8
    for name in (*modules, "console.css", "live.js", "show.js"):
        response = client.get(f"/static/oval/{name}")
        assert response.status_code == 200, name


def record_history(race, official):
    services.record_passing(race.id, 1, "outer", 200, 18050, services.Actor.from_device("finish-line"))
    p = services.record_passing(race.id, 1, "inner", 200, 18190, services.Actor.official(official), confirm=True)
    services.correct_passing(p.id, 18210, "photo finish", services.Actor.official(official))


def audit_rows(html):
    """version -> the row's cells, as the page shows them (tags stripped)."""
    rows = re.findall(r'<tr data-version="(\d+)">(.*?)</tr>', html, re.S)
    return [
        (int(v), [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
        for v, row in rows
    ]


def test_the_audit_trail_shows_who_from_where_old_new_and_why_newest_first(official, startlist_race):
    record_history(startlist_race, official)
    html = logged_in(official).get(f"/officials/races/{startlist_race.id}/audit/").content.decode()
    rows = audit_rows(html)
    assert [v for v, _ in rows] == [3, 2, 1]
    correction, entry, device = [cells for _, cells in rows]
    assert correction[2:] == ["official", "Official", "Correction", "pair 1 inner 200 m", "18.190", "18.210",
                              "photo finish"]
    assert entry[4] == "Time" and entry[7] == "18.190"
    assert (device[2], device[3], device[7]) == ("finish-line", "Device (finish-line)", "18.050")


def test_a_mass_starts_audit_trail_says_which_bib_and_lap(official, db):
    from timing.formats import crossings
    from timing.models import Race
    from timing.startlists import Entry, create_race

    race = create_race("Test World Cup", "Men's mass start", "Men", 6400,
                       [Entry(1, "", "Bart Swings", "BEL", bib=7)], kind=Race.MASS_START)
    c = crossings.record_crossing(race.id, 7, 31200, services.Actor.official(official))
    crossings.void_crossing(c.id, "double read", services.Actor.official(official))
    html = logged_in(official).get(f"/officials/races/{race.id}/audit/").content.decode()
    void, crossing = [cells for _, cells in audit_rows(html)]
    assert crossing[4:8] == ["Crossing", "bib 7 lap 1", "", "31.200"]
    assert void[4:9] == ["Void", "bib 7 lap 1", "31.200", "", "double read"]


def test_a_team_pursuits_audit_trail_says_heat_and_straight(official, db):
    from timing.models import Race
    from timing.startlists import Entry, create_race

    teams = [Entry(1, lane, name, nation, team_skaters=tuple(f"{nation} {n}" for n in (1, 2, 3)))
             for lane, (nation, name) in zip(("inner", "outer"), [("NED", "Netherlands"), ("CAN", "Canada")])]
    race = create_race("Test World Cup", "Women's team pursuit", "Women", 2400, teams, kind=Race.TEAM_PURSUIT)
    services.start_pair(race.id, 1, services.IMPORT)
    services.record_passing(race.id, 1, "outer", 400, 30400, services.Actor.official(official), confirm=True)
    html = logged_in(official).get(f"/officials/races/{race.id}/audit/").content.decode()
    passing, start = [cells for _, cells in audit_rows(html)]
    assert passing[4:8] == ["Time", "heat 1 Canada (CAN) back straight 400 m", "", "30.400"]
    assert start[4:6] == ["Start", "heat 1"]


def test_the_audit_trail_is_on_the_venues_clock_with_start_signals_to_the_thousandth(official, startlist_race):
    competition = startlist_race.competition
    competition.time_zone = "Asia/Tokyo"  # UTC+9, no daylight saving: the test reads the same all year
    competition.save()
    at = dt.datetime(2026, 11, 22, 3, 8, 0, 538153, tzinfo=dt.timezone.utc)
    services.start_pair(startlist_race.id, 1, services.REPLAY, at=at)
    Change.objects.filter(race=startlist_race).update(at=at)
    html = logged_in(official).get(f"/officials/races/{startlist_race.id}/audit/").content.decode()
    [(_, cells)] = audit_rows(html)
    assert cells[1] == "12:08:00" and cells[4] == "Start" and cells[7] == "12:08:00.538"
    assert "2026-11-22T03:08" not in html and "+00:00" not in html
    assert 'datetime="2026-11-22T12:08:00.538153+09:00" title="Sun 22 Nov 2026"' in html
    assert "Asia/Tokyo (JST)" in html


def test_the_audit_trail_is_paginated_newest_first(official, startlist_race):
    services.start_pair(startlist_race.id, 1, services.REPLAY)
    for n in range(49):
        services.set_fall(startlist_race.id, 1, "inner", n % 2 == 0, services.REPLAY)
    client = logged_in(official)
    page1 = client.get(f"/officials/races/{startlist_race.id}/audit/").content.decode()
    assert [v for v, _ in audit_rows(page1)] == list(range(50, 0, -1)) and "Page 1 of" not in page1  # exactly one page
    services.set_fall(startlist_race.id, 1, "inner", False, services.REPLAY)
    page1 = client.get(f"/officials/races/{startlist_race.id}/audit/").content.decode()
    page2 = client.get(f"/officials/races/{startlist_race.id}/audit/?page=2").content.decode()
    assert [v for v, _ in audit_rows(page1)] == list(range(51, 1, -1)) and "Page 1 of 2" in page1
    assert 'rel="next" href="?page=2"' in page1
    assert [v for v, _ in audit_rows(page2)] == [1] and 'rel="prev" href="?page=1"' in page2


def test_the_audit_trail_filters_by_pair_and_keeps_the_filter_across_pages(official, startlist_race):
    record_history(startlist_race, official)
    services.start_pair(startlist_race.id, 2, services.REPLAY)
    for n in range(50):
        services.set_fall(startlist_race.id, 2, "inner", n % 2 == 0, services.REPLAY)
    client = logged_in(official)
    pair1 = client.get(f"/officials/races/{startlist_race.id}/audit/?pair=1").content.decode()
    assert [v for v, _ in audit_rows(pair1)] == [3, 2, 1]
    assert '<option value="1" selected>1</option>' in pair1
    pair2 = client.get(f"/officials/races/{startlist_race.id}/audit/?pair=2").content.decode()
    assert {cells[5].split(" inner")[0] for _, cells in audit_rows(pair2)} == {"pair 2"}
    assert len(audit_rows(pair2)) == 50 and 'href="?pair=2&amp;page=2"' in pair2
    page2 = client.get(f"/officials/races/{startlist_race.id}/audit/?pair=2&page=2").content.decode()
    assert [v for v, _ in audit_rows(page2)] == [4]  # the start of pair 2 is its oldest change
    everything = client.get(f"/officials/races/{startlist_race.id}/audit/?pair=nonsense").content.decode()
    assert len(audit_rows(everything)) == 50 and "Page 1 of 2" in everything


def test_the_console_shows_the_latest_changes_and_serves_them_as_json(official, startlist_race):
    record_history(startlist_race, official)
    client = logged_in(official)
    assert "photo finish" in client.get(f"/officials/races/{startlist_race.id}/").content.decode()
    data = client.get(f"/officials/races/{startlist_race.id}/audit.json").json()
    assert data["version"] == 3 and [c["version"] for c in data["changes"]] == [3, 2, 1]
    assert {k: data["changes"][0][k] for k in ("who", "source", "action", "old_value", "new_value", "reason")} == {
        "who": "official", "source": "official", "action": "correction",
        "old_value": "18.190", "new_value": "18.210", "reason": "photo finish",
    }
    assert data["changes"][2]["who"] == "finish-line"
    # the panel's rows come rendered by the same template as the audit page
    assert [v for v, _ in audit_rows(data["html"])] == [3, 2, 1] and "photo finish" in data["html"]
    assert Change.objects.count() == 3


def test_logout_needs_a_post_and_ends_the_session(official):
    client = logged_in(official)
    assert client.post("/logout/").status_code == 302
    assert client.get("/officials/").status_code == 302
