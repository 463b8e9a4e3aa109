"""Soft warnings: an official's entry that looks wrong is refused with a warning code and changes
nothing until it is confirmed; devices, the Lynx listener and replays never get warnings."""
import pytest

from tests.callers import callers, fast_password_hashing  # noqa: F401
from tests.test_services import accepted, passings, race, refused  # noqa: F401  (race is a fixture)
from timing import services
from timing.models import Record
from timing.services import Actor, Unconfirmed

pytestmark = pytest.mark.django_db

DEVICE = Actor.from_device("finish-photocell")


@pytest.fixture
def desk(official):
    return Actor.official(official)


@pytest.fixture
def started(race):
    """Pair 1 on the ice and started, Schulting (outer) at 200 and 600 m; Vigl (inner) at 200 m."""
    services.start_pair(race.id, 1, DEVICE)
    services.record_passing(race.id, 1, "outer", 200, 18_000, DEVICE)
    services.record_passing(race.id, 1, "outer", 600, 44_000, DEVICE)
    services.record_passing(race.id, 1, "inner", 200, 18_100, DEVICE)
    return race


def warned(race, code, call, *args, **kwargs):
    """Refused without confirm (nothing changed), then stored with confirm=True as one change."""
    error = refused(race, Unconfirmed, call, *args, **kwargs)
    assert error.warning == code and error.status == 409
    return error, accepted(race, call, *args, confirm=True, **kwargs)


def test_a_split_more_than_3_s_behind_the_partner_needs_a_confirmation(started, desk):
    error, p = warned(started, "behind_partner", services.record_passing, started.id, 1, "inner", 600, 47_100, desk)
    assert "3.10 s behind the partner's 44.000" in error.message and error.field == "time"
    assert passings(started.id, 1, "inner") == [(200, 18_100), (600, 47_100)]


def test_three_seconds_behind_exactly_is_stored_at_once(started, desk):
    accepted(started, services.record_passing, started.id, 1, "inner", 600, 47_000, desk)


def test_a_lap_more_than_15_percent_slower_than_the_one_before_needs_a_confirmation(started, desk):
    # lap to 600: 26.000; to 1000 in 30.100 is 15.8 % slower
    error, _ = warned(started, "slow_lap", services.record_passing, started.id, 1, "outer", 1000, 74_100, desk)
    assert "16 % slower than the lap before (26.000)" in error.message


def test_faster_than_world_record_pace_needs_a_confirmation(started, desk):
    Record.objects.create(kind="WR", category="Women", distance=1000, time_ms=71_610, holder="Someone")
    # pace at 600 m: 42.966
    warned(started, "record_pace", services.record_passing, started.id, 1, "inner", 600, 42_900, desk)


def test_a_pair_that_has_not_started_needs_a_confirmation_and_says_so(race, desk):
    error, p = warned(race, "not_started", services.record_passing, race.id, 2, "inner", 200, 18_000, desk)
    assert error.message == "Pair 2 has not started: is this the right pair?" and error.field == "pair"
    assert (p.start.pair.number, p.start.lane) == (2, "inner")


def test_a_started_pair_that_is_no_longer_current_needs_a_confirmation(started, desk):
    services.set_current_pair(started.id, 2, DEVICE)
    warned(started, "not_current", services.record_passing, started.id, 1, "inner", 600, 44_200, desk)


def test_an_entry_into_a_replayed_race_needs_a_confirmation(started, desk):
    type(started).objects.filter(pk=started.pk).update(replay_of=started)
    warned(started, "replaying", services.record_passing, started.id, 1, "inner", 600, 44_200, desk)


def test_a_correction_gets_the_time_warnings(started, desk):
    p = services.record_passing(started.id, 1, "inner", 600, 44_200, desk)
    error, _ = warned(started, "behind_partner", services.correct_passing, p.id, 47_200, "typo", desk)
    assert passings(started.id, 1, "inner") == [(200, 18_100), (600, 47_200)]


def test_a_correction_in_a_pair_no_longer_current_is_aimed_and_needs_no_confirmation(started, desk):
    p = services.record_passing(started.id, 1, "inner", 600, 44_200, desk)
    services.set_current_pair(started.id, 2, DEVICE)
    accepted(started, services.correct_passing, p.id, 44_210, "photo finish", desk)


def test_the_hard_refusals_stay_hard_even_with_confirm(started, desk):
    refused(started, services.Invalid, services.record_passing, started.id, 1, "inner", 600, 1_000, desk, confirm=True)
    refused(started, services.Conflict, services.record_passing, started.id, 1, "outer", 200, 18_000, desk, confirm=True)


@pytest.mark.parametrize("actor", [DEVICE, services.REPLAY, services.IMPORT])
def test_devices_replays_and_imports_never_get_warnings(race, actor):
    """Timing hardware is the source of truth and cannot press Enter twice."""
    type(race).objects.filter(pk=race.pk).update(replay_of=race)
    accepted(race, services.record_passing, race.id, 2, "inner", 200, 18_000, actor)  # pair 2, not started
    accepted(race, services.record_passing, race.id, 2, "outer", 200, 40_000, actor)  # 22 s behind


def test_the_api_answers_409_with_the_warning_code_then_stores_the_confirmed_entry(callers, race):
    url = f"/api/races/{race.id}/passings"
    body = {"pair": 2, "lane": "inner", "distance": 200, "time": "18.00"}
    first = callers["official"].post(url, body)
    assert first.status_code == 409 and first.json() == {
        "error": "Pair 2 has not started: is this the right pair?", "field": "pair", "warning": "not_started",
    }
    assert passings(race.id, 2, "inner") == []
    assert callers["official"].post(url, {**body, "confirm": True}).status_code == 201
    assert passings(race.id, 2, "inner") == [(200, 18_000)]


def test_a_device_writing_through_the_api_gets_no_warning(callers, race):
    response = callers["device"].post(f"/api/races/{race.id}/passings", {"pair": 2, "lane": "inner", "distance": 200,
                                                                          "time": "18.00"})
    assert response.status_code == 201
