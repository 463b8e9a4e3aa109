"""Reconnect storm: N spectators connecting at once to a finished race, Oval against the floor.

    .venv/bin/python bench/storm.py                  # 2000 and 5000 clients, 3 runs of each server
    .venv/bin/python bench/storm.py --quick          # 2000 clients, 1 run each: while developing
    .venv/bin/python bench/storm.py --sizes 5000 --runs 5

What a stadium sees when its Wi-Fi comes back, or a TV channel shows the live-results address:
every phone opens its socket in the same second and must first get the whole race (the reference
race, all 15 pairs skated: a snapshot of about 28 KB). Oval runs as in production (`manage.py
serve`: one Daphne, SQLite, no Redis), already warm. The floor is a plain `websockets` server
that sends the very same snapshot bytes on connect (bench/floor.py). The same client processes
(spawned once per size, reused for every run) open N sockets as fast as they can, all released
at one instant, each waiting for its first frame; the sockets stay open until every one has its
snapshot, then all close. Oval and the floor take turns, so a burst of load from the machine's
other users falls on both alike.

Measured: the storm's time (first connect attempt to the last snapshot received), each socket's
connect -> snapshot time (p50, p99), failed connections, and the server's CPU per connection.
Writes its table into bench/results.md between the storm markers.
"""
import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import re
import resource
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from clients import cpu_seconds, rss_kb  # noqa: E402
from fanout import Floor, floor_control_snapshot, halt, loadavg, machine, manage, serve, write_results  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- storm:begin -->", "<!-- storm:end -->"
OPEN_TIMEOUT = 60  # seconds a client waits for its handshake: a browser waits longer still
BACKLOG = 2048  # the listen backlog of both servers (bench/floor.py has the same; the kernel caps it at somaxconn)


# --- the servers ---------------------------------------------------------------------------------


class Oval:
    """`manage.py serve` on a fresh SQLite database holding the reference race, fully skated."""

    def __init__(self, workdir):
        self.name = f"oval_storm_{secrets.token_hex(4)}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", LOG_LEVEL="WARNING",
                   OVAL_SQLITE=str(workdir / f"{self.name}.sqlite3"))
        self.env, self.workdir, self.proc = env, workdir, None

    def start(self):
        manage(self.env, "migrate", "--noinput", "-v0")
        self.race = int(re.search(r"race (\d+)", manage(self.env, "loaddemo")).group(1))
        self.log = self.workdir / f"{self.name}.log"
        self.proc, self.port = serve(self.env, self.log, BACKLOG)
        return self

    def stop(self):
        halt(self.proc)

    @property
    def pid(self):
        return self.proc.pid

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.port}/ws/races/{self.race}/"


class StormFloor(Floor):
    @property
    def pid(self):
        return self.proc.pid

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.ports[0]}/"


# --- the clients ---------------------------------------------------------------------------------


async def _one(url, origin):
    """(connect started, snapshot received, error, bytes, socket): one phone's reconnect."""
    t0 = time.time()
    try:
        ws = await connect(url, origin=origin, open_timeout=OPEN_TIMEOUT, ping_interval=None, compression=None,
                           max_size=None, close_timeout=2)
    except Exception as e:  # counted and reported, never hidden
        return t0, None, f"connect: {type(e).__name__}: {e}"[:160], 0, None
    try:
        first = await asyncio.wait_for(ws.recv(), OPEN_TIMEOUT)
    except Exception as e:
        return t0, None, f"snapshot: {type(e).__name__}: {e}"[:160], 0, ws
    if not first.startswith('{"type":"snapshot"'):
        return t0, None, f"first frame is not a snapshot: {first[:60]}", len(first), ws
    return t0, time.time(), None, len(first), ws


async def _client(conn):
    loop = asyncio.get_running_loop()
    conn.send("ready")
    while True:
        order = await loop.run_in_executor(None, conn.recv)
        if order[0] == "stop":
            return
        _, url, origin, n, at = order
        await asyncio.sleep(max(0.0, at - time.time()))
        cpu = time.process_time()
        got = await asyncio.gather(*(_one(url, origin) for _ in range(n)))
        conn.send(([g[:4] for g in got], time.process_time() - cpu))
        await loop.run_in_executor(None, conn.recv)  # hold every socket until all processes are done
        await asyncio.gather(*(g[4].close() for g in got if g[4] is not None), return_exceptions=True)
        conn.send("closed")


def client(conn):
    """Entry point of a client process (multiprocessing, spawned)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(_client(conn))


class Clients:
    """K client processes, started once and used for every run of one size (Oval's and the floor's)."""

    def __init__(self, k):
        ctx = multiprocessing.get_context("spawn")
        self.pipes, self.procs = [], []
        for _ in range(k):
            mine, theirs = ctx.Pipe()
            p = ctx.Process(target=client, args=(theirs,), daemon=True)
            p.start()
            self.pipes.append(mine)
            self.procs.append(p)
        for p in self.pipes:
            assert p.recv() == "ready"

    async def storm(self, url, n):
        origin = re.sub(r"^ws://([^/]+)/.*$", r"http://\1", url)
        at = time.time() + 0.5  # every process starts at the same instant
        k = len(self.pipes)
        for i, p in enumerate(self.pipes):
            p.send(("storm", url, origin, n // k + (i < n % k), at))
        answers = [await asyncio.to_thread(p.recv) for p in self.pipes]
        got = [g for a in answers for g in a[0]]
        for p in self.pipes:
            p.send("close")
        for p in self.pipes:
            assert await asyncio.to_thread(p.recv) == "closed"
        return got, sum(a[1] for a in answers)

    def stop(self):
        for p in self.pipes:
            p.send(("stop",))
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()


def pct(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))] if sorted_values else float("nan")


async def one_run(clients, server, n, settle):
    """One storm against one server: its figures."""
    cpu0, rss0 = cpu_seconds(server.pid), rss_kb(server.pid)
    got, client_cpu = await clients.storm(server.url, n)
    cpu1 = cpu_seconds(server.pid)
    ok = [g for g in got if g[2] is None]
    waits = sorted((t1 - t0) * 1000 for t0, t1, _, _ in ok)
    errors = sorted({re.sub(r"\d+", "#", g[2]) for g in got if g[2]})
    await quiet(server.pid, settle)  # the server has taken the closes before the next storm
    return {
        "n": n, "ok": len(ok), "failed": n - len(ok), "errors": errors[:3],
        "seconds": (max(g[1] for g in ok) - min(g[0] for g in got)) if ok else float("nan"),
        "p50": pct(waits, 0.5), "p99": pct(waits, 0.99),
        "bytes": statistics.median(g[3] for g in ok) if ok else 0,
        "cpu_ms": (cpu1 - cpu0) * 1000 / max(1, len(ok)),
        "client_cpu_ms": client_cpu * 1000 / max(1, len(ok)),
        "rss_kb": max(0, rss_kb(server.pid) - rss0) / max(1, len(ok)),
    }


async def quiet(pid, least, longest=60):
    """Wait `least` seconds, then until the process uses under 5 % of a core for half a second."""
    await asyncio.sleep(least)
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before < 0.025:
            return


def line(label, r):
    return (f"{label:>5} N={r['n']}: {r['seconds']:.2f} s, p50 {r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, "
            f"failed {r['failed']}, {r['bytes']:.0f} B, cpu {r['cpu_ms']:.2f} ms/connection "
            f"(clients {r['client_cpu_ms']:.2f}) "
            f"{'; '.join(r['errors'])}")


async def run(args):
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        oval, floor, clients = Oval(workdir), StormFloor(), None
        try:
            oval.start()
            # The snapshot as Oval sends it on connect: the floor sends these very bytes.
            async with connect(oval.url, origin=f"http://127.0.0.1:{oval.port}", compression=None,
                               max_size=None) as ws:
                snapshot = await ws.recv()
            floor.start()
            await floor_control_snapshot(floor, snapshot)
            clients = Clients(args.clients)
            print(f"N={n}: Oval on {oval.port} (race {oval.race}, snapshot {len(snapshot.encode())} B), "
                  f"floor on {floor.ports[0]}, {args.clients} client processes", flush=True)
            runs = {"oval": [], "floor": []}
            for i in range(args.runs):
                for label, server in (("oval", oval), ("floor", floor)) if i % 2 == 0 else \
                        (("floor", floor), ("oval", oval)):
                    if label not in args.servers:
                        continue
                    r = await one_run(clients, server, n, args.settle)
                    runs[label].append(r)
                    print("  " + line(label, r), flush=True)
            results.append((n, runs))
        finally:
            if clients:
                clients.stop()
            oval.stop()
            if getattr(floor, "proc", None):
                floor.stop()
    return results


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def table(results, args, load_before, load_after, limit):
    out = [
        f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {machine()}.",
        f"Load average before / after: {load_before} / {load_after} (other helpers share this machine).",
        f"{args.clients} client processes, {args.runs} runs of each server taking turns, medians; each client "
        f"waits up to {OPEN_TIMEOUT} s for its handshake; listen backlog {BACKLOG} for both servers; "
        f"file-descriptor limit raised to {limit} (resource.setrlimit).",
        "",
        "| N | server | storm s (runs) | p50 ms | p99 ms | failed | snapshot B | server CPU ms per connection "
        "| clients' CPU ms per connection | storm / floor | p99 / floor |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, runs in results:
        if not runs["oval"] or not runs["floor"]:
            continue
        fl = {k: median_of(runs["floor"], k) for k in ("seconds", "p99")}
        for label, name in (("oval", "Oval (`manage.py serve`, SQLite)"), ("floor", "floor (`websockets`)")):
            rs = runs[label]
            m = {k: median_of(rs, k) for k in ("seconds", "p50", "p99", "bytes", "cpu_ms", "client_cpu_ms")}
            each = ", ".join(f"{r['seconds']:.2f}" for r in rs)
            ratio = f"{m['seconds'] / fl['seconds']:.2f}×" if label == "oval" else "—"
            ratio99 = f"{m['p99'] / fl['p99']:.2f}×" if label == "oval" else "—"
            out.append(f"| {n} | {name} | {m['seconds']:.2f} ({each}) | {m['p50']:.0f} | {m['p99']:.0f} "
                       f"| {sum(r['failed'] for r in rs)} | {m['bytes']:.0f} | {m['cpu_ms']:.2f} | {m['client_cpu_ms']:.2f} "
                       f"| {ratio} | {ratio99} |")
    errors = sorted({e for _, runs in results for rs in runs.values() for r in rs for e in r["errors"]})
    if errors:
        out += ["", "Failures seen: " + "; ".join(errors[:5])]
    return "\n".join(out)




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None, help="comma-separated client counts (default 2000,5000)")
    parser.add_argument("--runs", type=int, default=None, help="runs of each server (default 3; --quick 1)")
    parser.add_argument("--quick", action="store_true", help="2000 clients, one run each")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--settle", type=float, default=1.0,
                        help="seconds after a storm before the next (and until the server is idle)")
    parser.add_argument("--servers", default="oval,floor", help="oval, floor: to profile one alone (implies --no-write)")
    parser.add_argument("--workdir", default="/tmp/oval-storm")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args()
    args.sizes = [int(s) for s in (args.sizes or ("2000" if args.quick else "2000,5000")).split(",")]
    args.runs = args.runs or (1 if args.quick else 3)
    args.servers = args.servers.split(",")
    args.no_write = args.no_write or len(args.servers) < 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = max(args.sizes) * 2 + 1000
    limit = min(hard, max(soft, need))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))  # inherited by both servers
    if hard < need:
        print(f"warning: the file-descriptor limit ({hard}) is below {need}; large sizes will fail to connect")
    before = loadavg()
    results = asyncio.run(run(args))
    text = table(results, args, before, loadavg(), limit)
    print("\n" + text)
    if not args.no_write:
        write_results(text, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
