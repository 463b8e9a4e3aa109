"""The listener's durable journal: every packet is on disk before anything is done with it.

The timing hardware is the source of truth, and a packet it sent exists nowhere else. So the
listener appends each packet it receives to this file and fsyncs it before the packet is applied;
while the database is away it keeps receiving and journaling, and it applies the journal in order.
After each packet is applied (or refused by the rules) an `applied` line follows, also fsync'd,
carrying what the session must remember (the current zero). A listener that starts on an existing
journal applies exactly the entries after the last `applied` line.

One JSON object per line, plain text so a person can read it in an emergency:
    {"seq": 7, "at": 1763790123456, "raw": "\\u0001S,13:24:12.876,2"}      a packet as received
    {"seq": 8, "at": 1763790123500, "raw": "noise", "malformed": "..."}    a line that was no packet
    {"applied": 7, "state": {"zero_ms": 48195345, "zero_pair": 3}}       7 is done

A crash while writing leaves at most the last line cut short: that line was never fsync'd, so its
packet was never applied. It is reported, moved aside into `<journal>.torn-<offset>` (nothing is
thrown away) and cut off, so the next line starts clean. Any other line that does not read is
damage no crash makes: the listener refuses to start and says which line, and loads nothing.

Bounded: left alone, an append-only file grows by two lines per packet for as long as one path is
used, across the whole day and every day after. So once `COMPACT_AFTER` entries have been applied
since the file was last written whole, it is rewritten holding only a first line saying how far it
was applied (and the state to carry on with) and the entries not applied yet:
    {"compacted": 7, "state": {"zero_ms": 48195345, "zero_pair": 3}}     1..7 were applied
An entry not yet applied is never dropped, and neither is an applied one: the packets are the
hardware's own record, the only one of what it sent, so the file being replaced is kept first as
`<journal>.applied-<first>-<last>` (a hard link, so no copy), for a dispute or a replay by hand.
The listener never reads those; they are the operator's to archive or delete. The new file is
written beside the journal as `<journal>.compact`, fsync'd, and renamed over it (atomic), then the
directory is fsync'd: a crash before the rename leaves the old journal whole and a leftover
`.compact` that the next start deletes; a crash after it leaves the new one. Either way the
journal holds each entry not yet applied exactly once.
"""
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Applied entries after which the journal is rewritten without them (a few hundred KB of lines).
COMPACT_AFTER = 2000


class JournalDamaged(Exception):
    """The journal cannot be trusted; the message says where and what to do."""


@dataclass
class Entry:
    seq: int
    at_ms: int  # our wall clock when the packet was received, ms since the epoch
    raw: bytes  # sync byte and body, without the end of line
    malformed: str | None = None


@dataclass
class Recovered:
    pending: list = field(default_factory=list)  # entries not yet applied, in order
    state: dict = field(default_factory=dict)  # the session state of the last applied entry
    applied: int = 0  # the last applied seq
    entries: int = 0  # entries in the journal
    torn: str | None = None  # what was done about a cut-off last line, for the log
    base: int = 0  # entries up to this seq were applied and compacted away
    leftover: str | None = None  # what was done about an unfinished compaction, for the log


def _line(obj):
    return (json.dumps(obj, separators=(",", ":")) + "\n").encode()


def _entry(obj, number):
    try:
        return Entry(int(obj["seq"]), int(obj["at"]), obj["raw"].encode("latin-1"), obj.get("malformed"))
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise JournalDamaged(f"line {number} is not a journal entry ({e}); nothing was loaded.") from None


def read(path):
    """Everything a restart needs from the journal at `path`, repairing a cut-off last line."""
    path = Path(path)
    out = Recovered()
    temp = _temp(path)
    if temp.exists():  # a compaction that crashed before its rename: the journal itself is still whole
        temp.unlink()
        _sync_directory(path.parent)
        out.leftover = (f"{temp.name} was left by a compaction cut short before it replaced the journal; "
                        "the journal is whole, so it was deleted")
    if not path.exists():
        return out
    data = path.read_bytes()
    complete = data.rfind(b"\n") + 1
    if complete < len(data):
        torn = data[complete:]
        aside = path.with_name(f"{path.name}.torn-{complete}")
        n = 1
        while aside.exists():  # a compacted journal can be cut at an offset an earlier tear had: keep both
            n += 1
            aside = path.with_name(f"{path.name}.torn-{complete}-{n}")
        aside.write_bytes(torn)
        out.torn = (f"the journal's last line was cut short at byte {complete} (a crash while writing it: "
                    f"its packet was never applied); its {len(torn)} bytes were moved to {aside.name}")
    seen = 0
    entries = {}
    for number, text in enumerate(data[:complete].splitlines(), 1):
        try:
            obj = json.loads(text)
        except ValueError:
            raise JournalDamaged(
                f"{path}: line {number} does not read ({text[:60]!r}); only a last line can be cut short by a "
                "crash, so this file was damaged otherwise. Nothing was loaded. Move it aside and start a new "
                "journal, then replay the old one's packets by hand."
            ) from None
        if not isinstance(obj, dict):
            raise JournalDamaged(f"{path}: line {number} is not a journal line; nothing was loaded.")
        if "compacted" in obj:
            if number != 1:
                raise JournalDamaged(f"{path}: line {number} is a compaction mark, which only a first line can be; "
                                     "nothing was loaded.")
            out.base = out.applied = seen = int(obj["compacted"])
            out.state = obj.get("state") or {}
            continue
        if "applied" in obj:
            out.applied = int(obj["applied"])
            out.state = obj.get("state") or {}
            continue
        entry = _entry(obj, number)
        if entry.seq != seen + 1:
            raise JournalDamaged(f"{path}: line {number} has seq {entry.seq} after {seen}; nothing was loaded.")
        seen = entry.seq
        entries[entry.seq] = entry
    out.entries = seen
    out.pending = [entries[s] for s in range(out.applied + 1, seen + 1)]
    if complete < len(data):
        with open(path, "r+b") as f:
            f.truncate(complete)
            f.flush()
            os.fsync(f.fileno())
    return out


class Journal:
    """Append-only, fsync'd; safe to append from the socket side and mark from the worker thread."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered = read(self.path)
        self.seq = self.recovered.entries
        self._lock = threading.Lock()
        self._base = self.recovered.base
        self._applied = self.recovered.applied
        self._state = self.recovered.state
        self._pending = {e.seq: e for e in self.recovered.pending}  # what a compaction must keep
        self._file = open(self.path, "ab")
        _sync_directory(self.path.parent)  # a new file's name is durable too
        with self._lock:
            self._compact_if_due()

    def _append(self, obj):
        self._file.write(_line(obj))
        self._file.flush()
        os.fsync(self._file.fileno())

    def append(self, raw, malformed=None):
        """Write one received packet (or a malformed line) durably; returns its Entry."""
        with self._lock:
            self.seq += 1
            entry = Entry(self.seq, int(time.time() * 1000), bytes(raw), malformed)
            self._append(_record(entry))
            self._pending[entry.seq] = entry
            return entry

    def mark_applied(self, seq, state):
        with self._lock:
            self._append({"applied": seq, "state": state})
            self._applied, self._state = seq, state
            for done in [s for s in self._pending if s <= seq]:
                del self._pending[done]
            self._compact_if_due()

    def _compact_if_due(self):
        if self._applied - self._base >= COMPACT_AFTER:
            self._compact()

    def _compact(self):
        """Rewrite the journal as its applied mark and the entries not applied yet (write, fsync, rename)."""
        temp = _temp(self.path)
        with open(temp, "wb") as f:
            f.write(_line({"compacted": self._applied, "state": self._state}))
            for seq in sorted(self._pending):
                f.write(_line(_record(self._pending[seq])))
            f.flush()
            os.fsync(f.fileno())
        kept = self.path.with_name(f"{self.path.name}.applied-{self._base + 1}-{self._applied}")
        if kept.exists():  # a compaction of the same entries that a crash cut short: the same lines
            kept.unlink()
        os.link(self.path, kept)
        os.replace(temp, self.path)
        _sync_directory(self.path.parent)
        self._file.close()
        self._file = open(self.path, "ab")
        self._base = self._applied

    def close(self):
        with self._lock:
            self._file.close()


def _record(entry):
    record = {"seq": entry.seq, "at": entry.at_ms, "raw": entry.raw.decode("latin-1")}
    if entry.malformed:
        record["malformed"] = entry.malformed
    return record


def _temp(path):
    return path.with_name(f"{path.name}.compact")


def _sync_directory(directory):
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
