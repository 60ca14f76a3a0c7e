"""The date / week / month periods of Hugging Face's daily-papers listing, as (first day, last day) ranges.

Rules (from HF's server, as its client's tests check them): ``date=YYYY-MM-DD`` is that day; ``week=YYYY-Www``
(ISO week) runs from the Friday before that week through its Sunday; ``month=YYYY-MM`` runs from the last day of the
previous month through the last day of the month. Bad input raises ValueError with a readable message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
KINDS = ("date", "week", "month")


def period_range(kind: str, value: str) -> tuple[dt.date, dt.date]:
    value = (value or "").strip()
    if kind == "date":
        match = _DATE.match(value)
        if not match:
            raise ValueError(f"date must look like YYYY-MM-DD, got {value[:40]!r}")
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError:
            raise ValueError(f"no such date: {value}") from None
        return day, day
    if kind == "week":
        match = _WEEK.match(value)
        if not match:
            raise ValueError(f"week must look like YYYY-Www (ISO week), got {value[:40]!r}")
        try:
            monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise ValueError(f"no such ISO week: {value}") from None
        return monday - dt.timedelta(days=3), monday + dt.timedelta(days=6)
    if kind == "month":
        match = _MONTH.match(value)
        if not match:
            raise ValueError(f"month must look like YYYY-MM, got {value[:40]!r}")
        year, month = map(int, match.groups())
        if not (1 <= month <= 12 and 1 <= year <= 9999):
            raise ValueError(f"no such month: {value}")
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        start = first - dt.timedelta(days=1) if first > dt.date.min else first
        return start, last
    raise ValueError(f"unknown period kind {kind!r} (one of {', '.join(KINDS)})")
