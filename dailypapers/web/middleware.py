"""Middleware of the web app: request metrics, and a Content-Security-Policy on every response.

Content-Security-Policy on every response: scripts, styles and fonts only from this site, no inline script.

The pages are written to pass it: no inline <script> or on* handler (KaTeX auto-render and htmx start from static
files), no <style> element. KaTeX sets element styles through the DOM (not blocked by CSP). Images may come from
https (submitters' avatars). A response that already carries the header (a view that knows better) keeps its own.
"""

from __future__ import annotations

import time

from django.urls import Resolver404, resolve

from dailypapers.core import metrics

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
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
        metrics.http_requests.labels(route, request.method if request.method in _METHODS else "other",
                                     str(response.status_code)).inc()  # fmt: skip
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
