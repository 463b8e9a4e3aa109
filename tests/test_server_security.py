"""Issue 16 tried as an attacker would, against real server processes (`manage.py serve`, DEBUG
off, a random SECRET_KEY): parallel password guesses, a forged X-Forwarded-For, huge bodies,
websockets on unknown paths; and the login brake shared by two processes through Redis."""
import asyncio
import http.client
import re
import secrets
import socket
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.procs import ROOT, Server, device_post, reachable, sqlite_world
from timing.brakes import MAX_FAILURES
from timing.server import MAX_BODY

pytestmark = pytest.mark.slow
websockets = pytest.importorskip("websockets.asyncio.client")
from websockets.exceptions import ConnectionClosed  # noqa: E402

REDIS = ("127.0.0.1", 6379)
WAIT = 20  # seconds: a hang guard
CSRF = "a" * 32  # an unmasked CSRF secret: Django takes the same in cookie and form


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    world = sqlite_world(tmp / "sec.sqlite3")
    world.add_official("official")
    world.tmp = tmp
    return world


@pytest.fixture(scope="module")
def served(world):
    server = Server(world.env, log=world.tmp / "serve.log", args=["--proxy-headers"]).start()
    try:
        yield server
    finally:
        server.stop()


def login(server, username, password, forwarded_for=None):
    """One form POST to /login/; its status."""
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": CSRF})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={CSRF}"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    try:
        conn.request("POST", "/login/", body, headers)
        return conn.getresponse().status
    finally:
        conn.close()


def test_thirty_parallel_wrong_passwords_check_at_most_max_failures(served):
    """Every guess that is checked answers 200 (wrong password); the others 429 unchecked."""
    forwarded = "198.51.100.30"  # an address of this test's own, so other tests' counts do not mix in
    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda i: login(served, "official", f"guess-{i}", forwarded), range(30)))
    print(f"\n30 parallel guesses: {statuses.count(200)} checked (200), {statuses.count(429)} refused (429)")
    assert statuses.count(200) <= MAX_FAILURES, statuses
    assert statuses.count(200) + statuses.count(429) == 30, statuses
    assert login(served, "official", "correct horse battery staple", forwarded) == 429


def test_the_brake_counts_per_address_as_daphne_reads_it_from_x_forwarded_for(served):
    """With --proxy-headers Daphne takes the *leftmost* X-Forwarded-For address, which a client
    chooses unless nginx overwrites the header (the next test holds the documented config to it)."""
    for i in range(MAX_FAILURES):
        assert login(served, "official", "wrong", "198.51.100.1") == 200
    assert login(served, "official", "correct horse battery staple", "198.51.100.1") == 429
    assert login(served, "official", "correct horse battery staple", "198.51.100.1, 10.0.0.1") == 429  # leftmost
    assert login(served, "official", "correct horse battery staple", "198.51.100.2") == 302


def test_the_documented_nginx_overwrites_x_forwarded_for():
    """Appending ($proxy_add_x_forwarded_for) keeps the client's own leftmost entry, which Daphne
    trusts: each guess could then claim a fresh address and a fresh count."""
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    nginx = deploy[deploy.index("```nginx"):]
    values = re.findall(r"proxy_set_header\s+X-Forwarded-For\s+([^;]+);", nginx)
    assert values and set(values) == {"$remote_addr"}, values
    assert "--proxy-headers" in deploy and re.search(r"client_max_body_size\s+1m;", nginx)


def raw(server, head, timeout=WAIT):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    s.sendall(head)
    return s


def read_status(sock):
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else None


def test_a_declared_huge_body_is_refused_before_a_byte_is_read(served):
    before = served.rss_kib()
    s = raw(served, b"POST /api/races/1/passings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1073741824\r\n\r\n")
    try:
        assert read_status(s) == 413  # answered on the headers alone
        s.settimeout(5)
        assert s.recv(65536) == b"" or s.recv(65536) == b""  # and hung up
    finally:
        s.close()
    after = served.rss_kib()
    print(f"\nContent-Length 1 GiB: 413 on the headers; RSS {before} -> {after} KiB")
    assert after - before < 8 * 1024
    assert served.alive()


def test_a_chunked_body_is_cut_off_once_it_passes_the_cap_and_memory_stays_flat(served):
    before = served.rss_kib()
    s = raw(served, b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
    sent = 0
    try:
        while sent < 512 * 1024 * 1024:  # offers half a gigabyte
            s.sendall(chunk)
            sent += 64 * 1024
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        s.close()
    after = served.rss_kib()
    print(f"\nchunked: {sent // 1024} KiB sent before the server hung up; RSS {before} -> {after} KiB")
    # What was sent past the cap sat in socket buffers (a few MiB), never in the process.
    assert sent < 64 * 1024 * 1024
    assert after - before < 8 * 1024
    assert served.alive()


def test_a_body_at_the_cap_still_reaches_django_and_a_normal_write_works(served, world):
    s = raw(served, b"POST /api/races/1/passings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n" % MAX_BODY + b" " * MAX_BODY)
    try:
        assert read_status(s) == 401  # Django's answer (no credentials), not the cap's
    finally:
        s.close()
    assert device_post(served, f"/api/races/{world.race}/pairs/1/start", {}, world.token).status == 200


@pytest.mark.parametrize("path", ["/ws/races/abc/", "/ws/", "/", "/ws/races/1/extra/", "/ws/competitions/abc/"])
async def test_a_websocket_on_an_unknown_path_is_closed_with_4404_not_a_500(served, path):
    async with websockets.connect(served.ws_url(path), origin=served.origin, open_timeout=WAIT) as ws:
        try:
            await asyncio.wait_for(ws.recv(), WAIT)
        except ConnectionClosed:
            pass
        assert ws.close_code == 4404
    assert "Traceback" not in served.log_text() and "No route found" not in served.log_text()


@pytest.fixture
def redis_prefix():
    import redis

    prefix = f"oval-test-brakes-{secrets.token_hex(4)}"
    yield prefix
    client = redis.Redis(host=REDIS[0], port=REDIS[1])
    try:
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def test_two_processes_share_one_login_brake_through_redis(world, redis_prefix):
    if not reachable(REDIS):
        pytest.skip("needs Redis on 127.0.0.1:6379")
    env = {**world.env, "REDIS_URL": f"redis://{REDIS[0]}:{REDIS[1]}/0", "OVAL_REDIS_PREFIX": redis_prefix}
    servers = [Server(env, log=world.tmp / f"redis-{i}.log").start() for i in range(2)]
    try:
        # Alternating between the processes, as nginx would spread one attacker's guesses.
        statuses = [login(servers[i % 2], "official", f"guess-{i}") for i in range(2 * MAX_FAILURES)]
        assert statuses == [200] * MAX_FAILURES + [429] * MAX_FAILURES
        assert [login(s, "official", "correct horse battery staple") for s in servers] == [429, 429]
    finally:
        for s in servers:
            s.stop()
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1])
    try:
        assert list(client.scan_iter(match=f"{redis_prefix}:brakes:*"))  # the count lived in Redis, under our prefix
    finally:
        client.close()
