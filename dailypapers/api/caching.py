"""A shared cache of hot read responses (JSON or markdown bytes), dropped as a whole whenever community data moves.

Keys carry a generation number kept in the shared cache. Saving or deleting a paper, a daily entry, a vote or a
comment (Django signals, see apps.py) bumps it, which makes every cached response unreachable at once. Bulk imports
send no signals, so entries also expire after DAILYPAPERS_API_CACHE_SECONDS. Each process re-reads the generation at
most once a second, so another process's write shows within a second (at once in the writing process).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

_GEN_KEY = "api-cache:generation"
_GEN_TTL = 60 * 60 * 24 * 30
_LOCAL_SECONDS = 1.0
_local = {"gen": None, "read_at": 0.0}
_lock = threading.Lock()


def generation() -> int:
    now = time.monotonic()
    if _local["gen"] is not None and now - _local["read_at"] < _LOCAL_SECONDS:
        return _local["gen"]
    gen = cache.get(_GEN_KEY)
    if gen is None:
        cache.add(_GEN_KEY, 1, timeout=_GEN_TTL)
        gen = cache.get(_GEN_KEY) or 1
    with _lock:
        _local["gen"], _local["read_at"] = gen, now
    return gen


def invalidate(**_ignored) -> None:
    """Make every cached response stale (a signal receiver: takes and ignores the signal's arguments)."""
    try:
        gen = cache.incr(_GEN_KEY)
    except ValueError:
        gen = int(time.time())  # no counter yet (or evicted): start from a value no earlier key used
        cache.set(_GEN_KEY, gen, timeout=_GEN_TTL)
    with _lock:
        _local["gen"], _local["read_at"] = gen, time.monotonic()


def cached(request, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of ``build()``, from the shared cache when a fresh copy of this exact URL is there."""
    seconds = settings.API_CACHE_SECONDS
    if seconds <= 0 or request.method != "GET":
        return build()
    url = request.path + "?" + "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    key = f"api-cache:{generation()}:" + hashlib.sha1(url.encode("utf-8", "surrogateescape")).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        status, content_type, body = hit
        response = HttpResponse(body, status=status, content_type=content_type)
        response["X-Cache"] = "hit"
        return response
    response = build()
    if response.status_code == 200 and not response.streaming:
        cache.set(key, (response.status_code, response["Content-Type"], response.content), timeout=seconds)
    response["X-Cache"] = "miss"
    return response
