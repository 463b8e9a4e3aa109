"""Who may write through the JSON API, and what a write request must look like.

One decorator, so every endpoint states its rules in one line:

    @write_api(required={"pair": int}, optional={"restart": bool})
    def start(request, actor, data, race_id): ...

It answers 405 for anything but POST, 401 without credentials, 403 for a revoked token, a user
who is not an official or a failed CSRF check, 400 for a body that is not the JSON object the
endpoint expects, and replays the first answer to a retried Idempotency-Key. The view itself
calls the service layer and returns (status, data); a ServiceError becomes its JSON error.
"""
import functools
import hashlib
import json
from datetime import timedelta

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .devices import tokens
from .models import IdempotencyKey
from .services import Actor, ServiceError

PERMISSION = "timing.enter_times"
#: A write is a few dozen bytes; anything past this is a mistake or an attack.
MAX_BODY = 4096
#: How long a stored answer is kept for retries.
KEY_LIFETIME = timedelta(hours=24)
REPLAYED = "Idempotent-Replayed"


def error(status, message, field=None, **headers):
    response = JsonResponse({"error": message, "field": field}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering with the reason instead of its HTML page."""

    def _reject(self, request, reason):
        return reason

    def _accept(self, request):
        return None


def _csrf_failure(request):
    return _CsrfCheck(lambda r: None).process_view(request, None, (), {})


class Credential:
    def __init__(self, actor, ident):
        self.actor = actor
        self.ident = ident  # namespaces Idempotency-Keys: one caller never sees another's answers


def authenticate(request):
    """(Credential, None) for a valid device token or an official with a valid CSRF token,
    otherwise (None, an error response)."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None, error(401, "Send the device token as 'Authorization: Bearer <token>'.", "Authorization")
        token = tokens.find(raw.strip())
        if token is None:
            return None, error(401, "This device token is not known.", "Authorization", WWW_Authenticate="Bearer")
        if token.revoked:
            return None, error(403, f"The token of device '{token.name}' was revoked.", "Authorization")
        # Bearer requests skip CSRF: a browser never attaches this header on its own.
        return Credential(Actor.from_device(token.name), f"device:{token.pk}"), None
    user = request.user
    if not user.is_authenticated:
        return None, error(401, "Log in as an official or send a device token.", None, WWW_Authenticate="Bearer")
    if not user.has_perm(PERMISSION):
        return None, error(403, f"{user.get_username()} is not an official: only officials enter times.")
    reason = _csrf_failure(request)
    if reason:
        return None, error(403, f"CSRF check failed ({reason}); reload the page and try again.", "csrf")
    return Credential(Actor.official(user), f"user:{user.pk}"), None


def parse_body(request, required, optional):
    """The body as a dict holding only the declared fields with the declared types."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raw = None
    except RawPostDataException:
        # The CSRF check read a multipart body as a form stream, so it cannot be read again:
        # it was not the JSON this API takes anyway.
        raise ServiceError("The body is not valid JSON.", "body") from None
    if raw is None or len(raw) > MAX_BODY:
        raise ServiceError(f"The body is too large: a write is under {MAX_BODY} bytes.", "body")
    if not raw.strip():
        data = {}
    else:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):  # "[[[[...": 4 KiB nest deeper than Python recurses
            raise ServiceError("The body is not valid JSON.", "body") from None
    if not isinstance(data, dict):
        raise ServiceError("The body must be a JSON object, such as {\"pair\": 15}.", "body")
    fields = {**required, **optional}
    for name in data:
        if name not in fields:
            known = ", ".join(fields) or "none"
            raise ServiceError(f"Unknown field '{str(name)[:40]}'; this endpoint takes: {known}.", str(name)[:40])
    for name, kind in fields.items():
        if name not in data:
            if name in required:
                raise ServiceError(f"'{name}' is missing.", name)
            continue
        value = data[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ServiceError(f"'{name}' must be a whole number.", name)
        if kind is not int and not isinstance(value, kind):
            raise ServiceError(f"'{name}' must be {_KIND_NAMES[kind]}.", name)
    return data


_KIND_NAMES = {str: "text", bool: "true or false", int: "a whole number"}


def _answer(view, request, actor, data, kwargs):
    try:
        status, payload = view(request, actor, data, **kwargs)
    except ServiceError as e:
        return error(e.status, e.message, e.field)
    return JsonResponse(payload, status=status)


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


def _idempotent(request, credential, call):
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


def write_api(required=None, optional=None):
    """POST, an official or a device, a JSON object of exactly these fields, Idempotency-Key honoured."""
    required, optional = required or {}, optional or {}

    def decorate(view):
        @csrf_exempt  # checked in authenticate() for sessions; bearer requests need none
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            if request.method != "POST":
                return error(405, f"Use POST for {request.path}.", None, Allow="POST")
            credential, refused = authenticate(request)
            if refused:
                return refused
            try:
                data = parse_body(request, required, optional)
            except ServiceError as e:
                return error(e.status, e.message, e.field)
            return _idempotent(request, credential, lambda: _answer(view, request, credential.actor, data, kwargs))

        return wrapper

    return decorate
