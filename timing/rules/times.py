"""Parsing and display of skating times.

Times are kept as integer milliseconds from the pair's start. They are *shown* in hundredths,
truncated, never rounded: 1:45.006 and 1:45.009 both read "1:45.00" (Sochi 2014), while the
ranking still uses the thousandths.
"""
import re

from . import RuleError

#: No long-track distance takes longer than this; anything above it is a typing error.
MAX_TIME_MS = 30 * 60 * 1000

# ASCII digits only: \d would also accept Arabic-Indic or full-width digits that no desk types.
_TIME = re.compile(r"^(?:(?P<min>\d{1,2}):)?(?P<sec>\d{1,4})(?:[.,](?P<frac>\d{1,3}))?$", re.ASCII)
_TOO_PRECISE = re.compile(r"^(?:\d{1,2}:)?\d{1,4}[.,]\d{4,}$", re.ASCII)


def parse_time(text):
    """Read a time as officials type it ("34.25", "1:12.31", "1:12.310", "72.31", "12:54.69").

    A decimal comma is accepted because many timing desks use European keyboards.
    """
    if not isinstance(text, str):
        raise RuleError("A time must be text such as 1:12.31 or 34.25.", "time")
    raw = text.strip()
    if not raw:
        raise RuleError("The time is empty: type it as 1:12.31 or 34.25.", "time")
    if raw.startswith("-"):
        raise RuleError(f"'{raw[:40]}' is negative: a time counts from the start and is never negative.", "time")
    if _TOO_PRECISE.match(raw):
        raise RuleError(
            f"'{raw[:40]}' has more than three decimals: timing stops at thousandths (1:12.310).", "time"
        )
    m = _TIME.match(raw)
    if not m:
        raise RuleError(
            f"'{raw[:40]}' is not a time: type minutes:seconds.hundredths (1:12.31) or seconds (34.25).",
            "time",
        )
    minutes = int(m["min"] or 0)
    seconds = int(m["sec"])
    if m["min"] is not None and (len(m["sec"]) != 2 or seconds >= 60):
        raise RuleError(
            f"'{raw}' has {m['sec']} seconds after the colon: use two digits below 60, as in 1:12.31.",
            "time",
        )
    frac = (m["frac"] or "").ljust(3, "0")
    ms = (minutes * 60 + seconds) * 1000 + int(frac or 0)
    return check_time_ms(ms, shown=raw)


def check_time_ms(ms, shown=None):
    """Refuse times no race can produce, whatever way they were entered."""
    if isinstance(ms, bool) or not isinstance(ms, int):
        raise RuleError("time_ms must be a whole number of milliseconds, such as 72310.", "time_ms")
    label = f"'{shown}'" if shown is not None else f"{ms} ms"
    if ms < 0:
        raise RuleError(f"{label} is negative: a time counts from the start and is never negative.", "time")
    if ms == 0:
        raise RuleError(f"{label} is zero: a passing comes after the start.", "time")
    if ms > MAX_TIME_MS:
        raise RuleError(f"{label} is longer than 30:00.00; no long-track race takes that long.", "time")
    return ms


def format_time(ms):
    """Hundredths, truncated: 72319 -> "1:12.31", 34258 -> "34.25", 774690 -> "12:54.69"."""
    if ms is None:
        return None
    hundredths = ms // 10
    minutes, rest = divmod(hundredths, 6000)
    seconds, cents = divmod(rest, 100)
    if minutes:
        return f"{minutes}:{seconds:02d}.{cents:02d}"
    return f"{seconds}.{cents:02d}"


def format_diff(ms):
    """A difference to the leader: "+0.28", "-0.15", "0.00".

    Truncated toward zero like the times. When the gap is below a hundredth but real (1:45.006
    against 1:45.009), it is shown in thousandths ("-0.003") so the sign never points at a tie
    that the ranking would not call a tie.
    """
    if ms is None:
        return None
    if ms == 0:
        return "0.00"
    sign = "+" if ms > 0 else "-"
    size = abs(ms)
    if size < 10:
        return f"{sign}0.{size:03d}"
    return sign + format_time(size)


def format_exact(ms):
    """Thousandths, as the timing system measured them: 72310 -> "1:12.310", 34258 -> "34.258".

    The one exact format for the audit trail, the console and exports: where a correction of
    a thousandth must be visible, the truncated display would hide it.
    """
    if ms is None:
        return None
    minutes, rest = divmod(ms, 60_000)
    seconds, thousandths = divmod(rest, 1000)
    if minutes:
        return f"{minutes}:{seconds:02d}.{thousandths:03d}"
    return f"{seconds}.{thousandths:03d}"


def format_tenths(ms):
    """Tenths, truncated like every shown time: 72414 -> "1:12.4". For what is not a measured
    time (a running clock, a projection), where hundredths would claim a precision it has not."""
    if ms is None:
        return None
    return format_time(ms)[:-1]
