"""The mass-start write API and the start lists of both new kinds: who may write, what a refusal
answers, and that a refusal or a retry stores nothing."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.callers import REFUSED, caller, callers, fast_password_hashing, unchanged  # noqa: F401
from timing.formats import crossings as crossing_services
from timing.models import Change, Competition, Crossing, IdempotencyKey, Race, Skater, Start
from timing.services import REPLAY
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db


@pytest.fixture
def mass(db):
    field = [Entry(0, "", f"Skater {bib}", "NED", bib=bib) for bib in (1, 2, 7)]
    return create_race("Test World Cup", "Women's mass start", "Women", 6400, field, kind=Race.MASS_START)


def a_crossing(race, bib=7, ms=30000):
    return crossing_services.record_crossing(race.id, bib, ms, REPLAY)


ENDPOINTS = {
    "crossings": (lambda r: f"/api/races/{r.id}/crossings", {"bib": 7, "time": "31.20"}, 201),
    "correct": (lambda r: f"/api/crossings/{a_crossing(r).id}/correct", {"time": "30.10", "reason": "photo"}, 200),
    "void": (lambda r: f"/api/crossings/{a_crossing(r).id}/void", {"reason": "double read"}, 200),
    "bib-status": (lambda r: f"/api/races/{r.id}/bib-status", {"bib": 2, "status": "DNS"}, 200),
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_officials_and_devices_write_crossings_and_nobody_else(endpoint, caller, mass, unchanged):  # noqa: F811
    prepare, body, ok = ENDPOINTS[endpoint]
    url = prepare(mass)
    if REFUSED[caller.name]:
        with unchanged(mass.id):
            response = caller.post(url, body)
        assert response.status_code == REFUSED[caller.name] and response.json()["error"]
        return
    version = Race.objects.get(pk=mass.id).version
    response = caller.post(url, body)
    assert response.status_code == ok, response.content
    assert response.json()["version"] == version + 1
    assert Change.objects.filter(race=mass, version=version + 1).exists()


def test_a_crossing_answers_with_its_lap(callers, mass):
    a_crossing(mass)
    response = callers["device"].post(f"/api/races/{mass.id}/crossings", {"bib": 7, "time": "1:01.50"})
    assert response.status_code == 201
    body = response.json()["crossing"]
    assert (body["bib"], body["lap"], body["time_ms"], body["time"], body["skater"]) == (7, 2, 61500, "1:01.50", "Skater 7")


@pytest.mark.parametrize(
    "body, status, field, message",
    [
        ({"bib": 99, "time": "30.00"}, 404, "bib", "Women's mass start has no skater with bib 99."),
        ({"bib": 7, "time": "29.00"}, 409, "time", "29.000 s is not later than the skater's lap 1 crossing"),
        ({"bib": "7", "time": "31.00"}, 400, "bib", None),
        ({"time": "31.00"}, 400, "bib", None),
        ({"bib": 7, "time": "31,2,3"}, 400, "time", None),
    ],
)
def test_a_bad_crossing_gets_a_clear_error_and_changes_nothing(callers, mass, unchanged, body, status, field,  # noqa: F811
                                                                message):
    a_crossing(mass)
    with unchanged(mass.id):
        response = callers["device"].post(f"/api/races/{mass.id}/crossings", body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    if message:
        assert response.json()["error"].startswith(message)


def test_a_17th_lap_over_the_api_is_a_409(callers, mass, unchanged):  # noqa: F811
    for lap in range(1, 17):
        a_crossing(mass, ms=30000 * lap)
    with unchanged(mass.id):
        response = callers["device"].post(f"/api/races/{mass.id}/crossings", {"bib": 7, "time_ms": 17 * 30000})
    assert response.status_code == 409 and "17th lap" in response.json()["error"]


def test_crossings_to_an_individual_race_are_refused(callers, startlist_race, unchanged):  # noqa: F811
    with unchanged(startlist_race.id):
        response = callers["device"].post(f"/api/races/{startlist_race.id}/crossings", {"bib": 1, "time": "30.00"})
    assert response.status_code == 409 and "not a mass start" in response.json()["error"]


def test_a_retried_crossing_with_its_idempotency_key_is_stored_once(callers, mass):
    url, body = f"/api/races/{mass.id}/crossings", {"bib": 7, "time": "31.20"}
    first = callers["device"].post(url, body, headers={"Idempotency-Key": "lap-1-bib-7"})
    again = callers["device"].post(url, body, headers={"Idempotency-Key": "lap-1-bib-7"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Crossing.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_the_snapshot_api_serves_the_mass_start_shape(client, mass):
    a_crossing(mass)
    snap = client.get(f"/api/races/{mass.id}/").json()
    assert snap["race"]["kind"] == "mass_start" and snap["race"]["laps"] == 16
    seven = next(s for s in snap["skaters"] if s["bib"] == 7)
    assert set(seven) >= {"bib", "name", "nation", "laps_done", "last_ms", "points", "sprints", "status"}
    assert snap["running_order"][0] == 7


# --- start lists ---------------------------------------------------------------------------------

TEAMS = """pair,lane,team,nation,skaters
1,inner,Netherlands,NED,Joy Beune;Antoinette Rijpma-de Jong;Marijke Groenewoud
1,outer,Canada,CAN,Ivanie Blondin;Valérie Maltais;Isabelle Weidemann;Béatrice Lamarche
"""
FIELD = "bib,name,nation\n" + "".join(f"{b},Skater {b},NED\n" for b in range(1, 21))


def run(tmp_path, text, *args):
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("importstartlist", str(path), "--competition", "Test World Cup", *args, stdout=out)
    return out.getvalue()


def refused_import(tmp_path, text, *args):
    with pytest.raises(CommandError) as caught:
        run(tmp_path, text, *args)
    assert not any(m.objects.exists() for m in (Competition, Race, Start, Skater))
    return str(caught.value)


def test_a_team_pursuit_start_list_becomes_heats_of_teams(tmp_path):
    out = run(tmp_path, TEAMS, "--race", "Women's team pursuit", "--distance", "2400", "--kind", "team_pursuit")
    race = Race.objects.get()
    assert out.endswith("team pursuit, 2 teams in 1 heats.\n")
    assert race.kind == "team_pursuit"
    ned = Start.objects.get(lane="inner")
    assert (ned.skater.name, ned.team_skaters) == ("Netherlands", ["Joy Beune", "Antoinette Rijpma-de Jong",
                                                                   "Marijke Groenewoud"])


def test_a_mass_start_list_becomes_one_start_of_the_field_by_bib(tmp_path):
    out = run(tmp_path, FIELD, "--race", "Men's mass start", "--kind", "mass_start")
    race = Race.objects.get()
    assert out.endswith("mass start, 20 skaters.\n")
    assert (race.kind, race.distance, race.pairs.count()) == ("mass_start", 6400, 1)
    assert sorted(Start.objects.values_list("bib", flat=True)) == list(range(1, 21))


def test_a_team_with_two_skaters_is_refused_and_nothing_stored(tmp_path):
    text = TEAMS.replace("Joy Beune;Antoinette Rijpma-de Jong;Marijke Groenewoud", "Joy Beune;Marijke Groenewoud")
    message = refused_import(tmp_path, text, "--race", "Women's team pursuit", "--distance", "2400",
                             "--kind", "team_pursuit")
    assert "line 2: A team pursuit team has three skaters (and may name a fourth as reserve), not 2." in message


def test_a_team_pursuit_over_a_wrong_distance_is_refused(tmp_path):
    message = refused_import(tmp_path, TEAMS, "--race", "Women's team pursuit", "--distance", "3000",
                             "--kind", "team_pursuit")
    assert "3000 m is not a team pursuit distance" in message


def test_a_mass_start_given_pairs_is_refused_and_nothing_stored(tmp_path):
    text = "pair,lane,name,nation\n1,inner,A,NED\n1,outer,B,NED\n"
    message = refused_import(tmp_path, text, "--race", "Women's mass start", "--kind", "mass_start")
    assert "a mass start has no pairs or lanes" in message and "bib,name,nation" in message


def test_a_mass_start_with_a_bib_twice_or_25_skaters_is_refused(tmp_path):
    message = refused_import(tmp_path, FIELD + "7,Someone Else,NOR\n", "--race", "Men's mass start", "--kind",
                             "mass_start")
    assert "line 22: bib 7 is already on line 8" in message
    many = "bib,name,nation\n" + "".join(f"{b},Skater {b},NED\n" for b in range(1, 26))
    assert "at most 24 skaters, not 25" in refused_import(tmp_path, many, "--race", "Men's mass start",
                                                          "--kind", "mass_start")


# --- start lists pushed over the competition-day API --------------------------------------------


@pytest.fixture
def day():
    from timing import services

    return services.create_competition({"name": "World Cup Heerenveen", "venue": "Thialf"}, REPLAY)


def new_race(day, kind, distance, title):
    from timing import services

    return services.create_race(day.id, {"title": title, "category": "Women", "distance": distance, "kind": kind},
                                REPLAY)


def test_a_team_pursuit_and_a_mass_start_take_their_start_lists_as_csv(callers, day):
    pursuit = new_race(day, "team_pursuit", 2400, "Women's team pursuit")
    response = callers["device"].client.put(f"/api/races/{pursuit.id}/startlist", TEAMS, "text/csv",
                                            headers=callers["device"].headers)
    assert response.status_code == 200, response.content
    assert response.json()["pairs"][0]["outer"]["skaters"][3] == "Béatrice Lamarche"
    mass = new_race(day, "mass_start", 6400, "Women's mass start")
    response = callers["device"].client.put(f"/api/races/{mass.id}/startlist", FIELD, "text/csv",
                                            headers=callers["device"].headers)
    assert response.status_code == 200, response.content
    assert [s["bib"] for s in response.json()["skaters"]] == list(range(1, 21))


def test_a_mass_start_given_pairs_over_the_api_is_refused(callers, day):
    from tests.test_competition_day import everything

    mass = new_race(day, "mass_start", 6400, "Women's mass start")
    before = everything()
    response = callers["device"].client.put(f"/api/races/{mass.id}/startlist", "pair,lane,name,nation\n1,inner,A,NED\n",
                                            "text/csv", headers=callers["device"].headers)
    assert response.status_code == 400 and "a mass start has no pairs or lanes" in response.json()["error"]
    json_body = '{"starts": [{"pair": 1, "lane": "inner", "name": "A", "nation": "NED"}]}'
    response = callers["device"].client.put(f"/api/races/{mass.id}/startlist", json_body, "application/json",
                                            headers=callers["device"].headers)
    assert response.status_code == 400 and "header bib,name,nation" in response.json()["error"]
    assert everything() == before


# --- exports -------------------------------------------------------------------------------------


def test_the_results_csv_of_a_mass_start_has_points_sprints_and_every_lap(db):
    import csv as csvlib

    from timing.formats import demo
    from timing import results
    from timing.management.commands.exportresults import results_csv

    race, _ = demo.load_mass_start()
    text = results_csv(results.load(race))
    rows = list(csvlib.DictReader(text.splitlines()))
    assert len(rows) == 20 and rows[0]["rank"] == "1" and rows[-1]["status"] == "DNF"
    assert sum(int(r["points"]) for r in rows) == 3 * 6 + 139
    assert rows[0]["lap_16"] == rows[0]["time"] and rows[0]["invented"].startswith("skater lap_1 ")
    assert rows[-1]["reason"] == "stopped after lap 9 (invented)" and rows[-1]["laps_done"] == "9"
    assert [r["sprint_16"] for r in rows[:6]] != ["", "", "", "", "", ""]


def test_the_results_csv_of_a_team_pursuit_names_the_skaters(db):
    import csv as csvlib

    from timing.formats import demo
    from timing import results
    from timing.management.commands.exportresults import results_csv

    race, _ = demo.load_team_pursuit()
    text = results_csv(results.load(race))
    rows = list(csvlib.DictReader(text.splitlines()))
    assert [r["name"] for r in rows][0] == "Netherlands" and rows[0]["skaters"] == "Demo NED 1;Demo NED 2;Demo NED 3"
    assert rows[0]["split_400"] and rows[0]["time"] == "2:52.68"


# --- replay --------------------------------------------------------------------------------------


def test_a_mass_start_replays_to_the_same_result_at_its_recorded_pace(db):
    from tests.conftest import snapshot
    from tests.test_replay import FakeTime
    from timing.formats import demo
    from timing.replay import replay_race

    source, _ = demo.load_mass_start()
    fake = FakeTime()
    copy = replay_race(source.id, speed=10, sleep=fake.sleep, clock=fake.clock)
    original, replayed = snapshot(source.id), snapshot(copy.id)
    assert replayed["race"]["state"] == "final" and replayed["race"]["kind"] == "mass_start"
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("id",)} for r in rows]  # noqa: E731
    assert strip(replayed["standings"]) == strip(original["standings"])
    assert replayed["sprints"] == original["sprints"]
    last = max(s["last_ms"] or 0 for s in original["skaters"])
    assert fake.now == pytest.approx(last / 1000 / 10)


@pytest.mark.parametrize("loader", ["load_team_pursuit", "load_mass_start"])
def test_the_result_list_page_json_and_pdf_exist_for_both_kinds(client, db, loader):
    from timing.formats import demo

    race, _ = getattr(demo, loader)()
    listed = client.get(f"/api/races/{race.id}/results").json()
    assert listed["kind"] == race.kind and listed["official"] and len(listed["ranked"]) >= 4
    page = client.get(f"/races/{race.id}/results/")
    assert page.status_code == 200 and listed["ranked"][0]["name"] in page.content.decode()
    import tempfile

    out = StringIO()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        call_command("exportresults", str(race.id), "--format", "pdf", "--output", tmp.name, stderr=out)
        pdf = open(tmp.name, "rb").read()
    assert pdf.startswith(b"%PDF")
