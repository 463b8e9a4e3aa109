"""The officials' pages: who gets in, what the console page holds, and the audit trail."""
import re

import pytest
from django.test import Client

from tests.callers import fast_password_hashing  # noqa: F401
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
    for name in ("console.js", "console.api.js", "console.css", "live.js"):
        response = client.get(f"/static/oval/{name}")
        assert response.status_code == 200, name


def record_history(race, official):
    services.record_passing(race.id, 1, "outer", 200, 18050, services.Actor.from_device("finish-line"))
    p = services.record_passing(race.id, 1, "inner", 200, 18190, services.Actor.official(official))
    services.correct_passing(p.id, 18210, "photo finish", services.Actor.official(official))


def test_the_audit_trail_shows_who_from_where_old_new_and_why_newest_first(official, startlist_race):
    record_history(startlist_race, official)
    html = logged_in(official).get(f"/officials/races/{startlist_race.id}/audit/").content.decode()
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>(.*?)</tr>", html, re.S)
    assert [int(v) for v, _ in rows] == [3, 2, 1]
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for _, row in rows]
    correction, entry, device = cells
    assert (correction[1], correction[2], correction[3]) == ("official", "Official", "correction")
    assert (correction[5], correction[6], correction[7]) == ("18.190", "18.210", "photo finish")
    assert "pair 1 inner 200 m" in correction[4]
    assert (device[1], device[2], device[6]) == ("finish-line", "Device (finish-line)", "18.050")


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
    assert Change.objects.count() == 3


def test_logout_needs_a_post_and_ends_the_session(official):
    client = logged_in(official)
    assert client.post("/logout/").status_code == 302
    assert client.get("/officials/").status_code == 302
