"""Digest periods (pure date arithmetic): which papers are new in a daily or weekly digest, and when it is due.

arXiv announces on weekdays; the announcement of weekday D lists the submissions received between the cutoffs
(about 14:00 US Eastern, taken as 19:00 UTC) of the two previous weekdays: Monday gets Thursday->Friday, Tuesday
gets Friday->Monday, and so on. A daily digest of day D covers exactly that window, so consecutive daily digests
never repeat or miss a paper, and its daily-page section covers the days since the previous weekday (Monday's
covers the weekend). A weekly digest covers the seven days before its day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAILY = "daily"
WEEKLY = "weekly"
CUTOFF = dt.time(19, 0)
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
UTC = dt.UTC


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    frequency: str
    day: dt.date
    window_start: dt.datetime  # papers published in [window_start, window_end) are new in this digest
    window_end: dt.datetime
    page_start: dt.date  # daily pages page_start..page_end (inclusive) are summarized
    page_end: dt.date

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.day.isoformat()}"

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


def _cutoff(day: dt.date) -> dt.datetime:
    """The end of the submissions announced on weekday `day`."""
    return dt.datetime.combine(previous_weekday(day), CUTOFF, tzinfo=UTC)


def daily_period(day: dt.date) -> Period:
    if day.weekday() >= 5:
        raise InvalidPeriod(f"{day} is a {day:%A}: daily digests go out on weekdays only")
    previous = previous_weekday(day)
    return Period(
        frequency=DAILY, day=day, window_start=_cutoff(previous), window_end=_cutoff(day),
        page_start=previous, page_end=day - dt.timedelta(days=1),
    )  # fmt: skip


def weekly_period(day: dt.date) -> Period:
    start = day - dt.timedelta(days=7)
    return Period(
        frequency=WEEKLY, day=day,
        window_start=dt.datetime.combine(start, dt.time(0), tzinfo=UTC),
        window_end=dt.datetime.combine(day, dt.time(0), tzinfo=UTC),
        page_start=start, page_end=day - dt.timedelta(days=1),
    )  # fmt: skip


def parse_period(key: str) -> Period:
    """'daily:2026-11-27' or 'weekly:2026-11-23' -> Period (a clear error otherwise)."""
    frequency, _, day_text = (key or "").partition(":")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise InvalidPeriod(f"bad period {key!r}: expected daily:YYYY-MM-DD or weekly:YYYY-MM-DD") from None
    if frequency == DAILY:
        return daily_period(day)
    if frequency == WEEKLY:
        return weekly_period(day)
    raise InvalidPeriod(f"bad period {key!r}: expected daily:YYYY-MM-DD or weekly:YYYY-MM-DD")


def parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"bad time of day {text!r}: expected HH:MM (UTC)") from None


def parse_weekday(text: str) -> int:
    try:
        return WEEKDAYS[text.strip().lower()[:3]]
    except KeyError:
        raise ValueError(f"bad weekday {text!r}: expected one of {', '.join(WEEKDAYS)}") from None


def due_periods(*, now: dt.datetime, send_time: dt.time, weekly_day: int) -> list[Period]:
    """The periods whose send time has come today (a worker that was down all day does not send stale digests)."""
    now = now.astimezone(UTC)
    today = now.date()
    if now.time() < send_time:
        return []
    periods = []
    if today.weekday() < 5:
        periods.append(daily_period(today))
    if today.weekday() == weekly_day:
        periods.append(weekly_period(today))
    return periods


def latest_period(*, frequency: str, now: dt.datetime, weekly_day: int) -> Period:
    """The most recent period of that frequency on or before now (for previews)."""
    day = now.astimezone(UTC).date()
    if frequency == WEEKLY:
        while day.weekday() != weekly_day:
            day -= dt.timedelta(days=1)
        return weekly_period(day)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return daily_period(day)
