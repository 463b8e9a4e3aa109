"""The write API: every endpoint for every kind of caller, and every refusal leaves the race as it was."""
import json

import pytest

from tests.callers import REFUSED, caller, callers, fast_password_hashing, unchanged  # noqa: F401
from timing import services
from timing.models import Change, Passing, Race

pytestmark = pytest.mark.django_db


def a_passing(race, pair=1, lane="outer", distance=200, ms=18050):
    return services.record_passing(race.id, pair, lane, distance, ms, services.REPLAY)


#: name -> (prepare(race) -> url, a body the endpoint accepts, its success status)
ENDPOINTS = {
    "passings": (lambda r: f"/api/races/{r.id}/passings",
                 {"pair": 1, "lane": "outer", "distance": 200, "time": "18.05", "confirm": True}, 201),
    "start": (lambda r: f"/api/races/{r.id}/pairs/1/start", {}, 200),
    "status": (lambda r: f"/api/races/{r.id}/status", {"pair": 1, "lane": "inner", "status": "DNS", "reason": "ill"}, 200),
    "fall": (lambda r: f"/api/races/{r.id}/fall", {"pair": 1, "lane": "inner", "fell": True}, 200),
    "current-pair": (lambda r: f"/api/races/{r.id}/current-pair", {"pair": 2}, 200),
    "state": (lambda r: f"/api/races/{r.id}/state", {"state": "live"}, 200),
    "correct": (lambda r: f"/api/passings/{a_passing(r).id}/correct", {"time": "18.10", "reason": "photo finish"}, 200),
    "void": (lambda r: f"/api/passings/{a_passing(r).id}/void", {"reason": "transponder misread"}, 200),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_each_endpoint_lets_officials_and_devices_write_and_refuses_everyone_else(
    endpoint, caller, startlist_race, unchanged  # noqa: F811
):
    prepare, body, ok = ENDPOINTS[endpoint]
    url = prepare(startlist_race)
    refused = REFUSED[caller.name]
    if refused:
        with unchanged(startlist_race.id):
            response = caller.post(url, body)
        assert response.status_code == refused
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]
        return
    version = Race.objects.get(pk=startlist_race.id).version
    response = caller.post(url, body)
    assert response.status_code == ok, response.content
    assert response.json()["version"] == version + 1 == Race.objects.get(pk=startlist_race.id).version
    change = Change.objects.get(race=startlist_race, version=version + 1)
    if caller.name == "official":
        assert (change.source, change.actor.username) == ("official", "official")
    else:
        assert (change.source, change.device, change.actor) == ("device", "device-device", None)


def test_it_records_a_passing_and_answers_with_it_and_the_version(callers, startlist_race, snap):
    response = callers["device"].post(
        f"/api/races/{startlist_race.id}/passings", {"pair": 15, "lane": "outer", "distance": 200, "time": "17.68"}
    )
    assert response.status_code == 201
    data = response.json()
    assert data["passing"] | {"id": 0} == {
        "id": 0, "race": startlist_race.id, "pair": 15, "lane": "outer", "skater": "Jutta Leerdam", "distance": 200,
        "time_ms": 17680, "time": "17.68", "source": "device", "device": "device-device", "entered_by": None,
        "corrects": None, "reason": "", "voided": False, "void_reason": "",
    }
    assert data["version"] == snap(startlist_race.id)["version"]
    outer = {p["number"]: p for p in snap(startlist_race.id)["pairs"]}[15]["outer"]
    assert [(p["distance"], p["time"]) for p in outer["passings"]] == [(200, "17.68")]


def test_it_takes_time_ms_as_an_integer(callers, startlist_race):
    url = f"/api/races/{startlist_race.id}/passings"
    response = callers["official"].post(url, {"pair": 15, "lane": "outer", "distance": 600, "time_ms": 43780,
                                                  "confirm": True})
    assert response.status_code == 201
    assert response.json()["passing"]["entered_by"] == "official"
    assert Passing.objects.get().time_ms == 43780


BAD_PASSINGS = {
    "not JSON": ('{"pair": 15,', "body"),
    "a list": ("[15]", "body"),
    "pair as text": ({"pair": "15", "lane": "outer", "distance": 200, "time": "17.68"}, "pair"),
    "pair as true": ({"pair": True, "lane": "outer", "distance": 200, "time": "17.68"}, "pair"),
    "distance as float": ({"pair": 15, "lane": "outer", "distance": 200.0, "time": "17.68"}, "distance"),
    "unknown key": ({"pair": 15, "lane": "outer", "distance": 200, "time": "17.68", "skater": "x"}, "skater"),
    "missing lane": ({"pair": 15, "distance": 200, "time": "17.68"}, "lane"),
    "time and time_ms": ({"pair": 15, "lane": "outer", "distance": 200, "time": "17.68", "time_ms": 17680}, "time"),
    "no time": ({"pair": 15, "lane": "outer", "distance": 200}, "time"),
    "time_ms as text": ({"pair": 15, "lane": "outer", "distance": 200, "time_ms": "17680"}, "time_ms"),
    "unreadable time": ({"pair": 15, "lane": "outer", "distance": 200, "time": "17.6x"}, "time"),
    "negative time": ({"pair": 15, "lane": "outer", "distance": 200, "time_ms": -5}, "time"),
    "implausibly fast": ({"pair": 15, "lane": "outer", "distance": 200, "time": "1.00"}, "time"),
    "not a measuring point": ({"pair": 15, "lane": "outer", "distance": 300, "time": "25.00"}, "distance"),
    "no such lane": ({"pair": 15, "lane": "middle", "distance": 200, "time": "17.68"}, "lane"),
    "huge body": ({"pair": 15, "lane": "outer", "distance": 200, "time": "17.68" + " " * 5000}, "body"),
}


@pytest.mark.parametrize("case", list(BAD_PASSINGS))
def test_it_rejects_malformed_or_implausible_passings_with_400(case, callers, startlist_race, unchanged):  # noqa: F811
    body, field = BAD_PASSINGS[case]
    raw = body if isinstance(body, str) else json.dumps(body)
    with unchanged(startlist_race.id):
        response = callers["device"].post(f"/api/races/{startlist_race.id}/passings", raw=raw)
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert len(response.json()["error"]) > 10


NOT_FOUND = {
    "race": ("/api/races/999999/passings", {"pair": 1, "lane": "outer", "distance": 200, "time": "18.05"}),
    "pair": ("/api/races/{race}/passings", {"pair": 99, "lane": "outer", "distance": 200, "time": "18.05"}),
    "pair to start": ("/api/races/{race}/pairs/99/start", {}),
    "pair to make current": ("/api/races/{race}/current-pair", {"pair": 99}),
    "race for state": ("/api/races/999999/state", {"state": "live"}),
    "passing to correct": ("/api/passings/999999/correct", {"time": "18.10", "reason": "x"}),
    "passing to void": ("/api/passings/999999/void", {"reason": "x"}),
}


@pytest.mark.parametrize("case", list(NOT_FOUND))
def test_it_answers_404_for_an_unknown_race_pair_or_passing(case, callers, startlist_race, unchanged):  # noqa: F811
    url, body = NOT_FOUND[case]
    with unchanged(startlist_race.id):
        response = callers["official"].post(url.format(race=startlist_race.id), body)
    assert response.status_code == 404
    assert "There is no" in response.json()["error"] or "has no" in response.json()["error"]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_it_rejects_get_with_a_json_405(endpoint, callers, startlist_race, unchanged):  # noqa: F811
    url = ENDPOINTS[endpoint][0](startlist_race)
    with unchanged(startlist_race.id):
        response = callers["device"].get(url)
        put = callers["device"].client.put(url, data="{}", headers=callers["device"].headers)
    assert (response.status_code, put.status_code) == (405, 405)
    assert response["Allow"] == "POST" and "POST" in response.json()["error"]


def test_it_refuses_a_second_finish_with_409(callers, startlist_race, unchanged):  # noqa: F811
    a_passing(startlist_race, distance=1000, ms=75460)
    with unchanged(startlist_race.id):
        response = callers["device"].post(
            f"/api/races/{startlist_race.id}/passings", {"pair": 1, "lane": "outer", "distance": 1000, "time": "1:15.40"}
        )
    assert response.status_code == 409
    assert response.json()["field"] == "distance" and "correct that passing" in response.json()["error"]


def test_it_refuses_a_time_earlier_than_the_previous_passing_with_409(callers, startlist_race, unchanged):  # noqa: F811
    a_passing(startlist_race, distance=200, ms=40000)
    with unchanged(startlist_race.id):
        response = callers["official"].post(
            f"/api/races/{startlist_race.id}/passings", {"pair": 1, "lane": "outer", "distance": 600, "time": "35.00"}
        )
    assert response.status_code == 409
    assert "not later than" in response.json()["error"]


def test_it_refuses_to_start_a_started_pair_unless_restarted(callers, startlist_race, unchanged):  # noqa: F811
    url = f"/api/races/{startlist_race.id}/pairs/1/start"
    assert callers["official"].post(url).status_code == 200
    with unchanged(startlist_race.id):
        assert callers["official"].post(url).status_code == 409
        assert callers["official"].post(url, {"restart": "yes"}).status_code == 400
    assert callers["official"].post(url, {"restart": True}).status_code == 200


def test_it_refuses_writes_to_a_final_race_with_409(callers, demo_race, unchanged):  # noqa: F811
    passing = Passing.objects.current().filter(start__pair__race=demo_race).first()
    with unchanged(demo_race.id):
        response = callers["official"].post(f"/api/passings/{passing.id}/correct", {"time": "18.00", "reason": "x"})
    assert response.status_code == 409 and "final" in response.json()["error"]


def test_it_corrects_a_time_and_keeps_the_old_one_in_the_audit_trail(callers, startlist_race, snap):
    old = a_passing(startlist_race)
    response = callers["official"].post(f"/api/passings/{old.id}/correct", {"time": "18.10", "reason": "photo finish"})
    assert response.status_code == 200
    new = response.json()["passing"]
    assert (new["corrects"], new["time_ms"], new["reason"]) == (old.id, 18100, "photo finish")
    change = Change.objects.filter(race=startlist_race).first()
    assert (change.action, change.old_value, change.new_value, change.reason) == ("correction", "18.050", "18.100", "photo finish")
    outer = {p["number"]: p for p in snap(startlist_race.id)["pairs"]}[1]["outer"]
    assert [p["time_ms"] for p in outer["passings"]] == [18100]


def test_it_voids_a_time_with_a_reason(callers, startlist_race, snap, unchanged):  # noqa: F811
    p = a_passing(startlist_race)
    url = f"/api/passings/{p.id}/void"
    with unchanged(startlist_race.id):
        assert callers["device"].post(url, {"reason": "  "}).json()["field"] == "reason"
        assert callers["device"].post(url, {}).json()["field"] == "reason"
    response = callers["device"].post(url, {"reason": "transponder misread"})
    assert response.status_code == 200 and response.json()["passing"]["voided"] is True
    assert {p["number"]: p for p in snap(startlist_race.id)["pairs"]}[1]["outer"]["passings"] == []


def test_it_marks_statuses_and_falls(callers, startlist_race, snap, unchanged):  # noqa: F811
    url = f"/api/races/{startlist_race.id}/status"
    with unchanged(startlist_race.id):
        assert callers["official"].post(url, {"pair": 1, "lane": "inner", "status": "DQ"}).json()["field"] == "reason"
        assert callers["official"].post(url, {"pair": 1, "lane": "inner", "status": "LATE"}).status_code == 400
    assert callers["official"].post(url, {"pair": 1, "lane": "inner", "status": "DQ", "reason": "false starts"}).status_code == 200
    fall = callers["official"].post(f"/api/races/{startlist_race.id}/fall", {"pair": 1, "lane": "outer"})
    assert fall.status_code == 200 and fall.json()["start"]["fell"] is True
    pair = {p["number"]: p for p in snap(startlist_race.id)["pairs"]}[1]
    assert (pair["inner"]["status"], pair["inner"]["status_reason"], pair["outer"]["fell"]) == ("DQ", "false starts", True)


def test_it_refuses_dns_for_a_skater_with_times_with_409(callers, startlist_race, unchanged):  # noqa: F811
    a_passing(startlist_race)
    with unchanged(startlist_race.id):
        response = callers["official"].post(
            f"/api/races/{startlist_race.id}/status", {"pair": 1, "lane": "outer", "status": "DNS"}
        )
    assert response.status_code == 409


def test_it_opens_closes_and_moves_pairs(callers, startlist_race, unchanged):  # noqa: F811
    api = f"/api/races/{startlist_race.id}"
    assert callers["official"].post(f"{api}/state", {"state": "live"}).json()["race"]["state"] == "live"
    assert callers["official"].post(f"{api}/current-pair", {"pair": 2}).json()["race"]["current_pair"] == 2
    with unchanged(startlist_race.id):
        assert callers["official"].post(f"{api}/current-pair", {"pair": 2}).status_code == 400
        assert callers["official"].post(f"{api}/state", {"state": "over"}).status_code == 400
        assert callers["official"].post(f"{api}/state", {"state": "live"}).status_code == 409
    assert callers["official"].post(f"{api}/state", {"state": "final"}).json()["race"]["state"] == "final"


def test_it_refuses_an_officials_session_without_csrf_token_with_json_403(callers, startlist_race, unchanged):  # noqa: F811
    official = callers["official"]
    with unchanged(startlist_race.id):
        response = official.post(f"/api/races/{startlist_race.id}/state", {"state": "live"}, headers={"X-CSRFToken": "x" * 32})
        missing = official.client.post(f"/api/races/{startlist_race.id}/state", data='{"state": "live"}',
                                       content_type="application/json")
    assert (response.status_code, missing.status_code) == (403, 403)
    assert response.json()["field"] == "csrf" and "CSRF" in missing.json()["error"]


@pytest.mark.parametrize("header", ["Token abc", "Bearer ", "Bearer oval_not-a-real-token", "Basic b2ZmaWNpYWw6eA=="])
def test_it_answers_401_for_an_unknown_or_malformed_token(header, startlist_race, unchanged, client):  # noqa: F811
    with unchanged(startlist_race.id):
        response = client.post(f"/api/races/{startlist_race.id}/state", data='{"state": "live"}',
                               content_type="application/json", headers={"Authorization": header})
    assert response.status_code == 401 and response.json()["field"] == "Authorization"
