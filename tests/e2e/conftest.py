"""A real Daphne in this process and a real headless Chromium, for the screens' end-to-end tests.

The server runs in a thread of the test process, so a passing recorded by a test through
timing.services reaches the server's hub exactly as a replay or the Lynx listener would. The test
database is a SQLite *file* (config/settings.py), so the server's threads see what the test
commits; the tests therefore use transactional databases (django_db(transaction=True)).
"""
import asyncio
import os
from pathlib import Path

import pytest
from django.core.cache import cache

from timing import hub, server, topics

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BOARD = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

_server = {}


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """The base URL of Daphne serving the test database (one per process: Twisted's reactor runs once)."""
    if "url" not in _server:
        with django_db_blocker.unblock():
            _, port = server.start_in_thread()
        _server["url"] = f"http://127.0.0.1:{port}"
    return _server["url"]


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package only.

    While Playwright's sync API is open it keeps an asyncio loop marked as running on this
    thread. Two consequences: pytest-asyncio tests cannot run until it is closed (hence package
    scope, not session), and Django's async-safety check would refuse these tests' own, plain
    synchronous ORM calls, so it is switched off for exactly this package's lifetime. The
    consumer tests run with the check on.
    """
    from playwright.sync_api import sync_playwright

    saved = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if saved is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = saved


@pytest.fixture(autouse=True)
def _fresh_snapshot_cache():
    # Snapshots are cached per (race, version) in this process; a flushed database starts again.
    cache.clear()


class Screen:
    """One page with everything the browser complained about: console errors, CSP, exceptions."""

    def __init__(self, page, base):
        self.page = page
        self.base = base
        self.problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))

    def open(self, path):
        self.page.goto(self.base + path)
        # Live means the socket delivered its snapshot and the page drew it.
        self.page.wait_for_selector('[data-status="live"]', state="attached", timeout=10000)
        return self.page


@pytest.fixture
def open_screen(live_url, browser):
    """open_screen(viewport) -> Screen; closed, and checked for browser complaints, afterwards."""
    screens = []

    def make(viewport=BOARD):
        context = browser.new_context(viewport=viewport)
        screen = Screen(context.new_page(), live_url)
        screens.append((context, screen))
        return screen

    yield make
    for context, _ in screens:
        context.close()
    problems = [p for _, s in screens for p in s.problems]
    assert not problems, f"the browser complained: {problems}"


def race_hub():
    """The hub of the Daphne thread (the only one whose loop is running)."""
    return next(h for h in list(hub.HUBS.values()) if h.loop.is_running())


def race_sockets(race_id):
    """The consumers following `race_id` in the Daphne thread's hub."""
    return set(race_hub().sockets.get(topics.group(topics.RACE, race_id), ()))


def drop_sockets(race_id):
    """Make the server close every socket of `race_id`, as a restart or a proxy timeout would."""
    consumers = list(race_sockets(race_id))
    for consumer in consumers:
        asyncio.run_coroutine_threadsafe(consumer.close(), race_hub().loop).result(5)
    return consumers
