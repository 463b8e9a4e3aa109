"""The Lynx LapTime listener: packets from a TCP socket, through a journal, into the service layer.

`Z` starts the race's current pair, `S` records a split of the lane its identifier names, as
milliseconds since the `Z`, at the one measuring point its time fits (timing/rules/assign.py;
held for an official when none or several fit); `T` tells us the device's clock.

The socket side is asyncio: it parses, appends each packet to the journal (fsync'd) and goes
back to reading, whatever the database does. One worker thread applies the journal in order,
because the database layer is synchronous and a split must never overtake its zero. When the
database is away the worker retries the same packet until it is back, so nothing is skipped and
nothing overtakes; a refusal by the rules is final (logged), an outage never is.
"""
import asyncio
import itertools
import logging
import queue
import threading
import time
from datetime import datetime, timedelta
from datetime import timezone as tz

from django.db import close_old_connections, connections
from django.utils import timezone

from .. import services
from ..formats import crossings
from ..models import HeldSplit, Race, Start
from ..rules.assign import assign_point
from ..rules.board import OK
from .journal import Journal
from .lynx import DAY_MS, Malformed, Parser, parse_packet, since

log = logging.getLogger("timing.lynx")

#: A zero that reaches us later than this after the device's clock says it happened is not
#: back-dated: the device's clock (or its T packets) cannot be trusted that far.
MAX_BACKDATE_MS = 10_000
#: A zero remembered across a restart of the listener counts only this long: no pair lasts an
#: hour, and yesterday's zero must never time today's splits.
ZERO_REMEMBERED_MS = 3600_000
#: Between retries while the database is away: short at first, then every two seconds.
RETRY_S = (0.1, 0.2, 0.5, 1.0, 2.0)


def local_time_of_day_ms(at=None):
    now = timezone.localtime(at)
    return ((now.hour * 60 + now.minute) * 60 + now.second) * 1000 + now.microsecond // 1000


def moment(at_ms):
    return datetime.fromtimestamp(at_ms / 1000, tz=tz.utc)


class LynxSession:
    """What one race fed by one timing system remembers between packets."""

    def __init__(self, race_id, inner_id="1", device="lynx", auto_next=False):
        self.race_id = race_id
        self.inner_id = str(inner_id)
        self.actor = services.Actor.from_device(device)
        self.auto_next = auto_next
        self.zero_ms = None  # device time of day of the current pair's start
        self.zero_pair = None
        self.zero_at = None  # our wall clock (ms since the epoch) when that zero arrived
        self.clock_offset_ms = None  # device time of day minus ours, from the last T
        self.clock_seen = None  # time.monotonic() of that T

    def lane_of(self, identifier):
        if identifier == self.inner_id:
            return "inner"
        if identifier in ("1", "2"):
            return "outer"
        return None

    def state(self):
        """What must survive a restart of the listener, written with each applied mark."""
        return {"zero_ms": self.zero_ms, "zero_pair": self.zero_pair, "zero_at": self.zero_at}

    def restore(self, state, now_ms=None):
        zero_at = state.get("zero_at")
        now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
        if zero_at is not None and now_ms - zero_at < ZERO_REMEMBERED_MS:
            self.zero_ms, self.zero_pair, self.zero_at = state.get("zero_ms"), state.get("zero_pair"), zero_at

    def handle(self, packet, received_ms=None, replayed=False):
        """Apply one packet; returns a line for the log. A refused write is logged, not raised;
        a database error is raised, for the caller to retry the same packet.

        received_ms: when the packet reached us (the journal's clock), so a packet applied late
        (after an outage) is dated as it arrived. replayed: this packet may already have been
        applied before a crash (the first one after the last applied mark)."""
        received = moment(received_ms) if received_ms is not None else timezone.now()
        try:
            return getattr(self, f"on_{packet.opcode.lower()}")(packet, received, replayed)
        except services.ServiceError as e:
            return f"{packet.opcode} {packet.time_ms}: refused ({e.status}): {e.message}"

    def on_t(self, packet, received, replayed=False):
        self.clock_offset_ms = (packet.time_ms - local_time_of_day_ms(received) + DAY_MS // 2) % DAY_MS - DAY_MS // 2
        self.clock_seen = time.monotonic() - max(0.0, (timezone.now() - received).total_seconds())
        return f"T: device clock {self.clock_offset_ms:+d} ms from ours"

    def start_lag_ms(self, zero_ms, received=None):
        """How long before `received` the start happened by the device's clock, if a recent T lets us say."""
        if self.clock_offset_ms is None or time.monotonic() - self.clock_seen > 600:
            return 0
        device_then = (local_time_of_day_ms(received) + self.clock_offset_ms) % DAY_MS
        lag = since(zero_ms, device_then)
        return lag if lag <= MAX_BACKDATE_MS else 0

    def on_z(self, packet, received, replayed=False):
        race = Race.objects.get(pk=self.race_id)
        pair = race.current_pair
        if self.zero_pair == pair and self.zero_ms == packet.time_ms:
            return f"Z: repeated zero for pair {pair}, ignored"
        if replayed and race.pairs.filter(number=pair, started_at__isnull=False).exists():
            # Applied before the crash, its mark lost: the pair runs on this zero already.
            self._zero(packet, pair, received)
            return f"Z: pair {pair} was started by this zero before the restart"
        at = received - timedelta(milliseconds=self.start_lag_ms(packet.time_ms, received))
        # restart: a second Z is a recalled start, and a pair the officials started by hand takes the
        # device's more exact zero; the service allows either only while the pair has no times.
        services.start_pair(self.race_id, pair, self.actor, at=at, restart=True)
        self._zero(packet, pair, received)
        return f"Z: pair {pair} started"

    def _zero(self, packet, pair, received):
        self.zero_ms, self.zero_pair = packet.time_ms, pair
        self.zero_at = int(received.timestamp() * 1000)

    def on_s(self, packet, received, replayed=False):
        race = Race.objects.get(pk=self.race_id)
        if race.kind == Race.MASS_START:
            return self.on_crossing(race, packet)
        lane = self.lane_of(packet.identifier)
        if lane is None:
            return f"S: identifier {packet.identifier!r} is not a lane (1 or 2), skipped"
        pair = race.current_pair
        if self.zero_ms is None or self.zero_pair != pair:
            return f"S: no zero for pair {pair} yet, split skipped"
        start = Start.objects.filter(pair__race=race, pair__number=pair, lane=lane).select_related("pair").first()
        if start is None:
            return f"S: pair {pair} has nobody in the {lane} lane, skipped"
        ms = since(self.zero_ms, packet.time_ms)
        times = {p.distance: p.time_ms for p in start.passings.current()}
        if start.passings.filter(time_ms=ms).exists() or HeldSplit.objects.filter(start=start, time_ms=ms).exists():
            # The same split applied before a crash (its mark lost), or sent twice: never twice, even
            # when an official has corrected, voided, placed or discarded it since.
            line = f"S: pair {pair} {lane} {ms} ms is already stored, not applied again"
            finish = times.get(race.distance) == ms
        else:
            found = assign_point(race.distance, times, ms, race.points)
            if found.point is None:
                services.hold_split(self.race_id, pair, lane, ms, self.actor, found.reason, found.fits)
                return f"S: pair {pair} {lane} {ms} ms held for an official: {found.reason}"
            services.record_passing(self.race_id, pair, lane, found.point, ms, self.actor)
            line = f"S: pair {pair} {lane} {found.point} m {ms} ms"
            finish = found.point == race.distance
        if self.auto_next and finish and self._pair_done(race, pair):
            if race.pairs.filter(number=pair + 1).exists():
                services.set_current_pair(self.race_id, pair + 1, self.actor)
                line += f"; pair {pair + 1} is up"
        return line

    def on_crossing(self, race, packet):
        """In a mass start the S packet's identifier is the skater's bib; the server counts her laps."""
        if self.zero_ms is None or self.zero_pair != race.current_pair:
            return "S: no zero for the mass start yet, crossing skipped"
        bib = packet.identifier or ""
        if not (bib.isascii() and bib.isdigit() and len(bib) <= 3):
            return f"S: identifier {bib[:20]!r} is not a bib, skipped"
        ms = since(self.zero_ms, packet.time_ms)
        crossing = crossings.record_crossing(self.race_id, int(bib), ms, self.actor)
        return f"S: bib {int(bib)} lap {crossing.lap} {ms} ms"

    def _pair_done(self, race, pair):
        for start in Start.objects.filter(pair__race=race, pair__number=pair):
            if start.status == OK and not start.passings.current().filter(distance=race.distance).exists():
                return False
        return True


class Listener:
    """A TCP server journaling every connection's packets and applying them, in order, to one LynxSession."""

    def __init__(self, session, journal):
        self.session = session
        self.journal = journal if isinstance(journal, Journal) else Journal(journal)
        self.handled = 0  # journal entries applied (or refused by the rules) since this start
        self.journaled = 0  # packets journaled since this start
        self.waiting_since = None  # time.monotonic() when the database went away, while it is
        self.server = None
        self._todo = queue.Queue()
        recovered = self.journal.recovered
        if recovered.torn:
            log.warning("%s", recovered.torn)
        if recovered.leftover:
            log.warning("%s", recovered.leftover)
        session.restore(recovered.state)
        if recovered.pending:
            log.warning("journal %s: %d packets received before a restart were not applied yet; applying them "
                        "first, in order", self.journal.path, len(recovered.pending))
        for i, entry in enumerate(recovered.pending):
            self._todo.put((entry, i == 0))
        self._worker = threading.Thread(target=self._work, name="lynx-db", daemon=True)
        self._worker.start()

    @property
    def backlog(self):
        """Journaled packets not applied yet."""
        return self._todo.qsize()

    def receive(self, item):
        """Journal a packet (or a malformed run) durably, then queue it for the worker."""
        entry = self.journal.append(item.raw, malformed=item.reason if isinstance(item, Malformed) else None)
        self.journaled += 1
        self._todo.put((entry, False))

    def _work(self):
        while True:
            job = self._todo.get()
            if job is None:
                break
            entry, replayed = job
            self._apply(entry, replayed)
        connections.close_all()

    def _apply(self, entry, replayed):
        """Apply one journal entry, retrying through a database outage until it is applied."""
        for attempt in itertools.count():
            close_old_connections()  # a listener runs for days; the database may have closed on us
            try:
                line = self._handle(entry, replayed)
            except services.DATABASE_AWAY as e:
                if self.waiting_since is None:
                    self.waiting_since = time.monotonic()
                    log.warning("database unavailable (%s); packet %d and everything after it stay in the journal "
                                "and are applied in order when it is back", str(e).strip()[:120], entry.seq)
                connections.close_all()
                time.sleep(RETRY_S[min(attempt, len(RETRY_S) - 1)])
                replayed = True  # the failed attempt may have committed before the connection broke
                continue
            except Exception:  # never let one packet stop the timing of the race
                log.exception("packet %d %r failed", entry.seq, entry.raw)
                line = None
            break
        if self.waiting_since is not None:
            log.warning("database back after %.1f s; applying the %d packets journaled meanwhile",
                        time.monotonic() - self.waiting_since, self.backlog + 1)
            self.waiting_since = None
        if line:
            log.info("%s", line)
        self.journal.mark_applied(entry.seq, self.session.state())
        self.handled += 1

    def _handle(self, entry, replayed):
        if entry.malformed:
            return f"malformed packet {entry.raw[:40]!r} skipped: {entry.malformed}"
        item = parse_packet(entry.raw[0], entry.raw[1:])
        if isinstance(item, Malformed):  # cannot happen for what we journaled; said, not applied
            return f"journal entry {entry.seq} does not parse ({item.reason}), skipped"
        return self.session.handle(item, received_ms=entry.at_ms, replayed=replayed)

    def shutdown(self, timeout=30):
        """Let the worker finish what is journaled (or give up after `timeout`), then stop it."""
        self._todo.put(None)
        self._worker.join(timeout)
        self.journal.close()

    async def connection(self, reader, writer):
        peer = writer.get_extra_info("peername")
        log.info("timing device connected from %s", peer)
        parser = Parser()
        try:
            while data := await reader.read(4096):
                for item in parser.feed(data):
                    self.receive(item)
            for item in parser.close():
                self.receive(item)
        except ConnectionError as e:
            log.warning("connection from %s lost: %s", peer, e)
        finally:
            writer.close()
            log.info("timing device %s disconnected", peer)

    async def start(self, host="127.0.0.1", port=2002):
        self.server = await asyncio.start_server(self.connection, host, port)
        return self.server.sockets[0].getsockname()[1]

    async def serve_forever(self, host="127.0.0.1", port=2002, ready=None):
        port = await self.start(host, port)
        if ready:
            ready(port)
        async with self.server:
            await self.server.serve_forever()

