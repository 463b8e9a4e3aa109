"""The result list over HTTP: the page, the PDF (read back with pypdf) and the board's JSON."""
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from tests.results_races import DNS_REASON, DQ_REASON, with_statuses
from tests.test_pages import assert_csp_clean
from timing import services
from timing.models import Race, Skater

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def closed(demo_race):
    return with_statuses(demo_race)


@pytest.fixture
def reopened(demo_race):
    return with_statuses(demo_race, close=False)


def test_the_page_lists_winner_gaps_records_splits_and_reasons(client, closed):
    response = client.get(reverse("results", args=[closed.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert_csp_clean(html)
    assert '<link rel="stylesheet" href="/static/oval/results.css">' in html
    assert "Milano Cortina 2026" in html and "Milano Speed Skating Stadium" in html and "9 February 2026" in html
    assert html.index("Jutta Leerdam") < html.index("Femke Kok") < html.index("Ellia Smeding")
    leerdam = html[html.index("Jutta Leerdam"):html.index("Femke Kok")]
    for text in ("NED", "43.78", "(26.10)", "1:12.31", "(28.53)", ">OR<"):
        assert text in leerdam, text
    smeding = html[html.index("Ellia Smeding"):]
    assert "+3.52" in smeding[:600]
    assert f"Disqualified: {DQ_REASON}" in html and f"Did not start: {DNS_REASON}" in html
    assert "Official results" in html and "UNOFFICIAL" not in html
    assert "Records before the race:" in html and "WR 1:11.61 Brittany Bowe (USA), Salt Lake City, 2019" in html
    assert "DEMO DATA: names and times marked * are invented" in html
    assert f'href="{reverse("results-pdf", args=[closed.id])}"' in html


def test_the_page_says_unofficial_until_the_race_is_final(client, reopened):
    html = client.get(reverse("results", args=[reopened.id])).content.decode()
    assert '<p class="standing-of-list" id="official-mark">UNOFFICIAL</p>' in html
    assert "Official results" not in html


def test_the_pdf_holds_the_list_and_is_unofficial_until_final(client, reopened):
    text, reader = pdf_text(client.get(reverse("results-pdf", args=[reopened.id])))
    assert "UNOFFICIAL" in text
    assert "Jutta Leerdam" in text and "1:12.31" in text and "OR" in text
    assert DQ_REASON in text and DNS_REASON in text
    assert "Milano Cortina 2026" in text and "Women's 1000 m" in text and "9 February 2026" in text
    assert len(reader.pages) == 2 and "Page 2 of 2" in text
    assert "OR 1:13.19 Miho Takagi (JPN), Beijing, 2022" in text
    assert reader.metadata.title == "Women's 1000 m · Milano Cortina 2026 · results"

    services.set_race_state(reopened.id, Race.FINAL, services.REPLAY)
    text, _ = pdf_text(client.get(reverse("results-pdf", args=[reopened.id])))
    assert "UNOFFICIAL" not in text and "Official results" in text
    assert "Jutta Leerdam" in text and DQ_REASON in text


def test_the_pdf_prints_names_beyond_ascii_and_marks_what_its_font_lacks(client, startlist_race):
    Skater.objects.filter(name="Vigl").update(name="Łukasz Ørjan Dijkstra")
    Skater.objects.filter(name="Miho Takagi").update(name="高木 美帆")
    text, _ = pdf_text(client.get(reverse("results-pdf", args=[startlist_race.id])))
    assert "Łukasz Ørjan Dijkstra" in text
    assert "?? ??" in text and "? marks a character this font cannot print" in text


def test_the_pdf_is_built_once_per_version(client, closed):
    url = reverse("results-pdf", args=[closed.id])
    first = client.get(url)
    assert cache.get(f"oval:results-pdf:{closed.id}:{closed.version}") == first.content
    assert client.get(url).content == first.content
    assert first["Content-Disposition"] == 'inline; filename="milano-cortina-2026-womens-1000-m-results.pdf"'


def test_the_board_reads_the_same_list_as_json(client, closed):
    response = client.get(reverse("api-results", args=[closed.id]))
    data = response.json()
    assert response.status_code == 200
    assert data["official"] is True and data["ranked"][0]["name"] == "Jutta Leerdam"
    assert [r["status"] for r in data["unranked"]] == ["DNF", "DQ", "DNS"]


@pytest.mark.parametrize("name", ["results", "results-pdf", "api-results"])
def test_an_unknown_race_is_404(client, db, name):
    assert client.get(reverse(name, args=[424242])).status_code == 404


def test_the_json_says_why_in_json(client, startlist_race):
    assert client.get(reverse("api-results", args=[424242])).json() == {"error": "There is no race 424242.", "field": None}
    Race.objects.filter(pk=startlist_race.id).update(kind="team_sprint")  # a kind with no list builder
    response = client.get(reverse("api-results", args=[startlist_race.id]))
    assert response.status_code == 404
    assert response.json()["error"] == "There is no result list for team_sprint races yet."


@pytest.mark.parametrize("name", ["results", "results-pdf"])
def test_a_race_kind_without_a_list_is_404(client, startlist_race, name):
    Race.objects.filter(pk=startlist_race.id).update(kind="team_sprint")
    assert client.get(reverse(name, args=[startlist_race.id])).status_code == 404


@pytest.mark.parametrize("name", ["results", "results-pdf", "api-results"])
def test_the_result_list_is_read_only(client, startlist_race, name):
    assert client.post(reverse(name, args=[startlist_race.id])).status_code == 405


def test_the_pages_link_to_the_result_list(client, startlist_race):
    url = f'href="{reverse("results", args=[startlist_race.id])}"'
    assert url in client.get(reverse("competition", args=[startlist_race.competition_id])).content.decode()
    assert url in client.get(reverse("spectator", args=[startlist_race.id])).content.decode()
    user = User.objects.create_user("judge", password="correct horse battery staple")
    user.user_permissions.add(Permission.objects.get(codename="enter_times"))
    startlist_race.competition.officials.add(user)  # the officials' list shows her competitions
    client.force_login(user)
    assert url in client.get(reverse("officials")).content.decode()


def test_the_result_list_styles_are_served(client):
    css = client.get("/static/oval/results.css")
    assert css.status_code == 200
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    assert "@page { size: A4;" in text and "@media print" in text


def test_a_long_distance_lists_its_splits_on_lines_of_their_own(client, db):
    from timing.startlists import Entry, create_race

    race = create_race("Club meet", "Men's 5000 m", "Men", 5000, [
        Entry(1, "inner", "Ørjan Nilsen", "NOR"), Entry(1, "outer", "Łukasz Nowak", "POL"),
    ])
    for point, ms in [(200, 19100), (600, 48200), (1000, 77400), (1400, 106700)]:
        services.record_passing(race.id, 1, "inner", point, ms, services.REPLAY)
    html = client.get(reverse("results", args=[race.id])).content.decode()
    assert 'class="results split-lines"' in html and '<th class="split"' not in html
    assert '<span class="point">1400 m</span> 1:46.70 <span class="lap">(29.30)</span>' in html
    text, _ = pdf_text(client.get(reverse("results-pdf", args=[race.id])))
    assert "1400 m 1:46.70 (29.30)" in text and "Ørjan Nilsen" in text and "Łukasz Nowak" in text
    assert "NT" in text and "No time recorded" in text and "UNOFFICIAL" in text
