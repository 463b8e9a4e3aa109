"""Idempotency-Key: a retried write returns the first answer and stores nothing new."""
import threading

import pytest
from django.db import connection

from tests.callers import callers, fast_password_hashing, make_caller, unchanged  # noqa: F401
from timing.models import Change, IdempotencyKey, Passing

pytestmark = pytest.mark.django_db

# "confirm": pair 15 has not started, a soft warning for an official (tests/test_soft_warnings.py)
BODY = {"pair": 15, "lane": "outer", "distance": 200, "time": "17.68", "confirm": True}


def url(race):
    return f"/api/races/{race.id}/passings"


@pytest.mark.parametrize("who", ["official", "device"])
def test_a_retried_request_returns_the_first_answer_and_stores_one_passing(who, callers, startlist_race):
    first = callers[who].post(url(startlist_race), BODY, headers={"Idempotency-Key": "entry-1"})
    changes = Change.objects.count()
    again = callers[who].post(url(startlist_race), BODY, headers={"Idempotency-Key": "entry-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Passing.objects.count() == 1 and Change.objects.count() == changes


def test_without_a_key_a_repeat_is_a_conflict(callers, startlist_race):
    assert callers["device"].post(url(startlist_race), BODY).status_code == 201
    assert callers["device"].post(url(startlist_race), BODY).status_code == 409
    assert Passing.objects.count() == 1


def test_a_key_reused_for_a_different_request_is_refused_with_422(callers, startlist_race, unchanged):  # noqa: F811
    assert callers["device"].post(url(startlist_race), BODY, headers={"Idempotency-Key": "entry-1"}).status_code == 201
    with unchanged(startlist_race.id):
        response = callers["device"].post(url(startlist_race), {**BODY, "time": "17.70"}, headers={"Idempotency-Key": "entry-1"})
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"


def test_keys_belong_to_one_caller(callers, startlist_race, official, spectator_user):
    other = make_caller("device", official, spectator_user, device="backup-timer")  # a second device with its own token
    assert callers["device"].post(url(startlist_race), BODY, headers={"Idempotency-Key": "shared"}).status_code == 201
    response = other.post(url(startlist_race), BODY, headers={"Idempotency-Key": "shared"})
    assert response.status_code == 409  # handled afresh: it is not the first device's answer
    assert Passing.objects.count() == 1


def test_a_refused_request_is_not_remembered(callers, startlist_race):
    closed = {**BODY, "pair": 99}
    assert callers["device"].post(url(startlist_race), closed, headers={"Idempotency-Key": "k"}).status_code == 404
    assert IdempotencyKey.objects.count() == 0
    # The same key now goes through once the request is one that can be written.
    assert callers["device"].post(url(startlist_race), BODY, headers={"Idempotency-Key": "k"}).status_code == 201
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.parametrize("key", ["", "a" * 201, "with space", "ünïcode"])
def test_it_rejects_an_unusable_key_with_400(key, callers, startlist_race, unchanged):  # noqa: F811
    with unchanged(startlist_race.id):
        response = callers["device"].client.post(
            url(startlist_race), data=BODY, content_type="application/json",
            headers={**callers["device"].headers, "Idempotency-Key": key},
        )
    assert response.status_code == 400 and response.json()["field"] == "Idempotency-Key"


@pytest.mark.django_db(transaction=True)
def test_concurrent_twins_store_one_passing_and_get_the_same_answer(callers, startlist_race):
    """Two copies of one request racing (a double Enter on two connections) write once."""
    device = callers["device"]
    answers = []
    barrier = threading.Barrier(4)

    def send():
        barrier.wait()
        try:
            r = device.post(url(startlist_race), BODY, headers={"Idempotency-Key": "twin"})
            answers.append((r.status_code, r.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [status for status, _ in answers] == [201] * 4
    assert len({body for _, body in answers}) == 1
    assert Passing.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def _sweep_due(monkeypatch, due):
    from timing import idempotency

    monkeypatch.setattr(idempotency, "_last_sweep", float("-inf") if due else __import__("time").monotonic())


def test_expired_keys_are_deleted_by_the_first_write_once_the_sweep_is_due(callers, startlist_race, monkeypatch):
    from django.utils import timezone

    from timing.idempotency import KEY_LIFETIME

    old = IdempotencyKey.objects.create(credential="device:99", key="old", fingerprint="x", status=201, body="{}")
    young = IdempotencyKey.objects.create(credential="device:99", key="young", fingerprint="x", status=201, body="{}")
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - KEY_LIFETIME - timezone.timedelta(minutes=1))
    _sweep_due(monkeypatch, due=False)
    assert callers["device"].post(url(startlist_race), BODY, headers={"Idempotency-Key": "a"}).status_code == 201
    assert IdempotencyKey.objects.filter(pk=old.pk).exists()  # not yet: the last sweep was just now
    _sweep_due(monkeypatch, due=True)
    assert callers["device"].post(url(startlist_race), {**BODY, "pair": 14}, headers={"Idempotency-Key": "b"}).status_code == 201
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"young", "a", "b"}


def test_a_write_between_sweeps_runs_no_delete_and_no_lookup_before_its_insert(callers, startlist_race, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    _sweep_due(monkeypatch, due=False)
    with CaptureQueriesContext(connection) as seen:
        assert callers["device"].post(url(startlist_race), BODY, headers={"Idempotency-Key": "k1"}).status_code == 201
    sql = [q["sql"] for q in seen.captured_queries if "timing_idempotencykey" in q["sql"]]
    assert [s.split()[0] for s in sql] == ["INSERT", "UPDATE"], sql
