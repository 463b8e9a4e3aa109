"""The competition's socket: the schedule's snapshot on connect (the same as the HTTP API), then
one versioned update per committed schedule change, read-only, 4404 for an unknown competition."""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient

from config.asgi import application
from timing import services

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]
DESK = services.IMPORT


def day():
    comp = services.create_competition({"name": "World Cup Heerenveen", "time_zone": "Europe/Amsterdam"}, DESK)
    races = [services.create_race(comp.id, {"title": t, "category": "Women", "distance": d}, DESK)
             for t, d in [("Women's 500 m", 500), ("Women's 1000 m", 1000)]]
    return comp.id, [r.id for r in races]


async def connect(comp_id):
    comm = WebsocketCommunicator(application, f"/ws/competitions/{comp_id}/", headers=ORIGIN)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def test_it_sends_the_schedule_then_each_change_in_version_order():
    comp_id, (first, second) = await database_sync_to_async(day)()
    comm = await connect(comp_id)
    snap = await comm.receive_json_from(timeout=5)
    api = json.loads((await AsyncClient().get(f"/api/competitions/{comp_id}/")).content)
    assert snap.pop("type") == "snapshot" and isinstance(snap.pop("server_time"), int)
    assert snap == api and snap["on_ice"] is None

    await database_sync_to_async(services.set_on_ice)(comp_id, first, DESK)
    update = await comm.receive_json_from(timeout=5)
    assert (update["type"], update["version"], update["on_ice"]) == ("on ice", snap["version"] + 1, first)
    assert update["change"]["new_value"] == f"race {first}: Women's 500 m"

    await database_sync_to_async(services.set_race_state)(first, "live", DESK)
    update = await comm.receive_json_from(timeout=5)
    assert update["version"] == snap["version"] + 2
    assert [r["state"] for r in update["races"]] == ["live", "scheduled"]
    await comm.disconnect()


async def test_it_stays_read_only_and_refuses_an_unknown_competition():
    comp_id, _ = await database_sync_to_async(day)()
    comm = await connect(comp_id)
    await comm.receive_json_from(timeout=5)
    await comm.send_to(text_data='{"on_ice": 1}')
    closed = await comm.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4003}

    unknown = WebsocketCommunicator(application, f"/ws/competitions/{comp_id + 99}/", headers=ORIGIN)
    await unknown.connect()
    assert (await unknown.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4404}
