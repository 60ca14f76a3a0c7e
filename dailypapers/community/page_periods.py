"""Daily, weekly and monthly pages: parse a period from its URL form into the range of days it covers.

Hugging Face's rules, so links and counts match what people know:
- ``date=2025-10-30`` covers that day;
- ``week=2025-W44`` covers the Friday before that ISO week through its Sunday (papers announced on Friday evening
  are submitted over the weekend and belong to the coming week);
- ``month=2025-10`` covers the last day of the previous month through the last day of the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

KINDS = ("date", "week", "month")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class PagePeriod:
    kind: str  # date, week or month
    value: str  # canonical URL form: 2025-10-30, 2025-W44, 2025-10
    start: dt.date
    end: dt.date

    @property
    def anchor(self) -> dt.date:
        """The day the period is named after (the day, the ISO week's Monday, the month's first day)."""
        if self.kind == "date":
            return self.start
        if self.kind == "week":
            year, week = int(self.value[:4]), int(self.value[6:])
            return dt.date.fromisocalendar(year, week, 1)
        return dt.date(int(self.value[:4]), int(self.value[5:7]), 1)

    def shifted(self, steps: int) -> PagePeriod | None:
        """The period ``steps`` before (negative) or after (positive) this one; None outside years 1..9999."""
        try:
            if self.kind == "date":
                return period_of("date", self.start + dt.timedelta(days=steps))
            if self.kind == "week":
                return period_of("week", self.anchor + dt.timedelta(weeks=steps))
            month_index = self.anchor.year * 12 + self.anchor.month - 1 + steps
            return period_of("month", dt.date(month_index // 12, month_index % 12 + 1, 1))
        except (ValueError, OverflowError):
            return None


def period_of(kind: str, day: dt.date) -> PagePeriod:
    """The period of the given kind that is named after ``day`` (its day, its ISO week, its month)."""
    if kind == "date":
        return _parse("date", day.isoformat())
    if kind == "week":
        year, week, _ = day.isocalendar()
        return _parse("week", f"{year:04d}-W{week:02d}")
    if kind == "month":
        return _parse("month", f"{day.year:04d}-{day.month:02d}")
    raise ValueError(f"unknown period kind {kind!r}: expected one of {', '.join(KINDS)}")


# A period asked for by a URL or an API call lies within these days, far enough from the ends of Python's calendar
# (years 1 and 9999) that its neighbours and its week/month tabs can always be computed: no OverflowError.
FIRST_DAY = dt.date(1, 3, 1)
LAST_DAY = dt.date(9999, 10, 1)


def parse_page_period(kind: str, value: str) -> PagePeriod:
    """Parse ``value`` as a period of ``kind``; ValueError with a readable message for anything invalid, including
    a period outside FIRST_DAY..LAST_DAY."""
    period = _parse(kind, value)
    if period.start < FIRST_DAY or period.end > LAST_DAY:
        raise ValueError(f"{period.value} is outside the calendar this site serves")
    return period


def _parse(kind: str, value: str) -> PagePeriod:
    """parse_page_period() without the range check (for periods derived from a valid one, e.g. its week tab)."""
    value = (value or "").strip()
    if kind == "date":
        match = _DATE.match(value)
        if not match:
            raise ValueError(f"not a date: {value[:40]!r} (expected YYYY-MM-DD)")
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise ValueError(f"not a date: {value!r} ({exc})") from None
        return PagePeriod("date", day.isoformat(), day, day)
    if kind == "week":
        match = _WEEK.match(value)
        if not match:
            raise ValueError(f"not a week: {value[:40]!r} (expected YYYY-Www, e.g. 2025-W44)")
        year, week = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
            start, end = monday - dt.timedelta(days=3), monday + dt.timedelta(days=6)
        except (ValueError, OverflowError):
            raise ValueError(f"not a week: {value!r} (year {year} has no week {week})") from None
        return PagePeriod("week", f"{year:04d}-W{week:02d}", start, end)
    if kind == "month":
        match = _MONTH.match(value)
        if not match:
            raise ValueError(f"not a month: {value[:40]!r} (expected YYYY-MM)")
        year, month = int(match[1]), int(match[2])
        if not (1 <= year <= 9999 and 1 <= month <= 12):
            raise ValueError(f"not a month: {value!r}")
        first = dt.date(year, month, 1)
        if first == dt.date.min:
            raise ValueError(f"not a month: {value!r} (before the calendar starts)")
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        return PagePeriod("month", f"{year:04d}-{month:02d}", first - dt.timedelta(days=1), last)
    raise ValueError(f"unknown period kind {kind!r}: expected one of {', '.join(KINDS)}")


def period_range(kind: str, value: str) -> tuple[dt.date, dt.date]:
    """(first day, last day), both inclusive, of a period such as ("week", "2025-W44"); ValueError if invalid."""
    period = parse_page_period(kind, value)
    return period.start, period.end
