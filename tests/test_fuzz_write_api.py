"""Hypothesis against every write endpoint: whatever arrives, the answer is a 4xx (or a 2xx for a
write that happens to be valid), never a 500, and a refusal leaves the race exactly as it was:
snapshot, version, audit trail, passings and stored idempotency keys.

Bodies: JSON of every type in every field (huge and negative numbers, floats, NaN, unicode, nested
lists and objects), unknown keys, truncated JSON, random bytes, bodies past the size limit, wrong
content types; headers: weird Idempotency-Keys and Authorization values. Callers: a device token,
and an official's session with CSRF (whose check reads the form body first, a path of its own).
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.callers import callers, fast_password_hashing, state_of  # noqa: F401
from timing import services

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: endpoint -> (url for (race id, a passing id), a valid body, its fields)
ENDPOINTS = {
    "passings": (lambda r, p: f"/api/races/{r}/passings", {"pair": 3, "lane": "outer", "distance": 200, "time": "18.50"}),
    "start": (lambda r, p: f"/api/races/{r}/pairs/3/start", {"restart": False}),
    "status": (lambda r, p: f"/api/races/{r}/status", {"pair": 4, "lane": "inner", "status": "DQ", "reason": "false starts"}),
    "fall": (lambda r, p: f"/api/races/{r}/fall", {"pair": 4, "lane": "inner", "fell": True}),
    "current-pair": (lambda r, p: f"/api/races/{r}/current-pair", {"pair": 3}),
    "state": (lambda r, p: f"/api/races/{r}/state", {"state": "final", "reason": "done"}),
    "correct": (lambda r, p: f"/api/passings/{p}/correct", {"time_ms": 18060, "reason": "photo finish"}),
    "void": (lambda r, p: f"/api/passings/{p}/void", {"reason": "misread"}),
}
FIELDS = sorted({k for _, body in ENDPOINTS.values() for k in body} | {"time", "time_ms"})

json_scalars = (
    st.none() | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30) | st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**400])
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
    | st.sampled_from(["", " ", "inner", "outer", "OK", "DQ", "live", "final", "18.50", "-18.50", "1:12.31",
                       "99:99.99", "0", "١٨.٥٠", "18,50", "\u0000", "💥" * 50, "a" * 5000])
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=10)
field_names = st.sampled_from(FIELDS) | st.text(max_size=20)


@st.composite
def bodies(draw):
    """A JSON body for `endpoint`: mostly its own fields with anything in them, sometimes more."""
    endpoint = draw(st.sampled_from(list(ENDPOINTS)))
    valid = ENDPOINTS[endpoint][1]
    kind = draw(st.sampled_from(["mutate", "random", "not-an-object"]))
    if kind == "mutate":  # the valid body with some fields replaced, dropped or added
        body = dict(valid)
        for name in draw(st.lists(field_names, max_size=3)):
            if draw(st.booleans()):
                body[name] = draw(json_values)
            else:
                body.pop(name, None)
    elif kind == "random":
        body = draw(st.dictionaries(field_names, json_values, max_size=6))
    else:
        body = draw(json_values)
    return endpoint, body


CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data; boundary=xyz", "multipart/form-data", "", "application/json; charset=utf-16",
                 "application/octet-stream"]


@st.composite
def raw_bodies(draw):
    endpoint = draw(st.sampled_from(list(ENDPOINTS)))
    text = json.dumps(ENDPOINTS[endpoint][1]).encode()
    kind = draw(st.sampled_from(["truncated", "bytes", "huge", "form", "utf16", "deep"]))
    if kind == "truncated":
        raw = text[: draw(st.integers(0, len(text) - 1))]
    elif kind == "bytes":
        raw = draw(st.binary(max_size=300))
    elif kind == "huge":  # past MAX_BODY (4 KiB) and past DATA_UPLOAD_MAX_MEMORY_SIZE (64 KiB)
        raw = text[:-1] + b', "pad": "' + b"x" * draw(st.sampled_from([5000, 70_000, 300_000])) + b'"}'
    elif kind == "form":
        raw = b"pair=3&lane=outer&distance=200&time=18.50&csrfmiddlewaretoken=x"
    elif kind == "utf16":
        raw = text.decode().encode("utf-16")
    else:  # nesting past the JSON parser's recursion limit, within the size limit or not
        depth = draw(st.sampled_from([1500, 2040, 100_000]))
        raw = b"[" * depth + b"]" * depth
    return endpoint, raw, draw(st.sampled_from(CONTENT_TYPES))


header_text = st.text(st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="\r\n"), max_size=300)


@pytest.fixture
def race(startlist_race):
    """The start list with pair 1 started and one time to correct or void."""
    services.start_pair(startlist_race.id, 1, services.REPLAY)
    passing = services.record_passing(startlist_race.id, 1, "outer", 200, 18050, services.REPLAY)
    return startlist_race.id, passing.id


def check(race_id, post):
    """Send via `post()`; assert never 5xx, and a 4xx changed nothing."""
    before = state_of(race_id)
    response = post()
    assert response.status_code < 500, response.content[:500]
    assert 200 <= response.status_code < 300 or 400 <= response.status_code < 500, response.status_code
    if response.status_code >= 400:
        after = state_of(race_id)
        assert after[1:] == before[1:], f"a {response.status_code} changed the version, audit, passings or keys"
        assert after[0] == before[0], f"a {response.status_code} changed the snapshot"
    return response


@FUZZ
@given(case=bodies(), who=st.sampled_from(["device", "official"]), unicode_escape=st.booleans())
def test_it_answers_any_json_body_with_a_4xx_or_a_valid_write_and_never_500(race, callers, case, who, unicode_escape):  # noqa: F811
    race_id, passing_id = race
    endpoint, body = case
    url = ENDPOINTS[endpoint][0](race_id, passing_id)
    raw = json.dumps(body, ensure_ascii=unicode_escape)
    check(race_id, lambda: callers[who].post(url, raw=raw))


@FUZZ
@given(case=raw_bodies(), who=st.sampled_from(["device", "official"]))
def test_it_refuses_malformed_huge_and_mistyped_bodies_with_a_4xx_and_changes_nothing(race, callers, case, who):  # noqa: F811
    race_id, passing_id = race
    endpoint, raw, content_type = case
    caller = callers[who]
    url = ENDPOINTS[endpoint][0](race_id, passing_id)
    response = check(race_id, lambda: caller.client.generic("POST", url, raw, content_type=content_type, headers=caller.headers))
    try:
        parsed = json.loads(raw) if raw.strip() else {}  # an empty body is an empty object (start)
    except (ValueError, RecursionError):
        parsed = None
    if not isinstance(parsed, dict) or len(raw) > 4096:
        assert 400 <= response.status_code < 500, response


@FUZZ
@given(endpoint=st.sampled_from(list(ENDPOINTS)), key=st.none() | header_text,
       authorization=st.none() | header_text | st.builds(lambda t: f"Bearer {t}", header_text)
       | st.sampled_from(["Bearer", "Bearer ", "bearer oval_", "Basic dXNlcjpwYXNz", "Bearer " + "a" * 5000]),
       who=st.sampled_from(["device", "official", "anonymous"]))
def test_it_refuses_weird_idempotency_keys_and_authorization_headers_without_a_500(race, callers, endpoint, key, authorization, who):  # noqa: F811
    race_id, passing_id = race
    caller = callers[who]
    headers = dict(caller.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    if authorization is not None:
        headers["Authorization"] = authorization  # replaces the device's own token: an unknown one
    url = ENDPOINTS[endpoint][0](race_id, passing_id)
    response = check(race_id, lambda: caller.client.post(url, json.dumps(ENDPOINTS[endpoint][1]),
                                                         content_type="application/json", headers=headers))
    if authorization is not None and who != "official":
        assert response.status_code in (401, 403), (authorization, response.status_code)
