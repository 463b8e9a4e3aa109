"""The race socket over Channels' test client: snapshot on connect, one message per committed
change and none for a rolled-back one, read-only for spectators, 4404 for an unknown race."""
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import AsyncClient

from config.asgi import application
from timing import services
from timing.models import Race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]
QUIET = 0.5  # long enough for an in-process broadcast, far below the 15 s heartbeat


def race_with_pair_one_skated(startlist_race):
    """Pair 1 (Vigl 18.19 inner, Schulting 18.05 outer at 200 m) done; pair 2 started."""
    rid = startlist_race.id
    services.start_pair(rid, 1, services.REPLAY)
    for lane, point, ms in [("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290),
                            ("inner", 600, 46050), ("outer", 1000, 75460), ("inner", 1000, 77150)]:
        services.record_passing(rid, 1, lane, point, ms, services.REPLAY)
    services.start_pair(rid, 2, services.REPLAY)
    return rid


@pytest.fixture
def race_id(startlist_race):
    return race_with_pair_one_skated(startlist_race)


async def connect(race_id):
    comm = WebsocketCommunicator(application, f"/ws/races/{race_id}/", headers=ORIGIN)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def snapshot_of(comm):
    msg = await comm.receive_json_from(timeout=5)
    assert msg["type"] == "snapshot"
    return msg


def version(race_id):
    return Race.objects.get(pk=race_id).version


async def test_it_sends_the_same_snapshot_as_the_http_api_on_connect(race_id):
    comm = await connect(race_id)
    msg = await snapshot_of(comm)
    api = json.loads((await AsyncClient().get(f"/api/races/{race_id}/")).content)
    assert isinstance(msg.pop("server_time"), int)
    msg.pop("type")
    assert msg == api
    assert msg["version"] == await database_sync_to_async(version)(race_id)
    await comm.disconnect()


async def test_it_sends_exactly_one_update_per_committed_passing(race_id):
    comm = await connect(race_id)
    snap = await snapshot_of(comm)
    # Pair 2 inner at 200 m in 17.99: faster than the leader Schulting's 18.05.
    await database_sync_to_async(services.record_passing)(race_id, 2, "inner", 200, 17990, services.REPLAY)
    msg = await comm.receive_json_from(timeout=2)
    assert (msg["type"], msg["version"]) == ("passing", snap["version"] + 1)
    assert isinstance(msg["server_time"], int)
    assert [p["number"] for p in msg["pairs"]] == [2]
    passing = msg["pairs"][0]["inner"]["passings"][0]
    assert (passing["distance"], passing["leads"], passing["diff"], passing["rank"]) == (200, True, "-0.06", 1)
    assert "standings" not in msg  # a split moves no finish
    assert await comm.receive_nothing(timeout=QUIET)
    await comm.disconnect()


async def test_a_slower_passing_arrives_as_not_leading(race_id):
    comm = await connect(race_id)
    await snapshot_of(comm)
    await database_sync_to_async(services.record_passing)(race_id, 2, "outer", 200, 18330, services.REPLAY)
    msg = await comm.receive_json_from(timeout=2)
    passing = msg["pairs"][0]["outer"]["passings"][0]
    assert (passing["leads"], passing["diff"], passing["rank"]) == (False, "+0.28", 3)
    await comm.disconnect()


async def test_a_finish_carries_the_new_standings(race_id):
    comm = await connect(race_id)
    await snapshot_of(comm)

    def skate():
        services.record_passing(race_id, 2, "inner", 200, 17990, services.REPLAY)
        services.record_passing(race_id, 2, "inner", 600, 45000, services.REPLAY)
        services.record_passing(race_id, 2, "inner", 1000, 75000, services.REPLAY)

    await database_sync_to_async(skate)()
    messages = [await comm.receive_json_from(timeout=2) for _ in range(3)]
    assert [m["type"] for m in messages] == ["passing"] * 3
    assert [m["version"] for m in messages] == [messages[0]["version"] + i for i in range(3)]
    assert [("standings" in m) for m in messages] == [False, False, True]
    assert messages[2]["standings"][0]["pair"] == 2 and messages[2]["standings"][0]["rank"] == 1
    assert await comm.receive_nothing(timeout=QUIET)
    await comm.disconnect()


async def test_it_sends_nothing_for_a_refused_change(race_id):
    comm = await connect(race_id)
    snap = await snapshot_of(comm)
    with pytest.raises(services.Conflict):  # pair 1 already has Schulting's finish
        await database_sync_to_async(services.record_passing)(race_id, 1, "outer", 1000, 75000, services.REPLAY)
    with pytest.raises(services.NotFound):
        await database_sync_to_async(services.record_passing)(race_id, 99, "outer", 200, 18000, services.REPLAY)
    assert await comm.receive_nothing(timeout=QUIET)
    assert await database_sync_to_async(version)(race_id) == snap["version"]
    await comm.disconnect()


async def test_it_sends_nothing_for_a_change_rolled_back_after_the_service_call(race_id):
    comm = await connect(race_id)
    snap = await snapshot_of(comm)

    def change_then_fail():
        with transaction.atomic():
            services.record_passing(race_id, 2, "inner", 200, 17990, services.REPLAY)
            raise RuntimeError("the caller's transaction fails after the write")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(change_then_fail)()
    assert await comm.receive_nothing(timeout=QUIET)
    assert await database_sync_to_async(version)(race_id) == snap["version"]
    # The socket is alive and the version line unbroken: the next real change is the next version.
    await database_sync_to_async(services.record_passing)(race_id, 2, "inner", 200, 18100, services.REPLAY)
    msg = await comm.receive_json_from(timeout=2)
    assert msg["version"] == snap["version"] + 1
    assert msg["pairs"][0]["inner"]["passings"][0]["time"] == "18.10"
    await comm.disconnect()


@pytest.mark.parametrize(
    "send,code",
    [({"text_data": "hello"}, 4003), ({"text_data": json.dumps({"type": "passing"})}, 4003), ({"bytes_data": b"\x00\x01"}, 4415)],
)
async def test_it_closes_a_socket_that_sends_without_disturbing_others(race_id, send, code):
    talker, listener = await connect(race_id), await connect(race_id)
    await snapshot_of(talker)
    snap = await snapshot_of(listener)
    if "text_data" in send:
        await talker.send_to(text_data=send["text_data"])
    else:
        await talker.send_to(bytes_data=send["bytes_data"])
    closed = await talker.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": code}
    await database_sync_to_async(services.record_passing)(race_id, 2, "inner", 200, 17990, services.REPLAY)
    msg = await listener.receive_json_from(timeout=2)
    assert (msg["type"], msg["version"]) == ("passing", snap["version"] + 1)
    await listener.disconnect()


async def test_it_closes_with_4404_for_an_unknown_race(db):
    comm = WebsocketCommunicator(application, "/ws/races/999999/", headers=ORIGIN)
    await comm.connect()
    assert await comm.receive_output(timeout=2) == {"type": "websocket.close", "code": 4404}


@pytest.mark.parametrize("headers", [[(b"origin", b"https://example.org")], []], ids=["foreign origin", "no origin"])
async def test_any_origin_may_listen_and_none_may_write(race_id, headers):
    comm = WebsocketCommunicator(application, f"/ws/races/{race_id}/", headers=headers)
    connected, _ = await comm.connect()
    assert connected and (await comm.receive_json_from(timeout=5))["type"] == "snapshot"
    await comm.send_to(text_data='{"type": "passing", "time": "1.00"}')
    assert await comm.receive_output(timeout=5) == {"type": "websocket.close", "code": 4003}
