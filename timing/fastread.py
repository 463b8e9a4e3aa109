"""The two snapshot GETs a crowd repeats, answered from memory on Daphne's event loop.

`GET /api/races/<id>/` and `GET /api/competitions/<id>/` answer a version's cached text. Through
Django, each one asked the database for the current version and crossed into a worker thread for
the middleware chain (WhiteNoise and ours are sync-only) and back: it served half the requests per
second that the same process serves for the same bytes as a static file (bench/results.md). Yet
the process already knows the current version whenever its hub follows the topic: the hub hears
every committed change (timing/hub.py `Hub.current` says when that holds). Then this answers with
exactly the headers Django would send (tests/test_fastread.py compares them) and no database
query; in every other case (not followed, not cached yet, a HEAD, a query string, a host Django
would refuse, an HTTPS redirect due) the request goes to Django, which is always right.
"""
import asyncio

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import parse_etags

from . import topics
from .api import PUBLIC_MAX_AGE
from .hub import HUBS
from .middleware import POLICY
from .snapshot import cached

#: How often each way was taken in this process: a test holds that a followed topic is answered
#: here, so a change that silently sends every read back through Django fails it.
READS = {"memory": 0, "django": 0}

_KINDS = {"races": (topics.RACE, ""), "competitions": (topics.COMPETITION, "c")}


def wrap(app):
    async def snapshot_reads(scope, receive, send):
        if scope["type"] == "http":
            answer = _answer(scope)
            if answer is not None:
                status, headers, body = answer
                READS["memory"] += 1
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            READS["django"] += 1
        return await app(scope, receive, send)

    return snapshot_reads


def _route(scope):
    """(topic kind, id, ETag prefix) of a snapshot GET this may answer, else None."""
    if scope["method"] != "GET" or scope.get("query_string"):
        return None
    parts = scope["path"].split("/")  # "", "api", "races", "<id>", ""
    if len(parts) != 5 or parts[1] != "api" or parts[4] != "" or parts[2] not in _KINDS \
            or not parts[3].isdigit() or not parts[3].isascii():
        return None
    kind, prefix = _KINDS[parts[2]]
    return kind, int(parts[3]), prefix


def _answer(scope):
    route = _route(scope)
    if route is None:
        return None
    kind, ident, prefix = route
    hub = HUBS.get(asyncio.get_running_loop())
    if hub is None:
        return None
    topic = topics.group(kind, ident)
    version = hub.current(topic)
    if version is None:
        return None
    headers = {}
    for name, value in scope["headers"]:
        headers.setdefault(name.lower(), value)
    secure = _secure(scope, headers)
    if not _host_allowed(headers) or (settings.SECURE_SSL_REDIRECT and not secure):
        return None
    body = _body(kind, ident, version)
    if body is None:
        return None
    etag = f'"{prefix}{ident}-{version}"'
    out = [(b"etag", etag.encode()), (b"cache-control", f"public, max-age={PUBLIC_MAX_AGE}".encode())]
    out += _constant_headers(secure)
    if _matches(headers.get(b"if-none-match"), etag):
        return 304, out + [(b"content-length", b"0")], b""
    return 200, [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())] + out, body


def _body(kind, ident, version):
    """The version's text from the process's snapshot cache (never a copy of our own: the cache
    is the one place a version's text lives and is forgotten), or None to let Django build it."""
    text = cached(kind, ident, version)
    return None if text is None else text.encode()


def _matches(header, etag):
    """Django's If-None-Match test (weak comparison, "*" matches anything that exists)."""
    if not header:
        return False
    tags = parse_etags(header.decode("latin-1"))
    return "*" in tags or etag.removeprefix("W/") in [t.removeprefix("W/") for t in tags]


def _host_allowed(headers):
    """Django answers 400 for a Host outside ALLOWED_HOSTS: let it."""
    if settings.USE_X_FORWARDED_HOST or b"host" not in headers:
        return False
    domain, _ = split_domain_port(headers[b"host"].decode("latin-1"))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


def _secure(scope, headers):
    """request.is_secure(), as Django decides it."""
    if settings.SECURE_PROXY_SSL_HEADER:
        name, expected = settings.SECURE_PROXY_SSL_HEADER
        found = headers.get(name.removeprefix("HTTP_").replace("_", "-").lower().encode())
        if found is not None:
            return found.decode("latin-1").split(",", 1)[0].strip() == expected
    return scope.get("scheme") == "https"


def _constant_headers(secure):
    """What the middleware chain adds to every JSON answer (django.middleware.security,
    clickjacking, timing.middleware), and the open read side's ACAO (timing/api.py)."""
    out = [(b"access-control-allow-origin", b"*")]
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        out.append((b"strict-transport-security", sts.encode()))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        out.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        out.append((b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        out.append((b"cross-origin-opener-policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()))
    out.append((b"x-frame-options", settings.X_FRAME_OPTIONS.encode()))
    out.append((b"content-security-policy", POLICY.encode()))
    return out
