"""The snapshot GETs answered from memory (timing/fastread.py): used whenever the process's hub
follows the topic, byte for byte and header for header what Django answers, never behind a write
this process committed, and never used when the hub cannot vouch for the version.

Everything goes through config.asgi's application in this test's event loop: a real hub, real
sockets (Channels' communicators), the real middleware chain for the Django answers compared."""
import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware

from config.asgi import application
from timing import fastread, services
from timing.models import Race

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost")]
HOST = (b"host", b"localhost")
#: Django's and Daphne's per-response headers: not part of what is compared.
OWN = {b"date", b"server"}


async def follow(path):
    comm = WebsocketCommunicator(application, path, headers=ORIGIN)
    connected, _ = await comm.connect()
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "snapshot"
    return comm


async def get(path, *headers):
    return await HttpCommunicator(application, "GET", path, headers=[HOST, *headers]).get_response(timeout=5)


async def counted(path, *headers):
    """(response, which way it went): the READS counter is the process's own account."""
    before = dict(fastread.READS)
    response = await get(path, *headers)
    way = [k for k in fastread.READS if fastread.READS[k] != before[k]]
    assert len(way) == 1
    return response, way[0]


def header_set(response):
    return {(k.lower(), v) for k, v in response["headers"] if k.lower() not in OWN}


def race_version(race_id):
    return Race.objects.get(pk=race_id).version


@pytest.fixture
def race_id(startlist_race):
    services.start_pair(startlist_race.id, 1, services.REPLAY)
    return startlist_race.id


async def test_a_followed_race_is_answered_from_memory_exactly_as_django_answers(race_id):
    comm = await follow(f"/ws/races/{race_id}/")
    await database_sync_to_async(services.record_passing)(race_id, 1, "inner", 200, 18190, services.REPLAY)
    fast, way = await counted(f"/api/races/{race_id}/")
    assert way == "memory"
    # A query string is never answered from memory; Django ignores it: the same document.
    slow, way = await counted(f"/api/races/{race_id}/?via=django")
    assert way == "django"
    assert (fast["status"], fast["body"]) == (slow["status"], slow["body"]) == (200, slow["body"])
    assert header_set(fast) == header_set(slow)
    version = await database_sync_to_async(race_version)(race_id)
    assert dict(fast["headers"])[b"etag"] == f'"{race_id}-{version}"'.encode()
    await comm.disconnect()


async def test_a_matching_if_none_match_is_a_304_from_memory_with_django_headers(race_id):
    comm = await follow(f"/ws/races/{race_id}/")
    etag = dict((await get(f"/api/races/{race_id}/"))["headers"])[b"etag"]
    for sent in (etag, b'W/' + etag, b'"other", ' + etag, b"*"):
        fast, way = await counted(f"/api/races/{race_id}/", (b"if-none-match", sent))
        slow, _ = await counted(f"/api/races/{race_id}/?via=django", (b"if-none-match", sent))
        assert (way, fast["status"], fast["body"]) == ("memory", 304, b"")
        assert header_set(fast) == header_set(slow) and slow["status"] == 304
    stale, way = await counted(f"/api/races/{race_id}/", (b"if-none-match", b'"0-0"'))
    assert (way, stale["status"]) == ("memory", 200)
    await comm.disconnect()


async def test_a_write_of_this_process_is_served_by_its_next_read(race_id):
    """The hub hears the version as the write commits, before the writer's answer goes out."""
    comm = await follow(f"/ws/races/{race_id}/")
    for lane, ms in (("inner", 18190), ("outer", 18050)):
        await database_sync_to_async(services.record_passing)(race_id, 1, lane, 200, ms, services.REPLAY)
        response, way = await counted(f"/api/races/{race_id}/")
        version = await database_sync_to_async(race_version)(race_id)
        assert way == "memory"
        assert dict(response["headers"])[b"etag"] == f'"{race_id}-{version}"'.encode()
    await comm.disconnect()


async def test_a_race_nobody_here_follows_goes_to_django(race_id):
    """Not followed: the hub is in no group for it and would not hear another process's write."""
    response, way = await counted(f"/api/races/{race_id}/")
    assert (way, response["status"]) == ("django", 200)
    comm = await follow(f"/ws/races/{race_id}/")
    assert (await counted(f"/api/races/{race_id}/"))[1] == "memory"
    await comm.disconnect()
    assert (await counted(f"/api/races/{race_id}/"))[1] == "django"


async def test_what_django_would_refuse_or_redirect_still_goes_to_django(race_id, settings):
    comm = await follow(f"/ws/races/{race_id}/")
    response = await HttpCommunicator(application, "GET", f"/api/races/{race_id}/",
                                      headers=[(b"host", b"evil.example")]).get_response(timeout=5)
    assert response["status"] == 400
    # Django's SecurityMiddleware read the setting when the app was built, so only the choice of
    # way is checked here: an HTTPS redirect due is Django's to send.
    settings.SECURE_SSL_REDIRECT = True
    assert (await counted(f"/api/races/{race_id}/"))[1] == "django"
    secure, way = await counted(f"/api/races/{race_id}/", (b"x-forwarded-proto", b"https"))
    assert (way, secure["status"]) == ("memory", 200)
    settings.SECURE_SSL_REDIRECT = False
    unknown, way = await counted(f"/api/races/{race_id + 999}/")
    assert (way, unknown["status"]) == ("django", 404)
    await comm.disconnect()


async def test_the_hsts_header_is_the_one_django_sends_on_a_secure_request(race_id, settings, rf):
    settings.SECURE_HSTS_SECONDS = 3600
    # The app's SecurityMiddleware read its settings when built: a fresh one says what Django sends.
    django_says = SecurityMiddleware(lambda request: HttpResponse())(rf.get("/", secure=True))
    comm = await follow(f"/ws/races/{race_id}/")
    fast, way = await counted(f"/api/races/{race_id}/", (b"x-forwarded-proto", b"https"))
    assert way == "memory"
    assert dict(fast["headers"])[b"strict-transport-security"] == django_says["Strict-Transport-Security"].encode()
    plain, way = await counted(f"/api/races/{race_id}/")
    assert way == "memory" and b"strict-transport-security" not in dict(plain["headers"])
    await comm.disconnect()


async def test_a_followed_competition_is_answered_from_memory_too(race_id):
    comp_id = await database_sync_to_async(lambda: Race.objects.get(pk=race_id).competition_id)()
    comm = await follow(f"/ws/competitions/{comp_id}/")
    fast, way = await counted(f"/api/competitions/{comp_id}/")
    slow, _ = await counted(f"/api/competitions/{comp_id}/?via=django")
    assert way == "memory" and fast["body"] == slow["body"] and header_set(fast) == header_set(slow)
    await comm.disconnect()
