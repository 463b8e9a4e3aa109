"""Idempotency-Key: a retried write gets the first answer instead of being written twice."""
import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from .bodies import error
from .models import IdempotencyKey

#: How long a stored answer is kept for retries.
KEY_LIFETIME = timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"


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
    found = IdempotencyKey.objects.filter(credential=credential.ident, key=key).first()
    if found is not None:
        return _replay(found, fingerprint)
    try:
        with transaction.atomic():
            # Inserted first: a concurrent twin blocks on the unique index until this commits.
            record = IdempotencyKey.objects.create(credential=credential.ident, key=key, fingerprint=fingerprint)
            response = call()
            if 200 <= response.status_code < 300:
                record.status, record.body = response.status_code, response.content.decode()
                record.save(update_fields=["status", "body"])
                IdempotencyKey.objects.filter(
                    credential=credential.ident, created_at__lt=timezone.now() - KEY_LIFETIME
                ).delete()
            else:
                transaction.set_rollback(True)
    except IntegrityError:
        found = IdempotencyKey.objects.filter(credential=credential.ident, key=key).first()
        if found is None:
            return error(409, "A request with this Idempotency-Key is still being handled; retry.", "Idempotency-Key")
        return _replay(found, fingerprint)
    return response
