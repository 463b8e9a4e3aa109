"""Device splits that no single point fits wait for an official: held, then placed with one key
or discarded with a reason. Every refusal changes nothing; every acceptance is one audited version."""
import pytest

from tests.callers import callers, fast_password_hashing  # noqa: F401
from tests.test_services import DEVICE, accepted, passings, race, record, refused  # noqa: F401
from timing import services
from timing.models import Change, HeldSplit, Race
from timing.services import Conflict, Invalid, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(race):  # noqa: F811
    record(race, 1, "outer", 200, 17680)
    return accepted(race, services.hold_split, race.id, 1, "outer", 72310, DEVICE,
                    "72.310 s fits 600 m and 1000 m", (600, 1000))


def test_a_held_split_is_audited_and_stays_off_the_board(race, held):  # noqa: F811
    assert passings(race.id, 1, "outer") == [(200, 17680)]
    change = Change.objects.filter(race=race).latest("version")
    assert (change.action, change.device, change.lane, change.new_value) == ("held", "finish-photocell", "outer", "1:12.310")
    assert change.reason == "72.310 s fits 600 m and 1000 m"
    assert list(HeldSplit.objects.open()) == [held]


def test_the_snapshot_counts_the_open_held_splits_for_the_consoles_without_showing_them(race, held, official):  # noqa: F811
    from tests.conftest import snapshot

    snap = snapshot(race.id)
    assert snap["race"]["held"] == 1 and "72310" not in str(snap) and "1:12.31" not in str(snap)
    second = accepted(race, services.hold_split, race.id, 2, "inner", 50000, DEVICE, "fits nothing", ())
    assert snapshot(race.id)["race"]["held"] == 2
    accepted(race, services.discard_held, second.id, "a stray read", DEVICE)
    assert snapshot(race.id)["race"]["held"] == 1
    accepted(race, services.place_held, held.id, 1000, services.Actor.official(official))
    assert snapshot(race.id)["race"]["held"] == 0


def test_an_official_places_it_at_the_point_she_knows(race, held, official):  # noqa: F811
    passing = accepted(race, services.place_held, held.id, 1000, services.Actor.official(official))
    assert passings(race.id, 1, "outer") == [(200, 17680), (1000, 72310)]
    held.refresh_from_db()
    assert held.placed == passing and not HeldSplit.objects.open().exists()
    assert Change.objects.filter(race=race).latest("version").reason == f"placed from held split {held.id}"


def test_placing_it_at_a_point_that_already_has_a_time_is_refused(race, held):  # noqa: F811
    error = refused(race, Conflict, services.place_held, held.id, 200, DEVICE)
    assert error.field == "distance"


def test_placing_it_where_the_order_forbids_is_refused(race, held):  # noqa: F811
    record(race, 1, "outer", 600, 80000)
    error = refused(race, Conflict, services.place_held, held.id, 1000, DEVICE)
    assert "is not later than" in error.message


def test_placing_it_at_no_measuring_point_is_refused(race, held):  # noqa: F811
    refused(race, Invalid, services.place_held, held.id, 500, DEVICE)


def test_a_held_split_is_placed_or_discarded_once(race, held):  # noqa: F811
    accepted(race, services.discard_held, held.id, "a stray read of the next pair's transponder", DEVICE)
    assert refused(race, Conflict, services.place_held, held.id, 1000, DEVICE).message == \
        f"Held split {held.id} was already discarded."
    assert refused(race, Conflict, services.discard_held, held.id, "again", DEVICE).field == "held"
    held.refresh_from_db()
    assert held.discard_reason == "a stray read of the next pair's transponder"


def test_a_discard_needs_a_reason(race, held):  # noqa: F811
    assert refused(race, Invalid, services.discard_held, held.id, "  ", DEVICE).field == "reason"


def test_an_unknown_held_split_is_not_found(race):  # noqa: F811
    assert refused(race, NotFound, services.place_held, 999999, 600, DEVICE).field == "held"


def test_the_console_lists_open_held_splits_and_places_one_through_the_api(race, held, callers):  # noqa: F811
    official = callers["official"]
    listed = official.get(f"/api/races/{race.id}/held").json()
    assert [(h["id"], h["lane"], h["time"], h["fits"]) for h in listed["held"]] == [(held.id, "outer", "1:12.31", [600, 1000])]
    answer = official.post(f"/api/held/{held.id}/place", {"distance": 1000})
    assert answer.status_code == 201, answer.content
    assert answer.json()["passing"]["distance"] == 1000
    assert official.get(f"/api/races/{race.id}/held").json()["held"] == []
    again = official.post(f"/api/held/{held.id}/place", {"distance": 1000})
    assert (again.status_code, again.json()["field"]) == (409, "held")


def test_the_held_list_is_not_public(race, held, client):  # noqa: F811
    assert client.get(f"/api/races/{race.id}/held").status_code == 401


def test_placing_one_held_split_places_the_later_ones_that_now_fit_a_single_point(db, official):
    from timing.startlists import Entry, create_race

    race = create_race("Test Games", "Women's 3000 m", "Women", 3000,
                       [Entry(1, "inner", "Ellia Smeding", "GBR"), Entry(1, "outer", "Vigl", "ITA")])
    record(race, 1, "inner", 200, 20000)
    record(race, 1, "inner", 600, 51000)  # laps of 31 s; her 1000 m read is missed
    first = services.hold_split(race.id, 1, "inner", 113000, DEVICE, "fits 1000 m and 1400 m", (1000, 1400))
    second = services.hold_split(race.id, 1, "inner", 144000, DEVICE, "fits 1400, 1800 and 2200 m", (1400, 1800, 2200))
    third = services.hold_split(race.id, 1, "inner", 146000, DEVICE, "a stray read", ())
    version = Race.objects.get(pk=race.id).version
    accepted_version = version + 2  # the official's placement, then the one it made decidable
    services.place_held(first.id, 1400, services.Actor.official(official))
    assert passings(race.id, 1, "inner") == [(200, 20000), (600, 51000), (1400, 113000), (1800, 144000)]
    assert Race.objects.get(pk=race.id).version == accepted_version
    auto = Change.objects.filter(race=race).latest("version")
    assert (auto.device, auto.distance) == ("finish-photocell", 1800)
    assert auto.reason.startswith(f"placed by its time once held split {first.id} was placed (only 1800 m fits")
    assert list(HeldSplit.objects.open()) == [third]  # 2 s after 1800 m fits nothing: still held
    second.refresh_from_db()
    assert second.placed.distance == 1800
