"""Digest periods (pure date arithmetic): which papers are new in a daily or weekly digest, and when it is due.

A paper is new in a digest when it reached this hub (was fetched from an arXiv announcement, or imported) between
the previous digest's send time and this one's, and was first published on arXiv recently (RECENT_DAYS: a bulk
import of old papers is not news). Daily digests go out on weekdays: the window of weekday D runs from the previous
weekday's send time to D's, so consecutive windows never overlap or leave a gap, and a day on which arXiv announced
nothing (a holiday) finds nothing new and sends nothing, its papers arriving in the next day's digest. The
daily-page section covers the days since the previous weekday (Monday's covers the weekend). A weekly digest
covers the seven days before its send time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAILY = "daily"
WEEKLY = "weekly"
DEFAULT_SEND_TIME = dt.time(6, 0)
RECENT_DAYS = 10
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
UTC = dt.UTC


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True)
class DigestPeriod:
    frequency: str
    day: dt.date
    window_start: dt.datetime  # papers that arrived in [window_start, window_end) are new in this digest...
    window_end: dt.datetime
    page_start: dt.date  # daily pages page_start..page_end (inclusive) are summarized
    page_end: dt.date

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.day.isoformat()}"

    @property
    def published_after(self) -> dt.datetime:
        """...if first published on arXiv after this."""
        return self.window_start - dt.timedelta(days=RECENT_DAYS)

    @property
    def trending_days(self) -> int:
        return 7 if self.frequency == WEEKLY else 3

    def label(self) -> str:
        if self.frequency == WEEKLY:
            return f"week of {self.page_start:%b} {self.page_start.day} to {self.page_end:%b} {self.page_end.day}"
        return f"{self.day:%A}, {self.day:%B} {self.day.day}"


def previous_weekday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, send_time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, send_time, tzinfo=UTC)


def daily_period(day: dt.date, *, send_time: dt.time = DEFAULT_SEND_TIME) -> DigestPeriod:
    if day.weekday() >= 5:
        raise InvalidPeriod(f"{day} is a {day:%A}: daily digests go out on weekdays only")
    previous = previous_weekday(day)
    return DigestPeriod(
        frequency=DAILY,
        day=day,
        window_start=_at(previous, send_time),
        window_end=_at(day, send_time),
        page_start=previous,
        page_end=day - dt.timedelta(days=1),
    )


def weekly_period(day: dt.date, *, send_time: dt.time = DEFAULT_SEND_TIME) -> DigestPeriod:
    start = day - dt.timedelta(days=7)
    return DigestPeriod(
        frequency=WEEKLY,
        day=day,
        window_start=_at(start, send_time),
        window_end=_at(day, send_time),
        page_start=start,
        page_end=day - dt.timedelta(days=1),
    )


def parse_digest_period(key: str, *, send_time: dt.time = DEFAULT_SEND_TIME) -> DigestPeriod:
    """'daily:2026-11-27' or 'weekly:2026-11-23' -> DigestPeriod (a clear error otherwise)."""
    frequency, _, day_text = (key or "").partition(":")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise InvalidPeriod(f"bad period {key!r}: expected daily:YYYY-MM-DD or weekly:YYYY-MM-DD") from None
    if frequency == DAILY:
        return daily_period(day, send_time=send_time)
    if frequency == WEEKLY:
        return weekly_period(day, send_time=send_time)
    raise InvalidPeriod(f"bad period {key!r}: expected daily:YYYY-MM-DD or weekly:YYYY-MM-DD")


def parse_weekday(text: str) -> int:
    try:
        return WEEKDAYS[text.strip().lower()[:3]]
    except KeyError:
        raise ValueError(f"bad weekday {text!r}: expected one of {', '.join(WEEKDAYS)}") from None


def due_periods(*, now: dt.datetime, send_time: dt.time, weekly_day: int) -> list[DigestPeriod]:
    """The periods whose send time has come today (a worker that was down all day does not send stale digests)."""
    now = now.astimezone(UTC)
    today = now.date()
    if now.time() < send_time:
        return []
    periods = []
    if today.weekday() < 5:
        periods.append(daily_period(today, send_time=send_time))
    if today.weekday() == weekly_day:
        periods.append(weekly_period(today, send_time=send_time))
    return periods


def latest_period(
    *, frequency: str, now: dt.datetime, weekly_day: int, send_time: dt.time = DEFAULT_SEND_TIME
) -> DigestPeriod:
    """The most recent period of that frequency on or before now (for previews)."""
    day = now.astimezone(UTC).date()
    if frequency == WEEKLY:
        while day.weekday() != weekly_day:
            day -= dt.timedelta(days=1)
        return weekly_period(day, send_time=send_time)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return daily_period(day, send_time=send_time)
