"""Login is rate-limited per username and address: five failures, then 429 for five minutes."""
import time

import pytest
from django.core.cache import cache
from django.test import Client

from tests.callers import fast_password_hashing  # noqa: F401
from timing import officials

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(username, password, addr="10.0.0.1", client=None):
    return (client or Client()).post("/login/", {"username": username, "password": password}, REMOTE_ADDR=addr)


def fail(times, username="official", addr="10.0.0.1"):
    for _ in range(times):
        assert attempt(username, "wrong", addr).status_code == 200


def test_the_right_password_logs_an_official_in(official):
    response = attempt("official", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/officials/"


def test_a_wrong_password_is_explained(official):
    assert b"do not match" in attempt("official", "wrong").content


def test_after_five_failures_even_the_right_password_gets_429(official):
    fail(5)
    response = attempt("official", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content and response["Retry-After"] == "300"
    assert "_auth_user_id" not in Client().session


def test_four_failures_still_let_the_official_in(official):
    fail(4)
    assert attempt("official", PASSWORD).status_code == 302


def test_the_limit_is_per_username_and_address(official, spectator_user):
    fail(5)
    assert attempt("official", PASSWORD, addr="10.0.0.2").status_code == 302
    assert attempt("fan", PASSWORD).status_code == 302
    assert attempt("OFFICIAL", PASSWORD).status_code == 429  # the same name, differently typed


def test_a_success_clears_the_count(official):
    fail(4)
    assert attempt("official", PASSWORD).status_code == 302
    fail(4)
    assert attempt("official", PASSWORD).status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(official, monkeypatch):
    monkeypatch.setattr(officials, "WINDOW", 1)
    fail(5)
    assert attempt("official", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert attempt("official", PASSWORD).status_code == 302
