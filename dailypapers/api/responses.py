"""JSON and error responses of the API: orjson-rendered bodies, and errors as {"error": ...} + X-Error-Message."""

from __future__ import annotations

import orjson
from django.http import HttpResponse

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def json_response(data, *, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data, option=_OPTIONS), status=status, content_type="application/json")


def error_response(message: str, *, status: int, headers: dict | None = None, **extra) -> HttpResponse:
    response = json_response({"error": message, **extra}, status=status)
    # The header must be latin-1 and one line; the body keeps the full text.
    response["X-Error-Message"] = " ".join(message.split()).encode("latin-1", "replace").decode("latin-1")[:500]
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiError(Exception):
    """Raise anywhere in an API view to answer ``status`` with {"error": message}."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status
