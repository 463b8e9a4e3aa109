"""The soak: the whole 15-pair demo race posted through the device API at speed into a real server
process, while hundreds of spectators (in a process of their own) connect and drop at random.

    python -m tests.soak [--minutes 3] [--spectators 300] [--speed 10]

Not collected by pytest (the name has no test_ prefix): it runs for minutes; `make soak` runs it.
It passes (exit 0) when nothing was lost and nothing failed: every write answered 2xx, every
spectator connected at the end holds the final version and exactly the final snapshot, no
spectator ever saw a version go backwards, no connection was refused. It prints the server's RSS
sampled through the run (start/peak/end); docs/reliability.md has the figures of a run.
"""
import argparse
import asyncio
import json
import multiprocessing
import random
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from tests.procs import Server, device_post, sqlite_world

PAIR_PAUSE_S = 20.0  # between pairs at speed 1, as `manage.py serve --replay` does


def demo_script():
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from timing import demo

    return demo.script(demo.load_data())


# --- the writer: the race, at speed, through the device API -------------------------------------


def run_race(server, world, script, speed, errors, log):
    """Post the race as a timing device would: boards to the pair, start, passings at their time."""
    race = world.race
    by_pair = {}
    for pair, lane, point, ms, _ in script:
        by_pair.setdefault(pair, []).append((lane, point, ms))
    writes = 0

    def post(path, body):
        nonlocal writes
        answer = device_post(server, path, body, world.token, key=f"soak-{writes}-{path}", timeout=30)
        writes += 1
        if not 200 <= answer.status < 300:
            errors.append(f"{path} {body}: {answer}")
        return answer

    for pair, passings in by_pair.items():
        if pair > 1:
            post(f"/api/races/{race}/current-pair", {"pair": pair})
        began = time.monotonic()
        post(f"/api/races/{race}/pairs/{pair}/start", {})
        for lane, point, ms in sorted(passings, key=lambda p: p[2]):
            wait = began + ms / 1000 / speed - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            post(f"/api/races/{race}/passings", {"pair": pair, "lane": lane, "distance": point, "time_ms": ms})
        log(f"pair {pair} done ({writes} writes)")
        time.sleep(PAIR_PAUSE_S / speed)
    post(f"/api/races/{race}/state", {"state": "final", "reason": "soak over"})
    return writes


# --- the spectators: a separate process, hundreds of sockets -----------------------------------


class Spectator:
    """Follows the race with live.js's rules: snapshot first, updates in version order, a gap
    reloads the HTTP snapshot. Counts anything that should never happen."""

    def __init__(self, n, base, race, rng):
        self.n, self.base, self.race, self.rng = n, base, race, rng
        self.state = None
        self.connected = False
        self.backwards = 0
        self.errors = []
        self.connects = 0
        self.updates = 0
        self.resyncs = 0
        self.last_update = -1

    def fetch(self):
        return json.loads(urllib.request.urlopen(f"{self.base}/api/races/{self.race}/", timeout=30).read())

    async def apply(self, msg):
        if msg.get("type") == "heartbeat" or "version" not in msg:
            return
        if msg["type"] == "snapshot":
            if self.state and msg["version"] < self.state["version"]:
                self.backwards += 1  # a fresh snapshot older than what we held: the server went back
            self.state = {k: msg[k] for k in ("version", "race", "pairs", "standings")}
            return
        if msg["version"] <= self.state["version"]:
            return  # old news (possible right after a snapshot)
        if msg["version"] > self.state["version"] + 1:
            self.resyncs += 1
            snap = await asyncio.to_thread(self.fetch)
            if snap["version"] < self.state["version"]:
                self.backwards += 1
            self.state = {k: snap[k] for k in ("version", "race", "pairs", "standings")}
            return
        if msg["version"] < self.last_update:
            self.backwards += 1  # updates on one connection came out of order
        self.last_update = msg["version"]
        by_number = {p["number"]: p for p in msg["pairs"]}
        self.state = {
            "version": msg["version"], "race": msg["race"],
            "pairs": [by_number.get(p["number"], p) for p in self.state["pairs"]],
            "standings": msg.get("standings", self.state["standings"]),
        }
        self.updates += 1

    async def run(self, until, stayer, ws_connect):
        url = f"{self.base.replace('http', 'ws', 1)}/ws/races/{self.race}/"
        while time.monotonic() < until:
            stay = until - time.monotonic() + 60 if stayer else self.rng.expovariate(1 / 15)
            try:
                async with ws_connect(url, origin=self.base, open_timeout=30, max_size=2**22) as ws:
                    self.connects += 1
                    self.last_update = -1
                    self.connected = True
                    leave = time.monotonic() + stay
                    while time.monotonic() < leave:
                        try:
                            raw = await asyncio.wait_for(ws.recv(), max(0.01, leave - time.monotonic()))
                        except asyncio.TimeoutError:
                            break
                        await self.apply(json.loads(raw))
                    self.connected = False
                    if self.rng.random() < 0.3:
                        ws.transport.abort()  # a phone walking out of the stadium's Wi-Fi
            except Exception as e:  # noqa: BLE001 - counted: a refused or broken connection is a failure
                self.connected = False
                if time.monotonic() < until:
                    self.errors.append(f"spectator {self.n}: {e!r}")
            if stayer:
                return
            await asyncio.sleep(self.rng.uniform(0.2, 3))


def spectators_main(base, race, count, seconds, finish, final_version, results):
    """Entry point of the spectators' process."""
    from websockets.asyncio.client import connect

    async def main():
        rng = random.Random(2026)
        crowd = [Spectator(n, base, race, random.Random(rng.random())) for n in range(count)]
        stayers = set(range(0, count, 5))  # one in five keeps the page open all along
        until = time.monotonic() + seconds
        tasks = []
        for s in crowd:
            tasks.append(asyncio.ensure_future(s.run(until, s.n in stayers, connect)))
            await asyncio.sleep(seconds * 0.02 / count)  # they arrive over the first moments
        while not finish.is_set():
            await asyncio.sleep(0.2)
        target = final_version.value
        deadline = time.monotonic() + 15
        held = [s for s in crowd if s.n in stayers]
        while time.monotonic() < deadline and any(s.state is None or s.state["version"] < target for s in held):
            await asyncio.sleep(0.2)
        snap = json.loads(urllib.request.urlopen(f"{base}/api/races/{race}/", timeout=30).read())
        truth = {k: snap[k] for k in ("version", "race", "pairs", "standings")}
        mismatched = [s.n for s in held if s.state != truth]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        results.put({
            "spectators": count, "stayers": len(held), "connects": sum(s.connects for s in crowd),
            "updates": sum(s.updates for s in crowd), "resyncs": sum(s.resyncs for s in crowd),
            "backwards": sum(s.backwards for s in crowd), "errors": [e for s in crowd for e in s.errors][:20],
            "error_count": sum(len(s.errors) for s in crowd), "mismatched": mismatched,
            "final_version_seen": sorted({s.state["version"] for s in held if s.state}), "truth_version": truth["version"],
        })

    asyncio.run(main())


# --- the run -------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--spectators", type=int, default=300)
    parser.add_argument("--speed", type=float, default=10.0, help="replay pace (x real time), raised if needed to fit")
    args = parser.parse_args(argv)

    def log(text):
        print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)

    seconds = args.minutes * 60
    script = demo_script()
    race_s = sum(max(ms for p, _, _, ms, _ in script if p == pair) / 1000 + PAIR_PAUSE_S
                 for pair in {p for p, *_ in script})
    speed = max(args.speed, race_s / (seconds * 0.8))
    tmp = Path(tempfile.mkdtemp(prefix="oval-soak-"))
    world = sqlite_world(tmp / "soak.sqlite3")
    server = Server(world.env, log=tmp / "serve.log").start()
    log(f"server pid {server.proc.pid} on port {server.port}; race of {race_s:.0f} s at x{speed:.1f}; "
        f"{args.spectators} spectators for {seconds:.0f} s")
    rss = [(0.0, server.rss_kib())]
    began = time.monotonic()
    stop_sampling = threading.Event()

    def sample():
        while not stop_sampling.wait(2):
            rss.append((time.monotonic() - began, server.rss_kib()))

    sampler = threading.Thread(target=sample, daemon=True)
    ctx = multiprocessing.get_context("spawn")
    finish, final_version, results = ctx.Event(), ctx.Value("q", -1), ctx.Queue()
    crowd = ctx.Process(target=spectators_main,
                        args=(server.origin, world.race, args.spectators, seconds, finish, final_version, results))
    errors = []
    try:
        sampler.start()
        crowd.start()
        time.sleep(2)
        writes = run_race(server, world, script, speed, errors, log)
        final = server.snapshot(world.race)
        log(f"race posted: {writes} writes, final version {final['version']}")
        left = began + seconds - time.monotonic()
        if left > 0:
            log(f"spectators keep coming and going for {left:.0f} s more")
            time.sleep(left)
        final_version.value = final["version"]
        finish.set()
        report = results.get(timeout=120)
        crowd.join(30)
        stop_sampling.set()
        sampler.join(5)
        time.sleep(3)  # every spectator gone: what the server keeps afterwards
        rss.append((time.monotonic() - began, server.rss_kib()))
        alive = server.alive()
    finally:
        stop_sampling.set()
        if crowd.is_alive():
            crowd.kill()
        server.stop()

    passings = sum(len(p[lane]["passings"]) for p in final["pairs"] for lane in ("inner", "outer") if p[lane])
    kib = [k for _, k in rss]
    peak_at = max(rss, key=lambda r: r[1])[0]
    print(json.dumps({**report, "errors": report["errors"][:5]}, indent=1))
    print(f"duration {time.monotonic() - began:.0f} s; writes {writes} (error answers {len(errors)}); "
          f"passings on the board {passings} of {len(script)}")
    print(f"server RSS: start {kib[0] / 1024:.1f} MiB, peak {max(kib) / 1024:.1f} MiB (at {peak_at:.0f} s), "
          f"end {kib[-1] / 1024:.1f} MiB (3 s after the last spectator left); {len(kib)} samples")
    every = max(1, len(rss) // 12)
    print("RSS over time (s: MiB): " + ", ".join(f"{t:.0f}: {k / 1024:.1f}" for t, k in rss[::every] + rss[-1:]))
    problems = []
    if errors:
        problems.append(f"{len(errors)} write(s) answered with an error: {errors[:3]}")
    if passings != len(script):
        problems.append(f"the board holds {passings} passings, the race had {len(script)}")
    if report["mismatched"]:
        problems.append(f"{len(report['mismatched'])} spectators ended with a state that is not the snapshot")
    if report["final_version_seen"] != [final["version"]]:
        problems.append(f"spectators ended on versions {report['final_version_seen']}, not {final['version']}")
    if report["backwards"]:
        problems.append(f"{report['backwards']} times a version went backwards")
    if report["error_count"]:
        problems.append(f"{report['error_count']} spectator connection errors: {report['errors'][:3]}")
    if not alive:
        problems.append("the server died")
    for p in problems:
        print("FAIL:", p)
    print("OK: nothing lost, no error" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
