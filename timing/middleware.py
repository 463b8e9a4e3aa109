"""Oval's own middleware: a Content-Security-Policy its pages satisfy, pages in the reader's
language, and a 503 when the database is away."""
import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from .services import DATABASE_AWAY

log = logging.getLogger("timing.api")

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return middleware


class PageLocaleMiddleware(LocaleMiddleware):
    """Django's language choice for the pages, never for the JSON API under /api/: its documents
    and messages are one language for every reader, so they must not say `Vary: Accept-Language`
    (a CDN would then keep one copy per browser language) nor a Content-Language."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        else:
            super().process_request(request)

    def process_response(self, request, response):
        if request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)


#: Seconds a device or console waits before retrying a write the database could not take.
RETRY_AFTER_S = 5


class DatabaseUnavailable:
    """The database went away (a restart, a failover, a full disk): the API answers 503 with
    Retry-After and the usual {error, field}, never a 500 page.

    Nothing is half written: every write is one transaction (services._write), and the
    Idempotency-Key row commits in that same transaction, so the retry with the same key that
    the 503 invites stores the write exactly once. Pages keep Django's own 500: a person reloads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/") or not isinstance(exception, DATABASE_AWAY):
            return None
        log.warning("%s %s: database unavailable: %s", request.method, request.path, str(exception).strip()[:200])
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        response = JsonResponse({"error": (
            "Not saved yet: the results database is not reachable right now. Retry in "
            f"{RETRY_AFTER_S} s with the same Idempotency-Key: the write is then stored once."), "field": None},
            status=503)
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response
