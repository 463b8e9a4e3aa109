"""An open board while PostgreSQL is away: it keeps its last picture, says it is behind, and comes
back to live by itself with the times written once the database returned.

A PostgreSQL cluster of the test's own (tests/procs.py: ScratchCluster) under a `manage.py serve`
process; Chromium shows the board.
"""
import time

import pytest

from tests.procs import ScratchCluster, Server, base_env, device_post, prepare

from .conftest import ARTIFACTS, BOARD
from .test_fault_kill_browser import BOARD_DOM, board_expected, open_page, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_open_board_says_it_is_behind_while_the_database_is_away_and_keeps_its_picture(browser, tmp_path):
    cluster = ScratchCluster().init()
    server, context, problems = None, None, []
    try:
        world = prepare(base_env(DATABASE_URL=cluster.create_database("oval_board_outage"), OVAL_PG_POOL_MAX="5"))
        server = Server(world.env, log=tmp_path / "serve.log").start()
        race = world.race
        assert device_post(server, f"/api/races/{race}/pairs/1/start", {}, world.token).status == 200
        for lane, point, ms in [("outer", 200, 18050), ("inner", 200, 18190)]:
            body = {"pair": 1, "lane": lane, "distance": point, "time_ms": ms}
            assert device_post(server, f"/api/races/{race}/passings", body, world.token).status == 201
        context, board = open_page(browser, server, f"/races/{race}/board/", BOARD, problems)
        before = server.snapshot(race)
        assert settle(board, BOARD_DOM, board_expected(before)) == board_expected(before)

        cluster.stop()
        board.wait_for_selector('#conn[data-status="behind"]', state="visible", timeout=10000)
        assert board.text_content("#conn") == "behind: last results shown"
        assert board.evaluate(BOARD_DOM)["lanes"] == board_expected(before)["lanes"]  # the last picture stays
        ARTIFACTS.mkdir(exist_ok=True)
        board.screenshot(path=str(ARTIFACTS / "board-database-behind.png"))

        cluster.start()
        body = {"pair": 1, "lane": "outer", "distance": 600, "time_ms": 45290}
        deadline = time.monotonic() + 30
        while (answer := device_post(server, f"/api/races/{race}/passings", body, world.token, key="o-600")).status != 201:
            assert answer.status == 503 and time.monotonic() < deadline, answer
            time.sleep(0.5)
        fresh = server.snapshot(race)
        assert settle(board, BOARD_DOM, board_expected(fresh)) == board_expected(fresh)  # live again, with the new time
    finally:
        if context:
            context.close()
        if server:
            server.stop()
        cluster.destroy()
    # The page may log its failed snapshot fetches while the database is away; nothing else.
    assert not [p for p in problems if "503" not in p], f"the browser complained: {problems}"
