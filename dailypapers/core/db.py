"""Small database helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Keys per `IN (...)` query: far below every backend's bound-parameter limit (SQLite's is the lowest).
IN_CHUNK = 900


def in_chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size``, for ``filter(pk__in=chunk)`` queries over long key lists."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
