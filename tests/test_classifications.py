"""Classifications through the service layer and the API: creating and editing them (every refusal
changes nothing), the table computed from the races' committed results, and who is the same person
across races."""
import json

import pytest
from django.forms.models import model_to_dict

from tests.callers import REFUSED, caller, callers, fast_password_hashing  # noqa: F401
from timing import classification_table, services
from timing.classifications import create_classification, delete_classification, edit_classification
from timing.models import Change, Classification, ClassificationRace, Competition, Race, Skater
from timing.rules.times import parse_time
from timing.services import Conflict, Invalid, NotFound
from timing.startlists import Entry, create_race, read_csv

pytestmark = pytest.mark.django_db

OFFICIAL = services.REPLAY
SKATERS = [("Joy Beune", "NED"), ("Ragne Wiklund", "NOR"), ("Irene Schouten", "NED"), ("Isabelle Weidemann", "CAN")]


def entries():
    return [Entry(n // 2 + 1, ("inner", "outer")[n % 2], name, nation) for n, (name, nation) in enumerate(SKATERS)]


@pytest.fixture
def allround(db):
    """A women's allround: four races (500, 3000, 1500, 5000 m), every skater in each."""
    return [
        create_race("Test Championship", f"Women's {d} m", "Women", d, entries())
        for d in (500, 3000, 1500, 5000)
    ]


@pytest.fixture
def elsewhere(db):
    return create_race("Another Meet", "Women's 1000 m", "Women", 1000, entries())


def finish(race, pair, lane, text):
    services.record_passing(race.id, pair, lane, race.distance, parse_time(text), services.REPLAY)


def stored():
    return {
        "classifications": list(Classification.objects.values()),
        "entries": list(ClassificationRace.objects.values()),
        "changes": list(Change.objects.values()),
        "competitions": list(Competition.objects.values()),
    }


def refused(error, call, *args):
    before = stored()
    with pytest.raises(services.ServiceError) as caught:
        call(*args)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value.message}"
    assert stored() == before
    return caught.value


def accepted(competition, call, *args):
    version = Competition.objects.get(pk=competition.id).version
    changes = Change.objects.filter(competition=competition).count()
    result = call(*args)
    assert Competition.objects.get(pk=competition.id).version == version + 1
    assert Change.objects.filter(competition=competition).count() == changes + 1
    assert Change.objects.filter(competition=competition).latest("version").version == version + 1
    return result


def ids(races):
    return [r.id for r in races]


# --- creating ----------------------------------------------------------------------------------


def test_it_creates_an_allround_with_its_races_in_order(allround):
    comp = allround[0].competition
    c = accepted(comp, create_classification, comp.id, " Allround women ", "allround", ids(allround), OFFICIAL)
    assert (c.name, c.kind, c.competition_id) == ("Allround women", "allround", comp.id)
    assert [r.id for r in c.ordered_races()] == ids(allround)
    change = Change.objects.get(competition=comp)
    assert change.action == "classification" and "Allround women (allround:" in change.new_value


def test_a_custom_classification_takes_any_races_of_the_competition(allround):
    comp = allround[0].competition
    c = accepted(comp, create_classification, comp.id, "Short", "custom", [allround[2].id, allround[0].id], OFFICIAL)
    assert [r.distance for r in c.ordered_races()] == [1500, 500]


@pytest.mark.parametrize(
    "kind, races, says",
    [
        ("allround", lambda a, e: [a[0].id, a[2].id, a[1].id, a[3].id], "An allround is 500, 3000, 1500, 5000 m"),
        ("allround", lambda a, e: ids(a)[:3], "these races are 500, 3000, 1500 m"),
        ("sprint", lambda a, e: ids(a), "A sprint is 500, 1000, 500, 1000 m"),
        ("custom", lambda a, e: [a[0].id, e.id], "belongs to another competition"),
        ("custom", lambda a, e: [a[0].id, a[0].id], "is listed twice"),
        ("custom", lambda a, e: [a[0].id, 999999], "There is no race 999999."),
        ("custom", lambda a, e: [], "must be a list of race ids"),
        ("custom", lambda a, e: [str(a[0].id)], "must be a race id"),
        ("custom", lambda a, e: [True], "must be a race id"),
        ("team", lambda a, e: ids(a), "'team' is not a kind"),
    ],
)
def test_it_refuses_races_that_do_not_make_the_classification_and_stores_nothing(allround, elsewhere, kind, races, says):
    comp = allround[0].competition
    e = refused(Invalid, create_classification, comp.id, "Allround", kind, races(allround, elsewhere), OFFICIAL)
    assert says in e.message and e.field in ("races", "kind")


@pytest.mark.parametrize("name", ["", "   ", None, "x" * 201])
def test_it_refuses_a_classification_without_a_usable_name(allround, name):
    comp = allround[0].competition
    e = refused(Invalid, create_classification, comp.id, name, "allround", ids(allround), OFFICIAL)
    assert e.field == "name"


def test_it_refuses_an_unknown_competition(allround):
    assert refused(NotFound, create_classification, 999999, "A", "custom", ids(allround)[:1], OFFICIAL).field == "competition"


# --- editing -----------------------------------------------------------------------------------


def test_it_edits_a_classification_until_one_of_its_races_is_final(allround):
    comp = allround[0].competition
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    c = accepted(comp, edit_classification, c.id, "Allround women", "allround", ids(allround), OFFICIAL)
    assert c.kind == "allround" and len(c.ordered_races()) == 4
    services.set_race_state(allround[0].id, "live", services.REPLAY)
    services.set_race_state(allround[0].id, "final", services.REPLAY)
    e = refused(Conflict, edit_classification, c.id, "Renamed", "allround", ids(allround), OFFICIAL)
    assert e.message == "Women's 500 m is final, so Allround women can no longer be changed."


def test_an_edit_is_checked_like_a_creation(allround, elsewhere):
    comp = allround[0].competition
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    refused(Invalid, edit_classification, c.id, "Short", "custom", [elsewhere.id], OFFICIAL)
    refused(NotFound, edit_classification, 999999, "Short", "custom", ids(allround), OFFICIAL)


def make_final(race):
    services.set_race_state(race.id, "live", services.REPLAY)
    services.set_race_state(race.id, "final", services.REPLAY)


def test_it_deletes_a_classification_with_an_audit_row_until_one_of_its_races_is_final(allround):
    comp = allround[0].competition
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    accepted(comp, delete_classification, c.id, OFFICIAL)
    assert not Classification.objects.exists() and not ClassificationRace.objects.exists()
    assert Race.objects.filter(pk__in=ids(allround)).count() == 4  # its races stay
    change = Change.objects.filter(competition=comp).latest("version")
    assert change.action == "classification" and change.old_value.startswith("Short (custom:") and change.new_value == ""
    kept = create_classification(comp.id, "Allround women", "allround", ids(allround), OFFICIAL)
    make_final(allround[0])
    e = refused(Conflict, delete_classification, kept.id, OFFICIAL)
    assert e.message == "Women's 500 m is final, so Allround women can no longer be deleted."
    assert refused(NotFound, delete_classification, 999999, OFFICIAL).field == "classification"
    assert refused(Invalid, delete_classification, "3", OFFICIAL).field == "classification"


# --- the table ---------------------------------------------------------------------------------


def test_the_table_agrees_with_a_hand_calculation(allround):
    r500, r3000, r1500, r5000 = allround
    comp = r500.competition
    c = create_classification(comp.id, "Allround women", "allround", ids(allround), OFFICIAL)
    # Beune 38.21, 4:01.23, 1:53.29 -> 38.210 + 40.205 + 37.763 = 116.178
    # Wiklund 38.90, 3:58.04, 1:54.10 -> 38.900 + 39.673 + 38.033 = 116.606
    # Schouten 39.50, 3:55.00, 1:56.00 -> 39.500 + 39.166 + 38.666 = 117.332
    # Weidemann DNF on the 3000 m.
    for race, times in [(r500, ["38.21", "38.90", "39.50"]), (r3000, ["4:01.23", "3:58.04", "3:55.00"]),
                        (r1500, ["1:53.29", "1:54.10", "1:56.00"])]:
        for n, text in enumerate(times):
            finish(race, n // 2 + 1, ("inner", "outer")[n % 2], text)
    finish(r500, 2, "outer", "40.00")
    services.set_status(r3000.id, 2, "outer", "DNF", "", services.REPLAY)
    services.set_status(r1500.id, 2, "outer", "DNS", "", services.REPLAY)
    data = classification_table.for_id(c.id)
    rows = [(s["rank"], s["skater"]["name"], s["points"], s["behind"], s["qualified"], s["status"]) for s in data["standings"]]
    assert rows == [
        (1, "Joy Beune", "116.178", "0.000", True, None),
        (2, "Ragne Wiklund", "116.606", "0.428", True, None),
        (3, "Irene Schouten", "117.332", "1.154", True, None),
        (None, "Isabelle Weidemann", "40.000", None, False, "DNF"),
    ]
    assert data["standings"][0]["points_thousandths"] == 116178
    assert data["standings"][0]["results"][2] == {
        "race": r1500.id, "distance": 1500, "time_ms": 113290, "time": "1:53.29", "invented": False,
        "points": "37.763", "status": None,
    }
    # The 5000 m is next: nobody has skated it, so the targets are differences. Beune leads
    # Wiklund by 0.428 points = 4.28 s on the 5000 m.
    nxt = data["next"]
    assert (nxt["race"], nxt["distance"]) == (r5000.id, 5000)
    targets = {t["skater"]["name"]: t for t in nxt["targets"]}
    assert set(targets) == {"Joy Beune", "Ragne Wiklund", "Irene Schouten"}
    assert targets["Ragne Wiklund"]["lead"] == {
        "rival": {"name": "Joy Beune", "nation": "NED", "invented": False},
        "faster_than_ms": 4280, "text": "4.28 s faster than Joy Beune",
    }
    assert targets["Joy Beune"]["lead"]["faster_than_ms"] == -4280
    assert targets["Joy Beune"]["podium"]["any_time"] is True  # two rivals only

    # Beune skates 6:55.12 (41.512): 157.690. Wiklund then needs 157.690 - 116.606 = 41.084: 6:50.84.
    finish(r5000, 1, "inner", "6:55.12")
    data = classification_table.for_id(c.id)
    assert [(s["rank"], s["skater"]["name"], s["points"]) for s in data["standings"][:1]] == [(1, "Joy Beune", "157.690")]
    wiklund = next(t for t in data["next"]["targets"] if t["skater"]["name"] == "Ragne Wiklund")
    assert wiklund["lead"]["time"] == "6:50.84" and wiklund["lead"]["text"] == "6:50.84 or faster"
    assert wiklund["pair"] == 1

    # Skating it to the thousandth shares the lead; a hundredth slower would not.
    finish(r5000, 1, "outer", "6:50.849")
    data = classification_table.for_id(c.id)
    assert [(s["rank"], s["skater"]["name"]) for s in data["standings"][:2]] == [(1, "Joy Beune"), (1, "Ragne Wiklund")]


def test_the_version_grows_with_every_change_of_a_race(allround):
    comp = allround[0].competition
    c = create_classification(comp.id, "Allround", "allround", ids(allround), OFFICIAL)
    v0 = classification_table.for_id(c.id)["version"]
    finish(allround[0], 1, "inner", "38.21")
    assert classification_table.for_id(c.id)["version"] == v0 + 1


def test_the_version_grows_when_an_edit_drops_a_race_with_many_changes(allround):
    comp = allround[0].competition
    c = create_classification(comp.id, "Two", "custom", ids(allround)[:2], OFFICIAL)
    for pair, lane, text in [(1, "inner", "38.21"), (1, "outer", "38.90"), (2, "inner", "39.50")]:
        finish(allround[1 - 1], pair, lane, text)
    before = classification_table.for_id(c.id)["version"]
    edit_classification(c.id, "One", "custom", [allround[1].id], OFFICIAL)
    assert classification_table.for_id(c.id)["version"] == before + 1


def test_a_non_qualified_skater_gets_no_target_for_the_last_allround_distance(db):
    names = [(f"Skater {i}", "NED") for i in range(10)]
    field = [Entry(n // 2 + 1, ("inner", "outer")[n % 2], name, nation) for n, (name, nation) in enumerate(names)]
    races = [create_race("Big Championship", f"{d} m", "Women", d, field) for d in (500, 3000, 1500, 5000)]
    for race, base in zip(races[:3], (38000, 240000, 115000)):
        for n in range(10):
            finish(race, n // 2 + 1, ("inner", "outer")[n % 2], f"{(base + 100 * n) / 1000:.2f}" if base < 60000
                   else f"{(base + 100 * n) // 60000}:{(base + 100 * n) % 60000 / 1000:05.2f}")
    c = create_classification(races[0].competition_id, "Allround", "allround", ids(races), OFFICIAL)
    data = classification_table.for_id(c.id)
    assert [s["qualified"] for s in data["standings"]] == [True] * 8 + [False] * 2
    assert [t["skater"]["name"] for t in data["next"]["targets"]] == [f"Skater {i}" for i in range(8)]


def test_the_same_person_across_races_by_licence_or_else_by_name_and_nation():
    rows = [
        {"id": 1, "name": "Joy Beune", "nation": "NED", "licence": "NL-1"},
        {"id": 2, "name": "J. Beune", "nation": "NED", "licence": "NL-1"},  # same licence, other spelling
        {"id": 3, "name": "Joy Beune", "nation": "NED", "licence": ""},  # joins the licence holder
        {"id": 4, "name": "Anna Smit", "nation": "NED", "licence": ""},
        {"id": 5, "name": "Anna Smit", "nation": "NED", "licence": ""},
        {"id": 6, "name": "Anna Smit", "nation": "BEL", "licence": ""},  # another nation: another person
        {"id": 7, "name": "Kim Li", "nation": "CAN", "licence": "CA-1"},
        {"id": 8, "name": "Kim Li", "nation": "CAN", "licence": "CA-2"},  # two licences: two people
    ]
    keys = classification_table.skater_keys(rows)
    assert keys[1] == keys[2] == keys[3]
    assert keys[4] == keys[5] != keys[6]
    assert keys[7] != keys[8]


def test_a_start_list_may_give_each_skater_a_licence():
    entries = read_csv("pair,lane,name,nation,skater_id\n1,inner,Joy Beune,NED,NL-123\n1,outer,Ragne Wiklund,NOR,\n")
    assert [(e.name, e.licence) for e in entries] == [("Joy Beune", "NL-123"), ("Ragne Wiklund", "")]
    race = create_race("Licensed", "500 m", "Women", 500, entries)
    assert Skater.objects.get(starts__pair__race=race, name="Joy Beune").licence == "NL-123"
    again = create_race("Licensed", "3000 m", "Women", 3000, read_csv("pair,lane,name,nation,pb,skater_id\n1,inner,J. Beune,NED,,NL-123\n"))
    assert Skater.objects.get(starts__pair__race=again).name == "Joy Beune"  # found by licence


# --- the API -----------------------------------------------------------------------------------


def test_officials_and_devices_create_classifications_and_everyone_else_is_refused(allround, caller):  # noqa: F811
    comp = allround[0].competition
    url = f"/api/competitions/{comp.id}/classifications"
    body = {"name": "Allround women", "kind": "allround", "races": ids(allround)}
    before = stored()
    response = caller.post(url, body)
    if REFUSED[caller.name]:
        assert response.status_code == REFUSED[caller.name] and response.json()["error"]
        assert stored() == before
        return
    assert response.status_code == 201, response.content
    c = Classification.objects.get()
    assert response.json() == {"id": c.id}
    got = caller.get(f"/api/classifications/{c.id}/").json()
    assert got["classification"]["name"] == "Allround women"
    assert [r["id"] for r in got["classification"]["races"]] == ids(allround)


def test_the_api_refuses_bad_races_with_a_message_and_stores_nothing(allround, elsewhere, callers):  # noqa: F811
    comp = allround[0].competition
    before = stored()
    response = callers["official"].post(
        f"/api/competitions/{comp.id}/classifications", {"name": "A", "kind": "custom", "races": [allround[0].id, elsewhere.id]}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "races" and "another competition" in response.json()["error"]
    response = callers["device"].post(f"/api/competitions/{comp.id}/classifications", {"name": "A", "kind": "custom", "races": "1,2"})
    assert response.status_code == 400 and response.json() == {"error": "'races' must be a list, such as [1, 3, 2].", "field": "races"}
    assert stored() == before


def test_a_retried_creation_with_the_same_idempotency_key_creates_one(allround, callers):  # noqa: F811
    comp = allround[0].competition
    url = f"/api/competitions/{comp.id}/classifications"
    body = {"name": "Allround women", "kind": "allround", "races": ids(allround)}
    first = callers["device"].post(url, body, headers={"Idempotency-Key": "abc-1"})
    second = callers["device"].post(url, body, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Classification.objects.count() == 1


def test_editing_through_the_api_once_a_race_is_final_is_a_conflict(allround, callers):  # noqa: F811
    comp = allround[0].competition
    c = create_classification(comp.id, "Allround", "allround", ids(allround), OFFICIAL)
    services.set_race_state(allround[0].id, "live", services.REPLAY)
    services.set_race_state(allround[0].id, "final", services.REPLAY)
    before = stored()
    response = callers["official"].post(f"/api/classifications/{c.id}/edit", {"name": "X", "kind": "allround", "races": ids(allround)})
    assert response.status_code == 409 and "is final" in response.json()["error"]
    assert stored() == before


@pytest.mark.parametrize(
    "body, says",
    [
        (lambda a, e: {"name": "A", "kind": "custom", "races": [a[0].id, e.id]}, "belongs to another competition"),
        (lambda a, e: {"name": "A", "kind": "custom", "races": [a[0].id, a[0].id]}, "is listed twice"),
        (lambda a, e: {"name": "A", "kind": "allround", "races": [a[1].id, a[0].id, a[2].id, a[3].id]},
         "An allround is 500, 3000, 1500, 5000 m"),
        (lambda a, e: {"name": "A", "kind": "sprint", "races": ids(a)}, "A sprint is 500, 1000, 500, 1000 m"),
        (lambda a, e: {"name": "A", "kind": "custom", "races": [a[0].id, 999999]}, "There is no race 999999."),
        (lambda a, e: {"name": "A", "kind": "custom", "races": []}, "must be a list of race ids"),
        (lambda a, e: {"name": " ", "kind": "custom", "races": ids(a)}, "Give the classification a name"),
        (lambda a, e: {"name": "A", "kind": "team", "races": ids(a)}, "'team' is not a kind"),
        (lambda a, e: {"name": "A", "kind": "custom"}, "'races' is missing."),
    ],
)
def test_an_edit_through_the_api_refuses_bad_input_with_a_message_and_stores_nothing(allround, elsewhere, callers, body, says):  # noqa: F811
    comp = allround[0].competition
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    before = stored()
    response = callers["official"].post(f"/api/classifications/{c.id}/edit", body(allround, elsewhere))
    assert response.status_code == 400 and says in response.json()["error"], response.content
    assert stored() == before


def test_an_edit_through_the_api_changes_it_once_with_an_idempotency_key(allround, callers):  # noqa: F811
    comp = allround[0].competition
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    body = {"name": "Allround women", "kind": "allround", "races": ids(allround)}
    first = callers["device"].post(f"/api/classifications/{c.id}/edit", body, headers={"Idempotency-Key": "edit-1"})
    second = callers["device"].post(f"/api/classifications/{c.id}/edit", body, headers={"Idempotency-Key": "edit-1"})
    assert first.status_code == second.status_code == 200 and second["Idempotent-Replayed"] == "true"
    assert Change.objects.filter(competition=comp).count() == 2  # the creation and one edit
    got = callers["official"].get(f"/api/classifications/{c.id}/").json()
    assert got["classification"]["name"] == "Allround women"
    assert [r["id"] for r in got["classification"]["races"]] == ids(allround)


def test_deleting_through_the_api_is_for_officials_and_devices_and_refused_once_a_race_is_final(allround, callers):  # noqa: F811
    comp = allround[0].competition
    c = create_classification(comp.id, "Allround", "allround", ids(allround), OFFICIAL)
    url = f"/api/classifications/{c.id}/delete"
    before = stored()
    assert callers["spectator"].post(url, {}).status_code == REFUSED["spectator"]
    assert callers["anonymous"].post(url, {}).status_code == REFUSED["anonymous"]
    assert callers["official"].post(url, {"force": True}).status_code == 400  # no fields to send
    assert callers["official"].post("/api/classifications/999999/delete", {}).status_code == 404
    assert stored() == before
    make_final(allround[0])
    before = stored()
    response = callers["official"].post(url, {})
    assert response.status_code == 409 and "can no longer be deleted" in response.json()["error"]
    assert stored() == before
    other = create_classification(comp.id, "Short", "custom", ids(allround)[1:3], OFFICIAL)
    response = callers["device"].post(f"/api/classifications/{other.id}/delete", {})
    assert response.status_code == 200 and response.json() == {"id": other.id, "deleted": True}
    assert list(Classification.objects.values_list("id", flat=True)) == [c.id]


def test_reading_an_unknown_classification_is_404(client):
    response = client.get("/api/classifications/999999/")
    assert response.status_code == 404 and response.json()["error"] == "There is no classification 999999."


def test_the_classification_page_renders(allround, client):
    comp = allround[0].competition
    c = create_classification(comp.id, "Allround women", "allround", ids(allround), OFFICIAL)
    response = client.get(f"/classifications/{c.id}/")
    assert response.status_code == 200
    assert b"Allround women" in response.content and f'data-classification="{c.id}"'.encode() in response.content
    assert f'href="/classifications/{c.id}/"'.encode() in client.get(f"/competitions/{comp.id}/").content
    assert f'href="/classifications/{c.id}/"'.encode() in client.get(f"/races/{allround[3].id}/").content


# --- the officials' page -----------------------------------------------------------------------


def test_an_official_creates_a_classification_on_the_officials_page(allround, callers):  # noqa: F811
    comp = allround[0].competition
    official = callers["official"]
    url = f"/officials/competitions/{comp.id}/classifications/"
    assert official.client.get(url).status_code == 200
    form = {"name": "Allround women", "kind": "allround", **{f"race_{n}": str(r.id) for n, r in enumerate(allround, 1)}}
    response = official.client.post(url, form, headers=official.headers)
    c = Classification.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/classifications/{c.id}/"
    change = Change.objects.get(competition=comp)
    assert change.source == "official" and change.actor_id == int(official.client.session["_auth_user_id"])


def test_the_officials_page_shows_the_refusal_and_stores_nothing(allround, elsewhere, callers):  # noqa: F811
    comp = allround[0].competition
    official = callers["official"]
    before = stored()
    form = {"name": "Mixed", "kind": "custom", "race_1": str(allround[0].id), "race_2": str(elsewhere.id)}
    response = official.client.post(f"/officials/competitions/{comp.id}/classifications/", form, headers=official.headers)
    assert response.status_code == 400 and b"belongs to another competition" in response.content
    assert stored() == before


def race_slots(races):
    return {f"race_{n}": str(r.id) for n, r in enumerate(races, 1)}


def test_an_official_edits_and_deletes_a_classification_on_the_officials_page(allround, callers):  # noqa: F811
    comp = allround[0].competition
    official = callers["official"]
    url = f"/officials/competitions/{comp.id}/classifications/"
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    page = official.client.get(f"{url}?edit={c.id}")
    assert page.status_code == 200 and b"Edit Short" in page.content
    assert f'name="classification" value="{c.id}"'.encode() in page.content
    form = {"classification": str(c.id), "action": "save", "name": "Allround women", "kind": "allround", **race_slots(allround)}
    response = official.client.post(url, form, headers=official.headers)
    assert response.status_code == 302 and response["Location"] == f"/classifications/{c.id}/"
    c.refresh_from_db()
    assert (c.name, c.kind, [r.id for r in c.ordered_races()]) == ("Allround women", "allround", ids(allround))
    change = Change.objects.filter(competition=comp).latest("version")
    assert change.source == "official" and change.old_value.startswith("Short (custom:")
    response = official.client.post(url, {"classification": str(c.id), "action": "delete"}, headers=official.headers)
    assert response.status_code == 302 and response["Location"] == url
    assert not Classification.objects.exists()


@pytest.mark.parametrize(
    "form, status, says",
    [
        (lambda a, e: {"name": "X", "kind": "allround", **race_slots([a[1], a[0], a[2], a[3]])}, 400,
         b"An allround is 500, 3000, 1500, 5000 m"),
        (lambda a, e: {"name": "X", "kind": "custom", **race_slots([a[0], e])}, 400, b"belongs to another competition"),
        (lambda a, e: {"name": "X", "kind": "custom", **race_slots([a[0], a[0]])}, 400, b"is listed twice"),
        (lambda a, e: {"name": "X", "kind": "custom", "race_1": "999999"}, 400, b"There is no race 999999."),
        (lambda a, e: {"name": "", "kind": "custom", **race_slots(a)}, 400, b"Give the classification a name"),
    ],
)
def test_the_officials_edit_form_shows_each_refusal_and_stores_nothing(allround, elsewhere, callers, form, status, says):  # noqa: F811
    comp = allround[0].competition
    official = callers["official"]
    c = create_classification(comp.id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    before = stored()
    body = {"classification": str(c.id), "action": "save", **form(allround, elsewhere)}
    response = official.client.post(f"/officials/competitions/{comp.id}/classifications/", body, headers=official.headers)
    assert response.status_code == status and says in response.content
    assert b'role="alert"' in response.content
    assert stored() == before


def test_the_officials_page_says_409_once_a_race_is_final_for_an_edit_and_a_delete(allround, callers):  # noqa: F811
    comp = allround[0].competition
    official = callers["official"]
    url = f"/officials/competitions/{comp.id}/classifications/"
    c = create_classification(comp.id, "Allround women", "allround", ids(allround), OFFICIAL)
    make_final(allround[0])
    assert b"is final: this classification is a result now" in official.client.get(f"{url}?edit={c.id}").content
    before = stored()
    for action in ("save", "delete"):
        body = {"classification": str(c.id), "action": action, "name": "X", "kind": "allround", **race_slots(allround)}
        response = official.client.post(url, body, headers=official.headers)
        assert response.status_code == 409 and b"Women&#x27;s 500 m is final" in response.content
    assert stored() == before


def test_the_officials_page_refuses_a_classification_of_another_competition_or_a_bad_id(allround, elsewhere, callers):  # noqa: F811
    official = callers["official"]
    c = create_classification(allround[0].competition_id, "Short", "custom", ids(allround)[:2], OFFICIAL)
    other = f"/officials/competitions/{elsewhere.competition_id}/classifications/"
    assert official.client.get(f"{other}?edit={c.id}").status_code == 404
    before = stored()
    assert official.client.post(other, {"classification": str(c.id), "action": "delete"}, headers=official.headers).status_code == 404
    assert official.client.get(f"{other}?edit=abc").status_code == 404
    assert stored() == before


def test_only_officials_open_the_classifications_form(allround, callers):  # noqa: F811
    url = f"/officials/competitions/{allround[0].competition_id}/classifications/"
    assert callers["anonymous"].client.get(url).status_code == 302
    assert callers["spectator"].client.get(url).status_code == 403
    form = {"name": "X", "kind": "custom", "race_1": str(allround[0].id)}
    assert callers["spectator"].client.post(url, form, headers=callers["spectator"].headers).status_code == 403
    assert not Classification.objects.exists()


def test_the_read_is_open_to_any_origin_and_answers_304_for_the_version_held(allround, client):
    comp = allround[0].competition
    c = create_classification(comp.id, "Allround", "allround", ids(allround), OFFICIAL)
    first = client.get(f"/api/classifications/{c.id}/")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/api/classifications/{c.id}/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    finish(allround[0], 1, "inner", "38.21")
    again = client.get(f"/api/classifications/{c.id}/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and again.json()["version"] == first.json()["version"] + 1
