"""The date / week / month rules of the Hugging Face daily-papers listing."""

import datetime as dt

import pytest

from dailypapers.api.periods import period_range


def test_it_reads_a_date_as_that_day():
    assert period_range("date", "2025-10-22") == (dt.date(2025, 10, 22), dt.date(2025, 10, 22))


def test_it_starts_a_week_on_the_friday_before_and_ends_it_on_sunday():
    assert period_range("week", "2025-W44") == (dt.date(2025, 10, 24), dt.date(2025, 11, 2))
    assert period_range("week", "2026-W01") == (dt.date(2025, 12, 26), dt.date(2026, 1, 4))


def test_it_starts_a_month_on_the_last_day_of_the_previous_month():
    assert period_range("month", "2025-10") == (dt.date(2025, 9, 30), dt.date(2025, 10, 31))
    assert period_range("month", "2024-03") == (dt.date(2024, 2, 29), dt.date(2024, 3, 31))
    assert period_range("month", "2025-01") == (dt.date(2024, 12, 31), dt.date(2025, 1, 31))


@pytest.mark.parametrize(
    "kind, value",
    [("date", "2025-13-40"), ("date", "2025-02-30"), ("date", "yesterday"), ("date", "2025-1-1"),
     ("week", "2025-W54"), ("week", "2025-44"), ("week", "2025-W00"), ("month", "2025-13"), ("month", "2025-1"),
     ("month", "0000-01"), ("decade", "2020")],
)  # fmt: skip
def test_it_refuses_impossible_periods(kind, value):
    with pytest.raises(ValueError):
        period_range(kind, value)
