"""JSON and error responses of the API: orjson-rendered bodies, and errors as {"error": ...} + X-Error-Message."""

from __future__ import annotations

import json

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def json_bytes(data) -> bytes:
    try:
        return orjson.dumps(data, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # Text echoed from a request can hold lone surrogates (valid JSON escapes, invalid UTF-8): escape them.
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=True).encode()


def json_response(data, *, status: int = 200) -> HttpResponse:
    return HttpResponse(json_bytes(data), status=status, content_type="application/json")


def error_response(message: str, *, status: int, headers: dict | None = None, **extra) -> HttpResponse:
    response = json_response({"error": message, **extra}, status=status)
    # A header value must be one line of printable characters (servers refuse others): the body keeps the full text.
    response["X-Error-Message"] = "".join(ch if " " <= ch <= "~" else "?" for ch in " ".join(message.split()))[:500]
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiError(Exception):
    """Raise anywhere in an API view to answer ``status`` with {"error": message}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def enforce_action_limit(*, action: str, user) -> None:
    """The community's per-user limit on an action (vote, comment, submit: DAILYPAPERS_RATE_LIMITS), as for the web."""
    from dailypapers.core.ratelimit import hit, rate_for

    if not hit(action, f"user:{user.pk}"):
        rate = rate_for(action)
        raise ApiError(
            f"Too many {action} requests: at most {rate.count} per {rate.seconds} s. Try again later.", status=429
        )
