"""The competition day as JSON for integrations (a federation's entry system): create a
competition and its races, push a start list, set the race on the ice; read the schedule.
Every write is tested with the five callers; a refusal changes nothing."""
import json

import pytest

from tests.callers import REFUSED, caller, callers, fast_password_hashing  # noqa: F401
from tests.test_competition_day import everything
from timing import services
from timing.models import Competition, Race

pytestmark = pytest.mark.django_db

DAY = {"name": "World Cup Heerenveen", "venue": "Thialf", "starts_on": "2026-11-27", "time_zone": "Europe/Amsterdam"}
CSV = "pair,lane,name,nation,pb\n1,inner,Vigl,ITA,\n1,outer,Suzanne Schulting,NED,1:14.50\n2,inner,Femke Kok,NED,\n"


@pytest.fixture
def comp():
    return services.create_competition(DAY, services.IMPORT)


@pytest.fixture
def race(comp):
    return services.create_race(comp.id, {"title": "Women's 1000 m", "category": "Women", "distance": 1000}, services.IMPORT)


def test_each_caller_gets_what_it_may_when_creating_a_competition(caller):
    before = everything()
    response = caller.post("/api/competitions/", DAY)
    if REFUSED[caller.name]:
        assert response.status_code == REFUSED[caller.name] and set(response.json()) == {"error", "field"}
        assert everything() == before
        return
    assert response.status_code == 201
    comp = Competition.objects.get(pk=response.json()["id"])
    assert (comp.name, comp.time_zone, comp.version) == ("World Cup Heerenveen", "Europe/Amsterdam", 1)
    assert response.json()["competition"]["venue"] == "Thialf"


def test_the_whole_day_can_be_set_up_over_json(callers, comp):
    desk = callers["device"]
    made = desk.post(f"/api/competitions/{comp.id}/races", {
        "title": "Women's 1000 m", "category": "Women", "distance": 1000, "scheduled_at": "2026-11-27T16:00"})
    assert made.status_code == 201, made.content
    race_id = made.json()["id"]
    pushed = desk.put(f"/api/races/{race_id}/startlist", CSV, "text/csv")
    assert pushed.status_code == 200, pushed.content
    assert [p["inner"]["name"] for p in pushed.json()["pairs"]] == ["Vigl", "Femke Kok"]
    on_ice = desk.post(f"/api/competitions/{comp.id}/on-ice", {"race": race_id})
    assert on_ice.status_code == 200 and on_ice.json()["on_ice"] == race_id
    read = desk.client.get(f"/api/competitions/{comp.id}/")
    body = read.json()
    assert read.status_code == 200 and read["ETag"] == f'"c{comp.id}-{body["version"]}"'
    assert body["on_ice"] == race_id and body["competition"]["time_zone"] == "Europe/Amsterdam"
    assert [(r["id"], r["title"], r["state"], r["scheduled_local"]) for r in body["races"]] == [
        (race_id, "Women's 1000 m", "scheduled", "16:00")]
    assert set(body) == {"version", "competition", "races", "on_ice", "venue", "screens", "classifications"}


def test_a_start_list_as_json_with_a_licence(callers, race):
    starts = {"starts": [{"pair": 1, "lane": "inner", "name": "Jutta Leerdam", "nation": "NED", "pb": "1:11.84",
                          "skater_id": "NED-1998-01"},
                         {"pair": 1, "lane": "outer", "name": "Miho Takagi", "nation": "jpn"}]}
    response = callers["official"].put(f"/api/races/{race.id}/startlist", json.dumps(starts), "application/json")
    assert response.status_code == 200, response.content
    assert response.json()["pairs"][0]["outer"]["nation"] == "JPN"


def test_a_bad_start_list_names_every_problem_and_stores_nothing(callers, race):
    bad = "pair,lane,name,nation\n1,inner,Vigl,ITA\n1,middle,Kok,NED\n3,outer,Bowe,USA1\n"
    before = everything()
    response = callers["device"].put(f"/api/races/{race.id}/startlist", bad, "text/csv")
    assert response.status_code == 400 and response.json()["field"] == "starts"
    assert "line 3" in response.json()["error"] and "line 4" in response.json()["error"]
    assert everything() == before


@pytest.mark.parametrize("raw,content_type,words", [
    ("pair,lane,name,nation\n1,inner,Vigl,ITA\n".encode("utf-16"), "text/csv", "not UTF-8"),
    (b"<starts/>", "application/xml", "text/csv or application/json"),
    (b'{"starts": [{"pair": 1}]', "application/json", "not valid JSON"),
    (b'{"starts": [{"pair": 1, "lane": "inner", "name": "A", "nation": "NED", "club": "x"}]}', "application/json",
     "unknown field"),
    (b"x" * (70 * 1024), "text/csv", "too large"),
])
def test_a_start_list_document_that_cannot_be_read_is_refused(callers, race, raw, content_type, words):
    before = everything()
    response = callers["device"].put(f"/api/races/{race.id}/startlist", raw, content_type)
    assert response.status_code == 400 and words in response.json()["error"], response.content
    assert everything() == before


def test_a_start_list_is_replaced_only_before_the_start(callers, race):
    callers["device"].put(f"/api/races/{race.id}/startlist", CSV, "text/csv")
    services.start_pair(race.id, 1, services.IMPORT)
    before = everything()
    response = callers["device"].put(f"/api/races/{race.id}/startlist", CSV, "text/csv")
    assert response.status_code == 409 and "has started" in response.json()["error"]
    assert everything() == before


def test_the_start_list_takes_put_only(callers, race):
    response = callers["device"].post(f"/api/races/{race.id}/startlist", {})
    assert response.status_code == 405 and response["Allow"] == "PUT"


@pytest.mark.parametrize("url,body,status,field", [
    ("/api/competitions/{c}/races", {"title": "Relay", "category": "Women", "distance": 500, "kind": "relay"}, 400, "kind"),
    ("/api/competitions/{c}/races", {"title": "Women's 500 m", "category": "Women", "distance": 500,
                                     "scheduled_at": "9 Feb 16:00"}, 400, "scheduled_at"),
    ("/api/competitions/999999/races", {"title": "Women's 500 m", "category": "Women", "distance": 500}, 404, "competition"),
    ("/api/competitions/{c}/on-ice", {"race": 999999}, 404, "race"),
    ("/api/competitions/{c}/on-ice", {"race": "12"}, 400, "race"),
    ("/api/competitions/", {**DAY, "time_zone": "CEST"}, 400, "time_zone"),
    ("/api/competitions/", {"venue": "Thialf"}, 400, "name"),
])
def test_bad_requests_get_the_field_and_change_nothing(callers, comp, url, body, status, field):
    before = everything()
    response = callers["official"].post(url.format(c=comp.id), body)
    assert (response.status_code, response.json()["field"]) == (status, field), response.content
    assert everything() == before


def test_a_retried_creation_makes_one_competition(callers):
    desk = callers["device"]
    first = desk.post("/api/competitions/", DAY, headers={"Idempotency-Key": "day-1"})
    again = desk.post("/api/competitions/", DAY, headers={"Idempotency-Key": "day-1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true" and Competition.objects.count() == 1


def test_an_unknown_competition_reads_as_a_json_404(client):
    response = client.get("/api/competitions/999999/")
    assert response.status_code == 404 and response.json()["error"] == "There is no competition 999999."


def test_the_schedule_lists_races_in_their_order(client, comp):
    for title, order in [("Men's 500 m", 2), ("Women's 500 m", 1), ("Women's 3000 m", 3)]:
        services.create_race(comp.id, {"title": title, "category": "x", "distance": 500 if "500" in title else 3000,
                                       "order": order}, services.IMPORT)
    titles = [r["title"] for r in client.get(f"/api/competitions/{comp.id}/").json()["races"]]
    assert titles == ["Women's 500 m", "Men's 500 m", "Women's 3000 m"]
    assert Race.objects.filter(competition=comp).count() == 3
