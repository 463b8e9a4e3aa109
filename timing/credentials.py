"""Who is writing: a device's bearer token, or an official's session with a valid CSRF token."""
from django.middleware.csrf import CsrfViewMiddleware

from .bodies import error
from .devices import tokens
from .services import Actor

PERMISSION = "timing.enter_times"


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, answering with the reason instead of its HTML page."""

    def _reject(self, request, reason):
        return reason

    def _accept(self, request):
        return None


def _csrf_failure(request):
    return _CsrfCheck(lambda r: None).process_view(request, None, (), {})


class Credential:
    def __init__(self, actor, ident, user=None, token=None):
        self.actor = actor
        self.ident = ident  # namespaces Idempotency-Keys: one caller never sees another's answers
        self.user = user  # an official's session, or
        self.token = token  # a device's token, whose competition scopes it (timing/access.py)


def authorize(request, kwargs):
    """`authenticate`, then the competition check of timing/access.py for the URL's target:
    403 with the reason (a token of another competition, an official not assigned to it)."""
    from .access import refusal

    credential, refused = authenticate(request)
    if refused:
        return None, refused
    reason = refusal(credential, kwargs)
    if reason:
        return None, error(403, reason, "competition")
    return credential, None


def authenticate(request):
    """(Credential, None) for a valid device token or an official with a valid CSRF token,
    otherwise (None, an error response): 401 without credentials, 403 for a revoked token, a
    user who is not an official or a failed CSRF check."""
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
        return Credential(Actor.from_device(token.name), f"device:{token.pk}", token=token), None
    user = request.user
    if not user.is_authenticated:
        return None, error(401, "Log in as an official or send a device token.", None, WWW_Authenticate="Bearer")
    if not user.has_perm(PERMISSION):
        return None, error(403, f"{user.get_username()} is not an official: only officials enter times.")
    reason = _csrf_failure(request)
    if reason:
        return None, error(403, f"CSRF check failed ({reason}); reload the page and try again.", "csrf")
    return Credential(Actor.official(user), f"user:{user.pk}", user=user), None
