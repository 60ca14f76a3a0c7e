"""Rate limits and sign-in throttling, counted in Django's default cache.

The cache is shared by every worker process and node (the database cache by default, Redis when configured), so a
limit holds for the whole site, not per process. Counters are fixed windows: the first hit of a window creates the
key with the window as its timeout, later hits increment it.
"""

from __future__ import annotations

import hashlib
import re
import time
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


def hit(action: str, who: str) -> bool:
    """Count one attempt of ``action`` by ``who``; False when the limit is already used up (nothing counted)."""
    rate = rate_for(action)
    if rate is None or rate.count <= 0:
        return True
    key = _key(action, who, _window(rate.seconds))
    if cache.add(key, 1, timeout=rate.seconds + 1):
        return True
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rate.seconds + 1)
        return True
    return value <= rate.count


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
    return [(_key("login-fail-user", username.strip().lower()), limit), (_key("login-fail-ip", ip), limit * 4)]


def login_locked(username: str, ip: str) -> bool:
    """True while an account or an address has had too many failed sign-ins in the lockout window."""
    for key, limit in _login_keys(username, ip):
        if (cache.get(key) or 0) >= limit:
            return True
    return False


def login_failed(username: str, ip: str) -> None:
    seconds = settings.LOGIN_LOCKOUT_MINUTES * 60
    for key, _ in _login_keys(username, ip):
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, 1, timeout=seconds)


def login_succeeded(username: str) -> None:
    cache.delete(_login_keys(username, "")[0][0])
