"""Garbage on the timing wire: the Lynx parser never raises and never loses the valid packet that
follows, and the listener process (`manage.py lynxlisten`) stays up through any bytes, cut
connections and resets, logs what it skipped, and still records the next real split.
"""
import random
import re
import socket
import sqlite3
import struct
import subprocess
import time

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.procs import PYTHON, ROOT, free_port, sqlite_world
from timing.devices.lynx import MAX_PACKET, SYNCED, UNSYNCED, Malformed, Packet, Parser, packet, parse_time_of_day

ZERO = parse_time_of_day("13:23:15.345")
VALID = [packet("Z", ZERO), packet("S", ZERO + 18_050, "2"), packet("T", ZERO + 20_000, synced=False)]

# Bytes a wire produces: anything, weighted towards what the parser reacts to.
wire_bytes = st.lists(
    st.sampled_from([bytes([SYNCED]), bytes([UNSYNCED]), b"\r", b"\n", b",", b"Z", b"S", b"T", b"12:34:56.789", b"1",
                     b"\x00", b"\xff", "é".encode(), b" " * 300, b"9" * 40]) | st.binary(max_size=40),
    max_size=60,
).map(b"".join)


def parse_all(*reads):
    parser = Parser()
    out = []
    for data in reads:
        out += parser.feed(data)
    return out + parser.close(), parser


@settings(max_examples=400, deadline=None, database=None)
@given(garbage=wire_bytes, valid=st.sampled_from(VALID), cuts=st.lists(st.integers(0, 4000), max_size=8))
def test_the_parser_never_raises_skips_garbage_and_still_reads_the_next_valid_packet(garbage, valid, cuts):
    stream = garbage + valid
    out, parser = parse_all(stream)
    assert all(isinstance(item, (Packet, Malformed)) for item in out)
    assert out[-1] == parse_all(valid)[0][0], f"the valid packet after the garbage was lost: {out[-3:]}"
    # However the wire cuts the stream into reads, the packets are the same.
    points = sorted({c % (len(stream) + 1) for c in cuts})
    reads = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)])]
    assert parse_all(*reads)[0] == out
    # What it holds between reads stays bounded, whatever arrives.
    assert len(parser._body) <= MAX_PACKET + 1 and len(parser._noise) <= MAX_PACKET + 1


@settings(max_examples=200, deadline=None, database=None)
@given(noise=st.binary(min_size=1, max_size=20_000))
def test_long_runs_without_an_end_are_dropped_not_hoarded(noise):
    parser = Parser()
    for at in range(0, len(noise), 997):
        parser.feed(noise[at:at + 997])
        assert len(parser._body) <= MAX_PACKET + 1 and len(parser._noise) <= MAX_PACKET + 1
    assert parser.feed(VALID[1])[-1] == Packet("S", ZERO + 18_050, "2")


class LynxProcess:
    """`manage.py lynxlisten` for the world's race, as a process of its own."""

    def __init__(self, world, log):
        self.log = log
        self.world = world
        self.port = free_port()
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "lynxlisten", "--race", str(world.race), "--port", str(self.port), "--device", "lynx-fuzz",
             "--journal", str(log.with_suffix(".journal"))],
            cwd=ROOT, env={**world.env, "LOG_LEVEL": "INFO"}, stdout=open(log, "w"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while "Listening for Lynx" not in log.read_text():
            assert self.proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "lynxlisten did not start"
            time.sleep(0.05)

    def send(self, data, reset=False):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(data)
            if reset:  # RST instead of FIN: a cable pulled mid-packet
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture(scope="module")
def listener(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lynx-fuzz")
    world = sqlite_world(tmp / "lynx.sqlite3")
    process = LynxProcess(world, tmp / "lynx.log")
    yield process
    process.stop()


def passings(world):
    with sqlite3.connect(f"file:{world.env['OVAL_SQLITE']}?mode=ro", uri=True, timeout=20) as db:
        return db.execute("SELECT s.lane, p.distance, p.time_ms, p.device FROM timing_passing p "
                          "JOIN timing_start s ON p.start_id = s.id").fetchall()


@settings(max_examples=25, deadline=None, database=None)
@given(garbage=st.one_of(wire_bytes, st.binary(min_size=1, max_size=70_000)), reset=st.booleans())
def test_the_listener_survives_any_bytes_and_cut_connections(listener, garbage, reset):
    out, _ = parse_all(garbage)
    assume(all(isinstance(item, Malformed) for item in out))  # the split at the end must be the first time
    listener.send(garbage, reset=reset)
    assert listener.proc.poll() is None, listener.log.read_text()[-2000:]


def test_after_all_that_it_still_records_a_valid_split(listener):
    # Runs after the fuzzing above (file order); on its own it proves the same on a clean wire.
    rng = random.Random(3)
    listener.send(bytes(rng.randrange(256) for _ in range(5000)) + b"\r\n", reset=True)
    listener.send(VALID[0] + b"\x01S,13:2")  # a connection that ends inside a packet
    listener.send(VALID[1])
    deadline = time.monotonic() + 60
    while not passings(listener.world):
        assert listener.proc.poll() is None, listener.log.read_text()[-2000:]
        assert time.monotonic() < deadline, f"no passing recorded:\n{listener.log.read_text()[-2000:]}"
        time.sleep(0.1)
    assert passings(listener.world) == [("outer", 200, 18_050, "lynx-fuzz")]
    log = listener.log.read_text()
    assert re.search(r"malformed packet .* skipped", log), "skipped garbage is logged"
    assert "Traceback" not in log, log[-3000:]
