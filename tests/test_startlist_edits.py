"""Editing a start list through the service layer: late entry, withdrawal, move, lane swap,
renumbering. Each accepted edit is one version and one audit row and reaches the snapshot; each
refused one says why and leaves everything exactly as it was; a started pair is locked."""
import pytest

from tests.conftest import snapshot
from tests.test_services import accepted, last_change, race, refused  # noqa: F401 (race is a fixture)
from timing import services
from timing.models import Pair, PersonalBest, Skater, Start
from timing.services import Actor, Conflict, Invalid, NotFound

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(official):
    return Actor.official(official)


def lineup(race_id):
    """{(pair, lane): name} as every screen sees it."""
    return {
        (p["number"], lane): p[lane]["name"]
        for p in snapshot(race_id)["pairs"] for lane in ("inner", "outer") if p[lane]
    }


def numbers(race_id):
    return [p["number"] for p in snapshot(race_id)["pairs"]]


LOCKED = "Pair 1 has started; its skaters can no longer change."


@pytest.fixture
def started(race):
    services.start_pair(race.id, 1, services.REPLAY)
    return race


# --- add_entry -------------------------------------------------------------------------------


def test_a_late_entry_takes_a_free_lane(race, desk):
    accepted(race, services.add_entry, race.id,
             {"pair": 3, "lane": "outer", "name": " Miho  Takagi ", "nation": "jpn", "pb": "1:13.19",
              "licence": "JPN-77"}, desk)
    assert lineup(race.id)[(3, "outer")] == "Miho Takagi"
    skater = Skater.objects.get(name="Miho Takagi")
    assert (skater.nation, skater.licence) == ("JPN", "JPN-77")
    assert PersonalBest.objects.get(skater=skater, distance=1000).pb_ms == 73190
    change = last_change(race)
    assert (change.action, change.pair, change.lane, change.new_value, change.who) == (
        "entry", 3, "outer", "Miho Takagi (JPN)", "official",
    )


def test_a_late_entry_may_open_a_new_pair_at_the_end(race, desk):
    accepted(race, services.add_entry, race.id, {"pair": 4, "lane": "inner", "name": "Takagi", "nation": "JPN"}, desk)
    assert numbers(race.id) == [1, 2, 3, 4] and lineup(race.id)[(4, "inner")] == "Takagi"


def test_a_late_entry_reuses_the_skater_with_the_same_licence(race, desk):
    Skater.objects.create(name="Takagi", nation="JPN", licence="JPN-77")
    accepted(race, services.add_entry, race.id,
             {"pair": 3, "lane": "outer", "name": "Takagi", "nation": "JPN", "licence": "JPN-77"}, desk)
    assert Skater.objects.filter(licence="JPN-77").count() == 1


@pytest.mark.parametrize("data, error, field, words", [
    ({"pair": 5, "lane": "inner", "name": "X", "nation": "JPN"}, NotFound, "pair",
     "Women's 1000 m has pairs 1 to 3, not pair 5; use one of them or pair 4 for a new pair at the end."),
    ({"pair": "3", "lane": "outer", "name": "X", "nation": "JPN"}, Invalid, "pair", "The pair must be a number"),
    ({"pair": 3, "lane": "middle", "name": "X", "nation": "JPN"}, Invalid, "lane", "Lane 'middle' does not exist"),
    ({"pair": 3, "lane": "inner", "name": "X", "nation": "JPN"}, Conflict, "lane",
     "Ellia Smeding (GBR) already skates in pair 3 inner; choose a free lane."),
    ({"pair": 3, "lane": "outer", "name": "", "nation": "JPN"}, Invalid, "name", "The name is empty"),
    ({"pair": 3, "lane": "outer", "name": "X" * 101, "nation": "JPN"}, Invalid, "name",
     "The name has 101 characters; shorten it to 100 at most."),
    ({"pair": 3, "lane": "outer", "name": "X", "nation": "Japan"}, Invalid, "nation", "'Japan' is not a nation"),
    ({"pair": 3, "lane": "outer", "name": "X", "nation": "JPN", "pb": "1:75.00"}, Invalid, "pb", "75 seconds"),
    ({"pair": 3, "lane": "outer", "name": "X", "nation": "JPN", "licence": "a b"}, Invalid, "licence",
     "is not a federation licence"),
    ({"pair": 3, "lane": "outer", "name": "femke kok", "nation": "NED"}, Conflict, "name",
     "Femke Kok (NED) is already in pair 2 inner; move that start instead."),
    ({"pair": 1, "lane": "inner", "name": "X", "nation": "JPN"}, Conflict, "pair", LOCKED),
])
def test_a_late_entry_is_refused_with_a_reason(started, desk, data, error, field, words):
    e = refused(started, error, services.add_entry, started.id, data, desk)
    assert e.field == field and words in e.message, e.message


def test_a_licence_of_a_skater_of_another_nation_is_refused(race, desk):
    Skater.objects.create(name="Miho Takagi", nation="JPN", licence="JPN-77")
    e = refused(race, Conflict, services.add_entry, race.id,
                {"pair": 3, "lane": "outer", "name": "Joy Beune", "nation": "NED", "licence": "JPN-77"}, desk)
    assert (e.field, e.message) == (
        "licence", "Licence JPN-77 belongs to Miho Takagi (JPN), not Joy Beune (NED); check the licence.",
    )


def test_a_licence_names_the_same_skater_whatever_the_spelling(race, desk):
    takagi = Skater.objects.create(name="Miho Takagi", nation="JPN", licence="JPN-77")
    services.add_entry(race.id, {"pair": 3, "lane": "outer", "name": "M. Takagi", "nation": "JPN", "licence": "JPN-77"},
                       desk)
    assert Start.objects.get(pair__race=race, pair__number=3, lane="outer").skater == takagi


def test_the_race_must_exist_and_not_be_final(race, desk):
    e = refused(race, NotFound, services.add_entry, race.id + 99, {"pair": 3, "lane": "outer"}, desk)
    assert e.field == "race"
    services.set_race_state(race.id, "live", services.REPLAY)
    services.set_race_state(race.id, "final", services.REPLAY)
    e = refused(race, Conflict, services.add_entry, race.id,
                {"pair": 3, "lane": "outer", "name": "X", "nation": "JPN"}, desk)
    assert e.message == "Women's 1000 m is final; reopen it before changing its results."


# --- withdraw --------------------------------------------------------------------------------


def test_a_withdrawal_takes_the_start_off_the_list_and_keeps_the_skater_and_the_record(race, desk):
    accepted(race, services.withdraw, race.id, 2, "outer", "ill", desk)
    assert (2, "outer") not in lineup(race.id) and numbers(race.id) == [1, 2, 3]
    assert Skater.objects.filter(name="Brittany Bowe").exists()
    change = last_change(race)
    assert (change.action, change.pair, change.lane, change.old_value, change.reason) == (
        "withdraw", 2, "outer", "Brittany Bowe (USA)", "ill",
    )
    # the freed lane takes a reserve
    accepted(race, services.add_entry, race.id, {"pair": 2, "lane": "outer", "name": "Erin Jackson", "nation": "USA"}, desk)
    assert lineup(race.id)[(2, "outer")] == "Erin Jackson"


def test_a_withdrawal_without_a_reason_is_recorded_as_withdrawn(race, desk):
    accepted(race, services.withdraw, race.id, 3, "inner", "", desk)
    assert last_change(race).reason == "withdrawn"


def test_a_withdrawal_is_refused_for_an_empty_lane_a_started_pair_or_a_long_reason(started, desk):
    e = refused(started, NotFound, services.withdraw, started.id, 3, "outer", "", desk)
    assert e.message == "Pair 3 has nobody in the outer lane."
    e = refused(started, Conflict, services.withdraw, started.id, 1, "inner", "", desk)
    assert (e.message, e.field) == (LOCKED, "pair")
    refused(started, Invalid, services.withdraw, started.id, 2, "inner", "x" * 201, desk)


def test_a_pair_with_a_time_but_no_start_signal_is_locked_too(race, desk):
    services.record_passing(race.id, 2, "inner", 200, 18000, services.REPLAY)
    Pair.objects.filter(race=race, number=2).update(started_at=None)
    e = refused(race, Conflict, services.withdraw, race.id, 2, "outer", "", desk)
    assert e.message == "Pair 2 has started; its skaters can no longer change."


# --- move_start ------------------------------------------------------------------------------


def test_a_skater_moves_to_an_empty_lane_of_another_pair(race, desk):
    accepted(race, services.move_start, race.id, 1, "inner", 3, "outer", desk)
    assert lineup(race.id)[(3, "outer")] == "Vigl" and (1, "inner") not in lineup(race.id)
    change = last_change(race)
    assert (change.action, change.pair, change.lane, change.old_value, change.new_value) == (
        "move", 3, "outer", "Vigl (ITA), pair 1 inner", "pair 3 outer",
    )


def test_a_skater_moves_to_a_new_pair_at_the_end_or_to_the_other_lane(race, desk):
    accepted(race, services.move_start, race.id, 3, "inner", 4, "inner", desk)
    assert numbers(race.id) == [1, 2, 3, 4] and lineup(race.id)[(4, "inner")] == "Ellia Smeding"
    accepted(race, services.move_start, race.id, 4, "inner", 4, "outer", desk)
    assert lineup(race.id)[(4, "outer")] == "Ellia Smeding"


def test_a_move_is_refused_onto_a_taken_lane_from_an_empty_one_or_in_a_started_pair(started, desk):
    e = refused(started, Conflict, services.move_start, started.id, 2, "inner", 3, "inner", desk)
    assert e.message == "Ellia Smeding (GBR) already skates in pair 3 inner; move that skater first or swap the lanes."
    e = refused(started, NotFound, services.move_start, started.id, 3, "outer", 2, "inner", desk)
    assert e.field == "lane"
    assert refused(started, Conflict, services.move_start, started.id, 1, "inner", 3, "outer", desk).message == LOCKED
    assert refused(started, Conflict, services.move_start, started.id, 3, "inner", 1, "outer", desk).message == (
        LOCKED
    )
    e = refused(started, Invalid, services.move_start, started.id, 3, "inner", 3, "inner", desk)
    assert e.message == "Ellia Smeding (GBR) is already in pair 3 inner."
    refused(started, NotFound, services.move_start, started.id, 3, "inner", 9, "inner", desk)
    refused(started, Invalid, services.move_start, started.id, 3, "inner", 3, "middle", desk)


# --- swap_lanes ------------------------------------------------------------------------------


def test_swapping_lanes_exchanges_inner_and_outer(race, desk):
    accepted(race, services.swap_lanes, race.id, 2, desk)
    assert (lineup(race.id)[(2, "inner")], lineup(race.id)[(2, "outer")]) == ("Brittany Bowe", "Femke Kok")
    change = last_change(race)
    assert (change.action, change.pair, change.old_value, change.new_value) == (
        "swap", 2, "inner Femke Kok (NED), outer Brittany Bowe (USA)",
        "inner Brittany Bowe (USA), outer Femke Kok (NED)",
    )


def test_swapping_a_pair_of_one_moves_that_skater_across(race, desk):
    accepted(race, services.swap_lanes, race.id, 3, desk)
    assert lineup(race.id)[(3, "outer")] == "Ellia Smeding" and (3, "inner") not in lineup(race.id)


def test_swapping_is_refused_for_a_started_pair_an_empty_pair_or_an_unknown_pair(started, desk):
    assert refused(started, Conflict, services.swap_lanes, started.id, 1, desk).message == LOCKED
    refused(started, NotFound, services.swap_lanes, started.id, 7, desk)
    services.withdraw(started.id, 3, "inner", "", desk)
    assert refused(started, Invalid, services.swap_lanes, started.id, 3, desk).message == (
        "Pair 3 is empty; there is nobody to swap."
    )


# --- renumber_pairs --------------------------------------------------------------------------


def test_renumbering_reorders_the_pairs(race, desk):
    accepted(race, services.renumber_pairs, race.id, [1, 3, 2], desk)
    assert lineup(race.id) == {
        (1, "inner"): "Vigl", (1, "outer"): "Suzanne Schulting", (2, "inner"): "Ellia Smeding",
        (3, "inner"): "Femke Kok", (3, "outer"): "Brittany Bowe",
    }
    assert (last_change(race).old_value, last_change(race).new_value) == ("1 3 2", "1 2 3")


def test_closing_the_gap_a_withdrawal_left_removes_the_empty_pair(race, desk):
    services.withdraw(race.id, 2, "inner", "", desk)
    services.withdraw(race.id, 2, "outer", "", desk)
    assert numbers(race.id) == [1, 2, 3]
    accepted(race, services.renumber_pairs, race.id, None, desk)
    assert numbers(race.id) == [1, 2] and lineup(race.id)[(2, "inner")] == "Ellia Smeding"


def test_the_current_pair_follows_its_pair(race, desk):
    services.set_current_pair(race.id, 3, desk)
    accepted(race, services.renumber_pairs, race.id, [3, 1, 2], desk)
    assert snapshot(race.id)["race"]["current_pair"] == 1


@pytest.mark.parametrize("order, error, words", [
    ([1, 2, 3], Invalid, "already numbered in this order"),
    ([1, 2], Invalid, "Pair 3 has skaters; put it in the new order."),
    ([1, 2, 2, 3], Invalid, "Pair 2 is in the new order twice."),
    ([1, 2, 3, 4], NotFound, "has no pair 4"),
    ("1 2 3", Invalid, "must be a list of pair numbers"),
    ([2, 1, 3], Conflict, LOCKED),
    (None, Invalid, "already numbered in this order"),
])
def test_renumbering_is_refused_with_a_reason(started, desk, order, error, words):
    e = refused(started, error, services.renumber_pairs, started.id, order, desk)
    assert words in e.message and e.field == ("pair" if error is Conflict else "order")


def test_a_started_pair_may_stay_where_it_is_while_the_others_move(started, desk):
    accepted(started, services.renumber_pairs, started.id, [1, 3, 2], desk)
    assert lineup(started.id)[(2, "inner")] == "Ellia Smeding"


def test_an_edit_that_adds_or_removes_a_pair_sends_the_screens_the_whole_list(race, desk):
    import json

    from timing import messages

    before = snapshot(race.id)
    services.move_start(race.id, 3, "inner", 4, "inner", desk)
    _, text = messages.race_update("move", before, snapshot(race.id), {})
    message = json.loads(text)
    assert message["all_pairs"] is True and [p["number"] for p in message["pairs"]] == [1, 2, 3, 4]
    before = snapshot(race.id)
    services.swap_lanes(race.id, 1, desk)
    message = json.loads(messages.race_update("swap", before, snapshot(race.id), {})[1])
    assert "all_pairs" not in message and [p["number"] for p in message["pairs"]] == [1]
