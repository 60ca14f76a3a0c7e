"""The site's one rate limiter: fixed-window counters in Django's default cache, and who a request counts against.

The cache is shared by every worker process and node (the database cache by default, Redis when configured), so a
limit holds for the whole site, not per process. Every counter goes through ``count()``, one atomic operation on
every backend (a counters table with ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` next to the database cache,
whose own ``incr`` is get-then-set; INCRBY on Redis): the first hit of a window creates the counter with the window
as its lifetime, later hits add to it, and no concurrent hit is lost.

- ``hit(action, who)``: the community's per-action limits (DAILYPAPERS_RATE_LIMITS: votes, comments, sign-ups...).
- ``RateLimiter``: the API's per-client limits, which batch hits in each process to keep the shared cache off the
  hot path (``Decision`` carries the IETF RateLimit headers that Hugging Face sends).
- sign-in throttling (attempts per account and per address, each reserved before its password is checked).
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RULE = re.compile(r"^\s*(?P<action>[a-z_]+)\s*=\s*(?P<count>\d+)\s*/\s*(?P<n>\d*)(?P<unit>[smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rates(text: str) -> dict[str, Rate]:
    """``vote=120/m,comment=10/m`` -> {"vote": Rate(120, 60), ...}; ``5/10m`` means 5 per 10 minutes."""
    rates = {}
    for part in text.split(","):
        if not part.strip():
            continue
        match = _RULE.match(part)
        if not match:
            raise ValueError(f"bad rate limit {part!r}: expected action=COUNT/PERIOD, e.g. vote=120/m")
        rates[match["action"]] = Rate(int(match["count"]), int(match["n"] or 1) * _PERIODS[match["unit"]])
    return rates


def rate_for(action: str) -> Rate | None:
    return parse_rates(settings.RATE_LIMITS).get(action)


def _key(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"dp:rl:{digest}"


def _window(seconds: int) -> int:
    return int(time.time() // seconds)


def count(key: str, *, amount: int = 1, timeout: int) -> int:
    """Add ``amount`` to the shared counter ``key`` (created with ``timeout`` seconds to live); its new value.

    Atomic on every backend, so concurrent hits from any number of processes and nodes are all counted: Redis
    INCRBY (+ EXPIRE on creation), one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` on a counters table for
    the database cache (whose own ``incr`` is get-then-set), the backend's locked ``incr`` otherwise (local memory).
    """
    backend = _backend()
    if backend == "redis":
        return _redis_count(key, amount=amount, timeout=timeout)
    if backend == "db":
        return _db_count(key, amount=amount, timeout=timeout)
    if cache.add(key, amount, timeout=timeout):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.add(key, amount, timeout=timeout)
        return amount


def peek(key: str) -> int:
    """The current value of a counter (0 when absent or expired)."""
    backend = _backend()
    if backend == "redis":
        client = cache._cache.get_client(key, write=False)  # type: ignore[attr-defined]  # (RedisCache)
        return int(client.get(cache.make_and_validate_key(key)) or 0)
    if backend == "db":
        from dailypapers.core.models import Counter

        row = Counter.objects.filter(key=_db_key(key), expires__gt=time.time()).values_list("n", flat=True).first()
        return int(row or 0)
    return int(cache.get(key) or 0)


def reset(key: str) -> None:
    backend = _backend()
    if backend == "redis":
        client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # (RedisCache)
        client.delete(cache.make_and_validate_key(key))
    elif backend == "db":
        from dailypapers.core.models import Counter

        Counter.objects.filter(key=_db_key(key)).delete()
    else:
        cache.delete(key)


def _backend() -> str:
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return "redis"
    if isinstance(backend, DatabaseCache):
        return "db"
    return "other"


def _redis_count(key: str, *, amount: int, timeout: int) -> int:
    name = cache.make_and_validate_key(key)
    client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # (RedisCache)
    pipe = client.pipeline(transaction=True)
    pipe.incrby(name, amount)
    pipe.ttl(name)
    value, ttl = pipe.execute()
    if ttl < 0:  # a new key (or one whose EXPIRE a dead process never sent): give it its lifetime
        client.expire(name, timeout)
    return int(value)


def _db_key(key: str) -> str:
    """The key as stored in the counters table (whose column holds 250 characters)."""
    return key if len(key) <= 200 else "h:" + hashlib.sha256(key.encode()).hexdigest()


_UPSERT = (
    "INSERT INTO dailypapers_counters (key, n, expires) VALUES (%s, %s, %s) "
    "ON CONFLICT (key) DO UPDATE SET "
    "n = CASE WHEN dailypapers_counters.expires <= %s THEN excluded.n ELSE dailypapers_counters.n + excluded.n END, "
    "expires = CASE WHEN dailypapers_counters.expires <= %s THEN excluded.expires "
    "ELSE dailypapers_counters.expires END "
    "RETURNING n"
)
_PURGE_EVERY = 500  # one call in so many also deletes the expired counters
_calls = 0


def _db_count(key: str, *, amount: int, timeout: int) -> int:
    from django.db import connection, transaction

    global _calls
    key = _db_key(key)
    now = time.time()
    # SQLite: BEGIN IMMEDIATE takes the write lock first (waits on busy_timeout)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key, amount, now + timeout, now, now])
        value = cursor.fetchone()[0]
        _calls += 1
        if _calls % _PURGE_EVERY == 0:
            cursor.execute("DELETE FROM dailypapers_counters WHERE expires <= %s", [now])
    return int(value)


def hit(action: str, who: str) -> bool:
    """Count one attempt of ``action`` by ``who``; False once the limit of the current window is used up."""
    rate = rate_for(action)
    if rate is None or rate.count <= 0:
        return True
    return count(_key(action, who, _window(rate.seconds)), timeout=rate.seconds + 1) <= rate.count


def client_ip(request) -> str:
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.headers.get(header, "")
        if value:
            # X-Forwarded-For: the proxy you trust appends the address it saw, so the last one is the client's.
            return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def actor(request) -> str:
    """Who a request counts against: the signed-in user, else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


# --- sign-in throttling -------------------------------------------------------------------------------------------


def _login_keys(username: str, ip: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_MAX_FAILURES
    return [
        (_key("login-fail-user", username.strip().lower()), limit),
        (_key("login-fail-ip", ip), limit * 4),
    ]


def login_reserve(username: str, ip: str) -> bool:
    """Count one sign-in attempt BEFORE the password is checked; False (check nothing) once the account or the
    address has used up its attempts. Reserving first means parallel guesses cannot all pass a check made before
    any of them is recorded: at most LOGIN_MAX_FAILURES passwords are ever checked per account and window."""
    allowed = True
    for key, limit in _login_keys(username, ip):
        if count(key, timeout=settings.LOGIN_LOCKOUT_MINUTES * 60) > limit:
            allowed = False
    return allowed


def login_succeeded(username: str, ip: str = "") -> None:
    """The password was right: the account's attempts start again, and the address gets its attempt back."""
    (user_key, _), (ip_key, _) = _login_keys(username, ip)
    reset(user_key)
    if ip:
        count(ip_key, amount=-1, timeout=settings.LOGIN_LOCKOUT_MINUTES * 60)


def login_clear(username: str) -> None:
    """Lift an account's lockout (after a password reset)."""
    reset(_login_keys(username, "")[0][0])


# --- the API's per-client limits ----------------------------------------------------------------------------------

_SYNC_SECONDS = 1.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    window: int
    name: str

    def headers(self) -> dict[str, str]:
        return {
            "ratelimit": f'"{self.name}";r={self.remaining};t={self.reset}',
            "ratelimit-policy": f'"fixed window";"{self.name}";q={self.limit};w={self.window}',
        }


class _Slot:
    __slots__ = ("pending", "shared", "synced_at")

    def __init__(self) -> None:
        self.pending = 0
        self.shared = 0
        self.synced_at = 0.0


class RateLimiter:
    """A per-client limit whose hits each process batches: it adds its pending hits to the shared counter every
    ``batch`` hits or every second, and on every hit once the shared count passes half the limit, so the limit is
    exact where it matters."""

    def __init__(
        self,
        *,
        name: str,
        limit: int,
        window: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.name, self.limit, self.window, self.clock = (
            name,
            limit,
            max(1, window),
            clock,
        )
        self.batch = max(1, limit // 50)
        self._slots: dict[str, _Slot] = {}
        self._window_index = -1
        self._lock = threading.Lock()

    def hit(self, client: str) -> Decision:
        now = self.clock()
        index = int(now // self.window)
        reset = max(1, int((index + 1) * self.window - now + 0.999))
        key = f"api-rl:{self.name}:{self.window}:{index}:{client}"
        with self._lock:
            if index != self._window_index:
                self._slots.clear()  # a new window: forget the old counts
                self._window_index = index
            slot = self._slots.setdefault(key, _Slot())
            slot.pending += 1
            must_sync = (
                slot.pending >= self.batch
                or now - slot.synced_at >= _SYNC_SECONDS
                or slot.shared + slot.pending > self.limit // 2
            )
            if must_sync:
                pending, slot.pending = slot.pending, 0
        if must_sync:
            shared = count(key, amount=pending, timeout=self.window + 5)
            with self._lock:
                slot.shared = max(slot.shared, shared)
                slot.synced_at = now
        used = slot.shared + slot.pending
        return Decision(
            allowed=used <= self.limit,
            limit=self.limit,
            remaining=max(0, self.limit - used),
            reset=reset,
            window=self.window,
            name=self.name,
        )
