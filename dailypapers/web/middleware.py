"""Middleware of the web app: request metrics, refusal of input no view can handle (NUL, oversized bodies), and a
Content-Security-Policy on every response.

Content-Security-Policy on every response: scripts, styles and fonts only from this site, no inline script.

The pages are written to pass it: no inline <script> or on* handler (KaTeX auto-render and htmx start from static
files), no <style> element. KaTeX sets element styles through the DOM (not blocked by CSP). Images and videos may
come from https (submitters' avatars, Hugging Face's thumbnails and media). A response that already carries the
header (a view that knows better) keeps its own.
"""

from __future__ import annotations

import json
import time

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from dailypapers.core import metrics

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "media-src 'self' https:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class MetricsMiddleware:
    """Counts requests and their latency by route name (the URL pattern's name, not the path: bounded labels)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = _route_name(request)
        metrics.http_latency.labels(route).observe(time.perf_counter() - started)
        metrics.http_requests.labels(
            route, request.method if request.method in _METHODS else "other", str(response.status_code)
        ).inc()
        return response


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _route_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:  # answered before URL resolution (e.g. an API cache hit, a static file)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.view_name or match.route or "unnamed"


class RequestEdgeMiddleware:
    """Refuses, before anything else reads it, input no view can handle:

    - a NUL character in the path, a query string value, a form field or a JSON string: 400 (PostgreSQL cannot
      store or compare text containing NUL; no view has a use for it);
    - a body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413.

    API paths answer in the API's error shape ({"error": ...}), other paths with a short text.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            has_nul = _has_nul(request)
        except RequestDataTooBig:
            return _refuse(request, "The request body is too large.", status=413)
        if has_nul:
            return _refuse(request, "The request contains a NUL character, which is not allowed.", status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
    body = request.body  # RequestDataTooBig past the limit, whatever the content type
    if b"\x00" in body:
        return True
    if "json" in content_type and b"\\u0000" in body:
        try:
            return _json_has_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the view answers that
    return False


def _json_has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_has_nul(k) or _json_has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(v) for v in value)
    return False


def _refuse(request, message: str, *, status: int) -> HttpResponse:
    if request.path.startswith(("/api/", "//api/")):
        from dailypapers.api.responses import error_response

        return error_response(message, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
