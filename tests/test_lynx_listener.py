"""The Lynx listener over a real TCP socket: packets in, the same board as officials' entries."""
import asyncio
import itertools
import socket
import threading
import time

import pytest

from tests.callers import callers, fast_password_hashing  # noqa: F401
from timing import demo
from timing.devices.listener import Listener, LynxSession
from timing.devices.lynx import Parser, packet, parse_time_of_day
from timing.models import Change, Pair, Passing
from timing.startlists import clone_race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lynx(tmp_path):
    """start(race_id, journal=None, **session options) -> (listener, port): a listener on its own
    event loop thread, journaling into the test's own directory."""
    running = []

    def start(race_id, journal=None, **options):
        listener = Listener(LynxSession(race_id, **options), journal or tmp_path / f"lynx-{len(running)}.journal")
        loop = asyncio.new_event_loop()
        ports = []
        ready = threading.Event()

        def main():
            asyncio.set_event_loop(loop)
            ports.append(loop.run_until_complete(listener.start("127.0.0.1", 0)))
            ready.set()
            loop.run_forever()

        threading.Thread(target=main, name="lynx-test", daemon=True).start()
        assert ready.wait(10), "the listener did not start"
        running.append((listener, loop))
        return listener, ports[0]

    yield start
    for listener, loop in running:
        listener.shutdown()
        loop.call_soon_threadsafe(listener.server.close)
        loop.call_soon_threadsafe(loop.stop)


def send(port, stream, chunk_sizes=(4096,)):
    """Write `stream` to the listener in reads of the given sizes, as a wire might cut it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sizes = itertools.cycle(chunk_sizes)
        at = 0
        while at < len(stream):
            n = next(sizes)
            sock.sendall(stream[at:at + n])
            at += n


def wait_until_handled(listener, stream, deadline_s=60):
    expected = len(Parser().feed(stream))
    deadline = time.monotonic() + deadline_s
    while listener.handled < expected:
        assert time.monotonic() < deadline, f"only {listener.handled} of {expected} packets handled"
        time.sleep(0.02)


def test_the_protocols_sample_packets_start_the_pair_and_record_the_outer_lanes_split_where_its_time_fits(
    lynx, startlist_race
):
    listener, port = lynx(startlist_race.id, inner_id="1", device="lynx-finish")
    stream = b"\x01Z,13:23:15.345\r\n\x01S,13:24:12.876,2\r\n"
    send(port, stream)
    wait_until_handled(listener, stream)
    passing = Passing.objects.get()
    # 57.531 s after the start: 3.5 m/s for 200 m, 17.4 m/s for 1000 m, only the 600 m fits.
    assert (passing.start.pair.number, passing.start.lane, passing.distance, passing.time_ms) == (1, "outer", 600, 57531)
    assert (passing.source, passing.device) == ("device", "lynx-finish")
    assert Pair.objects.get(race=startlist_race, number=1).started_at is not None
    assert list(Change.objects.values_list("action", "device")) == [("passing", "lynx-finish"), ("start", "lynx-finish")]


def test_it_skips_malformed_packets_and_splits_without_a_zero_and_keeps_listening(lynx, startlist_race):
    listener, port = lynx(startlist_race.id)
    stream = (
        b"\x01S,13:24:12.876,1\r\n"  # before any zero: skipped
        b"\x01Q,13:24:12.876\r\n"  # unknown opcode
        b"noise\n"
        b"\x01S,13:24:12.876,7\r\n"  # identifier that is no lane
        b"\x02Z,13:23:15.345\n"
        b"\x01S,13:23:33.525,1\r"  # inner, 18.180
        b"\x01S,13:23:15.545,2\r\n"  # 0.2 s after the start: implausible, refused by the rules
    )
    send(port, stream)
    wait_until_handled(listener, stream)
    assert list(Passing.objects.values_list("start__lane", "distance", "time_ms")) == [("inner", 200, 18180)]
    # still listening: a second connection is served
    more = b"\x01S,13:23:33.375,2\r\n"
    send(port, more)
    wait_until_handled(listener, stream + more)
    assert Passing.objects.filter(start__lane="outer").get().time_ms == 18030


def lynx_stream(inner_id):
    """The whole reference race as a Lynx device would send it, cut and dressed like a real wire:
    both sync bytes, every line ending, T packets, a malformed line, and pair 15 after midnight."""
    ids = {"inner": inner_id, "outer": "1" if inner_id == "2" else "2"}
    first_zero = parse_time_of_day("23:05:00.000")
    endings = itertools.cycle([b"\r\n", b"\r", b"\n"])
    out = []
    zero = None
    for pair, lane, point, ms, _ in demo.script(demo.load_data()):
        if zero is None or pair != current:
            current, zero = pair, first_zero + (pair - 1) * 240_000
            out.append(packet("T", zero - 5000, synced=pair % 2 == 0, eot=next(endings)))
            out.append(packet("Z", zero, eot=next(endings)))
            out.append(b"\x01S,garbled\r\n")
        out.append(packet("S", zero + ms, ids[lane], synced=pair % 3 != 0, eot=next(endings)))
    return b"".join(out)


def board(snap):
    passings = {
        (p["number"], lane): [(x["distance"], x["time_ms"]) for x in p[lane]["passings"]]
        for p in snap["pairs"] for lane in ("inner", "outer")
    }
    return passings, snap["standings"], snap["race"]["current_pair"]


def test_a_race_fed_over_tcp_ends_with_the_same_board_as_the_race_entered_through_the_api(
    lynx, startlist_race, callers, snap  # noqa: F811
):
    # The same race through the JSON API, as a device with a token would enter it.
    api_race = clone_race(startlist_race, "Women's 1000 m (API)")
    device = callers["device"]
    started = set()
    for pair, lane, point, ms, _ in demo.script(demo.load_data()):
        if pair not in started:
            if pair > 1:
                assert device.post(f"/api/races/{api_race.id}/current-pair", {"pair": pair}).status_code == 200
            assert device.post(f"/api/races/{api_race.id}/pairs/{pair}/start").status_code == 200
            started.add(pair)
        body = {"pair": pair, "lane": lane, "distance": point, "time_ms": ms}
        assert device.post(f"/api/races/{api_race.id}/passings", body).status_code == 201

    # The same race over a real socket, the wire cut into odd-sized reads, inner lane on identifier 2.
    listener, port = lynx(startlist_race.id, inner_id="2", auto_next=True)
    stream = lynx_stream(inner_id="2")
    send(port, stream, chunk_sizes=(1, 7, 64, 3, 512, 29))
    wait_until_handled(listener, stream)

    fed, entered = board(snap(startlist_race.id)), board(snap(api_race.id))
    assert fed == entered
    assert len([x for p in fed[0].values() for x in p]) == 90
    assert [s["name"] for s in fed[1][:3]] == ["Jutta Leerdam", "Femke Kok", "Miho Takagi"]
    assert fed[1][0]["time"] == "1:12.31" and fed[2] == 15


def test_a_zero_is_backdated_by_the_devices_clock_only_after_a_recent_sync():
    from timing.devices.listener import local_time_of_day_ms
    from django.utils import timezone

    from timing.devices.lynx import DAY_MS, Packet

    session = LynxSession(race_id=0)
    now = local_time_of_day_ms()
    assert session.start_lag_ms(now - 2000) == 0  # no T yet: the start is "now"
    ahead = 60_000  # the device's clock runs a minute ahead of ours
    session.on_t(Packet("T", (now + ahead) % DAY_MS), timezone.now())
    assert 2000 <= session.start_lag_ms((now + ahead - 2000) % DAY_MS) < 3000
    assert session.start_lag_ms((now + ahead - 30_000) % DAY_MS) == 0  # too far back to trust
