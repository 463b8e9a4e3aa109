"""The classification's live push: after each committed change of one of its races, the competition
socket carries one "classification" message with the recomputed table, the same JSON as the HTTP
answer; a refused write sends nothing."""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient

from config.asgi import application
from timing import services
from timing.classifications import create_classification
from timing.startlists import Entry, create_race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]
QUIET = 0.5


def championship():
    entries = [Entry(1, "inner", "Joy Beune", "NED"), Entry(1, "outer", "Ragne Wiklund", "NOR")]
    races = [create_race("Socket Championship", f"{d} m", "Women", d, entries) for d in (500, 3000, 1500, 5000)]
    c = create_classification(races[0].competition_id, "Allround", "allround", [r.id for r in races], services.REPLAY)
    return races, c


async def test_a_time_in_one_of_its_races_pushes_the_recomputed_table_on_the_competition_socket():
    races, c = await database_sync_to_async(championship)()
    comm = WebsocketCommunicator(application, f"/ws/competitions/{races[0].competition_id}/", headers=ORIGIN)
    assert (await comm.connect())[0]
    snap = await comm.receive_json_from(timeout=5)
    assert snap["type"] == "snapshot"

    await database_sync_to_async(services.record_passing)(races[0].id, 1, "outer", 500, 38900, services.REPLAY)
    # The first time makes the race live: the schedule moves (its own message), then the table.
    schedule = await comm.receive_json_from(timeout=2)
    assert schedule["type"] == "passing" and schedule["version"] == snap["version"] + 1
    msg = await comm.receive_json_from(timeout=2)
    assert msg["type"] == "classification" and msg["version"] == schedule["version"]
    table = msg["table"]
    assert table["classification"]["id"] == c.id
    assert [(s["rank"], s["skater"]["name"], s["points"]) for s in table["standings"]] == [
        (1, "Ragne Wiklund", "38.900"), (None, "Joy Beune", "0.000"),
    ]
    api = json.loads((await AsyncClient().get(f"/api/classifications/{c.id}/")).content)
    assert api == table

    # A split moves no points: no table is sent for it (the race's own socket has it).
    await database_sync_to_async(services.record_passing)(races[1].id, 1, "outer", 200, 21000, services.REPLAY)
    schedule = await comm.receive_json_from(timeout=2)  # the 3000 m went live: the schedule moved
    assert schedule["type"] == "passing"
    assert await comm.receive_nothing(timeout=QUIET)

    # A refused write (a second finish) commits nothing and pushes nothing.
    with pytest.raises(services.Conflict):
        await database_sync_to_async(services.record_passing)(races[0].id, 1, "outer", 500, 38000, services.REPLAY)
    assert await comm.receive_nothing(timeout=QUIET)

    await database_sync_to_async(services.record_passing)(races[0].id, 1, "inner", 500, 38210, services.REPLAY)
    msg = await comm.receive_json_from(timeout=2)  # the race is already live: the table alone
    assert msg["type"] == "classification" and msg["version"] == schedule["version"]
    assert msg["table"]["version"] == table["version"] + 2  # the split's version and this one
    assert [s["skater"]["name"] for s in msg["table"]["standings"]] == ["Joy Beune", "Ragne Wiklund"]
    await comm.disconnect()


async def next_of(comm, kind):
    """The next message of type `kind`, skipping others (a finish also pushes the table)."""
    for _ in range(6):
        msg = await comm.receive_json_from(timeout=2)
        if msg["type"] == kind or (kind == "schedule" and "venue" in msg):
            return msg
    raise AssertionError(f"no {kind} message")


def skate_and_close(race):
    services.set_on_ice(race.competition_id, race.id, services.REPLAY)
    services.record_passing(race.id, 1, "inner", race.distance, 40000 * race.distance // 500, services.REPLAY)
    services.record_passing(race.id, 1, "outer", race.distance, 41000 * race.distance // 500, services.REPLAY)
    services.set_race_state(race.id, "final", services.REPLAY)


async def test_between_races_the_venue_shows_the_classification_and_goes_back_to_the_race_when_the_next_starts():
    races, c = await database_sync_to_async(championship)()
    comp_id = races[0].competition_id
    await database_sync_to_async(skate_and_close)(races[0])
    comm = WebsocketCommunicator(application, f"/ws/competitions/{comp_id}/", headers=ORIGIN)
    assert (await comm.connect())[0]
    snap = await comm.receive_json_from(timeout=5)
    # The 500 m on the ice is final: the venue shows the allround, with the races on either side.
    assert snap["venue"] == {"show": "classification", "classification": c.id, "name": "Allround",
                             "next": races[1].id, "last": races[0].id}
    assert snap["classifications"] == [{"id": c.id, "name": "Allround", "kind": "allround", "races": [r.id for r in races]}]

    # The 3000 m is called to the ice: its start list again (between races), then its board.
    await database_sync_to_async(services.set_on_ice)(comp_id, races[1].id, services.REPLAY)
    msg = await next_of(comm, "schedule")
    assert msg["venue"] == {"show": "between", "next": races[1].id, "last": races[0].id}
    await database_sync_to_async(services.start_pair)(races[1].id, 1, services.REPLAY)
    msg = await next_of(comm, "schedule")
    assert msg["venue"] == {"show": "race", "race": races[1].id}
    await comm.disconnect()


async def test_an_edit_pushes_the_new_table_and_a_delete_takes_it_off_the_venue():
    from timing.classifications import delete_classification, edit_classification

    races, c = await database_sync_to_async(championship)()
    comp_id = races[0].competition_id
    comm = WebsocketCommunicator(application, f"/ws/competitions/{comp_id}/", headers=ORIGIN)
    assert (await comm.connect())[0]
    snap = await comm.receive_json_from(timeout=5)
    # Before any of its races is over a classification has no standings worth a screen.
    assert snap["venue"]["show"] == "between"

    await database_sync_to_async(edit_classification)(c.id, "Short", "custom", [races[0].id, races[2].id], services.REPLAY)
    got = [await comm.receive_json_from(timeout=2), await comm.receive_json_from(timeout=2)]
    schedule = next(m for m in got if "venue" in m)
    table = next(m for m in got if m["type"] == "classification")["table"]
    assert schedule["version"] == snap["version"] + 1
    assert schedule["classifications"][0]["races"] == [races[0].id, races[2].id]
    assert (table["classification"]["name"], [r["id"] for r in table["classification"]["races"]]) == (
        "Short", [races[0].id, races[2].id])

    await database_sync_to_async(delete_classification)(c.id, services.REPLAY)
    msg = await next_of(comm, "schedule")
    assert msg["version"] == schedule["version"] + 1 and msg["classifications"] == []
    await comm.disconnect()
