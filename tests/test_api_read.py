"""The read API: the race list and the race snapshot, as docs/api.md describes them."""
import pytest
from django.core.cache import cache

from timing import services
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

START_KEYS = {"id", "name", "nation", "invented", "status", "status_reason", "fell", "next_point", "passings",
              "projected", "pb", "sb", "laps"}
PASSING_KEYS = {"id", "distance", "time_ms", "time", "exact", "lap_ms", "lap", "rank", "leader_ms", "diff_ms", "diff",
                "leads", "record", "invented", "source"}
STANDING_KEYS = {"rank", "name", "nation", "invented", "pair", "lane", "status", "time_ms", "time", "behind_ms",
                 "behind", "record"}


@pytest.fixture(autouse=True)
def fresh_cache():
    """Snapshots are cached by race id and version, and test databases reuse ids."""
    cache.clear()


@pytest.fixture
def race(db):
    """Pair 1 skated; pair 2 holds one skater (outer lane empty)."""
    race = create_race("Test Games", "Women's 1000 m", "Women", 1000, [
        Entry(1, "inner", "Vigl", "ITA"), Entry(1, "outer", "Suzanne Schulting", "NED"),
        Entry(2, "inner", "Femke Kok", "NED"),
    ])
    for lane, point, ms in [("outer", 200, 17900), ("inner", 200, 18190), ("outer", 600, 45100),
                            ("inner", 600, 46050), ("outer", 1000, 75460), ("inner", 1000, 77150)]:
        services.record_passing(race.id, 1, lane, point, ms, services.REPLAY)
    return race


def test_it_lists_the_races(client, race):
    response = client.get("/api/races/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"races": [{
        "id": race.id, "title": "Women's 1000 m", "distance": 1000, "category": "Women", "state": "live",
        "version": 6, "competition": "Test Games", "demo": False,
    }]}


def test_it_serves_the_race_snapshot_in_the_documented_shape(client, race):
    response = client.get(f"/api/races/{race.id}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"version", "race", "pairs", "standings"} and data["version"] == 6
    assert data["race"] == {
        "id": race.id, "title": "Women's 1000 m", "category": "Women", "distance": 1000, "kind": "individual",
        "points": [200, 600, 1000],
        "state": "live", "current_pair": 1, "demo": False, "replay_of": None, "held": 0,
        "competition": {"id": race.competition_id, "name": "Test Games", "venue": ""},
    }
    one, two = data["pairs"]
    assert (one["number"], two["number"], two["outer"]) == (1, 2, None)
    assert set(one["inner"]) == START_KEYS and set(two["inner"]) == START_KEYS
    assert two["inner"]["passings"] == []
    assert (one["inner"]["next_point"], two["inner"]["next_point"]) == (None, 200)
    assert all(set(p) == PASSING_KEYS for p in one["inner"]["passings"])
    vigl = [(p["distance"], p["time"], p["lap"], p["rank"], p["diff"], p["leads"]) for p in one["inner"]["passings"]]
    assert vigl == [(200, "18.19", None, 2, "+0.29", False), (600, "46.05", "27.86", 2, "+0.95", False),
                    (1000, "1:17.15", "31.10", 2, "+1.69", False)]
    assert [set(s) for s in data["standings"]] == [STANDING_KEYS] * 2
    # Kok has not skated yet: the standings hold results, not the start list.
    assert [(s["rank"], s["name"], s["time"], s["behind"]) for s in data["standings"]] == [
        (1, "Suzanne Schulting", "1:15.46", None), (2, "Vigl", "1:17.15", "+1.69"),
    ]


def test_the_etag_follows_the_version(client, race):
    first = client.get(f"/api/races/{race.id}/")
    assert first["ETag"] == f'"{race.id}-6"' and first["Cache-Control"] == "public, max-age=1"
    services.set_fall(race.id, 1, "inner", True, services.REPLAY)
    second = client.get(f"/api/races/{race.id}/")
    assert second["ETag"] == f'"{race.id}-7"' and second.json()["version"] == 7
    assert second.json()["pairs"][0]["inner"]["fell"] is True


def test_it_answers_an_unknown_race_with_a_json_404(client, race):
    response = client.get(f"/api/races/{race.id + 100}/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": f"There is no race {race.id + 100}.", "field": None}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_only_reads(client, race, method):
    for path in ("/api/races/", f"/api/races/{race.id}/"):
        assert getattr(client, method)(path).status_code == 405
    assert client.get(f"/api/races/{race.id}/").json()["version"] == 6


def test_the_demo_snapshot_carries_the_reference_race(client, demo_race):
    data = client.get(f"/api/races/{demo_race.id}/").json()
    assert (data["race"]["state"], data["race"]["demo"], len(data["pairs"])) == ("final", True, 15)
    leerdam = data["pairs"][14]["outer"]
    assert [(p["time"], p["diff"], p["leads"]) for p in leerdam["passings"]][-1] == ("1:12.31", "-0.28", True)
    assert data["standings"][0]["record"] == "OR" and data["standings"][10]["behind"] == "+3.52"


def test_a_skater_still_racing_carries_her_projected_finish(client, race):
    services.start_pair(race.id, 2, services.REPLAY)
    services.record_passing(race.id, 2, "inner", 200, 17400, services.REPLAY)
    kok = client.get(f"/api/races/{race.id}/").json()["pairs"][1]["inner"]
    # References: Schulting (17.90 -> 1:15.46) and Vigl (18.19 -> 1:17.15); the lower median.
    expected = min(17400 * 75460 // 17900, 17400 * 77150 // 18190)
    assert kok["projected"] == {"time_ms": expected, "time": "1:13.3", "rank": 1}
    finished = client.get(f"/api/races/{race.id}/").json()["pairs"][0]["inner"]
    assert finished["projected"] is None
    services.set_status(race.id, 2, "inner", "DQ", "false starts", services.REPLAY)
    assert client.get(f"/api/races/{race.id}/").json()["pairs"][1]["inner"]["projected"] is None
