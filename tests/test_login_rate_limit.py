"""Login is braked per username and address: five attempts, then 429 for five minutes, on our
login page and the admin's alike; the name counts however it is spelled. (The parallel and the
multi-process cases run against real servers in tests/test_login_brake_server.py.)"""
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory

from tests.callers import fast_password_hashing  # noqa: F401
from timing import brakes

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
PAGES = ["/login/", "/admin/login/"]


@pytest.fixture
def staff_official(official):
    official.is_staff = True  # the demo official is staff, so the admin's login takes it
    official.save()
    return official


def attempt(username, password, addr="10.0.0.1", client=None, page="/login/"):
    return (client or Client()).post(page, {"username": username, "password": password}, REMOTE_ADDR=addr)


def fail(times, username="official", addr="10.0.0.1", page="/login/"):
    for _ in range(times):
        assert attempt(username, "wrong", addr, page=page).status_code == 200


def logged_in(client):
    return client.get("/officials/").status_code == 200


def test_the_right_password_logs_an_official_in(official):
    client = Client()
    response = attempt("official", PASSWORD, client=client)
    assert response.status_code == 302 and response["Location"] == "/officials/"
    assert logged_in(client)


def test_a_wrong_password_is_explained(official):
    assert b"do not match" in attempt("official", "wrong").content


def test_after_five_failures_even_the_right_password_gets_429_and_no_session(official):
    fail(5)
    client = Client()
    response = attempt("official", PASSWORD, client=client)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content and response["Retry-After"] == "300"
    assert not logged_in(client)  # the same client that sent the right password


def test_four_failures_still_let_the_official_in(official):
    fail(4)
    client = Client()
    assert attempt("official", PASSWORD, client=client).status_code == 302
    assert logged_in(client)


def test_the_limit_is_per_username_and_address(official, spectator_user):
    fail(5)
    assert attempt("official", PASSWORD, addr="10.0.0.2").status_code == 302
    assert attempt("fan", PASSWORD).status_code == 302
    assert attempt("OFFICIAL", PASSWORD).status_code == 429  # the same name, differently typed


def test_django_logs_a_fullwidth_spelling_in_as_the_plain_name(official):
    """Why the brake must normalise: the login form reads a name through NFKC."""
    client = Client()
    assert attempt("ｏｆｆｉｃｉａｌ", PASSWORD, client=client).status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize("spelling", ["ｏｆｆｉｃｉａｌ", "ＯＦＦＩＣＩＡＬ", "oﬃcial", " official "])
def test_compatibility_spellings_of_a_name_share_its_count(official, spelling):
    fail(5, username=spelling)
    assert attempt("official", PASSWORD).status_code == 429
    assert attempt("ｏｆｆｉｃｉａｌ", PASSWORD).status_code == 429


@pytest.mark.parametrize("page", PAGES)
def test_the_admin_login_is_braked_too(staff_official, page):
    fail(5, page=page)
    client = Client()
    response = attempt("official", PASSWORD, client=client, page="/admin/login/")
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still sent to log in


def test_one_count_for_both_login_pages(staff_official):
    fail(3, page="/login/")
    fail(2, page="/admin/login/")
    assert attempt("official", PASSWORD).status_code == 429
    assert attempt("official", PASSWORD, page="/admin/login/").status_code == 429


def test_the_admin_login_still_works_and_clears_the_count(staff_official):
    fail(4, page="/admin/login/")
    client = Client()
    assert attempt("official", PASSWORD, client=client, page="/admin/login/").status_code == 302
    assert client.get("/admin/").status_code == 200
    fail(4, page="/admin/login/")
    assert attempt("official", PASSWORD, page="/admin/login/").status_code == 302


def test_a_success_clears_the_count(official):
    fail(4)
    assert attempt("official", PASSWORD).status_code == 302
    fail(4)
    assert attempt("official", PASSWORD).status_code == 302


def test_the_lock_lifts_when_the_window_has_passed(official, monkeypatch):
    monkeypatch.setattr(brakes, "WINDOW", 1)
    fail(5)
    assert attempt("official", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert attempt("official", PASSWORD).status_code == 302


def test_an_attempt_is_counted_before_the_password_is_checked(official):
    """What makes parallel guesses harmless: when the password is checked, the count already
    holds this attempt (the real-server proof is in test_login_brake_server.py)."""
    seen = []

    def view(request):
        seen.append(brakes.brakes().get(brakes.login_key(request)))
        return HttpResponse()

    request = RequestFactory().post("/login/", {"username": "official", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    request.user = AnonymousUser()
    brakes.login_brake(view)(request)
    brakes.login_brake(view)(request)
    assert seen == [1, 2]


def test_without_its_cache_the_brake_refuses_logins_with_503(official, settings):
    """Redis down: an attempt that cannot be counted is not checked either (fails closed)."""
    from tests.procs import free_port

    settings.CACHES = {**settings.CACHES, "brakes": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}
    client = Client()
    response = attempt("official", PASSWORD, client=client)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert b"cannot reach its shared store" in response.content
    assert not logged_in(client)
