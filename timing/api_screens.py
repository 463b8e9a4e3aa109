"""The screens' JSON: the officials' list and commands, and the displays' own heartbeat.

Commands (POST .../screens/<name>, or .../screens for all) are writes like any other:
`write_api` (an official or a device token, CSRF, Idempotency-Key) and one service call.
The list (GET .../screens) asks for the same credentials: it tells where the displays are.

The heartbeat (POST .../screens/<name>/seen) is the one write a spectator's browser may make,
so it may do almost nothing: no credentials (a display in a stand has none), only for a screen
that already exists, a body of one small number, at most one write per screen every few seconds
(decided by one conditional UPDATE), and it touches only `last_seen` and the clock offset. The
worst a stranger can do with it is make a dead screen look alive in the list for a minute: it
can change nothing any screen shows. The sockets stay read-only.
"""
import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import schedule, screens
from .apiauth import authorize, error, write_api
from .messages import now_ms
from .models import Competition
from .services import set_all_screens, set_screen

#: The heartbeat body, {"offset_ms": -1234}, is never longer than this.
MAX_BEACON = 64
#: A display's clock further off than a day is a broken clock, not an offset worth keeping.
MAX_OFFSET_MS = 24 * 3600 * 1000


def _version(comp_id):
    return Competition.objects.filter(pk=comp_id).values_list("version", flat=True).get()


def screens_list(request, competition_id):
    credential, refused = authorize(request, {"competition_id": competition_id})
    if refused:
        return refused
    comp = Competition.objects.filter(pk=competition_id).first()
    if comp is None:
        return error(404, f"There is no competition {competition_id}.", "competition")
    snap = schedule.build(comp)
    return JsonResponse({
        "competition": schedule.competition_summary(comp),
        "version": snap["version"],
        "server_time": now_ms(),
        "on_ice": snap["on_ice"],
        "venue": {"view": snap["venue"], "shows": screens.describe(snap["venue"], snap["races"])},
        "races": [{"id": r["id"], "title": r["title"], "state": r["state"]} for r in snap["races"]],
        "classifications": [{"id": c["id"], "name": c["name"]} for c in snap["classifications"]],
        "online_seconds": screens.ONLINE_SECONDS,
        "screens": screens.listing(comp, snap),
    })


@write_api(required={"mode": str}, optional={"race": int, "text": str, "classification": int})
def _command_all(request, actor, data, competition_id):
    moved = set_all_screens(competition_id, data, actor)
    return 200, {"changed": [s.name for s in moved], "version": _version(competition_id)}


@csrf_exempt  # a POST's CSRF is checked by write_api's authenticate(), as for every write
def screens_collection(request, competition_id):
    """GET: every screen of the competition; POST: one command for all of them."""
    if request.method == "GET":
        return screens_list(request, competition_id)
    return _command_all(request, competition_id=competition_id)


@write_api(required={"mode": str}, optional={"race": int, "text": str, "classification": int})
def command(request, actor, data, competition_id, name):
    screen = set_screen(competition_id, name, data, actor)
    return 200, {
        "screen": {"name": screen.name, "mode": screen.mode, "race": screen.race_id, "text": screen.text,
                   "classification": screen.classification_id},
        "version": _version(competition_id),
    }


@csrf_exempt
@require_POST
def seen(request, competition_id, name):
    problem = screens.name_problem(name)
    if problem:
        return error(400, problem, "name")
    try:
        raw = request.body
    except RequestDataTooBig:
        raw = None
    if raw is None or len(raw) > MAX_BEACON:
        return error(400, f"A heartbeat is under {MAX_BEACON} bytes: {{\"offset_ms\": 12}}.", "body")
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error(400, "The body is not valid JSON.", "body")
    offset = data.get("offset_ms") if isinstance(data, dict) else None
    if offset is not None and (isinstance(offset, bool) or not isinstance(offset, int) or abs(offset) > MAX_OFFSET_MS):
        return error(400, "'offset_ms' must be a whole number of milliseconds within a day.", "offset_ms")
    outcome = screens.heartbeat(competition_id, name, offset)
    if outcome == "unknown":
        return error(404, f"Competition {competition_id} has no screen '{name}': open /screens/{name}/ first.", "name")
    if outcome == "too soon":
        return error(429, f"One heartbeat every {screens.BEACON_MIN_SECONDS} s is enough.", None,
                     Retry_After=str(screens.BEACON_MIN_SECONDS))
    return JsonResponse({"ok": True, "server_time": now_ms(), "every_seconds": screens.BEACON_SECONDS})


def announcer(request, race_id):
    """GET: the speaker's facts for a race (public: all of it is on the boards or in record books)."""
    if request.method != "GET":
        return error(405, f"Use GET for {request.path}.", None, Allow="GET")
    from .announcer import facts

    data = facts(race_id)
    if data is None:
        return error(404, f"There is no race {race_id}.", "race")
    return JsonResponse(data)
