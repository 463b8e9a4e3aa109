"""Who may do what, as one table: every write path and every page × every kind of caller.

Callers: anonymous; a spectator (an anonymous browser holding the race's websocket); a logged-in
user who is not an official; an official (session + CSRF); a device token; a revoked device token.
Each cell asserts the status, and every cell that is not an allowed write leaves the race exactly
as it was (snapshot, version, audit trail, passings, idempotency keys).
"""
import json

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from tests.callers import Caller, fast_password_hashing, make_caller, state_of, unchanged  # noqa: F401
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
