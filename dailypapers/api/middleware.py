"""The edge of the API, before sessions and URL resolution.

- Tolerates a doubled leading slash (``//api/...``: what the HF client sends when its endpoint ends with ``/``).
- Serves ``GET /papers/<id>`` as markdown when the client asks for ``Accept: text/markdown``.
- Rate-limits API routes per client (reads and writes separately), answering 429 with Retry-After.
- Answers cache hits of hot read routes (see caching.py) before sessions, URL resolution and the view.
Never reads or logs the Authorization header.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.cache import patch_vary_headers

from dailypapers.api import caching
from dailypapers.api.responses import error_response
from dailypapers.core.ratelimit import RateLimiter, client_ip
from dailypapers.papers.ids import ARXIV_ID_ROUTE

_PAPER_PAGE = re.compile(rf"^/papers/{ARXIV_ID_ROUTE}/?$")
_MARKDOWN = re.compile(r"^/papers/.+\.md$", re.S)
# Routes whose views store their responses in the cache (caching.cached): hits are answered right here.
_CACHED = re.compile(r"^/api/(daily_papers|papers/|v1/(search|daily|trending)$)|^/papers/.+\.md$", re.S)
_WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def wants_markdown(accept: str) -> bool:
    """True when text/markdown is the first media type of the Accept header (explicit q-values are honoured)."""
    best, best_q = None, -1.0
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media, q = pieces[0].lower(), 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = media, q
    return best == "text/markdown"


class ApiEdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.reads = RateLimiter(name="api", limit=settings.API_RATE_LIMIT, window=settings.API_RATE_WINDOW)
        self.writes = RateLimiter(name="writes", limit=settings.API_WRITE_RATE_LIMIT, window=settings.API_RATE_WINDOW)

    def __call__(self, request):
        path = request.path_info
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
            request.path_info = request.path = path
        negotiated = request.method in ("GET", "HEAD") and _PAPER_PAGE.match(path)
        if negotiated and wants_markdown(request.META.get("HTTP_ACCEPT", "")):
            path = "/papers/" + negotiated.group(1) + ".md"
            request.path_info = request.path = path
        if not (path.startswith("/api/") or _MARKDOWN.match(path)):
            response = self.get_response(request)
            if negotiated:
                patch_vary_headers(response, ("Accept",))  # the same URL also answers in markdown
            return response

        decisions = []
        if settings.API_RATE_LIMIT > 0:
            decisions.append(self.reads.hit(client_ip(request)))
        if request.method in _WRITE_METHODS and settings.API_WRITE_RATE_LIMIT > 0:
            decisions.append(self.writes.hit(client_ip(request)))
        refused = next((d for d in decisions if not d.allowed), None)
        if refused is not None:
            message = f"Too many requests: at most {refused.limit} per {refused.window} s. Retry in {refused.reset} s."
            response = error_response(message, status=429, headers={"Retry-After": str(refused.reset)})
        else:
            response = caching.lookup(request) if _CACHED.match(path) else None
            if response is None:
                response = self.get_response(request)
            if response.status_code in (404, 405) and "json" not in response.get("Content-Type", ""):
                # An API path no route matches (Django's HTML page otherwise): answer in the API's error shape.
                status = response.status_code
                message = "Not found" if status == 404 else f"Method {request.method} not allowed here"
                allow = response.get("Allow")
                response = error_response(message, status=status)
                if allow:
                    response["Allow"] = allow
        if decisions:
            shown = min(decisions, key=lambda d: d.remaining)
            for name, value in shown.headers().items():
                response[name] = value
        if request.method == "GET":
            response.setdefault("Access-Control-Allow-Origin", "*")  # public reads, no cookies involved
        if negotiated:
            patch_vary_headers(response, ("Accept",))
        return response
