"""The five callers every write endpoint is tested with, and a check that a refusal changed nothing.

Import the fixtures into a test module:
`from tests.callers import caller, callers, fast_password_hashing, unchanged  # noqa: F401`.
"""
import contextlib
import json

import pytest
from django.test import Client

from timing.devices import tokens
from timing.models import Change, Crossing, HeldSplit, IdempotencyKey, Passing, Race

#: caller name -> the status a write gets before its body is even looked at (None: allowed)
REFUSED = {"official": None, "device": None, "revoked": 403, "anonymous": 401, "spectator": 403}
CALLER_NAMES = list(REFUSED)


class Caller:
    """A client that writes as one kind of caller: session + CSRF, or a bearer token, or nothing."""

    def __init__(self, name, client, headers=None):
        self.name = name
        self.client = client
        self.headers = dict(headers or {})

    def post(self, url, body=None, raw=None, headers=None, **kwargs):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        extra = {**self.headers, **(headers or {})}
        return self.client.post(url, data=data, content_type="application/json", headers=extra, **kwargs)

    def put(self, url, raw, content_type, headers=None):
        return self.client.put(url, data=raw, content_type=content_type, headers={**self.headers, **(headers or {})})

    def get(self, url, **kwargs):
        return self.client.get(url, headers=self.headers, **kwargs)


def session_caller(name, user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/login/")  # the page sets the CSRF cookie, as the console page does
    return Caller(name, client, {"X-CSRFToken": client.cookies["csrftoken"].value})


def make_caller(name, official, spectator_user, device="device-device"):
    if name == "official":
        return session_caller(name, official)
    if name == "spectator":
        return session_caller(name, spectator_user)
    if name == "anonymous":
        return Caller(name, Client(enforce_csrf_checks=True))
    token, raw = tokens.issue(device if name == "device" else f"{name}-device")
    if name == "revoked":
        tokens.revoke(token)
    return Caller(name, Client(enforce_csrf_checks=True), {"Authorization": f"Bearer {raw}"})


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 at full strength costs half a second per user; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(params=CALLER_NAMES)
def caller(request, official, spectator_user):
    return make_caller(request.param, official, spectator_user)


@pytest.fixture
def callers(official, spectator_user):
    """name -> Caller, for tests that need several at once."""
    return {name: make_caller(name, official, spectator_user) for name in CALLER_NAMES}


def state_of(race_id):
    from tests.conftest import snapshot

    return (
        snapshot(race_id),
        Race.objects.get(pk=race_id).version,
        Change.objects.count(),
        list(Passing.objects.order_by("id").values()),
        list(Crossing.objects.order_by("id").values()),
        IdempotencyKey.objects.count(),
        list(HeldSplit.objects.order_by("id").values()),
    )


@contextlib.contextmanager
def _unchanged(race_id):
    before = state_of(race_id)
    yield
    after = state_of(race_id)
    assert after[1:] == before[1:], "a refused write changed the version, the audit trail, a passing, the keys or a held split"
    assert after[0] == before[0], "a refused write changed the snapshot"


@pytest.fixture
def unchanged():
    """`with unchanged(race.id): ...` asserts the race, its passings and the audit trail stay as they were."""
    return _unchanged
