"""Brakes: counters that slow an attacker down, kept in the "brakes" cache.

With REDIS_URL set that cache is Redis (config/settings.py), shared by every process: a brake
counted per process would be N times looser behind N processes, and nginx spreads one
attacker's requests over all of them. Without Redis there is one process and a local cache.

The login brake counts an attempt *before* the password is checked, with one atomic increment:
a limit read first and counted after the slow hash lets 30 parallel guesses all through.
"""
import functools
import hashlib
import logging
import unicodedata

from django.core.cache import caches
from django.shortcuts import render

log = logging.getLogger(__name__)

#: Attempts allowed per username and address within WINDOW seconds; a success clears the count.
MAX_FAILURES = 5
WINDOW = 5 * 60


def brakes():
    return caches["brakes"]


def count(key, window):
    """Count one more event under `key`; the count including this one. The window starts at the
    first event (cache.add), and incr is atomic in Redis and under LocMem's lock alike."""
    cache = brakes()
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return 1


def login_name(username):
    """The name a login counts under: NFKC, as Django's UsernameField reads it (so "ｐｌａｉｎ"
    logs in as "plain" and must count as "plain"), and casefolded, so "OFFICIAL" counts too."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def login_key(request):
    # REMOTE_ADDR as Daphne sets it: the peer, or with --proxy-headers the leftmost
    # X-Forwarded-For, which docs/deploy.md has nginx overwrite with the peer it saw.
    # Hashed: whatever a client types never reaches a cache key as such (spaces, control characters).
    name = hashlib.sha256(login_name(request.POST.get("username", "")).encode()).hexdigest()[:32]
    return f"login:{request.META.get('REMOTE_ADDR', '')}:{name}"


def login_brake(view):
    """Wrap a login view (ours and the admin's): past MAX_FAILURES attempts for this name from
    this address, answer 429 without checking the password."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = login_key(request)
        try:
            attempts = count(key, WINDOW)
        except Exception:  # noqa: BLE001 - Redis down or unreachable: whatever the client raised
            # Fail closed: an uncounted attempt is an unbraked one.
            log.exception("The login brake cannot count: refusing logins until its cache answers.")
            response = render(request, "registration/locked.html", {"unavailable": True}, status=503)
            response["Retry-After"] = "30"
            return response
        if attempts > MAX_FAILURES:
            response = render(request, "registration/locked.html", {"minutes": WINDOW // 60}, status=429)
            response["Retry-After"] = str(WINDOW)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 302 and request.user.is_authenticated:  # logged in
            try:
                brakes().delete(key)
            except Exception:  # noqa: BLE001 - the count then lapses with its window
                log.exception("The login brake could not clear a count after a successful login.")
        return response

    return wrapper
