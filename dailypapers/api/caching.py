"""A cache of hot read responses (JSON or markdown bytes), dropped as a whole whenever community data moves.

Two levels: Django's shared cache (every process and node), and an in-process copy of recent responses (32 MB
at most per process) so a hot URL costs no cache round trip at all. Keys carry:

- a generation number kept in the shared cache: saving or deleting a paper, a daily entry, a vote or a comment
  (Django signals, see apps.py), and each committed import batch that created or changed papers (the papers
  app's ``papers_imported`` signal) bump it, which makes every cached response unreachable at once;
- this node's live search index stamp (its generation and the time and size of its manifest, see
  ``search.store.live_stamp``): an index sync or rebuild gives new keys, so a search answered after a sync
  reflects it. Nodes whose indexes differ never share a cached search.

The bound: each process re-reads both at most once a second, so another process's write or sync shows within a
second (at once in the writing process); a write that sends no signal at all (raw SQL, another program writing
the database) shows when entries expire, after DAILYPAPERS_API_CACHE_SECONDS.

Hits are answered by the API's edge middleware (:func:`lookup`) before sessions, URL resolution and parameter
parsing; misses reach the view, which stores its response with :func:`cached`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

log = logging.getLogger(__name__)

_GEN_KEY = "api-cache:generation"
_GEN_TTL = 60 * 60 * 24 * 30
_GEN_REREAD_SECONDS = 1.0
_LOCAL_BYTES = 32 * 1024 * 1024  # response bodies kept in each process
_LOCAL_MAX_BODY = 1024 * 1024
_state = {"gen": None, "read_at": 0.0, "local_bytes": 0, "index": "", "index_read_at": -1e9}
_local: OrderedDict[str, tuple[float, int, str, bytes]] = OrderedDict()
_items: OrderedDict[tuple[int, str, int], tuple[float, bytes]] = OrderedDict()
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
        if gen != _state["gen"]:
            _local.clear()
            _items.clear()
            _state["local_bytes"] = 0
        _state["gen"], _state["read_at"] = gen, now
    return gen


def invalidate(**_ignored) -> None:
    """Make every cached response stale, once the current transaction (if any) commits.

    A signal receiver (it takes and ignores the signal's arguments). Waiting for the commit means readers never
    cache the old data again after the bump, and a cache that fails (e.g. its table not created yet) can never
    break or abort the write that triggered it.
    """
    transaction.on_commit(_bump)


def _bump() -> None:
    with _lock:
        _local.clear()
        _items.clear()
        _state["local_bytes"] = 0
    try:
        try:
            gen = cache.incr(_GEN_KEY)
        except ValueError:
            gen = int(time.time())  # no counter yet (or evicted): start from a value no earlier key used
            cache.set(_GEN_KEY, gen, timeout=_GEN_TTL)
    except Exception:  # the shared cache is down or not set up: entries still expire by themselves
        log.warning("could not drop the API's cached responses", exc_info=True)
        with _lock:
            _state["gen"], _state["read_at"] = None, 0.0
        return
    with _lock:
        _state["gen"], _state["read_at"] = gen, time.monotonic()


def index_stamp() -> str:
    """This node's live search index stamp, re-read (two stat calls) at most once a second."""
    now = time.monotonic()
    if now - _state["index_read_at"] >= _GEN_REREAD_SECONDS:
        from dailypapers.search.store import live_stamp

        _state["index"], _state["index_read_at"] = live_stamp(), now
    return _state["index"]


def _key(request) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    url = f"{request.path}?{query}\n{index_stamp()}".encode("utf-8", "surrogateescape")
    return f"api-cache:{generation()}:{hashlib.sha1(url).hexdigest()}"


def _response(status: int, content_type: str, body: bytes) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-Cache"] = "hit"
    # Answered before CommonMiddleware, which would set it: without a length the server falls back to chunked
    # transfer encoding, which some HTTP/1.1 clients handle badly (and keep-alive costs more).
    response["Content-Length"] = str(len(body))
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
            _state["local_bytes"] -= len(entry[3])
    hit = cache.get(key)
    if hit is None:
        return None
    _remember(key, hit)
    return _response(*hit)


def _remember(key: str, value: tuple[int, str, bytes]) -> None:
    size = len(value[2])
    if size > _LOCAL_MAX_BODY:
        return
    # A local copy lives no longer than a shared entry (DAILYPAPERS_API_CACHE_SECONDS): the bound on staleness
    # after writes that send no signal (bulk imports) is the same in both.
    expires = time.monotonic() + settings.API_CACHE_SECONDS
    with _lock:
        old = _local.pop(key, None)
        if old is not None:
            _state["local_bytes"] -= len(old[3])
        _local[key] = (expires, *value)
        _state["local_bytes"] += size
        while _state["local_bytes"] > _LOCAL_BYTES and _local:
            _, dropped = _local.popitem(last=False)
            _state["local_bytes"] -= len(dropped[3])


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
        _state["index"], _state["index_read_at"] = "", -1e9
        _local.clear()
        _items.clear()
        _state["local_bytes"] = 0


_ITEMS_MAX = 5000  # a few KB each


def fragments(kind: str, ids: list[int], build: Callable[[list[int]], dict[int, bytes]]) -> list[bytes]:
    """The rendered JSON item of each paper id, in order, reusing this process's recent renderings.

    Listing URLs overlap (a day, its week, its month, page after page), so a listing the cache has not seen is
    mostly made of items already rendered: only the missing ones are built (``build(missing ids) -> {id: bytes}``).
    Items are keyed by the generation, so a write drops them with everything else; they stay in process memory
    (a few KB each) because writing them to a database-backed shared cache would cost more than rendering them.
    They expire like cached responses (DAILYPAPERS_API_CACHE_SECONDS).
    """
    if settings.API_CACHE_SECONDS <= 0 or not ids:
        built = build(ids) if ids else {}
        return [built[pk] for pk in ids if pk in built]
    gen = generation()
    now = time.monotonic()
    with _lock:
        found = ((pk, _items.get((gen, kind, pk))) for pk in ids)
        have = {pk: entry[1] for pk, entry in found if entry is not None and entry[0] > now}
    missing = [pk for pk in ids if pk not in have]
    if missing:
        built = build(missing)
        have.update(built)
        expires = now + settings.API_CACHE_SECONDS  # bulk imports send no signal: items age out like responses
        with _lock:
            for pk, body in built.items():
                _items[(gen, kind, pk)] = (expires, body)
            while len(_items) > _ITEMS_MAX:
                _items.popitem(last=False)
    return [have[pk] for pk in ids if pk in have]
