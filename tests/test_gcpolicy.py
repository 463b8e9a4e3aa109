"""The serving process's collector policy (timing/gcpolicy.py): full passes come from closes, not
from a storm of connects. Its effect is measured where it matters: the memory of 2,000 connects
and disconnects against a real server (tests/test_websocket_abuse.py) and the reconnect storm
(bench/storm.py)."""
import gc

import pytest

from timing import gcpolicy


@pytest.fixture
def full_passes(monkeypatch):
    """Counts the collector's full (oldest generation) passes; the policy's counters start at 0."""
    monkeypatch.setattr(gcpolicy, "_open", 0)
    monkeypatch.setattr(gcpolicy, "_closed", 0)
    seen = []

    def callback(phase, info):
        if phase == "start" and info["generation"] == 2:
            seen.append(info)

    gc.callbacks.append(callback)
    yield seen
    gc.callbacks.remove(callback)


def _open(n):
    for _ in range(n):
        gcpolicy.socket_opened()


def _close(n):
    for _ in range(n):
        gcpolicy.socket_closed()


def test_a_full_pass_follows_every_few_hundred_closes(full_passes):
    _open(2 * gcpolicy.CLOSES_PER_PASS)
    _close(gcpolicy.CLOSES_PER_PASS - 1)
    before = len(full_passes)
    _close(1)
    assert len(full_passes) == before + 1
    _close(gcpolicy.CLOSES_PER_PASS - 1)
    assert len(full_passes) == before + 1
    _close(1)
    assert len(full_passes) == before + 2


def test_with_many_sockets_open_a_pass_waits_for_a_quarter_of_them_to_close(full_passes):
    _open(10_000)
    _close(gcpolicy.CLOSES_PER_PASS)  # 9,500 still open: a pass walks them all, so not yet
    assert full_passes == []
    _close(2_000 - gcpolicy.CLOSES_PER_PASS - 1)
    assert full_passes == []
    _close(1)  # 2,000 closed, 8,000 open: a quarter of those
    assert len(full_passes) == 1


def test_configure_freezes_what_start_up_built_and_spaces_the_full_passes():
    threshold = gc.get_threshold()
    try:
        gcpolicy.configure()
        assert gc.get_freeze_count() > 10_000  # Django, the URLconf, the models, the test's world
        assert gc.get_threshold() == (threshold[0], threshold[1], gcpolicy.FULL_AFTER)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
