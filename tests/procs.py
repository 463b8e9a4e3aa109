"""Real Oval processes for the fault, abuse and soak tests: a scratch database, `manage.py serve`
on a port of our own, plain HTTP to it. Nothing here imports the app: every call crosses a
process boundary, as a device, an official's browser or a crash would.
"""
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
START_WAIT = 30  # seconds for a server to listen: a hang guard, not a speed claim


POSTGRES = ("127.0.0.1", 5432)


def reachable(address):
    try:
        socket.create_connection(address, timeout=1).close()
        return True
    except OSError:
        return False


@contextmanager
def scratch_postgres(prefix):
    """A fresh PostgreSQL database of this test's own, dropped afterwards: yields (its URL, its name).
    Skips with the reason when no server takes a trust connection as postgres or root."""
    import psycopg
    import pytest

    admin, last = None, None
    for user in ("postgres", "root"):
        try:
            admin = psycopg.connect(host=POSTGRES[0], port=POSTGRES[1], user=user, dbname="test",
                                    autocommit=True, connect_timeout=5)
            break
        except psycopg.OperationalError as e:
            last = e
    if admin is None:
        pytest.skip(f"cannot connect to PostgreSQL database 'test' as postgres or root: {last}")
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{user}@{POSTGRES[0]}:{POSTGRES[1]}/{name}", name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def stop(proc):
    """Ask a child process to end; kill it if it has not within ten seconds."""
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(**extra):
    """The environment of a production-like process (DEBUG off), minus what tests set for themselves."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL", "OVAL_SQLITE")}
    # Plain-HTTP sessions on loopback: the browser-less clients here would not send Secure cookies.
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "LOG_LEVEL": "WARNING",
                "SECURE_COOKIES": "0", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def manage(env, *args, timeout=120):
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class World:
    """A migrated database holding the demo's start list (no times) and one device token."""

    def __init__(self, env, race_id, token):
        self.env = env
        self.race = race_id
        self.token = token

    def add_official(self, username, password="correct horse battery staple"):
        manage(self.env, "shell", "-c", (
            "from django.contrib.auth.models import Permission, User; "
            f"u = User.objects.create_user({username!r}, password={password!r}); "
            "u.user_permissions.add(Permission.objects.get(codename='enter_times')); "
            # an official of every competition the world has (timing/access.py scopes officials)
            "from timing.models import Competition; "
            "[c.officials.add(u) for c in Competition.objects.all()]"
        ))
        return username, password


def prepare(env):
    manage(env, "migrate", "--noinput", "-v0")
    loaded = manage(env, "loaddemo", "--unskated")
    race_id = int(re.search(r"race (\d+)", loaded).group(1))
    return World(env, race_id, manage(env, "devicetoken", "timer").strip())


def sqlite_world(path):
    """A fresh SQLite file: the embedded setup a single-process Oval runs on."""
    path = Path(path)
    path.unlink(missing_ok=True)
    return prepare(base_env(OVAL_SQLITE=str(path)))


class Server:
    """`manage.py serve` (Daphne in-process, timing/server.py) as a child process of the test."""

    def __init__(self, env, port=None, log=None, args=()):
        self.env = env
        self.args = list(args)
        self.port = port or free_port()
        self.log = Path(log) if log else None
        self.proc = None

    def start(self):
        out = open(self.log, "a") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT if self.log else subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_text()}")
            try:
                if request("GET", self.url("/api/races/"), timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_WAIT} s:\n{self.log_text()}")

    def log_text(self):
        return self.log.read_text() if self.log and self.log.exists() else ""

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def ws_url(self, path):
        return f"ws://127.0.0.1:{self.port}{path}"

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        """SIGKILL: no shutdown handler, no flush, no goodbye to the sockets; as a power cut to the process."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        stop(self.proc)

    def rss_kib(self):
        """Resident memory of the server process (VmRSS), KiB."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def snapshot(self, race_id):
        answer = request("GET", self.url(f"/api/races/{race_id}/"))
        assert answer.status == 200, answer
        return answer.data


class Answer:
    def __init__(self, status, data, headers, elapsed):
        self.status = status
        self.data = data
        self.headers = headers
        self.elapsed = elapsed

    def __repr__(self):
        return f"<{self.status} {self.data!r}>"


def request(method, url, body=None, headers=None, timeout=10, opener=None):
    """One HTTP request; an Answer for any status (4xx/5xx included). Network errors raise OSError."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    began = time.monotonic()
    try:
        with (opener.open if opener else urllib.request.urlopen)(req, timeout=timeout) as r:
            raw, status, got = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, got = e.read(), e.code, dict(e.headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(status, parsed, got, time.monotonic() - began)


def device_post(server, path, body, token, key=None, timeout=10):
    headers = {"Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return request("POST", server.url(path), body, headers, timeout=timeout)


def current_passings(snap):
    """{(pair, lane, distance): time_ms} of every time on the board."""
    out = {}
    for pair in snap["pairs"]:
        for lane in ("inner", "outer"):
            start = pair[lane]
            for p in (start or {}).get("passings", []):
                out[(pair["number"], lane, p["distance"])] = p["time_ms"]
    return out


class ScratchCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary directory, a free port), so
    that the test can stop the database under a running Oval and start it again: the machine's
    shared server on 5432 is never touched. PostgreSQL refuses to run as root, so when the test
    runs as root the cluster belongs to the `postgres` user (runuser)."""

    def __init__(self):
        import pwd
        import shutil
        import tempfile

        import pytest

        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        self.bin = found[-1].parent if found else (Path(shutil.which("pg_ctl")).parent if shutil.which("pg_ctl") else None)
        if self.bin is None:
            pytest.skip("needs the PostgreSQL server binaries (initdb, pg_ctl) to run a cluster of its own")
        self.as_user = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root and there is no 'postgres' user to own a scratch cluster")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        # Not under pytest's tmp_path: that is private to root, and the postgres user must reach it.
        self.dir = Path(tempfile.mkdtemp(prefix="oval-pg-"))
        self.dir.chmod(0o755)
        self.data = self.dir / "data"
        self.port = free_port()
        self.log = self.dir / "postgres.log"

    def _run(self, *args, timeout=60):
        done = subprocess.run([*self.as_user, str(self.bin / args[0]), *args[1:]], capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def init(self):
        if self.as_user:
            subprocess.run(["chown", "postgres", str(self.dir)], check=True)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        return self.start()

    def start(self):
        # fsync stays on: the outage must not lose what PostgreSQL acknowledged before it went down.
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=60", "start")
        return self

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self):
        return reachable(("127.0.0.1", self.port))

    def create_database(self, name):
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        import shutil

        if self.running():
            try:
                self.stop("immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class LynxListener:
    """`manage.py lynxlisten` for a race, as a process of its own, journaling into `journal`."""

    def __init__(self, env, race_id, journal, log, port=None, device="lynx", extra=()):
        self.env, self.race, self.journal, self.log = env, race_id, Path(journal), Path(log)
        self.port = port or free_port()
        self.device, self.extra = device, list(extra)
        self.proc = None

    def start(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "lynxlisten", "--race", str(self.race), "--port", str(self.port),
             "--device", self.device, "--journal", str(self.journal), *self.extra],
            cwd=ROOT, env={**self.env, "LOG_LEVEL": "INFO"}, stdout=open(self.log, "a"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_WAIT
        while "Listening for Lynx" not in self.log.read_text()[offset:]:
            if self.proc.poll() is not None:
                raise RuntimeError(f"lynxlisten exited with {self.proc.returncode}:\n{self.log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"lynxlisten did not listen within {START_WAIT} s:\n{self.log.read_text()}")
            time.sleep(0.05)
        return self

    def send(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(data)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        stop(self.proc)

    def journal_lines(self):
        if not self.journal.exists():
            return []
        return [json.loads(x) for x in self.journal.read_text().splitlines()]

    def journaled(self):
        return sum(1 for x in self.journal_lines() if "seq" in x)

    def applied(self):
        return max((x["applied"] for x in self.journal_lines() if "applied" in x), default=0)
