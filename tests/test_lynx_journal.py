"""The listener's journal: every packet on disk before it is applied, applied exactly once across
restarts, a torn last line repaired with a clear message, other damage refused whole. And splits
placed by their time: a missed read holds a split rather than shift it to the wrong point."""
import json
import time

import pytest

from tests.test_lynx_listener import lynx, send, wait_until_handled  # noqa: F401
from timing.devices.journal import Journal, JournalDamaged, read
from timing.devices.lynx import packet, parse_time_of_day
from timing.models import Change, HeldSplit, Passing

ZERO = parse_time_of_day("13:23:15.345")
PAIR_1 = [("Z", 0, None), ("S", 18050, 2), ("S", 18190, 1), ("S", 45290, 2), ("S", 46050, 1),
          ("S", 75460, 2), ("S", 77150, 1)]  # demo pair 1 (inner id 1), as the device sends it


def wait_for(listener, count, deadline_s=30):
    deadline = time.monotonic() + deadline_s
    while listener.handled < count:
        assert time.monotonic() < deadline, f"only {listener.handled} of {count} journal entries applied"
        time.sleep(0.02)


def feed(items):
    return b"".join(packet(op, ZERO + ms, ident) for op, ms, ident in items)


def board():
    return sorted(Passing.objects.current().values_list("start__lane", "distance", "time_ms"))


PAIR_1_BOARD = [("inner", 200, 18190), ("inner", 600, 46050), ("inner", 1000, 77150),
                ("outer", 200, 18050), ("outer", 600, 45290), ("outer", 1000, 75460)]


def lines(path):
    return [json.loads(x) for x in path.read_text().splitlines()]


# --- the journal file on its own (no database) ---------------------------------------------------


def test_each_packet_is_a_line_and_each_apply_a_mark(tmp_path):
    journal = Journal(tmp_path / "j")
    first = journal.append(b"\x01Z,13:23:15.345")
    journal.append(b"noise", malformed="bytes outside a packet")
    journal.mark_applied(first.seq, {"zero_ms": 1})
    journal.close()
    assert [(x.get("seq"), x.get("raw"), x.get("applied")) for x in lines(tmp_path / "j")] == [
        (1, "\x01Z,13:23:15.345", None), (2, "noise", None), (None, None, 1)]
    again = read(tmp_path / "j")
    assert (again.applied, again.entries, again.state) == (1, 2, {"zero_ms": 1})
    assert [(e.seq, e.raw, e.malformed) for e in again.pending] == [(2, b"noise", "bytes outside a packet")]


def test_a_line_cut_short_by_a_crash_is_moved_aside_with_a_clear_message_and_the_rest_is_kept(tmp_path):
    path = tmp_path / "j"
    journal = Journal(path)
    journal.append(b"\x01Z,13:23:15.345")
    journal.close()
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"seq":2,"at":17637')  # the crash, mid-line
    got = read(path)
    assert [e.seq for e in got.pending] == [1]
    assert got.torn == (f"the journal's last line was cut short at byte {len(whole)} (a crash while writing it: "
                        f"its packet was never applied); its 19 bytes were moved to j.torn-{len(whole)}")
    assert path.read_bytes() == whole  # repaired: the next line starts clean
    assert (tmp_path / f"j.torn-{len(whole)}").read_bytes() == b'{"seq":2,"at":17637'  # nothing thrown away
    journal = Journal(path)
    assert journal.append(b"\x01S,13:23:33.395,2").seq == 2
    journal.close()
    assert [e.seq for e in read(path).pending] == [1, 2]


@pytest.mark.parametrize("damage", [b"not json\n", b'{"seq": 5, "at": 1, "raw": "x"}\n', b'["a list"]\n',
                                    b'{"seq": 2}\n'])
def test_damage_a_crash_cannot_make_refuses_the_whole_journal(tmp_path, damage):
    path = tmp_path / "j"
    journal = Journal(path)
    journal.append(b"\x01Z,13:23:15.345")
    journal.close()
    path.write_bytes(path.read_bytes() + damage + b'{"applied": 1, "state": {}}\n')
    with pytest.raises(JournalDamaged) as caught:
        read(path)
    assert "line 2" in str(caught.value) and "nothing was loaded" in str(caught.value).lower()


# --- the listener with a database -------------------------------------------------------------

pytestmark_db = pytest.mark.django_db(transaction=True)


@pytestmark_db
def test_every_packet_is_journaled_and_marked_applied(lynx, startlist_race, tmp_path):  # noqa: F811
    listener, port = lynx(startlist_race.id, journal=tmp_path / "j")
    stream = feed(PAIR_1) + b"garbage\n"
    send(port, stream)
    wait_until_handled(listener, stream)
    assert board() == PAIR_1_BOARD
    written = lines(tmp_path / "j")
    assert [x["raw"] for x in written if "seq" in x][:2] == ["\x01Z,13:23:15.345", "\x01S,13:23:33.395,2"]
    assert [x["applied"] for x in written if "applied" in x] == list(range(1, 9))
    assert written[-1]["state"]["zero_ms"] == ZERO


@pytestmark_db
def test_a_restart_applies_what_was_journaled_and_not_applied_exactly_once(lynx, startlist_race, tmp_path):  # noqa: F811
    path = tmp_path / "j"
    journal = Journal(path)  # as if the listener died right after journaling the whole pair
    for op, ms, ident in PAIR_1:
        journal.append(packet(op, ZERO + ms, ident).rstrip(b"\r\n"))
    journal.close()
    listener, _ = lynx(startlist_race.id, journal=path)
    wait_for(listener, len(PAIR_1))
    assert board() == PAIR_1_BOARD
    versions = Change.objects.count()
    listener.shutdown()
    again, _ = lynx(startlist_race.id, journal=path)  # and once more: nothing is left to apply
    assert again.backlog == 0 and again.handled == 0
    assert Change.objects.count() == versions


@pytestmark_db
def test_a_crash_between_the_write_and_its_mark_does_not_apply_twice(lynx, startlist_race, tmp_path):  # noqa: F811
    path = tmp_path / "j"
    listener, port = lynx(startlist_race.id, journal=path)
    stream = feed(PAIR_1[:4])  # Z, two 200 m splits, one 600 m
    send(port, stream)
    wait_until_handled(listener, stream)
    listener.shutdown()
    changes = Change.objects.count()
    # Lose the last two marks: the Z's mark survives, the last two splits look unapplied.
    kept = path.read_text().splitlines()
    marks = [i for i, x in enumerate(kept) if '"applied"' in x]
    path.write_text("\n".join(x for i, x in enumerate(kept) if i not in marks[-2:]) + "\n")
    again, port = lynx(startlist_race.id, journal=path)
    wait_for(again, 2)
    assert Change.objects.count() == changes  # nothing applied twice
    rest = feed(PAIR_1[4:])
    send(port, rest)
    wait_for(again, 2 + len(PAIR_1[4:]))
    assert board() == PAIR_1_BOARD  # the zero was remembered across the restart


@pytestmark_db
def test_a_crash_right_after_the_zero_keeps_the_zero_and_the_start(lynx, startlist_race, tmp_path):  # noqa: F811
    path = tmp_path / "j"
    listener, port = lynx(startlist_race.id, journal=path)
    send(port, feed(PAIR_1[:1]))
    wait_until_handled(listener, feed(PAIR_1[:1]))
    listener.shutdown()
    started = startlist_race.pairs.get(number=1).started_at
    kept = [x for x in path.read_text().splitlines() if '"applied"' not in x]  # the Z's mark is lost
    path.write_text("\n".join(kept) + "\n")
    again, port = lynx(startlist_race.id, journal=path)
    send(port, feed(PAIR_1[1:]))
    wait_for(again, len(PAIR_1))
    assert board() == PAIR_1_BOARD
    assert startlist_race.pairs.get(number=1).started_at == started  # not restarted by the replay


@pytestmark_db
def test_a_missed_read_holds_the_next_split_instead_of_moving_it_to_the_wrong_point(lynx, startlist_race):  # noqa: F811
    listener, port = lynx(startlist_race.id)
    # The outer skater's 600 m read is missed: her finish comes right after her 200 m.
    stream = feed([x for x in PAIR_1 if x[1:] != (45290, 2)])
    send(port, stream)
    wait_until_handled(listener, stream)
    assert ("outer", 600, 75460) not in board()  # the old fault: her finish stored as her 600 m
    assert [x for x in board() if x[0] == "outer"] == [("outer", 200, 18050)]
    held = HeldSplit.objects.get()
    assert (held.start.lane, held.time_ms, held.fits) == ("outer", 75460, "600,1000")
    assert held.reason == "75.460 s fits 600 m and 1000 m"
    assert Change.objects.filter(action="held").count() == 1


@pytestmark_db
def test_a_missed_opening_read_leaves_the_later_splits_at_their_own_points(lynx, startlist_race):  # noqa: F811
    listener, port = lynx(startlist_race.id)
    stream = feed([x for x in PAIR_1 if x[1:] != (18050, 2)])
    send(port, stream)
    wait_until_handled(listener, stream)
    assert [x for x in board() if x[0] == "outer"] == [("outer", 600, 45290), ("outer", 1000, 75460)]
    assert not HeldSplit.objects.exists()


@pytestmark_db
def test_a_split_sent_twice_is_stored_once(lynx, startlist_race):  # noqa: F811
    listener, port = lynx(startlist_race.id)
    stream = feed(PAIR_1[:2] + PAIR_1[1:2])
    send(port, stream)
    wait_until_handled(listener, stream)
    assert board() == [("outer", 200, 18050)]


@pytestmark_db
def test_the_measured_fault_a_lost_100_m_split_no_longer_puts_the_500_m_finish_at_100_m(lynx, db):  # noqa: F811
    from timing.startlists import Entry, create_race

    race = create_race("Test Games", "Women's 500 m", "Women", 500,
                       [Entry(1, "inner", "Vigl", "ITA"), Entry(1, "outer", "Suzanne Schulting", "NED")])
    listener, port = lynx(race.id)
    # The outer skater's 100 m split never reached the listener; her finish, 38.111, did.
    stream = feed([("Z", 0, None), ("S", 10480, 1), ("S", 38111, 2), ("S", 38900, 1)])
    send(port, stream)
    wait_until_handled(listener, stream)
    assert board() == [("inner", 100, 10480), ("inner", 500, 38900), ("outer", 500, 38111)]


@pytestmark_db
def test_lynxlisten_refuses_a_damaged_journal_with_the_line_and_loads_nothing(startlist_race, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "j"
    journal = Journal(path)
    journal.append(b"\x01Z,13:23:15.345")
    journal.close()
    path.write_bytes(path.read_bytes() + b"{broken\n" + b'{"seq":3,"at":1,"raw":"x"}\n')
    with pytest.raises(CommandError) as caught:
        call_command("lynxlisten", "--race", str(startlist_race.id), "--port", "0", "--journal", str(path))
    assert str(caught.value).startswith(f"The journal cannot be used: {path}: line 2 does not read")
    assert "Nothing was loaded" in str(caught.value)
    assert not Passing.objects.exists() and not startlist_race.pairs.filter(started_at__isnull=False).exists()


@pytestmark_db
def test_a_split_an_official_voided_is_not_brought_back_by_the_same_packet_again(lynx, startlist_race):  # noqa: F811
    from timing import services

    listener, port = lynx(startlist_race.id)
    stream = feed(PAIR_1[:2])
    send(port, stream)
    wait_until_handled(listener, stream)
    services.void_passing(Passing.objects.get().id, "a stray read", services.REPLAY)
    again = feed(PAIR_1[1:2])
    send(port, again)
    wait_until_handled(listener, stream + again)
    assert board() == [] and Passing.objects.count() == 1
