"""What a CDN or a caching proxy in front of Oval needs to be told, and is.

Public reads: `Cache-Control: public, max-age=N` (N > 0), an ETag and a 304 for it, no `Vary` on
Cookie (a CDN would then keep one copy per visitor's cookies, that is, none), no `Set-Cookie`
(a CDN refuses to store such an answer, or worse, hands one visitor's cookie to all), and
`Access-Control-Allow-Origin: *`; the same when an official with a session cookie reads them, and
the same from memory (timing/fastread.py). Writes and officials' pages: `private, no-store`, so
no shared cache keeps what one official or device was told.
"""
import pytest
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.test import Client

from config.asgi import application
from tests.callers import session_caller
from timing import classifications, services
from timing.devices import tokens
from timing.rules.classification import CUSTOM

pytestmark = pytest.mark.django_db


def public_paths(race):
    comp = race.competition
    table = classifications.create_classification(comp.id, "Points", CUSTOM, [race.id], services.IMPORT)
    return ["/api/races/", f"/api/races/{race.id}/", f"/api/competitions/{comp.id}/",
            f"/api/competitions/{comp.id}/results", f"/api/classifications/{table.id}/"]


def assert_cdn_cacheable(response, path):
    control = [part.strip() for part in response["Cache-Control"].split(",")]
    assert "public" in control, (path, control)
    ages = [int(p.split("=")[1]) for p in control if p.startswith("max-age=")]
    assert ages and ages[0] > 0, (path, control)
    assert not {"private", "no-store", "no-cache"} & set(control), (path, control)
    assert response["ETag"].startswith('"'), path
    assert response["Access-Control-Allow-Origin"] == "*", path
    assert "cookie" not in response.get("Vary", "").lower(), (path, response.get("Vary"))
    assert "accept-language" not in response.get("Vary", "").lower(), (path, response.get("Vary"))
    assert "Set-Cookie" not in response and not response.cookies, (path, response.cookies)


def assert_private(response, what):
    control = [part.strip() for part in response.get("Cache-Control", "").split(",")]
    assert "private" in control and "no-store" in control, (what, control)
    assert "public" not in control, what


@pytest.fixture
def race(demo_race):
    return demo_race


def test_every_public_read_tells_a_cdn_it_may_keep_it_and_revalidate_it(client, race):
    for path in public_paths(race):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_cdn_cacheable(response, path)
        again = client.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304 and again.content == b"", path
        assert_cdn_cacheable(again, path)
        assert again["ETag"] == response["ETag"]


def test_a_logged_in_officials_reads_carry_no_cookie_and_no_vary_on_it(official, race):
    """An official reading the API in the browser sends the session and CSRF cookies: the answer
    must still be the one public copy, and must not set or refresh any cookie."""
    browser = session_caller("official", official)
    assert {"sessionid", "csrftoken"} <= set(browser.client.cookies)
    for path in public_paths(race):
        response = browser.get(path)
        assert response.status_code == 200, path
        assert_cdn_cacheable(response, path)


@pytest.mark.django_db(transaction=True)
async def test_the_reads_answered_from_memory_tell_a_cdn_the_same(startlist_race):
    race_id = startlist_race.id
    follower = WebsocketCommunicator(application, f"/ws/races/{race_id}/", headers=[(b"origin", b"http://localhost")])
    assert (await follower.connect())[0]
    await follower.receive_json_from(timeout=5)
    host = (b"host", b"localhost"), (b"cookie", b"sessionid=abc; csrftoken=def")
    first = await HttpCommunicator(application, "GET", f"/api/races/{race_id}/", headers=list(host)).get_response()
    headers = {k.decode().lower(): v.decode() for k, v in first["headers"]}
    assert first["status"] == 200 and headers["cache-control"] == "public, max-age=1"
    assert headers["access-control-allow-origin"] == "*" and headers["etag"].startswith('"')
    assert "vary" not in headers and "set-cookie" not in headers
    again = await HttpCommunicator(application, "GET", f"/api/races/{race_id}/",
                                   headers=[*host, (b"if-none-match", headers["etag"].encode())]).get_response()
    assert again["status"] == 304
    await follower.disconnect()


def test_writes_and_officials_business_are_private_and_never_stored(official, race):
    desk = session_caller("official", official)
    ok = desk.post(f"/api/races/{race.id}/state", {"state": "live", "reason": "re-open"})
    assert ok.status_code == 200, ok.content
    assert_private(ok, "an official's write")
    refused = desk.post(f"/api/races/{race.id}/state", {"state": "nonsense"})
    assert refused.status_code == 400
    assert_private(refused, "a refused write")
    held = desk.get(f"/api/races/{race.id}/held")
    assert held.status_code == 200
    assert_private(held, "the held splits")
    assert_private(desk.get("/officials/"), "the officials' console")
    _, raw = tokens.issue("gate")
    device = Client().post(f"/api/races/{race.id}/state", {"state": "final"}, content_type="application/json",
                           headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "k1"})
    assert device.status_code == 200, device.content
    assert_private(device, "a device's write")
    replayed = Client().post(f"/api/races/{race.id}/state", {"state": "final"}, content_type="application/json",
                             headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "k1"})
    assert replayed["Idempotent-Replayed"] == "true"
    assert_private(replayed, "a replayed write")
