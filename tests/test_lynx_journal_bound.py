"""The journal stays small on a long day: applied entries are compacted away, entries not applied
yet survive a compaction and a restart, and a compaction cut short by a crash loses nothing."""
import json

from timing.devices import journal as journal_module
from timing.devices.journal import COMPACT_AFTER, Journal, read


def lines(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


def test_many_applied_entries_leave_a_small_file(tmp_path):
    path = tmp_path / "lynx.journal"
    j = Journal(path)
    for n in range(1, 5 * COMPACT_AFTER + 1):
        entry = j.append(b"\x01S,13:24:12.876,2")
        j.mark_applied(entry.seq, {"zero_ms": n})
    j.close()
    # without compaction this would be 2 lines per packet, 20,000 lines
    assert len(lines(path)) <= 2 * COMPACT_AFTER + 1
    assert path.stat().st_size < 2 * COMPACT_AFTER * 80
    recovered = read(path)
    assert (recovered.applied, recovered.entries, recovered.pending) == (5 * COMPACT_AFTER, 5 * COMPACT_AFTER, [])
    assert recovered.state == {"zero_ms": 5 * COMPACT_AFTER}
    j = Journal(path)  # numbering carries on after a restart
    assert j.append(b"\x01Z,13:23:15.345").seq == 5 * COMPACT_AFTER + 1
    j.close()


def test_entries_not_applied_survive_compaction_and_a_restart(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "COMPACT_AFTER", 10)
    path = tmp_path / "lynx.journal"
    j = Journal(path)
    entries = [j.append(f"packet {n}".encode()) for n in range(1, 16)]
    for e in entries[:10]:  # the database went away after ten; five wait
        j.mark_applied(e.seq, {"zero_ms": e.seq})
    j.close()
    assert lines(path)[0] == {"compacted": 10, "state": {"zero_ms": 10}}
    assert [x["seq"] for x in lines(path)[1:]] == [11, 12, 13, 14, 15]
    j = Journal(path)
    assert [e.raw for e in j.recovered.pending] == [f"packet {n}".encode() for n in range(11, 16)]
    assert j.recovered.state == {"zero_ms": 10}
    assert j.append(b"packet 16").seq == 16
    j.close()
    assert [e.seq for e in read(path).pending] == [11, 12, 13, 14, 15, 16]


def test_a_compaction_cut_short_before_its_rename_is_recovered(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "COMPACT_AFTER", 10)
    path = tmp_path / "lynx.journal"
    j = Journal(path)
    for n in range(1, 10):
        j.mark_applied(j.append(f"packet {n}".encode()).seq, {})
    j.append(b"packet 10")
    j.close()
    before = path.read_bytes()
    # the crash: a half-written new file beside the journal, never renamed
    (tmp_path / "lynx.journal.compact").write_bytes(b'{"compacted":10,"state":{}}\n{"seq":11,"at":1,"r')
    recovered = read(path)
    assert not (tmp_path / "lynx.journal.compact").exists()
    assert "deleted" in recovered.leftover
    assert path.read_bytes() == before
    assert [e.raw for e in recovered.pending] == [b"packet 10"]
    j = Journal(path)
    j.mark_applied(10, {"zero_ms": 1})  # now the compaction runs whole
    j.close()
    assert lines(path) == [{"compacted": 10, "state": {"zero_ms": 1}}]


def test_a_crash_after_the_rename_leaves_the_new_journal_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(journal_module, "COMPACT_AFTER", 3)
    path = tmp_path / "lynx.journal"
    j = Journal(path)
    for n in range(1, 4):
        j.mark_applied(j.append(f"packet {n}".encode()).seq, {"n": n})
    j._file.close()  # no close(): the process dies right after the compaction
    recovered = read(path)
    assert (recovered.applied, recovered.entries, recovered.pending, recovered.state) == (3, 3, [], {"n": 3})
    assert recovered.leftover is None


def test_applied_packets_are_kept_beside_the_journal_not_thrown_away(tmp_path, monkeypatch):
    """The hardware's packets are the only record of what it sent: every one of them is in the
    journal or in an `.applied-<first>-<last>` file, none read at start."""
    monkeypatch.setattr(journal_module, "COMPACT_AFTER", 10)
    path = tmp_path / "lynx.journal"
    j = Journal(path)
    for n in range(1, 36):
        entry = j.append(f"packet {n}".encode())
        if n <= 33:  # the last two are still waiting
            j.mark_applied(entry.seq, {"zero_ms": n})
    j.close()
    kept = sorted(tmp_path.glob("lynx.journal.applied-*"))
    assert [k.name for k in kept] == ["lynx.journal.applied-1-10", "lynx.journal.applied-11-20",
                                      "lynx.journal.applied-21-30"]
    seen = {x["seq"]: x["raw"] for f in [*kept, path] for x in lines(f) if "seq" in x}
    assert seen == {n: f"packet {n}" for n in range(1, 36)}
    assert [e.seq for e in read(path).pending] == [34, 35]
