"""The FinishLynx LapTime protocol, as pure Python (no Django): bytes in, packets out.

A packet is `<sot><opcode>,<time>[,<identifier>[,<event>,<round>,<heat>]]<eot>`:
sot 0x01 (the device's clock is synced) or 0x02 (not synced); opcode Z (zero: the start's time
of day), S (a split, the identifier naming the lane) or T (the device's time of day, for sync);
eot CR, LF or CRLF; times are `HH:MM:SS.fff` time of day.

TCP delivers a byte stream, not packets: one read may hold several packets or half of one, so
the parser keeps what it has not finished. A packet it cannot read is returned as Malformed,
never raised: one bad line from a wire must not stop the timing of a race.
"""
import re
from dataclasses import dataclass, field

SYNCED, UNSYNCED = 0x01, 0x02
EOT = (0x0D, 0x0A)
OPCODES = ("Z", "S", "T")
DAY_MS = 24 * 3600 * 1000
#: No real packet is this long; a longer run without an end is noise on the line.
MAX_PACKET = 256

_TIME = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,4}))?$")


@dataclass(frozen=True)
class Packet:
    opcode: str
    time_ms: int  # milliseconds since midnight, device clock
    identifier: str | None = None
    event: str | None = None
    round: str | None = None
    heat: str | None = None
    synced: bool = True
    raw: bytes = field(default=b"", compare=False, repr=False)  # sync byte and body, as received: for the journal


@dataclass(frozen=True)
class Malformed:
    raw: bytes
    reason: str


def parse_time_of_day(text):
    """'13:23:15.345' -> ms since midnight. A fourth decimal (some devices send ten-thousandths)
    is truncated, as times always are in this sport."""
    m = _TIME.match(text)
    if not m:
        raise ValueError(f"'{text[:20]}' is not a time of day HH:MM:SS.fff")
    hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3])
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"'{text}' is not a time of day")
    millis = int((m[4] or "").ljust(3, "0")[:3])
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def format_time_of_day(ms):
    ms %= DAY_MS
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def since(zero_ms, time_ms):
    """Milliseconds from the zero to a later time of day; a race may run across midnight."""
    return (time_ms - zero_ms) % DAY_MS


def parse_packet(sot, body):
    """One packet's bytes between sot and eot -> Packet, or Malformed."""
    raw = bytes([sot]) + body
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        return Malformed(raw, "not ASCII")
    fields = text.split(",")
    opcode = fields[0].strip()
    if opcode not in OPCODES:
        return Malformed(raw, f"unknown opcode '{opcode[:10]}'")
    if len(fields) not in (2, 3, 6):
        return Malformed(raw, f"{len(fields)} fields; a packet has 2, 3 or 6")
    try:
        time_ms = parse_time_of_day(fields[1].strip())
    except ValueError as e:
        return Malformed(raw, str(e))
    rest = [f.strip() or None for f in fields[2:]]
    identifier = rest[0] if rest else None
    if opcode == "S" and identifier is None:
        return Malformed(raw, "a split needs an identifier (the lane)")
    event, round_, heat = rest[1:] if len(rest) == 4 else (None, None, None)
    return Packet(opcode, time_ms, identifier, event, round_, heat, synced=sot == SYNCED, raw=raw)


class Parser:
    """Feed it bytes as they arrive; it returns the packets (and Malformed runs) completed so far."""

    def __init__(self):
        self._sot = None  # the current packet's sync byte, None between packets
        self._body = bytearray()
        self._noise = bytearray()  # bytes outside any packet

    def feed(self, data):
        out = []
        for byte in data:
            if byte in (SYNCED, UNSYNCED):
                self._flush_noise(out)
                if self._sot is not None:
                    out.append(Malformed(bytes([self._sot]) + bytes(self._body), "no end of packet before the next"))
                self._sot, self._body = byte, bytearray()
            elif byte in EOT:
                if self._sot is not None:
                    out.append(parse_packet(self._sot, bytes(self._body)))
                    self._sot = None
                else:
                    self._flush_noise(out)  # a bare LF after CR lands here, and is nothing
            elif self._sot is not None:
                self._body.append(byte)
                if len(self._body) > MAX_PACKET:
                    out.append(Malformed(bytes([self._sot]) + bytes(self._body[:40]), "packet too long"))
                    self._sot = None
            else:
                self._noise.append(byte)
                if len(self._noise) > MAX_PACKET:
                    self._flush_noise(out)
        return out

    def close(self):
        """The connection ended: whatever was left unfinished is reported."""
        out = []
        self._flush_noise(out)
        if self._sot is not None:
            out.append(Malformed(bytes([self._sot]) + bytes(self._body), "connection ended inside a packet"))
            self._sot = None
        return out

    def _flush_noise(self, out):
        if self._noise.strip():
            out.append(Malformed(bytes(self._noise[:40]), "bytes outside a packet"))
        self._noise = bytearray()


def packet(opcode, time_ms, identifier=None, synced=True, eot=b"\r\n"):
    """The bytes a device would send: what tests and simulators feed the listener."""
    fields = [opcode, format_time_of_day(time_ms)] + ([str(identifier)] if identifier is not None else [])
    return bytes([SYNCED if synced else UNSYNCED]) + ",".join(fields).encode() + eot
