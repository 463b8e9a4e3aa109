"""A write body is one unambiguous JSON object sent as application/json (timing/bodies.py)."""
import pytest

from tests.callers import callers, fast_password_hashing, unchanged  # noqa: F401
from timing.models import Passing

pytestmark = pytest.mark.django_db

BODY = '{"pair": 1, "lane": "outer", "distance": 200, "time_ms": 18050}'


def url(race):
    return f"/api/races/{race.id}/passings"


def post(caller, path, raw, content_type):
    return caller.client.generic("POST", path, raw, content_type=content_type, headers=caller.headers)


@pytest.mark.parametrize("who", ["device", "official"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                          "application/jsonx", "text/json", ""])
def test_a_json_body_under_another_content_type_is_refused_with_415(callers, startlist_race, unchanged, who, content_type):  # noqa: F811
    """text/plain is what a foreign page's <form enctype> can send without a CORS preflight."""
    with unchanged(startlist_race.id):
        response = post(callers[who], url(startlist_race), BODY, content_type)
    assert response.status_code == 415, response.content
    assert response.json()["field"] == "Content-Type" and "application/json" in response.json()["error"]


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"])
def test_application_json_with_or_without_a_charset_is_taken(callers, startlist_race, content_type):
    callers["device"].post(f"/api/races/{startlist_race.id}/pairs/1/start")
    assert post(callers["device"], url(startlist_race), BODY, content_type).status_code == 201


def test_an_empty_body_needs_no_content_type(callers, startlist_race):
    assert post(callers["device"], f"/api/races/{startlist_race.id}/pairs/1/start", "", "").status_code == 200


@pytest.mark.parametrize("raw, key", [
    ('{"pair": 1, "pair": 15, "lane": "outer", "distance": 200, "time_ms": 18050}', "pair"),
    ('{"pair": 1, "lane": "outer", "distance": 200, "time_ms": 18050, "time_ms": 17000}', "time_ms"),
    ('{"pair": 1, "lane": "outer", "lane": "inner", "distance": 200, "time": "18.05"}', "lane"),
])
def test_a_key_sent_twice_is_refused_whatever_the_values(callers, startlist_race, unchanged, raw, key):  # noqa: F811
    callers["device"].post(f"/api/races/{startlist_race.id}/pairs/1/start")
    with unchanged(startlist_race.id):
        response = post(callers["device"], url(startlist_race), raw, "application/json")
    assert response.status_code == 400
    assert response.json() == {"error": f"The key '{key}' appears twice in the body; send it once.", "field": key}
    assert Passing.objects.count() == 0


def test_a_start_list_document_with_a_key_sent_twice_is_refused(callers, startlist_race, unchanged):  # noqa: F811
    raw = ('{"starts": [{"pair": 1, "lane": "inner", "name": "Femke Kok", "nation": "NED"}],'
           ' "starts": [{"pair": 1, "lane": "inner", "name": "Someone Else", "nation": "USA"}]}')
    with unchanged(startlist_race.id):
        response = callers["official"].put(f"/api/races/{startlist_race.id}/startlist", raw, "application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "starts" and "appears twice" in response.json()["error"]
