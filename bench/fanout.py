"""Fan-out benchmark: Oval against the floor, with real sockets, real processes, one clock.

    .venv/bin/python bench/fanout.py                 # 100, 1000, 5000 spectators, every mode
    .venv/bin/python bench/fanout.py --quick         # 100 and 1000, shorter schedule: while developing
    .venv/bin/python bench/fanout.py --sizes 100 --modes single

For each size N: spectators on real websockets (spawned worker processes, many asyncio clients
each) connect to real Daphne processes; passings are posted through the device API, first at race
pace (one at a time), then in bursts (both lanes, every measuring point of a pair, back to back).
Latency is from just before each POST is written to each spectator's receipt, both read from
time.time(). The floor is a plain `websockets` server replaying the very same frames to the same
number of clients with broadcast(), triggered over a socket, measured by the same clients.

Modes: `single` (one Daphne, SQLite, no Redis: the embedded setup) and `pubsub` / `core` (two
Daphne processes on PostgreSQL and Redis with that channels-redis layer; spectators split across
both, posts to the first). Writes bench/results.md (the tables between its markers).
"""
import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import os
import platform
import re
import resource
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from clients import Http, cpu_seconds, hammer, rss_kb, version_of, worker  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from timing.rules.times import parse_time  # noqa: E402  (pure Python: no Django here)

PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def demo_script():
    """The demo race's passings in race order: (pair, lane, point, ms), as timing.demo.script."""
    data = json.loads((ROOT / "timing" / "data" / "milano2026_women_1000.json").read_text())
    events = []
    for p in data["pairs"]:
        for lane in ("inner", "outer"):
            for point, text in (p.get(lane) or {}).get("times", {}).items():
                events.append((p["number"], parse_time(text), lane, int(point)))
    return [(pair, lane, point, ms) for pair, ms, lane, point in sorted(events)]


def schedule(quick):
    """[(phase, [passings posted back to back], pause after)]: pace first, then bursts."""
    by_pair = {}
    for e in demo_script():
        by_pair.setdefault(e[0], []).append(e)
    pace_pairs, burst_pairs = ([1], [2, 3]) if quick else ([1, 2], [3, 4, 5])
    groups = [("pace", [e], 1.0) for pair in pace_pairs for e in by_pair[pair]]
    groups += [("burst", by_pair[pair], 2.0) for pair in burst_pairs]
    return groups


# --- servers ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(env, log, backlog=2048):
    """`manage.py serve` as production runs it (docs/deploy.md: the request-body cap, the
    handshake limit, the collector policy of timing/gcpolicy.py), on a free port: (process, port)."""
    port = free_port()
    proc = subprocess.Popen([PYTHON, "manage.py", "serve", "--port", str(port), "--backlog", str(backlog)],
                            cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while "is serving on" not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"manage.py serve did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return proc, port


def manage(env, *args):
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
                   check=True, capture_output=True)


class Oval:
    """A fresh database with the demo start list and a device token, served by `count` Daphnes."""

    def __init__(self, mode, workdir):
        self.mode = mode
        self.name = f"oval_bench_{secrets.token_hex(4)}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", LOG_LEVEL="INFO")
        if mode == "single":
            env["OVAL_SQLITE"] = str(workdir / f"{self.name}.sqlite3")
            self.count = 1
        else:
            psql(f'CREATE DATABASE "{self.name}"')
            env.update(DATABASE_URL=f"{PG}/{self.name}", REDIS_URL=REDIS, OVAL_REDIS_LAYER=mode,
                       OVAL_REDIS_PREFIX=f"{self.name}:")
            self.count = 2
        self.env, self.workdir, self.procs, self.ports = env, workdir, [], []

    def start(self):
        manage(self.env, "migrate", "--noinput", "-v0")
        self.race = int(re.search(r"race (\d+)", manage(self.env, "loaddemo", "--unskated")).group(1))
        self.token = manage(self.env, "devicetoken", "bench").strip()
        for i in range(self.count):
            proc, port = serve(self.env, self.workdir / f"{self.name}-{i}.log")
            self.procs.append(proc)
            self.ports.append(port)
        return self

    def stop(self):
        halt(*self.procs)
        if self.mode != "single":
            psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            # The core layer leaves group sets behind (they expire after a day): remove this run's.
            keys = subprocess.run(["redis-cli", "-h", "127.0.0.1", "--scan", "--pattern", f"{self.name}:*"],
                                  capture_output=True, text=True).stdout.split()
            if keys:
                subprocess.run(["redis-cli", "-h", "127.0.0.1", "del", *keys], capture_output=True)

    @property
    def pids(self):
        return [p.pid for p in self.procs]

    def urls(self):
        return [f"ws://127.0.0.1:{p}/ws/races/{self.race}/" for p in self.ports]


class Floor:
    def start(self):
        self.proc = subprocess.Popen([PYTHON, str(ROOT / "bench" / "floor.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.ports = [int(self.proc.stdout.readline())]
        return self

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    @property
    def pids(self):
        return [self.proc.pid]

    def urls(self):
        return [f"ws://127.0.0.1:{self.ports[0]}/"]


# --- one measured run ------------------------------------------------------------------------


class Crowd:
    """N spectators spread over worker processes, all connected before anything is sent."""

    def __init__(self, urls, n, workers):
        ctx = multiprocessing.get_context("spawn")
        origins = [re.sub(r"^ws://([^/]+)/.*$", r"http://\1", u) for u in urls]
        self.pipes, self.procs = [], []
        for i in range(workers):
            share = n // workers + (i < n % workers)
            mine, theirs = ctx.Pipe()
            # Rotate the server list so the spectators split evenly across servers.
            rot = i % len(urls)
            p = ctx.Process(target=worker, args=(theirs, urls[rot:] + urls[:rot], origins[rot:] + origins[:rot], share),
                            daemon=True)
            p.start()
            self.pipes.append(mine)
            self.procs.append(p)

    async def ready(self):
        answers = [await asyncio.to_thread(p.recv) for p in self.pipes]
        return sum(a[1] for a in answers), sorted({e for a in answers for e in a[2]})

    async def finish(self, first, last, timeout):
        for p in self.pipes:
            p.send(("finish", first, last, timeout))
        answers = [await asyncio.to_thread(p.recv) for p in self.pipes]
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.kill()
        times = {}
        for _, t, _, _, _ in answers:
            for v, ts in t.items():
                times.setdefault(v, []).extend(ts)
        return times, sum(a[2] for a in answers), sum(a[3] for a in answers), sum(a[4] for a in answers)

    def kill(self):
        for p in self.procs:
            if p.is_alive():
                p.kill()


def stats(samples):
    if not samples:
        return {"p50": float("nan"), "p99": float("nan"), "max": float("nan"), "n": 0}
    s = sorted(samples)
    return {"p50": s[len(s) // 2], "p99": s[min(len(s) - 1, int(len(s) * 0.99))], "max": s[-1], "n": len(s)}


async def measure(server, n, workers, send_groups, settle):
    """Connect n spectators, run `send_groups` (an async generator of (phase, version, t0)), and
    return the figures. `send_groups` does the sending: POSTs for Oval, replays for the floor."""
    rss0 = sum(rss_kb(p) for p in server.pids)
    crowd = Crowd(server.urls(), n, workers)
    try:
        connected, errors = await crowd.ready()
        rss1 = sum(rss_kb(p) for p in server.pids)
        await asyncio.sleep(settle)
        cpu0 = sum(cpu_seconds(p) for p in server.pids)
        sent = {}  # version -> (phase, t0)
        async for phase, version, t0 in send_groups:
            sent[version] = (phase, t0)
        times, lost, resyncs, dropped = await crowd.finish(min(sent), max(sent), timeout=30 + n / 200)
        cpu1 = sum(cpu_seconds(p) for p in server.pids)
    finally:
        crowd.kill()
    lat = {"all": [], "pace": [], "burst": []}
    for v, ts in times.items():
        if v in sent:
            phase, t0 = sent[v]
            for t in ts:
                ms = (t - t0) * 1000
                lat["all"].append(ms)
                lat[phase].append(ms)
    return {
        "n": n, "connected": connected, "errors": errors, "lost": lost, "resyncs": resyncs, "dropped": dropped,
        "messages": len(sent), **{k: stats(v) for k, v in lat.items()},
        "cpu_us": (cpu1 - cpu0) * 1e6 / max(1, connected * len(sent)),
        "rss_kb": (rss1 - rss0) / max(1, connected),
    }


async def oval_sender(oval, groups, record):
    """POST every passing through the device API; record the frames for the floor's replay."""
    http = Http(oval.ports[0])
    headers = [f"Authorization: Bearer {oval.token}", "Content-Type: application/json"]
    frames = {}
    async with connect(oval.urls()[0], origin=f"http://127.0.0.1:{oval.ports[0]}", compression=None,
                       max_size=None, ping_interval=None) as recorder:
        record["snapshot"] = await recorder.recv()

        async def listen():
            try:
                async for text in recorder:
                    if not text.startswith('{"type":"heartbeat"'):
                        frames[version_of(text)] = text
            except ConnectionClosed:
                pass

        listening = asyncio.create_task(listen())
        versions, offsets, start = [], [], time.time()
        for phase, passings, pause in groups:
            for pair, lane, point, ms in passings:
                body = json.dumps({"pair": pair, "lane": lane, "distance": point, "time_ms": ms}).encode()
                t0 = time.time()
                status, answer = await http.request("POST", f"/api/races/{oval.race}/passings", body, headers)
                if status != 201:
                    raise RuntimeError(f"POST answered {status}: {answer[:300]!r}")
                versions.append(json.loads(answer)["version"])
                offsets.append(t0 - start)
                yield phase, versions[-1], t0
            await asyncio.sleep(pause)
        deadline = time.monotonic() + 30
        while not all(v in frames for v in versions) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        listening.cancel()
    http.close()
    record["frames"] = [frames[v] for v in versions if v in frames]
    record["offsets"] = offsets


async def floor_sender(floor, groups, record):
    """Send Oval's recorded frames through the floor at the moments Oval's POSTs were sent, so
    both servers see the same load pattern (a burst is as dense as Oval's write path let it be)."""
    phases = [phase for phase, passings, _ in groups for _ in passings]
    async with connect(f"ws://127.0.0.1:{floor.ports[0]}/control", compression=None, max_size=None) as control:
        start = time.time()
        for phase, text, offset in zip(phases, record["frames"], record["offsets"]):
            await asyncio.sleep(max(0.0, start + offset - time.time()))
            t0 = time.time()
            await control.send(text)
            yield phase, version_of(text), t0
        await asyncio.sleep(groups[-1][2])


async def snapshot_rate(ports, race, seconds, connections=8):
    """Requests per second of GET /api/races/<id>/ from two load processes per server."""
    ctx = multiprocessing.get_context("spawn")
    pipes, procs = [], []
    for port in ports:
        for _ in range(2):
            mine, theirs = ctx.Pipe()
            p = ctx.Process(target=hammer, args=(theirs, port, f"/api/races/{race}/", connections, seconds), daemon=True)
            p.start()
            pipes.append(mine)
            procs.append(p)
    answers = [await asyncio.to_thread(p.recv) for p in pipes]
    for p in procs:
        p.join(5)
    return sum(a[0] for a in answers) / seconds, sum(a[1] for a in answers)


# --- the run ---------------------------------------------------------------------------------


async def run(args):
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    groups = schedule(args.quick)
    rows, rates = [], {}
    for n in args.sizes:
        record = {}
        for mode in args.modes:
            oval = Oval(mode, workdir)
            try:
                oval.start()
                print(f"[{mode} N={n}] serving on {oval.ports}", flush=True)
                if n == args.sizes[0]:
                    rates[mode] = await snapshot_rate(oval.ports, oval.race, args.rate_seconds)
                    print(f"  snapshot GET: {rates[mode][0]:.0f}/s", flush=True)
                rec = {}
                r = await measure(oval, n, args.workers, oval_sender(oval, groups, rec), args.settle)
                r["mode"] = mode
                rows.append(r)
                if "frames" not in record:
                    record.update(rec)
                print("  " + line(r), flush=True)
            finally:
                oval.stop()
        floor = Floor().start()
        try:
            await floor_control_snapshot(floor, record["snapshot"])
            r = await measure(floor, n, args.workers, floor_sender(floor, groups, record), args.settle)
            r["mode"] = "floor"
            rows.append(r)
            print("  " + line(r), flush=True)
        finally:
            floor.stop()
    return rows, rates


async def floor_control_snapshot(floor, snapshot):
    async with connect(f"ws://127.0.0.1:{floor.ports[0]}/control", compression=None, max_size=None) as control:
        await control.send(snapshot)


def line(r):
    return (f"{r['mode']:>6} N={r['n']}: connected {r['connected']}, p50 {r['all']['p50']:.1f} ms, "
            f"p99 {r['all']['p99']:.1f} ms, max {r['all']['max']:.1f} ms, lost {r['lost']}, resyncs {r['resyncs']}, "
            f"cpu {r['cpu_us']:.1f} us/msg/socket, rss {r['rss_kb']:.1f} KB/socket {r['errors'] or ''}")


LABELS = {"single": "Oval, 1 process (SQLite, in-memory)", "pubsub": "Oval, 2 processes (PG + Redis pub/sub)",
          "core": "Oval, 2 processes (PG + Redis core)", "floor": "floor (websockets.broadcast)"}


def table(rows, rates, args, load_before, load_after):
    floors = {r["n"]: r for r in rows if r["mode"] == "floor"}
    singles = {r["n"]: r for r in rows if r["mode"] == "single"}
    out = [
        f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {machine()}.",
        f"Load average before / after: {load_before} / {load_after} (other helpers share this machine).",
        f"Schedule: {'quick' if args.quick else 'full'}; {args.workers} spectator processes; latency = POST "
        "written -> frame received (time.time()). Ratios are p99 against the floor's p99 at the same N "
        "(and against one process for the two-process modes).",
        "",
        "| N | server | connected | p50 ms | p99 ms | max ms | p99 pace / burst ms | lost | resyncs "
        "| p99 / floor | p99 / 1 process | CPU µs per msg·socket | RSS KB per socket |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        fl, one = floors.get(r["n"]), singles.get(r["n"])
        vs_floor = f"{r['all']['p99'] / fl['all']['p99']:.2f}×" if fl and r["mode"] != "floor" else "—"
        vs_one = f"{r['all']['p99'] / one['all']['p99']:.2f}×" if one and r["mode"] in ("pubsub", "core") else "—"
        out.append(
            f"| {r['n']} | {LABELS[r['mode']]} | {r['connected']} | {r['all']['p50']:.1f} | {r['all']['p99']:.1f} "
            f"| {r['all']['max']:.1f} | {r['pace']['p99']:.1f} / {r['burst']['p99']:.1f} | {r['lost']} "
            f"| {r['resyncs']} | {vs_floor} | {vs_one} | {r['cpu_us']:.1f} | {r['rss_kb']:.1f} |"
        )
    if rates:
        out += ["", "Snapshot endpoint (GET /api/races/<id>/, cached per version; 2 load processes × 8 keep-alive "
                "connections per server, served by every process of the mode):", ""]
        out += [f"- {LABELS[m]}: {rate:.0f} requests/s ({errs} errors)" for m, (rate, errs) in rates.items()]
    return "\n".join(out)


def machine():
    model = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next((int(ln.split()[1]) // 1024 for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} × {model}, {mem} MB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def write_results(text, begin=BEGIN, end=END):
    """Put `text` between one bench's markers in bench/results.md, leaving the rest as it is."""
    old = RESULTS.read_text() if RESULTS.exists() else "# Fan-out benchmark\n"
    if begin not in old:
        old += f"\n{begin}\n{end}\n"
    head, rest = old.split(begin, 1)
    tail = rest.split(end, 1)[1] if end in rest else ""
    RESULTS.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def halt(*procs):
    """Stop server processes: terminate, and kill whatever has not ended 10 s later."""
    for p in procs:
        if p is not None and p.poll() is None:
            p.terminate()
    for p in procs:
        if p is None:
            continue
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=None, help="comma-separated spectator counts (default 100,1000,5000)")
    parser.add_argument("--modes", default="single,pubsub,core", help="single, pubsub, core (comma-separated)")
    parser.add_argument("--quick", action="store_true", help="100 and 1000 spectators, a shorter schedule")
    parser.add_argument("--workers", type=int, default=2, help="spectator processes")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds between connecting and sending")
    parser.add_argument("--rate-seconds", type=float, default=3.0, help="length of the snapshot-load run")
    parser.add_argument("--workdir", default="/tmp/oval-bench")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args()
    args.sizes = [int(s) for s in (args.sizes or ("100,1000" if args.quick else "100,1000,5000")).split(",")]
    args.modes = [m for m in args.modes.split(",") if m]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = max(args.sizes) * 2 + 1000
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, need)), hard))
    if hard < need:
        print(f"warning: the file-descriptor limit ({hard}) is below {need}; large sizes will fail to connect")
    before = loadavg()
    rows, rates = asyncio.run(run(args))
    text = table(rows, rates, args, before, loadavg())
    print("\n" + text)
    if not args.no_write:
        write_results(text)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
