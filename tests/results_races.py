"""The reference race with a DQ, a DNF and a DNS, as the result list tests start from.

All three are skaters ranked below Ellia Smeding (11th), so the facts the demo must reproduce
(Leerdam 1st in 1:12.31 OR, Smeding 11th +3.52) still hold.
"""
from timing import services
from timing.models import Race
from timing.snapshot import load

DQ_REASON = "Crossing violation: did not give way on the crossing straight"
DNF_REASON = "Fell in the last inner curve"
DNS_REASON = "Ill"


def _passings(race_id, pair, lane):
    snap = load(race_id)
    return next(p for p in snap["pairs"] if p["number"] == pair)[lane]["passings"]


def with_statuses(race, close=True):
    """M. Hansen (30th) DQ, A. Kowalska (28th) DNF, S. Park (29th) DNS, J. Becker (27th) fell but
    finished; final again if `close`."""
    r = services.REPLAY
    services.set_race_state(race.id, Race.LIVE, r, reason="statuses for the test")
    services.set_status(race.id, 2, "outer", "DQ", DQ_REASON, r)
    finish = next(p for p in _passings(race.id, 2, "inner") if p["distance"] == 1000)
    services.void_passing(finish["id"], "finish line camera: she did not cross", r)
    services.set_status(race.id, 2, "inner", "DNF", DNF_REASON, r)
    for p in _passings(race.id, 3, "outer"):
        services.void_passing(p["id"], "times of another skater", r)
    services.set_status(race.id, 3, "outer", "DNS", DNS_REASON, r)
    services.set_fall(race.id, 4, "outer", True, r)
    if close:
        services.set_race_state(race.id, Race.FINAL, r)
    race.refresh_from_db()
    return race
