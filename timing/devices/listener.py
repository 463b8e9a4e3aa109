"""The Lynx LapTime listener: packets from a TCP socket into the service layer.

`Z` starts the race's current pair, `S` records the next measuring point of the lane its
identifier names, as milliseconds since the `Z`; `T` tells us the device's clock. The socket side
is asyncio; the writes run one at a time on a single worker thread, in the order the packets
arrived, because the database layer is synchronous and a split must never overtake its zero.
"""
import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import close_old_connections, connections
from django.utils import timezone

from .. import services
from ..models import Race, Start
from ..rules.board import OK
from .lynx import DAY_MS, Malformed, Parser, since

log = logging.getLogger("timing.lynx")

#: A zero that reaches us later than this after the device's clock says it happened is not
#: back-dated: the device's clock (or its T packets) cannot be trusted that far.
MAX_BACKDATE_MS = 10_000


def local_time_of_day_ms():
    now = timezone.localtime()
    return ((now.hour * 60 + now.minute) * 60 + now.second) * 1000 + now.microsecond // 1000


class LynxSession:
    """What one race fed by one timing system remembers between packets."""

    def __init__(self, race_id, inner_id="1", device="lynx", auto_next=False):
        self.race_id = race_id
        self.inner_id = str(inner_id)
        self.actor = services.Actor.from_device(device)
        self.auto_next = auto_next
        self.zero_ms = None  # device time of day of the current pair's start
        self.zero_pair = None
        self.clock_offset_ms = None  # device time of day minus ours, from the last T
        self.clock_seen = None  # time.monotonic() of that T

    def lane_of(self, identifier):
        if identifier == self.inner_id:
            return "inner"
        if identifier in ("1", "2"):
            return "outer"
        return None

    def handle(self, packet):
        """Apply one packet; returns a line for the log. A refused write is logged, not raised."""
        try:
            return getattr(self, f"on_{packet.opcode.lower()}")(packet)
        except services.ServiceError as e:
            return f"{packet.opcode} {packet.time_ms}: refused ({e.status}): {e.message}"

    def on_t(self, packet):
        self.clock_offset_ms = (packet.time_ms - local_time_of_day_ms() + DAY_MS // 2) % DAY_MS - DAY_MS // 2
        self.clock_seen = time.monotonic()
        return f"T: device clock {self.clock_offset_ms:+d} ms from ours"

    def start_lag_ms(self, zero_ms):
        """How long ago the start happened by the device's clock, if a recent T lets us say."""
        if self.clock_offset_ms is None or time.monotonic() - self.clock_seen > 600:
            return 0
        device_now = (local_time_of_day_ms() + self.clock_offset_ms) % DAY_MS
        lag = since(zero_ms, device_now)
        return lag if lag <= MAX_BACKDATE_MS else 0

    def on_z(self, packet):
        race = Race.objects.get(pk=self.race_id)
        pair = race.current_pair
        if self.zero_pair == pair and self.zero_ms == packet.time_ms:
            return f"Z: repeated zero for pair {pair}, ignored"
        at = timezone.now() - timedelta(milliseconds=self.start_lag_ms(packet.time_ms))
        # restart: a second Z is a recalled start, and a pair the officials started by hand takes the
        # device's more exact zero; the service allows either only while the pair has no times.
        services.start_pair(self.race_id, pair, self.actor, at=at, restart=True)
        self.zero_ms, self.zero_pair = packet.time_ms, pair
        return f"Z: pair {pair} started"

    def on_s(self, packet):
        lane = self.lane_of(packet.identifier)
        if lane is None:
            return f"S: identifier {packet.identifier!r} is not a lane (1 or 2), skipped"
        race = Race.objects.get(pk=self.race_id)
        pair = race.current_pair
        if self.zero_ms is None or self.zero_pair != pair:
            return f"S: no zero for pair {pair} yet, split skipped"
        start = Start.objects.filter(pair__race=race, pair__number=pair, lane=lane).select_related("pair").first()
        if start is None:
            return f"S: pair {pair} has nobody in the {lane} lane, skipped"
        point = services.next_point(race, start)
        if point is None:
            return f"S: pair {pair} {lane} has already finished, skipped"
        ms = since(self.zero_ms, packet.time_ms)
        services.record_passing(self.race_id, pair, lane, point, ms, self.actor)
        line = f"S: pair {pair} {lane} {point} m {ms} ms"
        if self.auto_next and point == race.distance and self._pair_done(race, pair):
            if race.pairs.filter(number=pair + 1).exists():
                services.set_current_pair(self.race_id, pair + 1, self.actor)
                line += f"; pair {pair + 1} is up"
        return line

    def _pair_done(self, race, pair):
        for start in Start.objects.filter(pair__race=race, pair__number=pair):
            if start.status == OK and not start.passings.current().filter(distance=race.distance).exists():
                return False
        return True


class Listener:
    """A TCP server feeding every connection's packets, in order, to one LynxSession."""

    def __init__(self, session):
        self.session = session
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lynx-db")
        self.handled = 0  # packets applied (or refused) so far
        self.server = None

    def apply(self, item):
        close_old_connections()  # a listener runs for days; the database may have closed on us
        try:
            if isinstance(item, Malformed):
                log.warning("malformed packet %r skipped: %s", item.raw, item.reason)
            else:
                log.info("%s", self.session.handle(item))
        except Exception:  # never let one packet stop the timing of the race
            log.exception("packet %r failed", item)
        finally:
            self.handled += 1

    def shutdown(self):
        """Stop the worker thread, closing its database connection first."""
        self.executor.submit(connections.close_all).result(30)
        self.executor.shutdown()

    async def connection(self, reader, writer):
        peer = writer.get_extra_info("peername")
        log.info("timing device connected from %s", peer)
        parser = Parser()
        loop = asyncio.get_running_loop()
        try:
            while data := await reader.read(4096):
                for item in parser.feed(data):
                    await loop.run_in_executor(self.executor, self.apply, item)
            for item in parser.close():
                await loop.run_in_executor(self.executor, self.apply, item)
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
