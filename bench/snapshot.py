"""Snapshot GET against the same bytes as a static file, from the same Daphne process.

    .venv/bin/python bench/snapshot.py               # make bench-snapshot
    .venv/bin/python bench/snapshot.py --seconds 5 --repeat 1 --no-write

One Daphne (SQLite, the embedded setup) serves the demo race. Before it starts, the race's
snapshot text is written to a static directory of the bench's own (bench/benchsettings.py), so
WhiteNoise serves the very same bytes from the same process. One spectator socket follows the
race (as during any live race), so the process's hub knows its version. Then `wrk -t2 -c32`
against, in turn:

- the static file (the floor);
- GET /api/races/<id>/ (200), followed: answered from memory (timing/fastread.py);
- the same with a matching If-None-Match (304);
- GET /api/races/<id>/?via=django: a query string is never answered from memory and Django ignores
  it, so this is the same document through Django, the path every read took before.

Each row is run `--repeat` times, interleaved; medians; ratios against the static file's median
of the same run. Writes bench/results.md between the snapshot markers.
"""
import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from fanout import halt, loadavg, machine, manage, serve, write_results  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- snapshot:begin -->", "<!-- snapshot:end -->"


def wrk_or_exit():
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is not installed: this benchmark needs it (Debian: apt-get install -y wrk).")
    return found


class Server:
    """A scratch SQLite database with the demo race, its snapshot as a static file, one Daphne
    on the bench settings."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        static = self.workdir / "static"
        static.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in __import__("os").environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DJANGO_SETTINGS_MODULE="bench.benchsettings", DEBUG="0", LOG_LEVEL="INFO",
                   OVAL_SQLITE=str(self.workdir / "snapshot.sqlite3"), OVAL_BENCH_STATIC=str(static))
        self.env, self.static, self.proc = env, static, None

    def start(self):
        manage(self.env, "migrate", "--noinput", "-v0")
        self.race = int(re.search(r"race (\d+)", manage(self.env, "loaddemo")).group(1))
        code = f"from timing.snapshot import race_text; import sys; sys.stdout.write(race_text({self.race})[1])"
        text = manage(self.env, "shell", "-v0", "-c", code)
        (self.static / "snapshot.json").write_bytes(text.encode())
        self.proc, self.port = serve(self.env, self.workdir / "serve.log")
        self.text = text
        return self

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        halt(self.proc)


def get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
        return r.status, dict(r.headers), r.read()


def wrk(binary, url, seconds, threads, connections, headers=()):
    args = [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Socket errors: (.*)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+([\d.]+\w+)", out).group(1)
    return rate, latency, (errors.group(1) if errors else ""), int(bad.group(1)) if bad else 0


async def follow(server):
    """One spectator on the measured race, kept open for the whole run."""
    ws = await connect(f"ws://127.0.0.1:{server.port}/ws/races/{server.race}/",
                       origin=f"http://127.0.0.1:{server.port}")
    first = json.loads(await ws.recv())
    assert first["type"] == "snapshot", first
    return ws


def check(server):
    """Before measuring: the rows serve what they claim (same bytes, 304, the Django path)."""
    s, h, body = get(server.url("/static/bench/snapshot.json"))
    assert s == 200 and body == server.text.encode(), "the static file is not the snapshot's bytes"
    s, h, body = get(server.url(f"/api/races/{server.race}/?via=django"))
    assert s == 200 and body == server.text.encode(), "Django answers other bytes than the file"
    s, h, body = get(server.url(f"/api/races/{server.race}/"))
    assert s == 200 and body == server.text.encode(), "the snapshot GET answers other bytes than the file"
    etag = h["ETag"]
    try:
        get(server.url(f"/api/races/{server.race}/"), {"If-None-Match": etag})
        raise AssertionError("no 304 for a matching If-None-Match")
    except urllib.error.HTTPError as e:
        assert e.code == 304
    return etag


ROWS = [
    ("static", "static file through WhiteNoise (floor)"),
    ("snapshot", "GET /api/races/<id>/ → 200, followed (from memory)"),
    ("not-modified", "same, If-None-Match → 304, followed (from memory)"),
    ("django", "GET /api/races/<id>/?via=django → 200 (through Django, as every read before)"),
]


async def run(args):
    binary = wrk_or_exit()
    workdir = Path(tempfile.mkdtemp(prefix="oval-snapbench-", dir=args.workdir))
    server = Server(workdir).start()
    try:
        ws = await follow(server)
        etag = check(server)
        targets = {
            "static": (server.url("/static/bench/snapshot.json"), ()),
            "snapshot": (server.url(f"/api/races/{server.race}/"), ()),
            "not-modified": (server.url(f"/api/races/{server.race}/"), (f"If-None-Match: {etag}",)),
            "django": (server.url(f"/api/races/{server.race}/?via=django"), ()),
        }
        results = {key: [] for key, _ in ROWS}
        for rep in range(args.repeat):
            for key, _ in ROWS:
                url, headers = targets[key]
                r = await asyncio.to_thread(wrk, binary, url, args.seconds, args.threads, args.connections, headers)
                results[key].append(r)
                print(f"  run {rep + 1} {key:>13}: {r[0]:8.0f} requests/s, mean latency {r[1]}"
                      f"{', socket errors ' + r[2] if r[2] else ''}{f', {r[3]} non-2xx/3xx' if r[3] else ''}")
        await ws.close()
        return results, len(server.text.encode())
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def table(results, size, args, before, after):
    floor = statistics.median(r[0] for r in results["static"])
    out = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        f"Load average before / after: {before} / {after} (a busy machine: other engineers' tests share "
        "its 2 cores, and wrk runs on the same cores as the server).",
        f"One Daphne process (SQLite); `wrk -t{args.threads} -c{args.connections} -d{args.seconds}s`, "
        f"{args.repeat} runs per row interleaved, median; the snapshot is {size} bytes.",
        "",
        "| what | requests/s (median) | runs | / static file | errors |",
        "|---|---:|---|---:|---|",
    ]
    for key, label in ROWS:
        rates = [r[0] for r in results[key]]
        errors = ", ".join(sorted({r[2] for r in results[key] if r[2]} | {f"{r[3]} non-2xx/3xx" for r in results[key] if r[3]}))
        out.append(f"| {label} | {statistics.median(rates):.0f} | {' / '.join(f'{x:.0f}' for x in rates)} | "
                   f"{statistics.median(rates) / floor:.2f}× | {errors or 'none'} |")
    return "\n".join(out)




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workdir", default="/tmp")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args()
    before = loadavg()
    results, size = asyncio.run(run(args))
    text = table(results, size, args, before, loadavg())
    print("\n" + text)
    if not args.no_write:
        write_results(text, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
