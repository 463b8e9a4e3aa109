"""A board and a spectator page open while the server is SIGKILLed and restarted come back by
themselves and show exactly what a fresh snapshot says: including a time written into the
database while the server was down (no broadcast could carry it) and one posted after the restart.

The server is a `manage.py serve` process of this test's own on a SQLite file (not live_url: that
Daphne lives inside the test process and cannot be killed).
"""
import re
import time

import pytest

from tests.procs import Server, device_post, manage, sqlite_world

from .conftest import BOARD, PHONE

pytestmark = pytest.mark.browser

WAIT_S = 30  # a hang guard: the pages' back-off reaches 4-8 s between tries by then

BOARD_DOM = """() => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, "") : null);
  const lanes = {};
  for (const lane of ["inner", "outer"]) {
    lanes[lane] = [...document.querySelectorAll(`#lane-${lane} tr.split:not(.pending)`)].map((tr) => ({
      point: Number(tr.dataset.point), time: text(tr.querySelector("td.time")), lap: text(tr.querySelector("td.lap")),
      rank: text(tr.querySelector("td.rank")), diff: text(tr.querySelector("td.diff")),
    }));
  }
  const standings = [...document.querySelectorAll("#standings li")].map((li) =>
    ["rank", "time", "behind", "record"].map((c) => text(li.querySelector(`.${c}`))));
  return { pairno: text(document.getElementById("pairno")), lanes, standings,
           status: document.getElementById("conn").dataset.status };
}"""

SPECTATOR_DOM = """() => {
  const text = (el) => (el ? el.textContent.replace(/\\s+/g, "") : null);
  const standings = [...document.querySelectorAll("#standings tr")].map((tr) =>
    ["rank", "name", "time", "behind", "record"].map((c) => text(tr.querySelector(`td.${c}`))));
  const pairs = {};
  for (const table of document.querySelectorAll("table.pair")) {
    for (const tr of table.querySelectorAll("tr.times")) {
      pairs[`${table.dataset.pair}-${tr.dataset.lane}`] = [...tr.querySelectorAll("td.time")].map(text);
    }
  }
  return { standings, pairs, status: document.getElementById("conn").dataset.status };
}"""


def minus(text):
    return (text or "").replace("-", "\u2212")


def cell(p):
    sign = "" if p["rank"] is None else ("▲" if p["leads"] else "▼")
    return sign + p["time"] + ("*" if p["invented"] else "")


def squash(text):
    return re.sub(r"\s+", "", str(text))


def board_expected(snap):
    race = snap["race"]
    pair = next(p for p in snap["pairs"] if p["number"] == race["current_pair"])
    lanes = {
        lane: [{"point": p["distance"], "time": cell(p), "lap": p["lap"] or "", "rank": str(p["rank"] or ""),
                "diff": minus(p["diff"])} for p in pair[lane]["passings"]]
        for lane in ("inner", "outer")
    }
    standings = [[str(s["rank"] or ""), s["time"] or s["status"], minus(s["behind"]), s["record"] or ""]
                 for s in snap["standings"]]
    return {"pairno": f"Pair{race['current_pair']}/{len(snap['pairs'])}", "lanes": lanes, "standings": standings,
            "status": "live"}


def spectator_expected(snap):
    standings = [[f"{s['rank']}." if s["rank"] else "", squash(s["name"]) + ("*" if s["invented"] else ""),
                  s["time"] or s["status"], minus(s["behind"]), s["record"] or ""] for s in snap["standings"]]
    pairs = {}
    for pair in snap["pairs"]:
        if pair["started_at"] is None:
            continue
        for lane in ("inner", "outer"):
            at = {p["distance"]: cell(p) for p in pair[lane]["passings"]}
            pairs[f"{pair['number']}-{lane}"] = [at.get(d, "–") for d in snap["race"]["points"]]
    return {"standings": standings, "pairs": pairs, "status": "live"}


def open_page(browser, server, path, viewport, problems):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    # Refused connections while the server is down are expected; anything else is a fault.
    expected = re.compile(r"WebSocket connection|ERR_CONNECTION_REFUSED|Failed to load resource")
    page.on("console", lambda m: m.type == "error" and not expected.search(m.text) and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.goto(server.url(path))
    page.wait_for_selector('[data-status="live"]', state="attached", timeout=10000)
    return context, page


def settle(page, script, expected):
    """Poll the page until it shows `expected`; return what it showed last."""
    deadline = time.monotonic() + WAIT_S
    shown = None
    while time.monotonic() < deadline:
        shown = page.evaluate(script)
        if shown == expected:
            break
        time.sleep(0.2)
    return shown


def record_while_down(world, pair, lane, point, ms):
    """A writer in another process (a Lynx listener, a shell) commits while no server runs."""
    manage(world.env, "shell", "-c", (
        "from timing import services; "
        f"services.record_passing({world.race}, {pair}, {lane!r}, {point}, {ms}, services.Actor.from_device('lynx'))"
    ))


def test_open_screens_reconnect_after_a_sigkill_and_show_exactly_the_fresh_snapshot(browser, tmp_path):
    world = sqlite_world(tmp_path / "kill-browser.sqlite3")
    server = Server(world.env, log=tmp_path / "serve.log").start()
    contexts, problems = [], []
    try:
        race = world.race
        assert device_post(server, f"/api/races/{race}/pairs/1/start", {}, world.token).status == 200
        for lane, point, ms in [("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290)]:
            body = {"pair": 1, "lane": lane, "distance": point, "time_ms": ms}
            assert device_post(server, f"/api/races/{race}/passings", body, world.token).status == 201
        for path, viewport in [(f"/races/{race}/board/", BOARD), (f"/races/{race}/", PHONE)]:
            contexts.append(open_page(browser, server, path, viewport, problems))
        (_, board), (_, spectator) = contexts
        before = server.snapshot(race)
        assert settle(board, BOARD_DOM, board_expected(before)) == board_expected(before)

        server.kill()
        for page in (board, spectator):
            page.wait_for_selector('#conn[data-status="reconnecting"]', state="attached", timeout=10000)
        record_while_down(world, 1, "inner", 600, 46050)
        # While down, the screens keep what they showed: never blank.
        assert board.evaluate(BOARD_DOM)["lanes"] == board_expected(before)["lanes"]

        server = Server(world.env, port=server.port, log=server.log).start()
        body = {"pair": 1, "lane": "outer", "distance": 1000, "time_ms": 75460}
        assert device_post(server, f"/api/races/{race}/passings", body, world.token).status == 201

        fresh = server.snapshot(race)
        assert fresh["version"] == before["version"] + 2
        for page, script, expected in [(board, BOARD_DOM, board_expected(fresh)),
                                       (spectator, SPECTATOR_DOM, spectator_expected(fresh))]:
            assert settle(page, script, expected) == expected
        assert board_expected(fresh)["lanes"]["inner"][-1]["time"].endswith("46.05")  # the one written while down
        assert spectator_expected(fresh)["standings"][0][2] == "1:15.46"  # the one posted after the restart
    finally:
        for context, _ in contexts:
            context.close()
        server.stop()
    assert not problems, f"the browser complained: {problems}"
