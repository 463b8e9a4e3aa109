"""The write API for officials' consoles and timing devices: parse -> service -> answer.

Every view here is thin on purpose: who may call it and what the body holds is declared by
`write_api` (timing/apiauth.py); what is allowed to change is decided by timing/services.py.
"""
import json

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import bodies, schedule, services, snapshot, startlists
from .apiauth import authenticate, authorize, write_api
from .classifications import create_classification, delete_classification, edit_classification
from .models import HeldSplit, Race
from .formats import crossings as crossing_services
from .formats.startlists import HEADERS
from .rules import RuleError
from .rules.times import format_time, parse_time
from .services import (
    Invalid, correct_passing, create_competition, create_race, discard_held, place_held, record_passing,
    replace_startlist, set_current_pair, set_fall, set_on_ice, set_race_state, set_status, start_pair, void_passing,
)
from .snapshot import epoch_ms

#: A start list of a few hundred skaters fits many times over.
MAX_STARTLIST = 64 * 1024


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


@write_api(required={"pair": int, "lane": str, "distance": int},
           optional={"time": str, "time_ms": int, "confirm": bool})
def passings(request, actor, data, race_id):
    """An official's entry that warns is answered 409 with "warning" (a code) until it comes again
    with "confirm": true; devices never get warnings (timing/services.py `_soft_check`)."""
    p = record_passing(
        race_id, data["pair"], data["lane"], data["distance"], time_ms(data), actor, confirm=data.get("confirm", False),
    )
    return 201, {"passing": passing_json(p), "version": p.committed_version}


@write_api(optional={"restart": bool})
def start(request, actor, data, race_id, pair):
    p = start_pair(race_id, pair, actor, restart=data.get("restart", False))
    return 200, {"pair": {"number": p.number, "started_at": epoch_ms(p.started_at)}, "version": p.committed_version}


@write_api(required={"pair": int, "lane": str, "status": str}, optional={"reason": str})
def status(request, actor, data, race_id):
    s = set_status(race_id, data["pair"], data["lane"], data["status"], data.get("reason", ""), actor)
    return 200, {"start": start_json(s), "version": s.committed_version}


@write_api(required={"pair": int, "lane": str}, optional={"fell": bool})
def fall(request, actor, data, race_id):
    s = set_fall(race_id, data["pair"], data["lane"], data.get("fell", True), actor)
    return 200, {"start": start_json(s), "version": s.committed_version}


@write_api(required={"pair": int})
def current_pair(request, actor, data, race_id):
    race = set_current_pair(race_id, data["pair"], actor)
    return 200, {"race": race_json(race), "version": race.committed_version}


@write_api(required={"state": str}, optional={"reason": str})
def state(request, actor, data, race_id):
    race = set_race_state(race_id, data["state"], actor, data.get("reason", ""))
    return 200, {"race": race_json(race), "version": race.committed_version}


@write_api(required={"reason": str}, optional={"time": str, "time_ms": int, "confirm": bool})
def correct(request, actor, data, passing_id):
    p = correct_passing(passing_id, time_ms(data), data["reason"], actor, confirm=data.get("confirm", False))
    return 200, {"passing": passing_json(p), "version": p.committed_version}


@write_api(required={"reason": str})
def void(request, actor, data, passing_id):
    p = void_passing(passing_id, data["reason"], actor)
    return 200, {"passing": passing_json(p), "version": p.committed_version}


# --- the competition day: what a federation's entry system pushes ------------------------------


@write_api(required={"name": str}, optional={"venue": str, "starts_on": str, "ends_on": str, "time_zone": str,
                                              "olympic": bool})
def competitions(request, actor, data):
    comp = create_competition(data, actor)
    return 201, {"id": comp.id, "competition": schedule.competition_summary(comp), "version": comp.version}


@write_api(required={"title": str, "category": str, "distance": int},
           optional={"kind": str, "scheduled_at": str, "order": int})
def races(request, actor, data, competition_id):
    race = create_race(competition_id, data, actor)
    return 201, {"id": race.id, "race": snapshot.race_summary(race), "version": race.version}


@write_api(required={"race": int})
def on_ice(request, actor, data, competition_id):
    comp = set_on_ice(competition_id, data["race"], actor)
    return 200, {"on_ice": comp.on_ice_id, "version": comp.version}


@write_api(method="PUT", document=MAX_STARTLIST)
def startlist(request, actor, data, race_id):
    """The whole start list as CSV (text/csv, the importstartlist header) or JSON {"starts": [...]};
    every problem of the document is named at once and nothing is stored if there is one."""
    kind = Race.objects.filter(pk=race_id).values_list("kind", flat=True).first() or Race.INDIVIDUAL
    entries = startlist_entries(*data, kind=kind)
    replace_startlist(race_id, entries, actor)
    return 200, snapshot.load(race_id)


def startlist_entries(content_type, raw, kind=Race.INDIVIDUAL):
    try:
        if content_type == "text/csv":
            return startlists.read_csv(raw, kind)  # decodes itself, naming the line of a byte that is not UTF-8
        if content_type == "application/json" and kind != Race.INDIVIDUAL:
            header = ",".join(HEADERS[kind])
            raise Invalid(f"A {kind.replace('_', ' ')} start list is sent as text/csv with the header {header}.",
                          "Content-Type")
        if content_type == "application/json":
            try:
                data = json.loads(raw.decode("utf-8"), object_pairs_hook=bodies.no_duplicates)
            except UnicodeDecodeError as e:
                raise Invalid(f"The start list is not UTF-8 text (byte {e.start}).", "body") from None
            except (ValueError, RecursionError):
                raise Invalid("The body is not valid JSON.", "body") from None
            return startlists.read_json(data)
    except startlists.StartListError as e:
        raise Invalid("The start list was not stored: " + "; ".join(map(str, e.problems))[:2000], "starts") from e
    raise Invalid("Send the start list as text/csv or application/json.", "Content-Type")


# --- editing a start list pair by pair (the officials' start list page does the same) -----------


@write_api(required={"pair": int, "lane": str, "name": str, "nation": str}, optional={"pb": str, "licence": str})
def startlist_entry(request, actor, data, race_id):
    services.add_entry(race_id, data, actor)
    return 201, snapshot.load(race_id)


@write_api(required={"pair": int, "lane": str}, optional={"reason": str})
def startlist_withdraw(request, actor, data, race_id):
    services.withdraw(race_id, data["pair"], data["lane"], data.get("reason", ""), actor)
    return 200, snapshot.load(race_id)


@write_api(required={"pair": int, "lane": str, "to_pair": int, "to_lane": str})
def startlist_move(request, actor, data, race_id):
    services.move_start(race_id, data["pair"], data["lane"], data["to_pair"], data["to_lane"], actor)
    return 200, snapshot.load(race_id)


@write_api(required={"pair": int})
def startlist_swap(request, actor, data, race_id):
    services.swap_lanes(race_id, data["pair"], actor)
    return 200, snapshot.load(race_id)


@write_api(optional={"order": list})
def startlist_renumber(request, actor, data, race_id):
    """{"order": [1, 3, 2]} renumbers the pairs in that order; {} closes the gaps of empty pairs."""
    services.renumber_pairs(race_id, data.get("order"), actor)
    return 200, snapshot.load(race_id)


# --- device splits that no single point fits, placed by an official ----------------------------


def held_json(h):
    return {
        "id": h.id, "race": h.start.pair.race_id, "pair": h.start.pair.number, "lane": h.start.lane,
        "skater": h.start.skater.name, "time_ms": h.time_ms, "time": format_time(h.time_ms),
        "device": h.device, "received_at": epoch_ms(h.received_at), "reason": h.reason,
        "fits": [int(p) for p in h.fits.split(",") if p],
    }


@require_GET
@never_cache  # officials' and devices' business: no shared cache may keep it
def held(request, race_id):
    """The device splits of a race that wait for an official (timing/rules/assign.py), oldest first.
    For officials and devices only: a held split is not a result."""
    credential, refused = authorize(request, {"race_id": race_id})
    if refused:
        return refused
    if not Race.objects.filter(pk=race_id).exists():
        return JsonResponse({"error": f"There is no race {race_id}.", "field": "race"}, status=404)
    rows = HeldSplit.objects.open().filter(start__pair__race_id=race_id).select_related("start__pair", "start__skater")
    return JsonResponse({"held": [held_json(h) for h in rows], "version": version_of(race_id)})


@write_api(required={"distance": int})
def place(request, actor, data, held_id):
    p = place_held(held_id, data["distance"], actor)
    return 201, {"passing": passing_json(p), "version": p.committed_version}


@write_api(required={"reason": str})
def discard(request, actor, data, held_id):
    h = discard_held(held_id, data["reason"], actor)
    return 200, {"held": {**held_json(h), "discarded": True, "discard_reason": h.discard_reason},
                 "version": h.committed_version}


# --- classifications (timing/classifications.py) ---------------------------------------------


@write_api(required={"name": str, "kind": str, "races": list})
def classifications(request, actor, data, competition_id):
    c = create_classification(competition_id, data["name"], data["kind"], data["races"], actor)
    return 201, {"id": c.id}


@write_api(required={"name": str, "kind": str, "races": list})
def classification_edit(request, actor, data, classification_id):
    c = edit_classification(classification_id, data["name"], data["kind"], data["races"], actor)
    return 200, {"id": c.id, "version": c.version}


@write_api()
def classification_delete(request, actor, data, classification_id):
    delete_classification(classification_id, actor)
    return 200, {"id": classification_id, "deleted": True}


# --- mass start: crossings of the line by bib (timing/formats/crossings.py) ----------------------


def crossing_json(c):
    return {
        "id": c.id,
        "race": c.start.pair.race_id,
        "bib": c.start.bib,
        "skater": c.start.skater.name,
        "lap": getattr(c, "lap", None),
        "time_ms": c.time_ms,
        "time": format_time(c.time_ms),
        "source": c.source,
        "device": c.device,
        "corrects": c.corrects_id,
        "reason": c.reason,
        "voided": c.voided_at is not None,
        "void_reason": c.void_reason,
    }


@write_api(required={"bib": int}, optional={"time": str, "time_ms": int})
def crossings(request, actor, data, race_id):
    c = crossing_services.record_crossing(race_id, data["bib"], time_ms(data), actor)
    return 201, {"crossing": crossing_json(c), "version": c.committed_version}


@write_api(required={"reason": str}, optional={"time": str, "time_ms": int})
def correct_crossing(request, actor, data, crossing_id):
    c = crossing_services.correct_crossing(crossing_id, time_ms(data), data["reason"], actor)
    return 200, {"crossing": crossing_json(c), "version": c.committed_version}


@write_api(required={"reason": str})
def void_crossing(request, actor, data, crossing_id):
    c = crossing_services.void_crossing(crossing_id, data["reason"], actor)
    return 200, {"crossing": crossing_json(c), "version": c.committed_version}


@write_api(required={"bib": int, "status": str}, optional={"reason": str})
def bib_status(request, actor, data, race_id):
    s = crossing_services.set_bib_status(race_id, data["bib"], data["status"], data.get("reason", ""), actor)
    return 200, {"start": {**start_json(s), "bib": s.bib}, "version": s.committed_version}
