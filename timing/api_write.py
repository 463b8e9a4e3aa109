"""The write API for officials' consoles and timing devices: parse -> service -> answer.

Every view here is thin on purpose: who may call it and what the body holds is declared by
`write_api` (timing/apiauth.py); what is allowed to change is decided by timing/services.py.
"""
from .apiauth import write_api
from .models import Race
from .rules import RuleError
from .rules.times import format_time, parse_time
from .services import (
    Invalid, correct_passing, record_passing, set_current_pair, set_fall, set_race_state, set_status,
    start_pair, void_passing,
)
from .snapshot import epoch_ms


def time_ms(data):
    """Exactly one of "time" (as officials type it: "43.78", "1:12.31") or "time_ms" (an integer)."""
    if ("time" in data) == ("time_ms" in data):
        raise Invalid("Send the time as either 'time' (\"43.78\") or 'time_ms' (43780), not both or neither.", "time")
    if "time_ms" in data:
        return data["time_ms"]
    try:
        return parse_time(data["time"])
    except RuleError as e:
        raise Invalid(e.message, e.field) from e


def version_of(race_id):
    return Race.objects.filter(pk=race_id).values_list("version", flat=True).get()


def passing_json(p):
    return {
        "id": p.id,
        "race": p.start.pair.race_id,
        "pair": p.start.pair.number,
        "lane": p.start.lane,
        "skater": p.start.skater.name,
        "distance": p.distance,
        "time_ms": p.time_ms,
        "time": format_time(p.time_ms),
        "source": p.source,
        "device": p.device,
        "entered_by": p.entered_by.get_username() if p.entered_by_id else None,
        "corrects": p.corrects_id,
        "reason": p.reason,
        "voided": p.voided_at is not None,
        "void_reason": p.void_reason,
    }


def start_json(s):
    return {"pair": s.pair.number, "lane": s.lane, "skater": s.skater.name, "status": s.status,
            "status_reason": s.status_reason, "fell": s.fell}


def race_json(race):
    return {"id": race.id, "state": race.state, "current_pair": race.current_pair}


@write_api(required={"pair": int, "lane": str, "distance": int}, optional={"time": str, "time_ms": int})
def passings(request, actor, data, race_id):
    p = record_passing(race_id, data["pair"], data["lane"], data["distance"], time_ms(data), actor)
    return 201, {"passing": passing_json(p), "version": version_of(race_id)}


@write_api(optional={"restart": bool})
def start(request, actor, data, race_id, pair):
    p = start_pair(race_id, pair, actor, restart=data.get("restart", False))
    return 200, {"pair": {"number": p.number, "started_at": epoch_ms(p.started_at)}, "version": version_of(race_id)}


@write_api(required={"pair": int, "lane": str, "status": str}, optional={"reason": str})
def status(request, actor, data, race_id):
    s = set_status(race_id, data["pair"], data["lane"], data["status"], data.get("reason", ""), actor)
    return 200, {"start": start_json(s), "version": version_of(race_id)}


@write_api(required={"pair": int, "lane": str}, optional={"fell": bool})
def fall(request, actor, data, race_id):
    s = set_fall(race_id, data["pair"], data["lane"], data.get("fell", True), actor)
    return 200, {"start": start_json(s), "version": version_of(race_id)}


@write_api(required={"pair": int})
def current_pair(request, actor, data, race_id):
    race = set_current_pair(race_id, data["pair"], actor)
    return 200, {"race": race_json(race), "version": version_of(race_id)}


@write_api(required={"state": str}, optional={"reason": str})
def state(request, actor, data, race_id):
    race = set_race_state(race_id, data["state"], actor, data.get("reason", ""))
    return 200, {"race": race_json(race), "version": version_of(race_id)}


@write_api(required={"reason": str}, optional={"time": str, "time_ms": int})
def correct(request, actor, data, passing_id):
    p = correct_passing(passing_id, time_ms(data), data["reason"], actor)
    return 200, {"passing": passing_json(p), "version": version_of(p.start.pair.race_id)}


@write_api(required={"reason": str})
def void(request, actor, data, passing_id):
    p = void_passing(passing_id, data["reason"], actor)
    return 200, {"passing": passing_json(p), "version": version_of(p.start.pair.race_id)}
