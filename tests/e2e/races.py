"""Race situations the browser tests start from, written through the service layer."""
import datetime as dt

from django.utils import timezone

from tests.conftest import record_script
from timing import demo, services

PAIR_ONE = [("outer", 200, 18050), ("inner", 200, 18190), ("outer", 600, 45290),
            ("inner", 600, 46050), ("outer", 1000, 75460), ("inner", 1000, 77150)]


def pair_one_skated(race, start_pair_two=True):
    """Vigl and Schulting's pair 1 (Schulting leads: 18.05, 45.29, 1:15.46); pair 2 on the ice."""
    services.start_pair(race.id, 1, services.REPLAY)
    for lane, point, ms in PAIR_ONE:
        services.record_passing(race.id, 1, lane, point, ms, services.REPLAY)
    if start_pair_two:
        services.start_pair(race.id, 2, services.REPLAY)
    return race.id


def last_pair_on_the_ice(race, seconds_ago):
    """The reference race with pairs 1–14 skated and Takagi–Leerdam started `seconds_ago`."""
    record_script(race, upto_pair=14)
    services.start_pair(race.id, 15, services.REPLAY, at=timezone.now() - dt.timedelta(seconds=seconds_ago))


def last_pair_script(upto_point):
    """Pair 15's passings in the order they happened, up to `upto_point` metres."""
    return [(lane, point, ms, inv) for pair, lane, point, ms, inv in demo.script(demo.load_data())
            if pair == 15 and point <= upto_point]
