"""The load side of the benchmark: spectator processes, a keep-alive HTTP client, /proc readings.

A worker process runs many `websockets` clients on one asyncio loop. Each client does only what
a phone must do to know what it got: note the receipt time (time.time(), one clock for every
process on this machine) and the message's version. The same clients measure Oval and the floor.
"""
import asyncio
import json
import os
import time

from websockets.asyncio.client import connect

CONNECTS_IN_FLIGHT = 50  # per worker: enough to connect thousands quickly, few enough not to swamp accept()
_TICK = os.sysconf("SC_CLK_TCK")


def version_of(text):
    """Every frame puts "version" first after type/server_time; a heartbeat has none."""
    i = text.find('"version":')
    if i < 0:
        return None
    j = i + 10
    k = j
    while text[k].isdigit():
        k += 1
    return int(text[j:k])


class Spectator:
    def __init__(self, url, origin):
        self.url, self.origin = url, origin
        self.ok = False
        self.error = None
        self.snapshot_version = None
        self.got = []  # (version, receipt time, was a snapshot)
        self.ready = asyncio.get_running_loop().create_future()
        self.ws = None

    async def run(self, gate):
        try:
            async with gate:
                self.ws = await connect(self.url, origin=self.origin, open_timeout=120, ping_interval=None,
                                        compression=None, max_size=None, close_timeout=1)
                first = await self.ws.recv()
            self.snapshot_version = json.loads(first)["version"]
            self.ok = True
            self.ready.set_result(True)
            async for text in self.ws:
                t = time.time()
                v = version_of(text)
                if v is not None:
                    self.got.append((v, t, text.startswith('{"type":"snapshot"')))
        except Exception as e:  # counted and reported, never hidden
            self.error = f"{type(e).__name__}: {e}"[:200]
            if not self.ready.done():
                self.ready.set_result(False)

    def last(self):
        return self.got[-1][0] if self.got else self.snapshot_version


async def _worker(conn, urls, origins, n):
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(CONNECTS_IN_FLIGHT)
    clients = [Spectator(urls[i % len(urls)], origins[i % len(urls)]) for i in range(n)]
    tasks = [asyncio.create_task(c.run(gate)) for c in clients]
    await asyncio.gather(*(c.ready for c in clients))
    errors = sorted({c.error for c in clients if c.error})
    conn.send(("ready", sum(c.ok for c in clients), errors[:3]))
    _, first, last, timeout = await loop.run_in_executor(None, conn.recv)
    deadline = time.monotonic() + timeout
    live = [c for c in clients if c.ok]
    while time.monotonic() < deadline and any(c.last() < last for c in live if c.error is None):
        await asyncio.sleep(0.05)
    times = {}  # version -> receipt times of that update
    lost = resyncs = 0
    for c in live:
        seen = set()
        for v, t, snapshot in c.got:
            if snapshot:
                resyncs += 1
                seen.update(range(first, v + 1))  # a resync covers everything up to it
            else:
                seen.add(v)
                times.setdefault(v, []).append(t)
        lost += sum(1 for v in range(max(first, c.snapshot_version + 1), last + 1) if v not in seen)
    dropped = sum(1 for c in live if c.error)
    await asyncio.gather(*(c.ws.close() for c in live if c.ws), return_exceptions=True)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    conn.send(("done", times, lost, resyncs, dropped))


def worker(conn, urls, origins, n):
    """Entry point of a spectator process (multiprocessing)."""
    asyncio.run(_worker(conn, urls, origins, n))


class Http:
    """HTTP/1.1 over one keep-alive connection: just enough for JSON posts and GETs, so the
    load generator's own cost stays small and the same for every server measured."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method, path, body=b"", headers=()):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}",
                *headers, "", ""]
        self.writer.write("\r\n".join(head).encode() + body)
        status_line = await self.reader.readline()
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            name = name.lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        data = await self.reader.readexactly(length)
        if close:
            self.close()
        return int(status_line.split()[1]), data

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _hammer(port, path, connections, seconds):
    count = errors = 0
    stop = time.monotonic() + seconds

    async def one():
        nonlocal count, errors
        http = Http(port)
        while time.monotonic() < stop:
            status, _ = await http.request("GET", path)
            if status == 200:
                count += 1
            else:
                errors += 1
        http.close()

    await asyncio.gather(*(one() for _ in range(connections)))
    return count, errors


def hammer(conn, port, path, connections, seconds):
    """Entry point of a snapshot-load process: GET `path` as fast as the server answers."""
    conn.send(asyncio.run(_hammer(port, path, connections, seconds)))


def cpu_seconds(pid):
    """utime + stime of a process, from /proc (psutil is not installed here)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0
