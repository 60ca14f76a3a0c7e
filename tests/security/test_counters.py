"""The rate limiter's shared counter (core.ratelimit.count) is atomic on the database cache and on Redis: threads
hitting one key at once lose no hit (the database cache's own ``incr`` is get-then-set and lost them)."""

from __future__ import annotations

import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from dailypapers.core import ratelimit


def _hammer(key: str, *, threads: int = 8, each: int = 25) -> list[int]:
    """Every value count() returned: an atomic counter returns 1..N, each once."""

    def work(_):
        try:
            return [ratelimit.count(key, timeout=60) for _ in range(each)]
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        return sorted(value for values in pool.map(work, range(threads)) for value in values)


@pytest.mark.django_db(transaction=True)
def test_database_cache_counter_loses_no_hit(fresh_cache):
    key = f"test:{uuid.uuid4().hex}"
    assert _hammer(key) == list(range(1, 8 * 25 + 1))
    assert ratelimit.peek(key) == 8 * 25
    ratelimit.reset(key)
    assert ratelimit.peek(key) == 0


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_redis_counter_loses_no_hit_and_expires(settings):
    if not _redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
        }
    }
    key = f"test:{uuid.uuid4().hex}"
    assert _hammer(key) == list(range(1, 8 * 25 + 1))
    from django.core.cache import cache

    assert 0 < cache._cache.get_client(key).ttl(cache.make_and_validate_key(key)) <= 60
    ratelimit.reset(key)
    assert ratelimit.peek(key) == 0


@pytest.mark.django_db(transaction=True)
def test_an_expired_counter_starts_again(fresh_cache):
    key = f"test:{uuid.uuid4().hex}"
    assert ratelimit.count(key, amount=5, timeout=60) == 5
    from dailypapers.core.models import Counter

    Counter.objects.filter(key=key).update(expires=0)
    assert ratelimit.peek(key) == 0
    assert ratelimit.count(key, timeout=60) == 1
