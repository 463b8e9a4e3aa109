"""The pages render a shell the CSP allows, link to each other, and 404 for what does not exist."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def assert_csp_clean(html):
    assert not INLINE_SCRIPT.search(html), "inline <script> is refused by the CSP"
    assert "style=" not in html, "inline style attributes are refused by the CSP"
    assert "<style" not in html


def test_it_lists_competitions_with_their_races(client, startlist_race):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Milano Cortina 2026" in html and "Women&#x27;s 1000 m" in html
    assert reverse("competition", args=[startlist_race.competition_id]) in html
    assert reverse("board", args=[startlist_race.id]) in html
    assert "Content-Security-Policy" in response.headers
    assert_csp_clean(html)


def test_it_says_so_when_there_is_no_competition(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "No competitions yet" in response.content.decode()


def test_the_competition_page_links_to_both_screens_of_each_race(client, startlist_race):
    response = client.get(reverse("competition", args=[startlist_race.competition_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/races/{startlist_race.id}/board/"' in html
    assert f'href="/races/{startlist_race.id}/"' in html
    assert "demo data" in html  # invented data is never passed off as real, even in a list
    assert_csp_clean(html)


@pytest.mark.parametrize("name,module", [("board", "oval/board.js"), ("spectator", "oval/spectator.js")])
def test_the_race_screens_render_a_shell_for_their_module(client, startlist_race, name, module):
    response = client.get(reverse(name, args=[startlist_race.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-race="{startlist_race.id}"' in html
    assert f'<script type="module" src="/static/{module}"></script>' in html
    assert "DEMO DATA: times marked * are invented" in html
    assert_csp_clean(html)


def test_the_static_modules_are_served(client):
    for path in ("oval/live.js", "oval/show.js", "oval/board.js", "oval/spectator.js", "oval/board.css", "oval/site.css"):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path


@pytest.mark.parametrize("name", ["board", "spectator"])
def test_it_answers_404_for_an_unknown_race(client, name):
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_it_answers_404_for_an_unknown_competition(client):
    assert client.get(reverse("competition", args=[999999])).status_code == 404
