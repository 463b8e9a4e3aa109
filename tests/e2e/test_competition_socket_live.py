"""Over a real Daphne and real sockets: a venue screen following the schedule hears the race on
the ice change within a second of the write API's answer."""
import json
import time
import urllib.request
from urllib.parse import urlparse

import pytest
from websockets.sync.client import connect

from timing import services
from timing.devices import tokens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_venue_sockets_hear_the_race_on_the_ice_within_a_second(live_url):
    comp = services.create_competition({"name": "Club meet", "time_zone": "Europe/Oslo"}, services.IMPORT)
    race = services.create_race(comp.id, {"title": "Men's 500 m", "category": "Men", "distance": 500}, services.IMPORT)
    _, raw = tokens.issue("venue-desk")
    url = urlparse(live_url)
    ws_url = f"ws://{url.hostname}:{url.port}/ws/competitions/{comp.id}/"
    with connect(ws_url, origin=live_url) as north, connect(ws_url, origin=live_url) as south:
        snaps = [json.loads(s.recv(timeout=5)) for s in (north, south)]
        assert [s["type"] for s in snaps] == ["snapshot", "snapshot"] and snaps[0]["on_ice"] is None
        request = urllib.request.Request(
            f"{live_url}/api/competitions/{comp.id}/on-ice", data=json.dumps({"race": race.id}).encode(),
            headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 200
            answered = time.monotonic()
        for screen in (north, south):
            update = json.loads(screen.recv(timeout=5))
            assert (update["on_ice"], update["version"]) == (race.id, snaps[0]["version"] + 1)
        assert time.monotonic() - answered < 1.0


@pytest.mark.parametrize("origin", [None, "https://example.org"], ids=["no Origin", "another site"])
def test_a_plain_client_from_anywhere_gets_the_snapshot_and_the_next_update(live_url, startlist_race, origin):
    url = urlparse(live_url)
    with connect(f"ws://{url.hostname}:{url.port}/ws/races/{startlist_race.id}/", origin=origin) as ws:
        snap = json.loads(ws.recv(timeout=5))
        assert snap["type"] == "snapshot" and snap["race"]["id"] == startlist_race.id
        services.start_pair(startlist_race.id, 1, services.IMPORT)
        update = json.loads(ws.recv(timeout=5))
        assert (update["type"], update["version"]) == ("start", snap["version"] + 1)
