"""Per-client fixed-window rate limits, counted in Django's shared cache so every worker process sees one count.

To keep the shared cache off the hot path, each process batches its hits: it adds its pending hits to the shared
counter every ``batch`` hits or every second, and on every hit once the shared count passes half the limit, so the
limit is exact where it matters. Headers follow the IETF RateLimit draft in the form Hugging Face sends
(``ratelimit: "api";r=<remaining>;t=<reset>``, ``ratelimit-policy: "fixed window";"api";q=<limit>;w=<window>``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.core.cache import cache

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
    def __init__(self, *, name: str, limit: int, window: int, clock=time.time) -> None:
        self.name, self.limit, self.window, self.clock = name, limit, max(1, window), clock
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
            shared = _add_shared(key, pending, self.window)
            with self._lock:
                slot.shared = max(slot.shared, shared)
                slot.synced_at = now
        count = slot.shared + slot.pending
        return Decision(
            allowed=count <= self.limit, limit=self.limit, remaining=max(0, self.limit - count), reset=reset,
            window=self.window, name=self.name,
        )  # fmt: skip


def _add_shared(key: str, amount: int, window: int) -> int:
    cache.add(key, 0, timeout=window + 5)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=window + 5)
        return amount
