"""A cache of hot read responses (JSON or markdown bytes), dropped as a whole whenever community data moves.

Two levels: Django's shared cache (every process and node), and a small in-process copy of the most recent hits
so a hot URL costs no cache round trip at all. Keys carry a generation number kept in the shared cache: saving or
deleting a paper, a daily entry, a vote or a comment (Django signals, see apps.py) bumps it, which makes every
cached response unreachable at once. Bulk imports send no signals, so entries also expire after
DAILYPAPERS_API_CACHE_SECONDS. Each process re-reads the generation at most once a second, so another process's
write shows within a second (at once in the writing process).

Hits are answered by the API's edge middleware (:func:`lookup`) before sessions, URL resolution and parameter
parsing; misses reach the view, which stores its response with :func:`cached`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

_GEN_KEY = "api-cache:generation"
_GEN_TTL = 60 * 60 * 24 * 30
_GEN_REREAD_SECONDS = 1.0
_LOCAL_ENTRIES = 256
_LOCAL_MAX_BODY = 512 * 1024
_state = {"gen": None, "read_at": 0.0}
_local: OrderedDict[str, tuple[float, int, str, bytes]] = OrderedDict()
_lock = threading.Lock()


def generation() -> int:
    now = time.monotonic()
    if _state["gen"] is not None and now - _state["read_at"] < _GEN_REREAD_SECONDS:
        return _state["gen"]
    gen = cache.get(_GEN_KEY)
    if gen is None:
        cache.add(_GEN_KEY, 1, timeout=_GEN_TTL)
        gen = cache.get(_GEN_KEY) or 1
    with _lock:
        _state["gen"], _state["read_at"] = gen, now
    return gen


def invalidate(**_ignored) -> None:
    """Make every cached response stale (a signal receiver: takes and ignores the signal's arguments)."""
    try:
        gen = cache.incr(_GEN_KEY)
    except ValueError:
        gen = int(time.time())  # no counter yet (or evicted): start from a value no earlier key used
        cache.set(_GEN_KEY, gen, timeout=_GEN_TTL)
    with _lock:
        _state["gen"], _state["read_at"] = gen, time.monotonic()
        _local.clear()


def _key(request) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    url = f"{request.path}?{query}".encode("utf-8", "surrogateescape")
    return f"api-cache:{generation()}:{hashlib.sha1(url).hexdigest()}"


def _response(status: int, content_type: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-Cache"] = "hit"
    return response


def lookup(request) -> HttpResponse | None:
    """The cached response of this GET request, or None."""
    if settings.API_CACHE_SECONDS <= 0 or request.method != "GET":
        return None
    key = _key(request)
    now = time.monotonic()
    with _lock:
        entry = _local.get(key)
        if entry is not None:
            if entry[0] > now:
                _local.move_to_end(key)
                return _response(*entry[1:])
            del _local[key]
    hit = cache.get(key)
    if hit is None:
        return None
    _remember(key, hit)
    return _response(*hit)


def _remember(key: str, value: tuple[int, str, bytes]) -> None:
    if len(value[2]) > _LOCAL_MAX_BODY:
        return
    # A local copy lives at most as long as a shared entry could, and never past a second without a recheck of
    # the shared cache, so expiries there (bulk imports) show here just as fast.
    expires = time.monotonic() + min(settings.API_CACHE_SECONDS, _GEN_REREAD_SECONDS)
    with _lock:
        _local[key] = (expires, *value)
        _local.move_to_end(key)
        while len(_local) > _LOCAL_ENTRIES:
            _local.popitem(last=False)


def cached(request, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of ``build()``, kept in the cache when it is a 200 (the edge middleware answers later hits)."""
    seconds = settings.API_CACHE_SECONDS
    if seconds <= 0 or request.method != "GET":
        return build()
    key = _key(request)
    response = build()
    if response.status_code == 200 and not response.streaming:
        value = (response.status_code, response["Content-Type"], response.content)
        cache.set(key, value, timeout=seconds)
        _remember(key, value)
    response["X-Cache"] = "miss"
    return response


def forget_local() -> None:
    """Drop this process's copies and its remembered generation (tests: the shared cache was rolled back)."""
    with _lock:
        _state["gen"], _state["read_at"] = None, 0.0
        _local.clear()
