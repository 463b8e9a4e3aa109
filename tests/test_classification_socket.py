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
