"""The write path: a device's POST against a bare insert on the same stack, SQLite and PostgreSQL.

    .venv/bin/python bench/writepath.py              # make bench-write
    .venv/bin/python bench/writepath.py --dbs sqlite --no-profile --no-write

For each database and round: a scratch database with the demo start list and a device token,
one `manage.py serve` on bench/benchsettings.py. Then, alternating request by request over one keep-alive connection
each (so both meet the same moments of a shared machine):

- Oval: POST /api/races/<id>/passings as a timing device sends it (Bearer token, Idempotency-Key),
  the demo race's passings in race order;
- the floor: POST /bench/bare (bench/benchurls.py): the same Daphne, Django, middleware, database
  and settings; validates a small JSON body and inserts one row in a transaction.

Medians and p90 of each, the ratio of the medians. On PostgreSQL also with Django's connection
health check off (CONN_HEALTH_CHECKS, on in production since the outage work), to measure it.
Then a py-spy profile of Oval's POSTs (if py-spy is installed): the share of the busy samples
under each step. Writes bench/results.md between the writepath markers.
"""
import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from clients import Http  # noqa: E402
from fanout import PG, demo_script, halt, loadavg, machine, manage, psql, serve, write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
BEGIN, END = "<!-- writepath:begin -->", "<!-- writepath:end -->"

CONFIGS = {
    "sqlite": ("SQLite", {}),
    "postgres": ("PostgreSQL (pool, health checks on)", {}),
    "postgres-nocheck": ("PostgreSQL (pool, health checks off)", {"OVAL_BENCH_NO_HEALTH_CHECKS": "1"}),
}

#: What the profile attributes the POST's busy time to: (label, a frame that marks it).
STEPS = [
    ("Daphne and Twisted on the event loop (HTTP parsing, ASGI)", "asyncioreactor.py:"),
    ("the middleware chain and the view, in a worker thread", "sync.py:SyncToAsync.thread_handler"),
    ("  token check (timing/credentials.py)", "credentials.py:authenticate"),
    ("  Idempotency-Key: lookup, record, answer stored, commit of it all", "idempotency.py:idempotent"),
    ("    commit (fsync): the bare view pays one too", "BaseDatabaseWrapper.commit"),
    ("    services._write: lock, change, version, audit", "services.py:_write"),
    ("      the board after (snapshot.build)", "services.py:_write;snapshot.py:build"),
    ("      the board before (cached text parsed, else built)", "services.py:_board_before"),
    ("      the passing's own checks and insert", "services.py:record_passing.<locals>.change"),
    ("      records that apply (Race.applicable_records)", "models.py:Race.applicable_records"),
    ("      classifications the race counts in", "classification_table.py:push_for_race"),
    ("  closing the database connection at request end", "close_old_connections"),
]


class Server:
    def __init__(self, key, workdir):
        self.key, self.workdir = key, workdir
        self.name = f"oval_wbench_{secrets.token_hex(4)}"
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(DJANGO_SETTINGS_MODULE="bench.benchsettings", DEBUG="0", LOG_LEVEL="INFO", **CONFIGS[key][1])
        if key == "sqlite":
            env["OVAL_SQLITE"] = str(workdir / f"{self.name}.sqlite3")
        else:
            psql(f'CREATE DATABASE "{self.name}"')
            env["DATABASE_URL"] = f"{PG}/{self.name}"
        self.env, self.proc = env, None

    def start(self):
        manage(self.env, "migrate", "--noinput", "-v0")
        self.race = int(re.search(r"race (\d+)", manage(self.env, "loaddemo", "--unskated")).group(1))
        self.token = manage(self.env, "devicetoken", "bench").strip()
        self.proc, self.port = serve(self.env, self.workdir / f"{self.name}.log")
        return self

    def stop(self):
        halt(self.proc)
        if self.key != "sqlite":
            psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


TICK = os.sysconf("SC_CLK_TCK")


def cpu_ns(pid):
    """CPU time the server has used, its ended threads included (Django runs each request's view in
    a thread of its own), in ns: utime + stime of /proc/<pid>/stat. It counts in clock ticks, so
    one request's figure is coarse; the sum over many is steadier on a shared machine than wall
    time, which includes waiting for a core and for the disk."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000_000 // TICK


async def measure(server, passings, warmup):
    """[(oval ms, bare ms, oval server CPU ms, bare server CPU ms)], alternating one Oval POST and
    one bare POST."""
    oval, bare = Http(server.port), Http(server.port)
    auth = [f"Authorization: Bearer {server.token}", "Content-Type: application/json"]
    pid = server.proc.pid
    samples = []
    for i, (pair, lane, point, ms) in enumerate(passings):
        body = json.dumps({"pair": pair, "lane": lane, "distance": point, "time_ms": ms}).encode()
        c0 = cpu_ns(pid)
        t0 = time.perf_counter()
        status, answer = await oval.request("POST", f"/api/races/{server.race}/passings", body,
                                            [*auth, f"Idempotency-Key: {secrets.token_hex(8)}"])
        t1 = time.perf_counter()
        c1 = cpu_ns(pid)
        if status != 201:
            raise RuntimeError(f"Oval's POST answered {status}: {answer[:300]!r}")
        status, answer = await bare.request("POST", "/bench/bare", body, ["Content-Type: application/json"])
        t2 = time.perf_counter()
        c2 = cpu_ns(pid)
        if status != 201:
            raise RuntimeError(f"the bare POST answered {status}: {answer[:300]!r}")
        if i >= warmup:
            samples.append(((t1 - t0) * 1000, (t2 - t1) * 1000, (c1 - c0) / 1e6, (c2 - c1) / 1e6))
    oval.close()
    bare.close()
    return samples


def p90(xs):
    return statistics.quantiles(xs, n=10)[-1]


async def profile(server, passings, out):
    """py-spy on the Daphne process while Oval's POSTs run; the raw collapsed stacks to `out`."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return None
    proc = subprocess.Popen([spy, "record", "-p", str(server.proc.pid), "-r", "500", "--format", "raw",
                             "-o", str(out), "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    await asyncio.sleep(1.5)
    http = Http(server.port)
    auth = [f"Authorization: Bearer {server.token}", "Content-Type: application/json"]
    for pair, lane, point, ms in passings:
        body = json.dumps({"pair": pair, "lane": lane, "distance": point, "time_ms": ms}).encode()
        await http.request("POST", f"/api/races/{server.race}/passings", body,
                           [*auth, f"Idempotency-Key: {secrets.token_hex(8)}"])
    http.close()
    proc.send_signal(2)
    proc.wait(30)
    return out if out.exists() else None


def shares(raw):
    """{step label: share of busy samples whose stack holds the step's frame}."""
    total, hits = 0, Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or "(daphne" in stack.split(";")[0] and "select" in stack.rsplit(";", 1)[-1]:
            continue
        n = int(count)
        total += n
        frames = ";".join(_short(f) for f in stack.split(";"))
        for label, mark in STEPS:
            if mark in frames:
                hits[label] += n
    return total, {label: hits[label] / total for label, _ in STEPS} if total else {}


def _short(frame):
    """py-spy's 'function (path/to/module.py:line)' as 'module.py:function'."""
    m = re.match(r"(.+?) \((?:.*/)?([^/:]+):\d+\)", frame)
    return f"{m.group(2)}:{m.group(1)}" if m else frame


async def run(args):
    """One fresh server per database and round; each row pools its rounds: medians of the
    per-round figures, and the ratios of every round, so one noisy minute shows as one outlier."""
    workdir = Path(tempfile.mkdtemp(prefix="oval-writebench-", dir=args.workdir))
    script = demo_script()
    rows, profiled = [], None
    try:
        for key in args.dbs:
            rounds = []
            for r in range(args.rounds):
                server = Server(key, workdir).start()
                try:
                    samples = await measure(server, script[: args.count + args.warmup], args.warmup)
                    oval, bare, oval_cpu, bare_cpu = (list(column) for column in zip(*samples))
                    rounds.append((statistics.median(oval), p90(oval), statistics.median(bare), p90(bare),
                                   statistics.mean(oval_cpu), statistics.mean(bare_cpu)))
                    print(f"  {CONFIGS[key][0]}, round {r + 1}: Oval {rounds[-1][0]:.1f} ms, bare {rounds[-1][2]:.1f} ms "
                          f"(medians); server CPU {rounds[-1][4]:.1f} / {rounds[-1][5]:.1f} ms (means)")
                    if key == args.profile and not args.no_profile and r == args.rounds - 1:
                        rest = script[args.count + args.warmup:]
                        raw = await profile(server, rest, workdir / "profile.txt")
                        if raw is not None:
                            profiled = (key, len(rest), *shares(raw))
                            if args.keep_profile:
                                shutil.copy(raw, args.keep_profile)
                finally:
                    server.stop()
            rows.append((key, len(rounds), args.count, rounds))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows, profiled


def table(rows, profiled, before, after):
    out = [
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        f"Load average before / after: {before} / {after}: a busy machine (other engineers' tests share its "
        "2 cores); read the medians and ratios, not single requests.",
        "One `manage.py serve` per database and round; Oval's device POST and the bare view's POST alternate request by request, "
        "each over its own keep-alive connection, nothing else connected.",
        "",
        "The server's CPU per request (its utime + stime, read before and after each request, summed over all "
        "requests of a kind: the mean) is the steadier figure on a shared machine: it leaves out the time a "
        "request waits for a core, and for the disk.",
        "",
        "Each figure is the median over the rounds (a fresh server each) of that round's figure; the ratios "
        "of every round follow in brackets.",
        "",
        "| database | rounds × requests each | Oval POST p50 / p90 ms | bare insert p50 / p90 ms | Oval / bare (p50) "
        "| server CPU ms per POST: Oval / bare | Oval / bare (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, n, count, rounds in rows:
        op50, op90, bp50, bp90, ocpu, bcpu = (statistics.median(column) for column in zip(*rounds))
        wall = [r[0] / r[2] for r in rounds]
        cpu = [r[4] / r[5] for r in rounds]
        out.append(f"| {CONFIGS[key][0]} | {n} × {count} | {op50:.1f} / {op90:.1f} | {bp50:.1f} / {bp90:.1f} "
                   f"| {statistics.median(wall):.2f}× ({', '.join(f'{x:.2f}' for x in wall)}) "
                   f"| {ocpu:.2f} / {bcpu:.2f} | {statistics.median(cpu):.2f}× ({', '.join(f'{x:.2f}' for x in cpu)}) |")
    if profiled:
        key, n, total, found = profiled
        out += ["", f"Profile: py-spy at 500 Hz on the Daphne process, {n} more device POSTs on {CONFIGS[key][0]}, "
                f"{total} busy samples (idle threads and the idle reactor left out). Share of the busy samples whose "
                "stack holds each step (steps nest, so shares overlap):", "",
                "| step | share of busy samples |", "|---|---:|"]
        out += [f"| {label} | {share * 100:.0f} % |" for label, share in found.items()]
    elif profiled is None:
        out += ["", "No profile (`--no-profile`, or py-spy is not installed)."]
    return "\n".join(out)




def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dbs", default="sqlite,postgres,postgres-nocheck", help=", ".join(CONFIGS))
    parser.add_argument("--count", type=int, default=60, help="measured requests of each kind per database")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="fresh servers per database, pooled")
    parser.add_argument("--profile", default="sqlite", help="the database whose POSTs are profiled")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--keep-profile", help="copy py-spy's collapsed stacks to this file")
    parser.add_argument("--workdir", default="/tmp")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args()
    args.dbs = [d for d in args.dbs.split(",") if d]
    before = loadavg()
    rows, profiled = asyncio.run(run(args))
    text = table(rows, profiled, before, loadavg())
    print("\n" + text)
    if not args.no_write:
        write_results(text, BEGIN, END)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
