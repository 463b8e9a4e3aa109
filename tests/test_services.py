"""The one write path: every refused call says why and changes nothing; every accepted call is one
version and one audit row; nothing is ever deleted."""
import datetime as dt

import pytest
from django.forms.models import model_to_dict

from tests.conftest import snapshot
from timing import services
from timing.models import Change, Crossing, Pair, Passing, Race, Start
from timing.services import Actor, Conflict, Invalid, NotFound
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db

DEVICE = Actor.from_device("finish-photocell")


@pytest.fixture
def race(db):
    """A small 1000 m: two full pairs and a pair with one skater (pair 3, inner only)."""
    entries = [
        Entry(1, "inner", "Vigl", "ITA"),
        Entry(1, "outer", "Suzanne Schulting", "NED"),
        Entry(2, "inner", "Femke Kok", "NED"),
        Entry(2, "outer", "Brittany Bowe", "USA"),
        Entry(3, "inner", "Ellia Smeding", "GBR"),
    ]
    return create_race("Test Games", "Women's 1000 m", "Women", 1000, entries)


def stored(race_id):
    """Everything a write could touch: the snapshot, the audit trail and every stored row."""
    return {
        "snapshot": snapshot(race_id),
        "changes": list(Change.objects.values()),
        "passings": list(Passing.objects.values()),
        "crossings": list(Crossing.objects.values()),
        "starts": list(Start.objects.values()),
        "pairs": list(Pair.objects.values()),
        "races": list(Race.objects.values()),
    }


def refused(race, error, call, *args, **kwargs):
    """Call, expect exactly `error`, and prove that nothing changed."""
    race_id = race.id if isinstance(race, Race) else race
    before = stored(race_id)
    with pytest.raises(services.ServiceError) as caught:
        call(*args, **kwargs)
    assert type(caught.value) is error, f"{type(caught.value).__name__}: {caught.value.message}"
    assert stored(race_id) == before
    return caught.value


def accepted(race, call, *args, **kwargs):
    """Call and prove it was one change: the version moved by one and one audit row names it."""
    version, changes = Race.objects.get(pk=race.id).version, Change.objects.filter(race=race).count()
    result = call(*args, **kwargs)
    assert Race.objects.get(pk=race.id).version == version + 1
    assert Change.objects.filter(race=race).count() == changes + 1
    assert Change.objects.filter(race=race).latest("version").version == version + 1
    return result


def last_change(race):
    return Change.objects.filter(race=race).latest("version")


def record(race, pair, lane, distance, ms, actor=services.REPLAY):
    return accepted(race, services.record_passing, race.id, pair, lane, distance, ms, actor)


def passings(race_id, pair, lane):
    row = next(p for p in snapshot(race_id)["pairs"] if p["number"] == pair)[lane]
    return [(x["distance"], x["time_ms"]) for x in row["passings"]]


# --- record_passing --------------------------------------------------------------------------


def test_it_records_a_passing_as_one_audited_change(race, official):
    services.start_pair(race.id, 1, DEVICE)
    passing = record(race, 1, "outer", 200, 17900, Actor.official(official))
    assert (passing.start.skater.name, passing.distance, passing.time_ms, passing.source) == (
        "Suzanne Schulting", 200, 17900, "official",
    )
    change = last_change(race)
    assert (change.action, change.pair, change.lane, change.distance, change.new_value, change.who) == (
        "passing", 1, "outer", 200, "17.900", "official",
    )
    assert passings(race.id, 1, "outer") == [(200, 17900)]
    assert snapshot(race.id)["race"]["state"] == "live"  # the first time puts a scheduled race live


def test_it_names_the_device_that_sent_a_passing(race):
    passing = record(race, 1, "inner", 200, 18190, DEVICE)
    assert (passing.device, last_change(race).who, last_change(race).source) == (
        "finish-photocell", "finish-photocell", "device",
    )


def test_it_rejects_an_unknown_race(race):
    e = refused(race, NotFound, services.record_passing, race.id + 1000, 1, "inner", 200, 18000, services.REPLAY)
    assert e.message == f"There is no race {race.id + 1000}." and e.field == "race"


def test_it_rejects_an_unknown_pair(race):
    e = refused(race, NotFound, services.record_passing, race.id, 4, "inner", 200, 18000, services.REPLAY)
    assert (e.message, e.field) == ("Women's 1000 m has no pair 4.", "pair")


@pytest.mark.parametrize("pair", ["1", 1.0, None, True])
def test_it_rejects_a_pair_that_is_not_a_number(race, pair):
    e = refused(race, Invalid, services.record_passing, race.id, pair, "inner", 200, 18000, services.REPLAY)
    assert (e.message, e.field) == ("The pair must be a number, such as 15.", "pair")


@pytest.mark.parametrize("lane", ["middle", "INNER", "", None])
def test_it_rejects_an_unknown_lane(race, lane):
    e = refused(race, Invalid, services.record_passing, race.id, 1, lane, 200, 18000, services.REPLAY)
    assert e.field == "lane" and "use 'inner' or 'outer'" in e.message


def test_it_rejects_a_time_for_an_empty_lane(race):
    e = refused(race, NotFound, services.record_passing, race.id, 3, "outer", 200, 18000, services.REPLAY)
    assert (e.message, e.field) == ("Pair 3 has nobody in the outer lane.", "lane")


@pytest.mark.parametrize("distance", [100, 400, 500, 1001, 0])
def test_it_rejects_a_distance_that_is_no_measuring_point(race, distance):
    e = refused(race, Invalid, services.record_passing, race.id, 1, "inner", distance, 30000, services.REPLAY)
    assert e.field == "distance"
    assert e.message == f"{distance} m is not a measuring point of the 1000 m; use one of 200, 600, 1000."


@pytest.mark.parametrize("distance", ["200", 200.0, None])
def test_it_rejects_a_distance_that_is_not_a_number(race, distance):
    e = refused(race, Invalid, services.record_passing, race.id, 1, "inner", distance, 18000, services.REPLAY)
    assert (e.message, e.field) == ("The distance must be a number of metres, such as 600.", "distance")


@pytest.mark.parametrize(
    "ms, words",
    [(0, "is zero"), (-5, "is negative"), (30 * 60 * 1000 + 1, "longer than 30:00.00"),
     (1000, "faster than any skater"),
     ("17.90", "whole number of milliseconds"), (17900.0, "whole number of milliseconds")],
)
def test_it_rejects_an_impossible_time(race, ms, words):
    e = refused(race, Invalid, services.record_passing, race.id, 1, "inner", 200, ms, services.REPLAY)
    assert words in e.message


def test_it_rejects_a_time_not_later_than_the_previous_passing(race):
    record(race, 1, "inner", 200, 18190)
    record(race, 1, "inner", 600, 60000)  # a slow 600 m: she fell
    e = refused(race, Conflict, services.record_passing, race.id, 1, "inner", 1000, 60000, services.REPLAY)
    assert e.message == "60.000 s at 1000 m is not later than the 60.000 s already recorded at 600 m."


def test_it_rejects_a_split_not_earlier_than_a_later_one(race):
    record(race, 1, "inner", 1000, 77150)
    e = refused(race, Conflict, services.record_passing, race.id, 1, "inner", 600, 77200, services.REPLAY)
    assert "not earlier than the 77.150 s already recorded at 1000 m" in e.message


def test_it_rejects_a_second_finish_that_is_not_a_correction(race):
    record(race, 1, "outer", 1000, 75460)
    e = refused(race, Conflict, services.record_passing, race.id, 1, "outer", 1000, 75500, services.REPLAY)
    assert e.message == (
        "Suzanne Schulting already has a finish (1:15.46); correct that passing instead of entering a second one."
    )


def test_it_rejects_a_second_split_at_one_point_even_with_the_same_time(race):
    record(race, 1, "outer", 200, 17900)
    e = refused(race, Conflict, services.record_passing, race.id, 1, "outer", 200, 17900, services.REPLAY)
    assert "already has a time at 200 m (17.90)" in e.message


def test_it_rejects_a_time_for_a_dns_skater(race):
    accepted(race, services.set_status, race.id, 2, "outer", "DNS", "", services.REPLAY)
    e = refused(race, Conflict, services.record_passing, race.id, 2, "outer", 200, 17600, services.REPLAY)
    assert e.message == "Brittany Bowe is marked DNS; clear the status before entering times."


def test_it_keeps_a_dnf_skaters_splits_but_rejects_her_finish(race):
    accepted(race, services.set_status, race.id, 2, "outer", "DNF", "", services.REPLAY)
    record(race, 2, "outer", 200, 17600)
    e = refused(race, Conflict, services.record_passing, race.id, 2, "outer", 1000, 74550, services.REPLAY)
    assert e.message == "Brittany Bowe is marked DNF; clear the status before entering a finish."


def test_it_rejects_a_time_in_a_final_race(race):
    record(race, 1, "inner", 200, 18190)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    e = refused(race, Conflict, services.record_passing, race.id, 1, "inner", 600, 46050, services.REPLAY)
    assert (e.message, e.field) == ("Women's 1000 m is final; reopen it before changing its results.", "race")


# --- correct_passing -------------------------------------------------------------------------


def test_a_correction_keeps_the_old_row_and_links_the_new_one(race, official):
    old = record(race, 1, "outer", 1000, 75460)
    new = accepted(race, services.correct_passing, old.id, 75640, "photo finish", Actor.official(official))
    old.refresh_from_db()
    assert old.superseded_at is not None and old.corrected_by == new and new.corrects == old
    assert (new.time_ms, new.reason, new.entered_by) == (75640, "photo finish", official)
    assert Passing.objects.filter(pk=old.pk).exists() and Passing.objects.count() == 2
    assert passings(race.id, 1, "outer") == [(1000, 75640)]
    change = last_change(race)
    assert (change.action, change.old_value, change.new_value, change.reason, change.actor) == (
        "correction", "1:15.460", "1:15.640", "photo finish", official,
    )


def test_a_correction_can_itself_be_corrected_and_the_chain_is_kept(race):
    first = record(race, 1, "outer", 200, 17900)
    second = accepted(race, services.correct_passing, first.id, 17950, "transponder", services.REPLAY)
    third = accepted(race, services.correct_passing, second.id, 17930, "photo", services.REPLAY)
    assert [p.time_ms for p in Passing.objects.order_by("id")] == [17900, 17950, 17930]
    assert third.corrects.corrects == first
    assert passings(race.id, 1, "outer") == [(200, 17930)]


def test_it_rejects_a_correction_of_an_already_corrected_passing(race):
    old = record(race, 1, "outer", 200, 17900)
    accepted(race, services.correct_passing, old.id, 17950, "transponder", services.REPLAY)
    e = refused(race, Conflict, services.correct_passing, old.id, 17800, "again", services.REPLAY)
    assert e.message == f"Passing {old.id} was already corrected; correct the current time instead."


def test_it_rejects_a_correction_of_a_voided_passing(race):
    p = record(race, 1, "outer", 200, 17900)
    accepted(race, services.void_passing, p.id, "false read", services.REPLAY)
    e = refused(race, Conflict, services.correct_passing, p.id, 17950, "oops", services.REPLAY)
    assert e.message == f"Passing {p.id} was voided."


def test_it_rejects_a_correction_of_an_unknown_passing(race):
    e = refused(race, NotFound, services.correct_passing, 987654, 17900, "x", services.REPLAY)
    assert (e.message, e.field) == ("There is no passing 987654.", "passing")


@pytest.mark.parametrize("passing_id", ["1", None, 1.5])
def test_it_rejects_a_passing_id_that_is_not_a_number(race, passing_id):
    e = refused(race, Invalid, services.correct_passing, passing_id, 17900, "x", services.REPLAY)
    assert e.message == "The passing id must be a number."


@pytest.mark.parametrize("reason", ["", "   ", None, 5])
def test_it_rejects_a_correction_without_a_reason(race, reason):
    p = record(race, 1, "outer", 200, 17900)
    e = refused(race, Invalid, services.correct_passing, p.id, 17950, reason, services.REPLAY)
    assert (e.message, e.field) == ("Give a reason: it goes into the audit trail.", "reason")


def test_it_rejects_a_reason_too_long_for_the_audit_trail(race):
    p = record(race, 1, "outer", 200, 17900)
    e = refused(race, Invalid, services.correct_passing, p.id, 17950, "x" * 201, services.REPLAY)
    assert e.message == "Keep the reason under 200 characters."


def test_it_rejects_a_correction_to_the_same_time(race):
    p = record(race, 1, "outer", 200, 17900)
    e = refused(race, Invalid, services.correct_passing, p.id, 17900, "same", services.REPLAY)
    assert e.message == "17.90 is already the stored time; nothing to correct."


def test_it_rejects_a_correction_out_of_order_with_the_other_splits(race):
    p = record(race, 1, "outer", 200, 17900)
    record(race, 1, "outer", 600, 45100)
    e = refused(race, Conflict, services.correct_passing, p.id, 45200, "typo", services.REPLAY)
    assert "not earlier than the 45.100 s already recorded at 600 m" in e.message


def test_it_rejects_an_impossible_corrected_time(race):
    p = record(race, 1, "outer", 200, 17900)
    e = refused(race, Invalid, services.correct_passing, p.id, 0, "typo", services.REPLAY)
    assert "is zero" in e.message


def test_it_rejects_a_correction_in_a_final_race(race):
    p = record(race, 1, "outer", 200, 17900)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    e = refused(race, Conflict, services.correct_passing, p.id, 17950, "late", services.REPLAY)
    assert "is final; reopen it" in e.message


def test_a_reopened_race_takes_a_late_correction(race):
    p = record(race, 1, "outer", 200, 17900)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    accepted(race, services.set_race_state, race.id, "live", services.REPLAY, reason="protest upheld")
    accepted(race, services.correct_passing, p.id, 17950, "photo", services.REPLAY)
    assert passings(race.id, 1, "outer") == [(200, 17950)]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reopening_a_final_race_needs_a_reason(race, reason):
    for state in ("live", "final"):
        accepted(race, services.set_race_state, race.id, state, services.REPLAY)
    e = refused(race, Invalid, services.set_race_state, race.id, "live", services.REPLAY, reason=reason)
    assert (e.field, e.status) == ("reason", 400) and "reason for reopening" in e.message


def test_the_reopening_reason_is_in_the_audit_trail(race):
    for state in ("live", "final"):
        accepted(race, services.set_race_state, race.id, state, services.REPLAY)
    accepted(race, services.set_race_state, race.id, "live", services.REPLAY, reason="protest upheld")
    assert Change.objects.filter(race=race).latest("version").reason == "protest upheld"


# --- void_passing ----------------------------------------------------------------------------


def test_a_void_keeps_the_row_and_frees_the_point(race):
    p = record(race, 1, "inner", 600, 30000)
    accepted(race, services.void_passing, p.id, "a false transponder read", services.REPLAY)
    p.refresh_from_db()
    assert p.voided_at is not None and p.void_reason == "a false transponder read"
    assert passings(race.id, 1, "inner") == []
    assert (last_change(race).action, last_change(race).old_value) == ("void", "30.000")
    record(race, 1, "inner", 600, 46050)
    assert Passing.objects.count() == 2 and passings(race.id, 1, "inner") == [(600, 46050)]


def test_it_rejects_voiding_twice(race):
    p = record(race, 1, "inner", 600, 46050)
    accepted(race, services.void_passing, p.id, "false read", services.REPLAY)
    e = refused(race, Conflict, services.void_passing, p.id, "again", services.REPLAY)
    assert e.message == f"Passing {p.id} was voided."


def test_it_rejects_voiding_a_corrected_passing(race):
    p = record(race, 1, "inner", 600, 46050)
    accepted(race, services.correct_passing, p.id, 46000, "photo", services.REPLAY)
    e = refused(race, Conflict, services.void_passing, p.id, "wrong one", services.REPLAY)
    assert "already corrected" in e.message


def test_it_rejects_a_void_without_a_reason(race):
    p = record(race, 1, "inner", 600, 46050)
    e = refused(race, Invalid, services.void_passing, p.id, " ", services.REPLAY)
    assert e.field == "reason"


def test_it_rejects_voiding_an_unknown_passing(race):
    refused(race, NotFound, services.void_passing, 987654, "x", services.REPLAY)


def test_it_rejects_a_void_in_a_final_race(race):
    p = record(race, 1, "inner", 600, 46050)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    refused(race, Conflict, services.void_passing, p.id, "late", services.REPLAY)


# --- set_status and set_fall -----------------------------------------------------------------


def test_a_disqualification_carries_its_reason_and_clearing_it_drops_the_reason(race):
    record(race, 1, "outer", 1000, 75460)
    start = accepted(race, services.set_status, race.id, 1, "outer", "DQ", "  false starts ", services.REPLAY)
    assert (start.status, start.status_reason) == ("DQ", "false starts")
    assert (last_change(race).old_value, last_change(race).new_value, last_change(race).reason) == (
        "OK", "DQ", "false starts",
    )
    assert snapshot(race.id)["standings"][-1]["status"] == "DQ"
    start = accepted(race, services.set_status, race.id, 1, "outer", "OK", "appeal upheld", services.REPLAY)
    assert (start.status, start.status_reason) == ("OK", "")
    assert snapshot(race.id)["standings"][0]["rank"] == 1


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_it_rejects_a_disqualification_without_a_reason(race, reason):
    e = refused(race, Invalid, services.set_status, race.id, 1, "outer", "DQ", reason, services.REPLAY)
    assert (e.message, e.field) == ("A disqualification needs a reason (false starts, crossing…).", "reason")


@pytest.mark.parametrize("status", ["dq", "DSQ", "", None])
def test_it_rejects_an_unknown_status(race, status):
    e = refused(race, Invalid, services.set_status, race.id, 1, "outer", status, "x", services.REPLAY)
    assert e.field == "status" and "use OK, DNS, DNF or DQ" in e.message


def test_it_rejects_dns_for_a_skater_with_times(race):
    record(race, 1, "outer", 200, 17900)
    e = refused(race, Conflict, services.set_status, race.id, 1, "outer", "DNS", "", services.REPLAY)
    assert e.message == "Suzanne Schulting has times, so she started; void them first or use DNF."


def test_it_rejects_dnf_for_a_skater_with_a_finish(race):
    record(race, 1, "outer", 1000, 75460)
    e = refused(race, Conflict, services.set_status, race.id, 1, "outer", "DNF", "", services.REPLAY)
    assert e.message == "Suzanne Schulting has a finish; void it first to mark DNF."


def test_it_rejects_a_status_the_skater_already_has(race):
    e = refused(race, Invalid, services.set_status, race.id, 1, "outer", "OK", "", services.REPLAY)
    assert e.message == "Suzanne Schulting is already OK."


def test_it_rejects_a_status_reason_too_long(race):
    refused(race, Invalid, services.set_status, race.id, 1, "outer", "DQ", "x" * 201, services.REPLAY)


def test_it_rejects_a_status_for_an_empty_lane_or_unknown_pair(race):
    refused(race, NotFound, services.set_status, race.id, 3, "outer", "DNS", "", services.REPLAY)
    refused(race, NotFound, services.set_status, race.id, 9, "inner", "DNS", "", services.REPLAY)


def test_it_rejects_a_status_in_a_final_race(race):
    accepted(race, services.set_race_state, race.id, "live", services.REPLAY)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    e = refused(race, Conflict, services.set_status, race.id, 1, "outer", "DQ", "crossing", services.REPLAY)
    assert "is final; reopen it" in e.message


def test_it_marks_and_clears_a_fall(race):
    start = accepted(race, services.set_fall, race.id, 2, "inner", True, services.REPLAY)
    assert start.fell and snapshot(race.id)["pairs"][1]["inner"]["fell"] is True
    assert accepted(race, services.set_fall, race.id, 2, "inner", False, services.REPLAY).fell is False


def test_it_rejects_a_fall_already_marked(race):
    e = refused(race, Invalid, services.set_fall, race.id, 2, "inner", False, services.REPLAY)
    assert e.message == "Femke Kok is already marked without a fall."


@pytest.mark.parametrize("fell", ["true", 1, None])
def test_it_rejects_a_fall_that_is_not_true_or_false(race, fell):
    e = refused(race, Invalid, services.set_fall, race.id, 2, "inner", fell, services.REPLAY)
    assert e.message == "'fell' must be true or false."


def test_it_rejects_a_fall_in_a_final_race(race):
    accepted(race, services.set_race_state, race.id, "live", services.REPLAY)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    refused(race, Conflict, services.set_fall, race.id, 2, "inner", True, services.REPLAY)


# --- start_pair and set_current_pair ---------------------------------------------------------


def test_the_start_signal_starts_the_clock_and_makes_the_pair_current(race):
    at = dt.datetime(2026, 2, 9, 16, 4, tzinfo=dt.timezone.utc)
    pair = accepted(race, services.start_pair, race.id, 2, services.REPLAY, at=at)
    assert pair.started_at == at
    data = snapshot(race.id)
    assert (data["race"]["current_pair"], data["race"]["state"]) == (2, "live")
    assert data["pairs"][1]["started_at"] == int(at.timestamp() * 1000)


def test_a_recalled_start_restarts_the_clock_while_the_pair_has_no_times(race):
    first = dt.datetime(2026, 2, 9, 16, 0, tzinfo=dt.timezone.utc)
    accepted(race, services.start_pair, race.id, 1, services.REPLAY, at=first)
    again = accepted(race, services.start_pair, race.id, 1, services.REPLAY, at=first + dt.timedelta(seconds=40),
                     restart=True)
    assert again.started_at == first + dt.timedelta(seconds=40)
    assert last_change(race).old_value == first.isoformat()


def test_it_rejects_a_second_start_signal_that_is_not_a_restart(race):
    accepted(race, services.start_pair, race.id, 1, services.REPLAY)
    e = refused(race, Conflict, services.start_pair, race.id, 1, services.REPLAY)
    assert e.message == "Pair 1 has already started; send restart to recall the start."


def test_it_rejects_a_restart_once_the_pair_has_times(race):
    accepted(race, services.start_pair, race.id, 1, services.REPLAY)
    record(race, 1, "inner", 200, 18190)
    e = refused(race, Conflict, services.start_pair, race.id, 1, services.REPLAY, restart=True)
    assert e.message == "Pair 1 already has times; void them before restarting its clock."


def test_it_rejects_starting_an_unknown_pair(race):
    e = refused(race, NotFound, services.start_pair, race.id, 4, services.REPLAY)
    assert e.message == "Women's 1000 m has no pair 4."
    refused(race, Invalid, services.start_pair, race.id, "2", services.REPLAY)


def test_it_rejects_a_start_in_a_final_race(race):
    accepted(race, services.set_race_state, race.id, "live", services.REPLAY)
    accepted(race, services.set_race_state, race.id, "final", services.REPLAY)
    refused(race, Conflict, services.start_pair, race.id, 2, services.REPLAY)


def test_it_moves_the_boards_to_another_pair(race):
    accepted(race, services.set_current_pair, race.id, 3, services.REPLAY)
    assert snapshot(race.id)["race"]["current_pair"] == 3
    assert (last_change(race).old_value, last_change(race).new_value) == ("1", "3")


def test_it_rejects_moving_to_the_current_pair_or_one_that_does_not_exist(race):
    e = refused(race, Invalid, services.set_current_pair, race.id, 1, services.REPLAY)
    assert e.message == "Pair 1 is already the current pair."
    refused(race, NotFound, services.set_current_pair, race.id, 4, services.REPLAY)
    refused(race, Invalid, services.set_current_pair, race.id, None, services.REPLAY)


# --- set_race_state --------------------------------------------------------------------------


def test_a_race_goes_live_final_and_can_be_reopened(race):
    for state in ("live", "final", "live", "final"):
        assert accepted(race, services.set_race_state, race.id, state, services.REPLAY, reason="protest").state == state
    assert [c.new_value for c in Change.objects.filter(race=race).order_by("version")] == [
        "live", "final", "live", "final",
    ]


def test_it_rejects_an_unknown_state(race):
    e = refused(race, Invalid, services.set_race_state, race.id, "finished", services.REPLAY)
    assert e.message == "State 'finished' does not exist: use scheduled, live or final."


@pytest.mark.parametrize("path, target", [((), "final"), (("live", "final"), "scheduled"), (("live",), "live")])
def test_it_rejects_a_state_the_race_cannot_move_to(race, path, target):
    for state in path:
        accepted(race, services.set_race_state, race.id, state, services.REPLAY)
    current = Race.objects.get(pk=race.id).state
    e = refused(race, Conflict, services.set_race_state, race.id, target, services.REPLAY)
    assert e.message == f"Women's 1000 m is {current}; it cannot become {target}."


# --- the whole trail -------------------------------------------------------------------------


def test_nothing_is_ever_deleted_and_every_version_has_its_change(race):
    p = record(race, 1, "outer", 200, 17900)
    q = accepted(race, services.correct_passing, p.id, 17950, "photo", services.REPLAY)
    accepted(race, services.void_passing, q.id, "false read", services.REPLAY)
    record(race, 1, "outer", 200, 17920)
    assert Passing.objects.count() == 3 and Passing.objects.current().count() == 1
    versions = list(Change.objects.filter(race=race).order_by("version").values_list("version", "action"))
    assert versions == [(1, "passing"), (2, "correction"), (3, "void"), (4, "passing")]
    assert snapshot(race.id)["version"] == 4
    assert model_to_dict(Passing.objects.get(pk=p.pk))["corrects"] is None
