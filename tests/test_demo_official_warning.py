"""A production server (DEBUG off) with the demo official still in its database says so, loudly,
at every start and in `manage.py check --database default`."""
import subprocess

import pytest

from tests.procs import PYTHON, ROOT, free_port, manage, sqlite_world
from timing.checks import DEMO_PASSWORD

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return sqlite_world(tmp_path_factory.mktemp("demo-official") / "db.sqlite3")


def check(env):
    done = subprocess.run([PYTHON, "manage.py", "check", "--database", "default"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def serve_output(env):
    """What `serve` prints before it listens: it is stopped as soon as it has said it is serving."""
    proc = subprocess.Popen([PYTHON, "manage.py", "serve", "--port", str(free_port())], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "Oval is serving" in line:
                break
    finally:
        proc.terminate()
        proc.wait(10)
    return "".join(lines)


def test_no_warning_without_the_demo_official(world):
    assert "oval.W002" not in check(world.env)


def test_the_demo_official_with_debug_off_is_reported_at_check_and_at_every_start(world):
    world.add_official("official", DEMO_PASSWORD)
    try:
        assert "THE DEMO OFFICIAL EXISTS WITH DEBUG OFF" in check(world.env)
        said = serve_output(world.env)
        assert "THE DEMO OFFICIAL EXISTS WITH DEBUG OFF" in said and "oval.W002" in said
        assert "oval.W002" not in check({**world.env, "DEBUG": "1"})  # a developer's `make run`
        manage(world.env, "shell", "-c", "from django.contrib.auth.models import User; "
               "u = User.objects.get(username='official'); u.set_password('a real one, changed'); u.save()")
        assert "oval.W002" not in check(world.env)
    finally:
        manage(world.env, "shell", "-c", "from django.contrib.auth.models import User; User.objects.filter(username='official').delete()")
