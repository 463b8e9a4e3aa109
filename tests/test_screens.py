"""The venue's screens: what each shows (timing/screens.py decisions), the officials' commands
(one audited competition change each, refused ones change nothing), the displays' heartbeat,
and the pages' answers to bad addresses."""
import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.callers import REFUSED, caller, callers, fast_password_hashing  # noqa: F401
from tests.test_competition_day import everything, one_schedule_change
from timing import schedule, screens, services
from timing.models import Competition, Race, Screen
from timing.rules.points import laps_to_go

pytestmark = pytest.mark.django_db

DAY = {"name": "World Cup Heerenveen", "venue": "Thialf", "starts_on": "2026-11-27", "time_zone": "Europe/Amsterdam"}


def row(ident, state):
    return {"id": ident, "state": state, "title": f"race {ident}"}


# --- what the venue shows (pure) ------------------------------------------------------------------

DAY_ROWS = [row(1, "final"), row(2, "final"), row(3, "scheduled"), row(4, "scheduled")]


def test_the_venue_shows_the_board_of_a_live_race_on_the_ice():
    rows = [row(1, "final"), row(2, "live"), row(3, "scheduled")]
    assert screens.venue_view(rows, 2) == {"show": "race", "race": 2}


def test_a_scheduled_race_on_the_ice_shows_its_start_list_and_the_last_results_before_it():
    assert screens.venue_view(DAY_ROWS, 3) == {"show": "between", "next": 3, "last": 2}


def test_a_final_race_on_the_ice_shows_its_results_and_the_next_race_not_final():
    assert screens.venue_view(DAY_ROWS, 2) == {"show": "between", "next": 3, "last": 2}
    assert screens.venue_view(DAY_ROWS, 1) == {"show": "between", "next": 3, "last": 1}


def test_nothing_on_the_ice_shows_the_first_race_to_come_and_the_last_final_one():
    assert screens.venue_view(DAY_ROWS, None) == {"show": "between", "next": 3, "last": 2}
    assert screens.venue_view([row(1, "scheduled")], None) == {"show": "between", "next": 1, "last": None}


def test_an_empty_day_is_idle_never_blank():
    assert screens.venue_view([], None) == {"show": "idle"}


ALLROUND = {"id": 7, "name": "Allround women", "races": [2, 3]}
SPRINT = {"id": 8, "name": "Sprint men", "races": [1, 4]}


def shows(view, classification_id, nxt, last):
    return view["show"] == "classification" and (view["classification"], view["next"], view["last"]) == (
        classification_id, nxt, last)


def test_between_races_the_venue_shows_the_classification_of_the_race_just_skated():
    assert shows(screens.venue_view(DAY_ROWS, 2, [SPRINT, ALLROUND]), 7, 3, 2)
    assert shows(screens.venue_view(DAY_ROWS, None, [ALLROUND]), 7, 3, 2)  # nothing on the ice
    assert shows(screens.venue_view(DAY_ROWS, 1, [SPRINT, ALLROUND]), 8, 3, 1)
    assert screens.venue_view(DAY_ROWS, 2, [ALLROUND])["name"] == "Allround women"


def test_else_the_classification_of_the_next_race_once_one_of_its_races_is_over():
    assert shows(screens.venue_view(DAY_ROWS, 1, [ALLROUND]), 7, 3, 1)
    later = {"id": 9, "name": "Custom", "races": [3, 4]}  # nothing of it skated yet
    assert screens.venue_view(DAY_ROWS, 1, [later]) == {"show": "between", "next": 3, "last": 1}


def test_the_classification_gives_way_once_the_next_race_is_on_the_ice_and_to_its_board_when_it_starts():
    assert screens.venue_view(DAY_ROWS, 3, [ALLROUND]) == {"show": "between", "next": 3, "last": 2}
    live = [row(1, "final"), row(2, "final"), row(3, "live"), row(4, "scheduled")]
    assert screens.venue_view(live, 3, [ALLROUND]) == {"show": "race", "race": 3}
    assert screens.venue_view([], None, [ALLROUND]) == {"show": "idle"}


def test_a_named_screen_following_the_venue_shows_the_classification_and_the_page_describes_it():
    view = screens.screen_view("follow", None, "", DAY_ROWS, 2, [ALLROUND])
    assert shows(view, 7, 3, 2)
    assert screens.describe(view, DAY_ROWS) == "Between races: classification (Allround women; next: race 3)"
    assert screens.screen_view("race", 1, "", DAY_ROWS, 2, [ALLROUND]) == {"show": "race", "race": 1}


def test_a_race_on_the_ice_that_is_gone_counts_as_nothing_on_the_ice():
    assert screens.venue_view(DAY_ROWS, 99) == screens.venue_view(DAY_ROWS, None)


@pytest.mark.parametrize("mode", ["race", "results", "startlist"])
def test_a_screen_whose_race_is_gone_follows_the_venue(mode):
    venue = screens.venue_view(DAY_ROWS, 3)
    assert screens.screen_view(mode, None, "", DAY_ROWS, 3) == venue
    assert screens.screen_view(mode, 42, "", DAY_ROWS, 3) == venue


def test_a_screen_shows_its_commands():
    assert screens.screen_view("follow", None, "", DAY_ROWS, 3) == screens.venue_view(DAY_ROWS, 3)
    assert screens.screen_view("message", None, "Racing resumes at 14:35", DAY_ROWS, 3) == {
        "show": "message", "text": "Racing resumes at 14:35"}
    assert screens.screen_view("startlist", 4, "", DAY_ROWS, 3) == {"show": "startlist", "race": 4}
    assert screens.screen_view("race", 1, "", DAY_ROWS, 3) == {"show": "race", "race": 1}


def test_standings_without_a_race_are_the_race_on_the_ice_then_the_last_final_one():
    assert screens.screen_view("standings", None, "", DAY_ROWS, 3) == {"show": "standings", "race": 3}
    assert screens.screen_view("standings", None, "", DAY_ROWS, None) == {"show": "standings", "race": 2}
    assert screens.screen_view("standings", 1, "", DAY_ROWS, 3) == {"show": "standings", "race": 1}
    assert screens.screen_view("standings", None, "", [row(1, "scheduled")], None)["show"] == "between"


@pytest.mark.parametrize("name, ok", [
    ("north-stand", True), ("a", True), ("x" * 50, True), ("x" * 51, False), ("North", False),
    ("north_stand", False), ("", False), ("nörth", False), ("a b", False), ("a/b", False),
])
def test_screen_names_are_lower_case_letters_digits_and_dashes_up_to_50(name, ok):
    assert screens.valid_name(name) is ok
    assert (screens.name_problem(name) is None) is ok


def test_the_lap_counter_counts_line_crossings_still_to_come():
    assert [laps_to_go(10000, p) for p in (0, 400, 9600, 10000)] == [25, 24, 1, 0]
    assert [laps_to_go(3000, p) for p in (0, 200, 600, 2600, 3000)] == [8, 7, 6, 1, 0]
    assert [laps_to_go(5000, p) for p in (0, 200, 4600, 5000)] == [13, 12, 1, 0]


# --- commands through the service layer -----------------------------------------------------------


@pytest.fixture
def comp():
    return services.create_competition(DAY, services.IMPORT)


@pytest.fixture
def races(comp):
    made = [
        services.create_race(comp.id, {"title": t, "category": "Women", "distance": d}, services.IMPORT)
        for t, d in (("Women's 500 m", 500), ("Women's 10000 m", 10000))
    ]
    return made


def test_a_command_is_one_audited_competition_change_listed_in_the_schedule(comp, races, official):
    actor = services.Actor.official(official)
    one_schedule_change(comp, services.set_screen, comp.id, "north-stand", {"mode": "message", "text": "Racing resumes at 14:35"}, actor)
    snap = schedule.load(comp.id)
    assert snap["screens"] == {"north-stand": {
        "mode": "message", "race": None, "text": "Racing resumes at 14:35", "classification": None,
        "view": {"show": "message", "text": "Racing resumes at 14:35"}}}
    change = comp.changes.latest("version")
    assert (change.action, change.actor, change.new_value) == ("screen", official, "north-stand: message 'Racing resumes at 14:35'")
    one_schedule_change(comp, services.set_screen, comp.id, "north-stand", {"mode": "follow"}, actor)
    assert schedule.load(comp.id)["screens"] == {}  # following the venue: nothing to list


def test_all_screens_change_in_one_version(comp, races):
    for name in ("north", "south", "east"):
        screens.register(comp, name)
    services.set_screen(comp.id, "east", {"mode": "startlist", "race": races[1].id}, services.IMPORT)
    moved = one_schedule_change(comp, services.set_all_screens, comp.id, {"mode": "startlist", "race": races[1].id}, services.IMPORT)
    assert sorted(s.name for s in moved) == ["north", "south"]
    assert {s.mode for s in comp.screens.all()} == {"startlist"}
    assert set(schedule.load(comp.id)["screens"]) == {"north", "south", "east"}


@pytest.mark.parametrize("name, data, error, field", [
    ("north-stand", {"mode": "dance"}, services.Invalid, "mode"),
    ("north-stand", {}, services.Invalid, "mode"),
    ("north-stand", {"mode": "race"}, services.Invalid, "race"),
    ("north-stand", {"mode": "results", "race": "1"}, services.Invalid, "race"),
    ("north-stand", {"mode": "startlist", "race": 999999}, services.NotFound, "race"),
    ("north-stand", {"mode": "follow", "race": 1}, services.Invalid, "race"),
    ("north-stand", {"mode": "message"}, services.Invalid, "text"),
    ("north-stand", {"mode": "message", "text": "   "}, services.Invalid, "text"),
    ("north-stand", {"mode": "message", "text": "x" * 201}, services.Invalid, "text"),
    ("north-stand", {"mode": "follow", "text": "hello"}, services.Invalid, "text"),
    ("north-stand", {"mode": "follow", "colour": "red"}, services.Invalid, "colour"),
    ("North Stand", {"mode": "follow"}, services.Invalid, "name"),
    ("x" * 51, {"mode": "follow"}, services.Invalid, "name"),
])
def test_a_bad_command_is_refused_and_changes_nothing(comp, races, name, data, error, field):
    before = everything()
    screens_before = list(Screen.objects.values())
    with pytest.raises(services.ServiceError) as caught:
        services.set_screen(comp.id, name, data, services.IMPORT)
    assert type(caught.value) is error and caught.value.field == field, caught.value.message
    assert everything() == before and list(Screen.objects.values()) == screens_before


def test_a_race_of_another_competition_is_refused(comp, races):
    other = services.create_competition({**DAY, "name": "Other"}, services.IMPORT)
    theirs = services.create_race(other.id, {"title": "Men's 500 m", "category": "Men", "distance": 500}, services.IMPORT)
    before = everything()
    with pytest.raises(services.NotFound):
        services.set_screen(comp.id, "north", {"mode": "race", "race": theirs.id}, services.IMPORT)
    assert everything() == before


def test_the_same_command_twice_is_refused_the_second_time(comp, races):
    services.set_screen(comp.id, "north", {"mode": "startlist", "race": races[0].id}, services.IMPORT)
    before = everything()
    with pytest.raises(services.Invalid):
        services.set_screen(comp.id, "north", {"mode": "startlist", "race": races[0].id}, services.IMPORT)
    with pytest.raises(services.Invalid):
        services.set_all_screens(comp.id, {"mode": "startlist", "race": races[0].id}, services.IMPORT)
    assert everything() == before


def test_deleting_a_race_sends_its_screens_back_to_the_venue_and_moves_the_version(comp, races):
    services.set_screen(comp.id, "north", {"mode": "startlist", "race": races[1].id}, services.IMPORT)
    version = Competition.objects.get(pk=comp.id).version
    Race.objects.filter(pk=races[1].id).delete()
    assert Competition.objects.get(pk=comp.id).version == version + 1
    snap = schedule.load(comp.id)
    assert snap["screens"]["north"]["view"] == snap["venue"]


# --- the JSON API -----------------------------------------------------------------------------------


def test_each_caller_gets_what_it_may_when_setting_a_screen(caller, comp, races):
    before = everything()
    url = f"/api/competitions/{comp.id}/screens/north-stand"
    response = caller.post(url, {"mode": "message", "text": "Racing resumes at 14:35"})
    if REFUSED[caller.name]:
        assert response.status_code == REFUSED[caller.name] and set(response.json()) == {"error", "field"}
        assert everything() == before and not Screen.objects.exists()
        return
    assert response.status_code == 200, response.content
    assert response.json()["screen"] == {"name": "north-stand", "mode": "message", "race": None, "text": "Racing resumes at 14:35",
                                         "classification": None}
    assert response.json()["version"] == Competition.objects.get(pk=comp.id).version


def test_each_caller_gets_what_it_may_when_listing_screens(caller, comp, races):
    screens.register(comp, "north")
    response = caller.get(f"/api/competitions/{comp.id}/screens")
    if REFUSED[caller.name]:
        assert response.status_code == REFUSED[caller.name]
        return
    body = response.json()
    assert response.status_code == 200 and [s["name"] for s in body["screens"]] == ["north"]
    assert body["screens"][0]["online"] is False and body["screens"][0]["shows"].startswith("Between races")


def test_the_api_answers_bad_input_with_words_and_changes_nothing(callers, comp, races):
    desk = callers["device"]
    before = everything()
    cases = [
        (f"/api/competitions/{comp.id}/screens/North_Stand", {"mode": "follow"}, 400, "name"),
        (f"/api/competitions/{comp.id}/screens/{'x' * 51}", {"mode": "follow"}, 400, "name"),
        (f"/api/competitions/{comp.id}/screens/north", {"mode": "race", "race": 424242}, 404, "race"),
        (f"/api/competitions/{comp.id}/screens/north", {"mode": "warp"}, 400, "mode"),
        (f"/api/competitions/{comp.id}/screens/north", {"mode": "race", "race": None}, 400, "race"),
        ("/api/competitions/424242/screens/north", {"mode": "follow"}, 404, "competition"),
        (f"/api/competitions/{comp.id}/screens", {"mode": "follow"}, 404, "name"),  # no screens yet
    ]
    for url, body, status, field in cases:
        response = desk.post(url, body)
        assert (response.status_code, response.json()["field"]) == (status, field), (url, response.content)
    assert everything() == before and not Screen.objects.exists()
    assert desk.client.get("/api/competitions/424242/screens", headers=desk.headers).status_code == 404


def test_a_retried_command_with_its_idempotency_key_is_applied_once(callers, comp, races):
    desk = callers["official"]
    url = f"/api/competitions/{comp.id}/screens/north"
    first = desk.post(url, {"mode": "standings"}, headers={"Idempotency-Key": "k-1"})
    again = desk.post(url, {"mode": "standings"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert comp.changes.filter(action="screen").count() == 1


# --- the heartbeat -------------------------------------------------------------------------------


def beat(comp_id, name, body):
    return Client(enforce_csrf_checks=True).post(
        f"/api/competitions/{comp_id}/screens/{name}/seen", data=body, content_type="application/json")


def test_a_screen_reports_itself_without_credentials_and_changes_nothing_it_shows(comp, races):
    screens.register(comp, "north")
    before = everything()
    response = beat(comp.id, "north", json.dumps({"offset_ms": -120}))
    assert response.status_code == 200, response.content
    screen = Screen.objects.get(name="north")
    assert screen.clock_offset_ms == -120 and (timezone.now() - screen.last_seen).total_seconds() < 5
    assert everything() == before  # no version, no audit row, the same schedule


def test_the_heartbeat_refuses_floods_unknown_screens_and_anything_else(comp, races):
    screens.register(comp, "north")
    assert beat(comp.id, "north", "{}").status_code == 200
    seen = Screen.objects.get(name="north").last_seen
    flood = beat(comp.id, "north", json.dumps({"offset_ms": 5}))
    assert flood.status_code == 429 and flood["Retry-After"] == "5"
    assert Screen.objects.get(name="north").last_seen == seen
    assert beat(comp.id, "south", "{}").status_code == 404 and not Screen.objects.filter(name="south").exists()
    assert beat(comp.id, "North", "{}").status_code == 400
    assert beat(comp.id, "north", json.dumps({"offset_ms": "soon"})).status_code == 400
    assert beat(comp.id, "north", json.dumps({"offset_ms": 10 ** 12})).status_code == 400
    assert beat(comp.id, "north", "x" * 100).status_code == 400
    assert beat(comp.id, "north", "not json").status_code == 400
    assert Client().get(f"/api/competitions/{comp.id}/screens/north/seen").status_code == 405


def test_only_screens_seen_in_the_last_minute_are_on_line(comp, races, callers):
    old, new = screens.register(comp, "old"), screens.register(comp, "new")
    Screen.objects.filter(pk=old.pk).update(last_seen=timezone.now() - timezone.timedelta(seconds=61))
    Screen.objects.filter(pk=new.pk).update(last_seen=timezone.now() - timezone.timedelta(seconds=10), clock_offset_ms=40)
    listed = {s["name"]: s for s in callers["device"].get(f"/api/competitions/{comp.id}/screens").json()["screens"]}
    assert (listed["old"]["online"], listed["new"]["online"]) == (False, True)
    assert listed["new"]["clock_offset_ms"] == 40


# --- the pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path, status, words", [
    ("/screens/North-Stand/", 400, "lower-case"),
    (f"/screens/{'x' * 51}/", 400, "at most 50"),
    ("/screens/a_b/", 400, "lower-case"),
    ("/screens/north/?competition=abc", 400, "competition"),
    ("/screens/north/?competition=424242", 404, "no competition 424242"),
    ("/competitions/424242/board/", 404, "no competition 424242"),
    ("/competitions/424242/overlay/", 404, "no competition 424242"),
    ("/races/424242/overlay/", 404, "no race 424242"),
    ("/races/424242/laps/", 404, "no race 424242"),
])
def test_bad_addresses_get_a_page_that_says_why(client, comp, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    assert words in response.content.decode()


def test_a_lap_counter_is_only_for_long_distances(client, races):
    assert client.get(f"/races/{races[0].id}/laps/").status_code == 404
    assert client.get(f"/races/{races[1].id}/laps/").status_code == 200


def test_a_display_opening_its_name_registers_once_with_the_current_competition(client, comp, races):
    version = Competition.objects.get(pk=comp.id).version
    assert client.get("/screens/north-stand/").status_code == 200
    assert client.get("/screens/north-stand/").status_code == 200
    assert list(comp.screens.values_list("name", "mode")) == [("north-stand", "follow")]
    assert Competition.objects.get(pk=comp.id).version == version  # opening a page is not a change
    other = services.create_competition({**DAY, "name": "Other", "starts_on": "2020-01-01"}, services.IMPORT)
    assert client.get(f"/screens/north-stand/?competition={other.id}").status_code == 200
    assert other.screens.get().name == "north-stand"


def test_no_competition_means_a_page_that_says_so(client, db):
    response = client.get("/screens/north/")
    assert response.status_code == 404 and "no competition" in response.content.decode().lower()


def test_the_current_competition_is_the_one_with_a_race_on_the_ice(comp, races):
    later = services.create_competition({**DAY, "name": "Later", "starts_on": "2030-01-01"}, services.IMPORT)
    assert screens.current_competition() == later
    services.set_on_ice(comp.id, races[0].id, services.IMPORT)
    assert screens.current_competition() == comp


def test_the_screens_page_is_for_officials_only(comp, callers):
    assert callers["anonymous"].client.get(f"/officials/competitions/{comp.id}/screens/").status_code == 302
    assert callers["spectator"].client.get(f"/officials/competitions/{comp.id}/screens/").status_code == 403
    assert callers["official"].client.get(f"/officials/competitions/{comp.id}/screens/").status_code == 200


@pytest.mark.parametrize("path, module", [
    ("/competitions/{comp}/board/", "oval/screen.js"),
    ("/screens/north/?competition={comp}", "oval/screen.js"),
    ("/competitions/{comp}/overlay/", "oval/overlay.js"),
    ("/races/{long}/overlay/", "oval/overlay.js"),
    ("/races/{long}/laps/", "oval/laps.js"),
    ("/races/{long}/announcer/", "oval/announcer.js"),
    ("/competitions/{comp}/announcer/", "oval/announcer.js"),
])
def test_each_screen_page_is_a_csp_clean_shell_for_its_module(client, comp, races, path, module):
    from tests.test_pages import assert_csp_clean

    response = client.get(path.format(comp=comp.id, long=races[1].id))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<script type="module" src="/static/{module}"></script>' in html
    assert_csp_clean(html)


# --- classification mode -------------------------------------------------------------------------


def test_a_named_screen_shows_a_chosen_classification_until_it_is_deleted(comp, races, official):
    from timing.classifications import create_classification, delete_classification

    actor = services.Actor.official(official)
    c = create_classification(comp.id, "Long and short", "custom", [r.id for r in races], services.IMPORT)
    one_schedule_change(comp, services.set_screen, comp.id, "north-stand", {"mode": "classification", "classification": c.id}, actor)
    screen = schedule.load(comp.id)["screens"]["north-stand"]
    assert (screen["mode"], screen["classification"]) == ("classification", c.id)
    assert screen["view"] == {"show": "classification", "classification": c.id, "name": "Long and short", "next": None, "last": None}
    assert comp.changes.latest("version").new_value == f"north-stand: classification classification {c.id}"
    row = screens.listing(comp, schedule.load(comp.id))[0]
    assert row["shows"] == "Classification: Long and short" and row["classification"] == c.id
    delete_classification(c.id, services.IMPORT)
    snap = schedule.load(comp.id)
    assert snap["screens"]["north-stand"]["view"] == snap["venue"]  # gone: it follows the venue


@pytest.mark.parametrize("command, error, field", [
    ({"mode": "classification"}, services.Invalid, "classification"),
    ({"mode": "classification", "classification": "3"}, services.Invalid, "classification"),
    ({"mode": "classification", "classification": 999999}, services.NotFound, "classification"),
    ({"mode": "message", "text": "Hi", "classification": 1}, services.Invalid, "classification"),
    ({"mode": "classification", "classification": 1, "race": 1}, services.Invalid, "race"),
])
def test_a_classification_command_without_a_classification_of_the_competition_is_refused(comp, races, official, command, error, field):
    from timing.classifications import create_classification

    c = create_classification(comp.id, "Mine", "custom", [races[0].id], services.IMPORT)
    command = {k: (c.id if v == 1 and k == "classification" else races[0].id if k == "race" else v) for k, v in command.items()}
    other = services.create_competition({**DAY, "name": "Elsewhere"}, services.IMPORT)
    theirs = services.create_race(other.id, {"title": "W 500", "category": "Women", "distance": 500}, services.IMPORT)
    foreign = create_classification(other.id, "Theirs", "custom", [theirs.id], services.IMPORT)
    before = everything()
    with pytest.raises(error) as caught:
        services.set_screen(comp.id, "north-stand", command, services.Actor.official(official))
    assert caught.value.field == field
    with pytest.raises(services.NotFound):
        services.set_screen(comp.id, "north-stand", {"mode": "classification", "classification": foreign.id},
                            services.Actor.official(official))
    assert everything() == before
