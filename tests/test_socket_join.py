"""Where a joining socket's snapshot comes from (timing.hub.Hub.snapshot): while a race is followed,
from what the hub already sent (no query per socket, bench/storm.py); otherwise from the database.
Either way a socket must start from a snapshot no older than any update sent before it joined,
and get every later update: nothing falls between the snapshot and the stream."""
import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from django.db.models import F
from django.test import AsyncClient

from tests.test_consumer import connect
from tests.test_consumer import snapshot_of as consumer_snapshot
from timing import services
from timing.models import Race

pytestmark = pytest.mark.django_db(transaction=True)

# Pair 2 has started; each passing moves the race on by one version.
PASSINGS = [("inner", 200, 17990), ("outer", 200, 18330), ("inner", 600, 45000), ("outer", 600, 46100)]


@pytest.fixture
def race_id(startlist_race):
    services.start_pair(startlist_race.id, 1, services.REPLAY)
    services.start_pair(startlist_race.id, 2, services.REPLAY)
    return startlist_race.id


async def snapshot_of(comm):
    msg = await consumer_snapshot(comm)
    msg.pop("type"), msg.pop("server_time")
    return msg


async def api_snapshot(race_id):
    return json.loads((await AsyncClient().get(f"/api/races/{race_id}/")).content)


def record(race_id, i):
    lane, point, ms = PASSINGS[i]
    return services.record_passing(race_id, 2, lane, point, ms, services.REPLAY)


async def test_a_socket_joining_a_followed_race_starts_from_the_last_update(race_id):
    follower = await connect(race_id)
    first = await snapshot_of(follower)
    await database_sync_to_async(record)(race_id, 0)
    assert (await follower.receive_json_from(timeout=2))["version"] == first["version"] + 1
    joiner = await connect(race_id)
    assert await snapshot_of(joiner) == await api_snapshot(race_id)  # the whole race, as of that update
    await database_sync_to_async(record)(race_id, 1)
    for comm in (follower, joiner):
        assert (await comm.receive_json_from(timeout=2))["version"] == first["version"] + 2
        await comm.disconnect()


async def test_a_race_nobody_followed_meanwhile_is_read_afresh(race_id):
    """Unfollowed, a hub hears of no change (with several processes it leaves the Redis group), so
    what it sent before must not serve the next socket. Here a change the hub never hears of."""
    comm = await connect(race_id)
    before = await snapshot_of(comm)
    await comm.disconnect()
    await database_sync_to_async(Race.objects.filter(pk=race_id).update)(version=F("version") + 1)
    comm = await connect(race_id)
    assert (await snapshot_of(comm))["version"] == before["version"] + 1
    await comm.disconnect()


async def test_sockets_joining_at_once_while_the_race_moves_miss_nothing(race_id):
    """Forty sockets connect together while passings are committed: each starts from some snapshot
    and then must receive every later version, in order, up to the last one."""
    start = (await api_snapshot(race_id))["version"]
    last = start + len(PASSINGS)

    async def spectator():
        """The versions a screen applies (static/oval/live.js): an update it already has (one sent
        as the socket's snapshot was being read) is skipped, a gap would be a miss."""
        comm = await connect(race_id)
        applied = [(await snapshot_of(comm))["version"]]
        while applied[-1] < last:
            version = (await comm.receive_json_from(timeout=5))["version"]
            if version > applied[-1]:
                applied.append(version)
        await comm.disconnect()
        return applied

    async def writer():
        for i in range(len(PASSINGS)):
            await database_sync_to_async(record)(race_id, i)
            await asyncio.sleep(0)

    *applied, _ = await asyncio.gather(*(spectator() for _ in range(40)), writer())
    for versions in applied:
        assert versions == list(range(versions[0], last + 1)), versions
    assert {v[0] for v in applied} <= set(range(start, last + 1))
