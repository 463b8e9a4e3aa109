"""Idempotency-Key: a retried write gets the first answer instead of being written twice."""
import hashlib
import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from .bodies import error
from .models import IdempotencyKey

#: How long a stored answer is kept for retries.
KEY_LIFETIME = timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"
#: Expired keys are deleted by the first successful write after this many seconds, not by every
#: write: the delete was one of a write's few statements, and a key kept a little past its 24 h
#: does no harm (it can only replay an answer its sender already had).
SWEEP_EVERY = 300
_last_sweep = float("-inf")


def _fingerprint(request):
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), request.body])).hexdigest()


def _replay(stored, fingerprint):
    if stored.fingerprint != fingerprint:
        return error(422, "This Idempotency-Key was already used for a different request; use a new key.",
                     "Idempotency-Key")
    response = HttpResponse(stored.body, status=stored.status, content_type="application/json")
    response[REPLAYED] = "true"
    return response


def _valid_key(key):
    return 0 < len(key) <= 200 and all(33 <= ord(c) < 127 for c in key)


def idempotent(request, credential, call):
    """Run `call` once per (credential, Idempotency-Key): the key row and the write commit together,
    so a retry finds either both or neither. Refused requests are not remembered."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return call()
    if not _valid_key(key):
        return error(400, "An Idempotency-Key is 1 to 200 visible ASCII characters (a UUID will do).", "Idempotency-Key")
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            # Inserted first, with no lookup before it: a key seen before (a retry) fails on the
            # unique index, and a concurrent twin blocks on it until this commits.
            record = IdempotencyKey.objects.create(credential=credential.ident, key=key, fingerprint=fingerprint)
            response = call()
            if 200 <= response.status_code < 300:
                record.status, record.body = response.status_code, response.content.decode()
                record.save(update_fields=["status", "body"])
                _sweep()
            else:
                transaction.set_rollback(True)
    except IntegrityError:
        found = IdempotencyKey.objects.filter(credential=credential.ident, key=key).first()
        if found is None:
            return error(409, "A request with this Idempotency-Key is still being handled; retry.", "Idempotency-Key")
        return _replay(found, fingerprint)
    return response


def _sweep():
    """Delete every credential's expired keys, at most once per SWEEP_EVERY in this process."""
    global _last_sweep
    now = time.monotonic()
    if now - _last_sweep >= SWEEP_EVERY:
        _last_sweep = now
        IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEY_LIFETIME).delete()
