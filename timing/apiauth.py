"""The write API's one decorator, so every endpoint states its rules in one line:

    @write_api(required={"pair": int}, optional={"restart": bool})
    def start(request, actor, data, race_id): ...

It composes three jobs, each in its own module: who is writing and whether they may write to the
target's competition (timing/credentials.py and timing/access.py: 401/403, CSRF for sessions), what the body must be (timing/bodies.py: 400/415), and retries
(timing/idempotency.py: the first answer replayed). 405 for any other method than the endpoint's. The view itself
calls the service layer and returns (status, data); a ServiceError becomes its JSON error.
"""
import functools

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .bodies import MAX_BODY, error, parse_body, read_document  # noqa: F401 - imported from here by the endpoints
from .credentials import PERMISSION, authenticate, authorize  # noqa: F401
from .idempotency import REPLAYED, idempotent  # noqa: F401
from .services import ServiceError


def _answer(view, request, actor, data, kwargs):
    try:
        status, payload = view(request, actor, data, **kwargs)
    except ServiceError as e:
        response = error(e.status, e.message, e.field)
        if getattr(e, "warning", None):  # a soft warning: the same write with "confirm": true passes
            response = JsonResponse({"error": e.message, "field": e.field, "warning": e.warning}, status=e.status)
        return response
    return JsonResponse(payload, status=status)


def write_api(required=None, optional=None, method="POST", document=None):
    """`method`, an official or a device, Idempotency-Key honoured, and a body that is either a
    JSON object of exactly these fields or, with `document=<max bytes>`, a whole document."""
    required, optional = required or {}, optional or {}

    def decorate(view):
        @csrf_exempt  # checked in authenticate() for sessions; bearer requests need none
        @never_cache  # a write's answer is for its sender only: no shared cache may keep it
        @functools.wraps(view)
        def wrapper(request, **kwargs):
            if request.method != method:
                return error(405, f"Use {method} for {request.path}.", None, Allow=method)
            credential, refused = authorize(request, kwargs)
            if refused:
                return refused
            try:
                data = read_document(request, document) if document else parse_body(request, required, optional)
            except ServiceError as e:
                return error(e.status, e.message, e.field)
            return idempotent(request, credential, lambda: _answer(view, request, credential.actor, data, kwargs))

        return wrapper

    return decorate
