"""Who may do what, as one table: every write path and every page × every kind of caller.

Callers: anonymous; a spectator (an anonymous browser holding the race's websocket); a logged-in
user who is not an official; an official (session + CSRF); a device token; a revoked device token.
Each cell asserts the status, and every cell that is not an allowed write leaves the race exactly
as it was (snapshot, version, audit trail, passings, idempotency keys).
"""
import html
import json

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from tests.callers import Caller, fast_password_hashing, make_caller, session_caller, state_of, unchanged  # noqa: F401
from timing import services

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "spectator", "non-official", "official", "device", "revoked"]


def profile(anonymous, non_official, official, device, revoked):
    return {"anonymous": anonymous, "spectator": anonymous, "non-official": non_official, "official": official,
            "device": device, "revoked": revoked}


def write(ok):
    return profile(401, 403, ok, ok, 403)


CONSOLE = profile(302, 403, 200, 302, 302)  # pages for people: a token is not a login
PUBLIC = profile(*[200] * 5)
GET_ONLY = profile(*[405] * 5)
ADMIN_PAGE = profile(*[302] * 5)  # nobody here is staff: to the admin's login
# Without a CSRF token (no session: anonymous, devices) Django's CSRF check refuses first; with one,
# the admin sends a non-staff user to its login.
ADMIN_WRITE = profile(403, 302, 302, 403, 403)
READ_POST = profile(403, 405, 405, 403, 403)  # the same CSRF check, then "GET only"

# "confirm": pair 1 has not started, a soft warning for an official (tests/test_soft_warnings.py)
P1 = {"pair": 1, "lane": "outer", "distance": 200, "time": "18.05", "confirm": True}

#: (name, method, url template, body, expected status per caller)
#: {r}: the race, {c}: its competition, {p}: a current passing of pair 1 inner at 200 m,
#: {h}: a held split of pair 1 outer (60 s: her 600 m, say).
MATRIX = [
    ("record a passing", "POST", "/api/races/{r}/passings", P1, write(201)),
    ("start a pair", "POST", "/api/races/{r}/pairs/2/start", {}, write(200)),
    ("set a status", "POST", "/api/races/{r}/status", {"pair": 3, "lane": "inner", "status": "DNS"}, write(200)),
    ("mark a fall", "POST", "/api/races/{r}/fall", {"pair": 1, "lane": "inner", "fell": True}, write(200)),
    ("move the boards", "POST", "/api/races/{r}/current-pair", {"pair": 2}, write(200)),
    ("change the race state", "POST", "/api/races/{r}/state", {"state": "final"}, write(200)),
    ("correct a time", "POST", "/api/passings/{p}/correct", {"time": "18.30", "reason": "photo"}, write(200)),
    ("void a time", "POST", "/api/passings/{p}/void", {"reason": "misread"}, write(200)),
    ("list held splits", "GET", "/api/races/{r}/held", None, profile(401, 403, 200, 200, 403)),
    ("place a held split", "POST", "/api/held/{h}/place", {"distance": 600}, write(201)),
    ("discard a held split", "POST", "/api/held/{h}/discard", {"reason": "stray read"}, write(200)),
    ("GET a write endpoint", "GET", "/api/races/{r}/passings", None, GET_ONLY),
    ("PUT a write endpoint", "PUT", "/api/passings/{p}/void", {"reason": "misread"}, GET_ONLY),
    ("officials' race list", "GET", "/officials/", None, CONSOLE),
    ("console", "GET", "/officials/races/{r}/", None, CONSOLE),
    ("audit page", "GET", "/officials/races/{r}/audit/", None, CONSOLE),
    ("audit.json", "GET", "/officials/races/{r}/audit.json", None, CONSOLE),
    ("admin index", "GET", "/admin/", None, ADMIN_PAGE),
    ("admin passing list", "GET", "/admin/timing/passing/", None, ADMIN_PAGE),
    ("admin: edit a race", "POST", "/admin/timing/race/{r}/change/", "form", ADMIN_WRITE),
    ("admin: add a passing", "POST", "/admin/timing/passing/add/", "form", ADMIN_WRITE),
    ("admin: delete a race", "POST", "/admin/timing/race/{r}/delete/", "form", ADMIN_WRITE),
    ("home", "GET", "/", None, PUBLIC),
    ("competition", "GET", "/competitions/{c}/", None, PUBLIC),
    ("spectator page", "GET", "/races/{r}/", None, PUBLIC),
    ("board", "GET", "/races/{r}/board/", None, PUBLIC),
    ("race list API", "GET", "/api/races/", None, PUBLIC),
    ("snapshot API", "GET", "/api/races/{r}/", None, PUBLIC),
    ("login page", "GET", "/login/", None, PUBLIC),
    ("POST to the race list API", "POST", "/api/races/", {}, READ_POST),
    ("POST to the snapshot API", "POST", "/api/races/{r}/", {}, READ_POST),
    # The venue's screens (tests/test_screens.py tests the commands with every caller).
    ("venue board", "GET", "/competitions/{c}/board/", None, PUBLIC),
    ("named screen", "GET", "/screens/north-stand/?competition={c}", None, PUBLIC),
    ("overlay", "GET", "/races/{r}/overlay/", None, PUBLIC),
    ("announcer", "GET", "/races/{r}/announcer/", None, PUBLIC),
    ("officials' Screens page", "GET", "/officials/competitions/{c}/screens/", None, CONSOLE),
    ("list the screens", "GET", "/api/competitions/{c}/screens", None, write(200)),
    ("a heartbeat for no screen", "POST", "/api/competitions/{c}/screens/nobody/seen", {}, profile(*[404] * 5)),
]


def caller_for(name, official, spectator_user):
    if name in ("anonymous", "spectator"):
        return Caller(name, Client(enforce_csrf_checks=True))
    return make_caller("spectator" if name == "non-official" else name, official, spectator_user)


def send(caller, method, url, body):
    if body == "form":  # what the admin's forms post
        return caller.client.post(url, {"title": "hacked", "post": "yes"}, headers=caller.headers)
    if method == "GET":
        return caller.get(url)
    data = json.dumps(body)
    return caller.client.generic(method, url, data, content_type="application/json", headers=caller.headers)


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize("row", MATRIX, ids=[m[0] for m in MATRIX])
def test_each_caller_gets_exactly_its_rights_on_every_path(row, who, startlist_race, official, spectator_user, unchanged):  # noqa: F811
    name, method, template, body, expected = row
    race = startlist_race
    passing = services.record_passing(race.id, 1, "inner", 200, 18190, services.REPLAY)
    held = services.hold_split(race.id, 1, "outer", 60000, services.REPLAY, "fits 200 m and 600 m", (200, 600))
    url = template.format(r=race.id, c=race.competition_id, p=passing.id, h=held.id)
    caller = caller_for(who, official, spectator_user)
    want = expected[who]
    allowed_write = method == "POST" and want in (200, 201)
    if allowed_write:
        before = state_of(race.id)[1]
        response = send(caller, method, url, body)
        assert response.status_code == want, (name, who, response.content[:300])
        assert state_of(race.id)[1] == before + 1, "an allowed write did not bump the version"
        return
    with unchanged(race.id):
        response = send(caller, method, url, body)
    assert response.status_code == want, (name, who, response.status_code, response.content[:300])
    if response.status_code == 302 and "admin" not in url:
        assert response["Location"].startswith("/login/")


ORIGIN = (b"origin", b"http://localhost")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", CALLERS)
async def test_every_caller_may_watch_the_socket_and_none_may_write_through_it(who, startlist_race, official, spectator_user):
    """The race's websocket is public and read-only for everyone, officials and devices included:
    anything sent on it closes it (4003) and changes nothing."""
    from asgiref.sync import sync_to_async

    from config.asgi import application

    caller = await sync_to_async(caller_for)(who, official, spectator_user)
    headers = [ORIGIN]
    cookies = "; ".join(f"{k}={v.value}" for k, v in caller.client.cookies.items())
    if cookies:
        headers.append((b"cookie", cookies.encode()))
    if "Authorization" in caller.headers:
        headers.append((b"authorization", caller.headers["Authorization"].encode()))
    before = await sync_to_async(state_of)(startlist_race.id)
    comm = WebsocketCommunicator(application, f"/ws/races/{startlist_race.id}/", headers=headers)
    connected, _ = await comm.connect()
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "snapshot"
    await comm.send_to(text_data=json.dumps({"action": "passing", **P1}))
    closed = await comm.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4003}
    await comm.disconnect()
    assert await sync_to_async(state_of)(startlist_race.id) == before


# --- per competition: who may act on competition A ------------------------------------------------
#
# Competition A holds an individual race with times ({r}), an untimed one for start-list edits
# ({e}), a mass start ({m}), a custom classification ({k}) and a screen; competition B exists
# beside it. Each identity calls every path of A: inside (A's officials, its owner, a superuser,
# A's token, an unscoped token) the write lands; outside (B's official, B's token) it is 403 with
# the reason and nothing anywhere changed; anonymous is 401 (API) or sent to the login (pages).

from django.contrib.auth.models import User  # noqa: E402

from tests.conftest import make_official  # noqa: E402
from timing.classifications import create_classification  # noqa: E402
from timing.devices import tokens as device_tokens  # noqa: E402
from timing.formats import crossings as crossing_services  # noqa: E402
from timing.models import (  # noqa: E402
    Change, Classification, ClassificationRace, Competition, Crossing, HeldSplit, IdempotencyKey, Pair, Passing, Race,
    Screen, Start,
)
from timing.startlists import Entry, create_race  # noqa: E402

IDENTITIES = ["official-A", "official-B", "owner-A", "superuser", "token-A", "token-B", "unscoped", "anonymous"]
INSIDE = {"official-A", "owner-A", "superuser", "token-A", "unscoped"}
OUTSIDE = {"official-B", "token-B"}
SESSIONS = {"official-A", "official-B", "owner-A", "superuser"}
TOKENS = {"token-A", "token-B", "unscoped"}


def api(ok):
    """A JSON write (or a credentialed read) of A's: scoped like every write."""
    return {**{i: ok for i in INSIDE}, **{i: 403 for i in OUTSIDE}, "anonymous": 401}


def page(ok=200):
    """An officials' page of A (a GET, or a form POST that redirects when it is done)."""
    return {**{i: ok for i in SESSIONS - OUTSIDE}, "official-B": 403, **{i: 302 for i in TOKENS}, "anonymous": 302}


def form(ok=302):
    """A setup form POST: no session means no CSRF token, refused before the view."""
    return {**page(ok), **{i: 403 for i in TOKENS}, "anonymous": 403}


def assigning():
    """Adding or removing an official: the owner or a superuser, not just any official of A."""
    return {**form(), "official-A": 403}


CREATE = {**{i: 201 for i in SESSIONS | {"unscoped"}}, "token-A": 403, "token-B": 403, "anonymous": 401}
CREATE_FORM = {**{i: 302 for i in SESSIONS}, **{i: 403 for i in TOKENS}, "anonymous": 403}

PA = {"pair": 1, "lane": "outer", "distance": 200, "time": "18.05", "confirm": True}
COMP_FORM = {"name": "Renamed Meet", "venue": "Thialf", "time_zone": "Europe/Amsterdam"}
RACE_FORM = {"title": "Men's 5000 m", "category": "Men", "kind": "individual", "distance": 5000}
JSON_STARTS = {"starts": [{"pair": 1, "lane": "inner", "name": "Anna Test", "nation": "NED"},
                          {"pair": 1, "lane": "outer", "name": "Bea Test", "nation": "CAN"}]}

#: (name, method, url template, body, expected per identity). Body "csv": a start list file upload;
#: a dict with "_form": form fields. {r} {e} {m} {c} {k} {p} {h} {x} {u}: see `world_of_a`.
ACCESS = [
    ("record a passing", "POST", "/api/races/{r}/passings", PA, api(201)),
    ("start a pair", "POST", "/api/races/{r}/pairs/2/start", {}, api(200)),
    ("set a status", "POST", "/api/races/{r}/status", {"pair": 3, "lane": "inner", "status": "DNS"}, api(200)),
    ("mark a fall", "POST", "/api/races/{r}/fall", {"pair": 1, "lane": "inner", "fell": True}, api(200)),
    ("move the boards", "POST", "/api/races/{r}/current-pair", {"pair": 2}, api(200)),
    ("change the race state", "POST", "/api/races/{r}/state", {"state": "final"}, api(200)),
    ("correct a time", "POST", "/api/passings/{p}/correct", {"time": "18.30", "reason": "photo"}, api(200)),
    ("void a time", "POST", "/api/passings/{p}/void", {"reason": "misread"}, api(200)),
    ("list held splits", "GET", "/api/races/{r}/held", None, api(200)),
    ("place a held split", "POST", "/api/held/{h}/place", {"distance": 600}, api(201)),
    ("discard a held split", "POST", "/api/held/{h}/discard", {"reason": "stray read"}, api(200)),
    ("create a competition", "POST", "/api/competitions/", {"name": "New Meet"}, CREATE),
    ("add a race", "POST", "/api/competitions/{c}/races", {"title": "Men's 500 m", "category": "Men", "distance": 500},
     api(201)),
    ("set a race on the ice", "POST", "/api/competitions/{c}/on-ice", {"race": "{r}"}, api(200)),
    ("replace a start list", "PUT", "/api/races/{e}/startlist", JSON_STARTS, api(200)),
    ("add a start-list entry", "POST", "/api/races/{e}/startlist/entries",
     {"pair": 5, "lane": "inner", "name": "Cora Test", "nation": "NOR"}, api(201)),
    ("withdraw an entry", "POST", "/api/races/{e}/startlist/withdraw", {"pair": 1, "lane": "inner"}, api(200)),
    ("move an entry", "POST", "/api/races/{e}/startlist/move",
     {"pair": 1, "lane": "inner", "to_pair": 5, "to_lane": "inner"}, api(200)),
    ("swap lanes", "POST", "/api/races/{e}/startlist/swap", {"pair": 1}, api(200)),
    ("renumber pairs", "POST", "/api/races/{e}/startlist/renumber", {"order": [2, 1]}, api(200)),
    ("create a classification", "POST", "/api/competitions/{c}/classifications",
     {"name": "Sprint cup", "kind": "custom", "races": ["{r}"]}, api(201)),
    ("edit a classification", "POST", "/api/classifications/{k}/edit",
     {"name": "Renamed cup", "kind": "custom", "races": ["{r}", "{e}"]}, api(200)),
    ("delete a classification", "POST", "/api/classifications/{k}/delete", {}, api(200)),
    ("record a crossing", "POST", "/api/races/{m}/crossings", {"bib": 7, "time": "61.20"}, api(201)),
    ("set a bib's status", "POST", "/api/races/{m}/bib-status", {"bib": 2, "status": "DNS"}, api(200)),
    ("correct a crossing", "POST", "/api/crossings/{x}/correct", {"time": "30.10", "reason": "photo"}, api(200)),
    ("void a crossing", "POST", "/api/crossings/{x}/void", {"reason": "double read"}, api(200)),
    ("list the screens", "GET", "/api/competitions/{c}/screens", None, api(200)),
    ("command every screen", "POST", "/api/competitions/{c}/screens", {"mode": "message", "text": "Welcome"}, api(200)),
    ("command one screen", "POST", "/api/competitions/{c}/screens/north", {"mode": "message", "text": "Hi"}, api(200)),
    ("console", "GET", "/officials/races/{r}/", None, page()),
    ("audit page", "GET", "/officials/races/{r}/audit/", None, page()),
    ("audit.json", "GET", "/officials/races/{r}/audit.json", None, page()),
    ("Screens page", "GET", "/officials/competitions/{c}/screens/", None, page()),
    ("classifications page", "GET", "/officials/competitions/{c}/classifications/", None, page()),
    ("classification form", "POST", "/officials/competitions/{c}/classifications/",
     {"_form": {"name": "Form cup", "kind": "custom", "race_1": "{r}"}}, form()),
    ("setup: competition", "GET", "/officials/competitions/{c}/", None, page()),
    ("setup: edit form", "GET", "/officials/competitions/{c}/edit/", None, page()),
    ("setup: edit competition", "POST", "/officials/competitions/{c}/edit/", {"_form": COMP_FORM}, form()),
    ("setup: new competition", "POST", "/officials/competitions/new/", {"_form": {"name": "Form Meet", "time_zone": "UTC"}},
     CREATE_FORM),
    ("setup: on ice", "POST", "/officials/competitions/{c}/on-ice", {"_form": {"race": "{r}"}}, form()),
    ("setup: new race form", "GET", "/officials/competitions/{c}/races/new/", None, page()),
    ("setup: add a race", "POST", "/officials/competitions/{c}/races/new/", {"_form": RACE_FORM}, form()),
    ("setup: race form", "GET", "/officials/races/{e}/edit/", None, page()),
    ("setup: edit a race", "POST", "/officials/races/{e}/edit/",
     {"_form": {**RACE_FORM, "distance": 1000, "title": "Women's 1000 m (B)"}}, form()),
    ("setup: start list", "GET", "/officials/races/{e}/startlist/", None, page()),
    ("setup: upload a start list", "POST", "/officials/races/{e}/startlist/upload", "csv",
     {**form(), **{i: 302 for i in TOKENS}, "anonymous": 302}),  # size first, then who: login before CSRF
    ("setup: add an entry", "POST", "/officials/races/{e}/startlist/entry",
     {"_form": {"entry-pair": 5, "entry-lane": "inner", "entry-name": "Dana Test", "entry-nation": "NOR"}}, form()),
    ("setup: move an entry", "POST", "/officials/races/{e}/startlist/move",
     {"_form": {"move-pair": 1, "move-lane": "inner", "move-to_pair": 5, "move-to_lane": "inner"}}, form()),
    ("setup: withdraw", "POST", "/officials/races/{e}/startlist/withdraw",
     {"_form": {"slot-pair": 1, "slot-lane": "inner"}}, form()),
    ("setup: swap lanes", "POST", "/officials/races/{e}/startlist/swap", {"_form": {"slot-pair": 1}}, form()),
    ("setup: pair up", "POST", "/officials/races/{e}/startlist/up", {"_form": {"slot-pair": 2}}, form()),
    ("setup: close gaps", "POST", "/officials/races/{e}/startlist/close-gaps", {"_form": {}}, form()),
    ("setup: add an official", "POST", "/officials/competitions/{c}/officials/add", {"_form": {"username": "ofb"}},
     assigning()),
    ("setup: remove an official", "POST", "/officials/competitions/{c}/officials/{u}/remove", {"_form": {}}, assigning()),
]


def world_of_a(race):
    """Competition A around the demo race, competition B beside it, and the eight identities."""
    a = race.competition
    field = [Entry(n // 2 + 1, ("inner", "outer")[n % 2], f"Skater {n}", "NED") for n in range(4)]
    edit = create_race(a.name, "Women's 1000 m", "Women", 1000, field)
    mass = create_race(a.name, "Women's mass start", "Women", 6400,
                       [Entry(0, "", f"Bib {b}", "NED", bib=b) for b in (1, 2, 7)], kind=Race.MASS_START)
    Pair.objects.create(race=edit, number=5)  # an empty pair: a gap to close
    b = create_race("Other Meet", "Men's 500 m", "Men", 500, field).competition
    owner = make_official("owner", a)
    a.owner = owner
    a.save(update_fields=["owner"])
    helper = make_official("helper", a)  # the one the owner removes
    a_token, a_raw = device_tokens.issue("timer-a", a)
    b_token, b_raw = device_tokens.issue("timer-b", b)
    _, unscoped_raw = device_tokens.issue("venue-timer")
    passing = services.record_passing(race.id, 1, "inner", 200, 18190, services.REPLAY)
    held = services.hold_split(race.id, 1, "outer", 60000, services.REPLAY, "fits 200 m and 600 m", (200, 600))
    crossing = crossing_services.record_crossing(mass.id, 7, 30000, services.REPLAY)
    classification = create_classification(a.id, "Cup", "custom", [race.id], services.REPLAY)
    services.set_screen(a.id, "north", {"mode": "follow"}, services.REPLAY)
    ids = {"r": race.id, "e": edit.id, "m": mass.id, "c": a.id, "k": classification.id, "p": passing.id,
           "h": held.id, "x": crossing.id, "u": helper.id}
    people = {
        "official-A": make_official("ofa", a), "official-B": make_official("ofb", b), "owner-A": owner,
        "superuser": User.objects.create_superuser("chief", password="x"),
    }
    raws = {"token-A": a_raw, "token-B": b_raw, "unscoped": unscoped_raw}
    return a, b, ids, people, raws


def identity(who, people, raws):
    if who in people:
        return session_caller(who, people[who])
    if who in raws:
        return Caller(who, Client(enforce_csrf_checks=True), {"Authorization": f"Bearer {raws[who]}"})
    return Caller(who, Client(enforce_csrf_checks=True))


def everything():
    """Every row any write of this round touches, in every competition."""
    rows = [Change, Competition, Race, Pair, Start, Passing, Crossing, HeldSplit, Classification, ClassificationRace,
            Screen, IdempotencyKey, Competition.officials.through]
    return [list(m.objects.order_by("pk").values()) for m in rows]


def fill(value, ids):
    if isinstance(value, str):
        text = value.format(**ids)
        return int(text) if value.startswith("{") and text.isdigit() else text
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def send_as(caller, method, url, body):
    if body == "csv":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("start.csv", b"pair,lane,name,nation\n1,inner,Eva Test,NED\n1,outer,Fay Test,CAN\n",
                                    content_type="text/csv")
        return caller.client.post(url, {"upload-file": upload}, headers=caller.headers)
    if isinstance(body, dict) and "_form" in body:
        return caller.client.post(url, body["_form"], headers=caller.headers)
    if method == "GET":
        return caller.get(url)
    return caller.client.generic(method, url, json.dumps(body), content_type="application/json", headers=caller.headers)


@pytest.mark.parametrize("who", IDENTITIES)
@pytest.mark.parametrize("row", ACCESS, ids=[m[0] for m in ACCESS])
def test_each_identity_reaches_exactly_its_competitions(row, who, startlist_race):
    name, method, template, body, expected = row
    a, b, ids, people, raws = world_of_a(startlist_race)
    url, body = template.format(**ids), fill(body, ids)
    caller = identity(who, people, raws)
    want = expected[who]
    before = everything()
    response = send_as(caller, method, url, body)
    assert response.status_code == want, (name, who, response.status_code, response.content[:400])
    changed = everything() != before
    if method != "GET" and (want in (200, 201) or (want == 302 and who in SESSIONS)):
        assert changed, f"{name}: an allowed write by {who} stored nothing"
        return
    assert not changed, f"{name}: a refused or read-only request by {who} changed something"
    text = response.content.decode()
    if want == 403 and who == "token-B" and response["Content-Type"] == "application/json":
        assert f"for competition {b.id}" in text, text[:300]
        assert f"not competition {a.id}" in text or "cannot write outside it" in text, text[:300]
    if want == 403 and who == "official-B":
        assert f"You are not an official of {a.name}; ask its owner (owner) to add you." in html.unescape(text), text[:300]
    if want == 302:
        assert response["Location"].startswith("/login/"), response["Location"]


def test_the_access_matrix_covers_every_write_url():
    """A new write path without a row here fails: every URL that is not a public read is in ACCESS
    (or in MATRIX above, or named here as public on purpose)."""
    from timing.urls import urlpatterns

    public = {
        "home", "competition", "spectator", "board", "classification", "classification-announcer",
        "classification-board", "classification-pdf", "results", "results-pdf", "embed", "venue-board",
        "competition-overlay", "screen", "overlay", "laps", "announcer", "competition-announcer", "api-races",
        "api-race", "api-results", "api-competition", "api-classification", "api-competition-results", "login",
        "logout", "api-announcer",
        "api-screen-seen",  # the displays' heartbeat: public by design (timing/api_screens.py)
        "officials", "setup-competitions",  # lists: filtered to the caller's own (test_lists_show_only_ones_own)
        "setup-competition-new",  # GET of the form: no competition; its POST is a row
    }
    covered = {template for _, _, template, _, _ in ACCESS}
    missing = []
    assert len(urlpatterns) > 60
    for pattern in urlpatterns:
        name = pattern.name
        if name in public:
            continue
        route = "/" + str(pattern.pattern).replace("<int:", "{").replace("<str:", "{")
        keys = {"race_id": "{r}", "competition_id": "{c}", "passing_id": "{p}", "held_id": "{h}", "crossing_id": "{x}",
                "classification_id": "{k}", "user_id": "{u}", "pair": "2", "name": "north"}
        for k, v in keys.items():
            route = route.replace("{" + k + ">", v)
        if not any(route == t or route == t.replace("{e}", "{r}").replace("{m}", "{r}") for t in covered):
            missing.append((name, route))
    assert not missing, f"write paths without a row in ACCESS: {missing}"
