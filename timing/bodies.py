"""What a write request's body must be, and what an error answer looks like.

A body is a JSON object sent as `application/json`, under MAX_BODY bytes, holding exactly the
fields the endpoint declares with their declared types, each key once. An empty body is `{}`.
An endpoint taking a whole document (a start list) reads it with `read_document` instead.
"""
import json

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.request import RawPostDataException

from .services import ServiceError

#: A write is a few dozen bytes; anything past this is a mistake or an attack.
MAX_BODY = 4096
_KIND_NAMES = {str: "text", bool: "true or false", int: "a whole number", list: "a list, such as [1, 3, 2]"}


class UnsupportedType(ServiceError):
    status = 415


def error(status, message, field=None, **headers):
    response = JsonResponse({"error": message, "field": field}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def no_duplicates(pairs):
    """json's object hook: `{"pair": 1, "pair": 15}` means whatever the last parser says; refuse it."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise ServiceError(f"The key '{key[:40]}' appears twice in the body; send it once.", key[:40])
        data[key] = value
    return data


def _not_json(request):
    return UnsupportedType(f"Send the body as 'Content-Type: application/json', not '{request.content_type[:60]}'.",
                           "Content-Type")


def read_json(request):
    """The body parsed, refusing what is not one unambiguous JSON document."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raw = None
    except RawPostDataException:
        # The CSRF check read a multipart body as a form stream, so it cannot be read again:
        # it was not the JSON this API takes anyway.
        raise _not_json(request) from None
    if raw is None or len(raw) > MAX_BODY:
        raise ServiceError(f"The body is too large: a write is under {MAX_BODY} bytes.", "body")
    if not raw.strip():
        return {}
    if request.content_type != "application/json":
        # A form post from a foreign page (text/plain, urlencoded) is never mistaken for JSON.
        raise _not_json(request)
    try:
        return json.loads(raw, object_pairs_hook=no_duplicates)
    except (ValueError, UnicodeDecodeError, RecursionError):  # "[[[[...": 4 KiB nest deeper than Python recurses
        raise ServiceError("The body is not valid JSON.", "body") from None


def read_document(request, limit):
    """A whole document as the body (a start list: CSV or JSON): (content type, bytes)."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raw = None
    except RawPostDataException:
        raise ServiceError("Send the document as the request body, not as a form.", "body") from None
    if raw is None or len(raw) > limit:
        raise ServiceError(f"The body is too large: at most {limit // 1024} KiB.", "body")
    return request.content_type, raw


def parse_body(request, required, optional):
    """The body as a dict holding only the declared fields with the declared types."""
    data = read_json(request)
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
