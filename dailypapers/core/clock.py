"""Times of day in settings ("06:00", UTC)."""

from __future__ import annotations

import datetime as dt


def parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"bad time of day {text!r}: expected HH:MM (UTC)") from None
