"""Periods of the daily, weekly and monthly pages (Hugging Face's rules)."""

import datetime as dt

import pytest

from dailypapers.community.page_periods import parse_page_period, period_of
from dailypapers.community.selectors import period_range


def test_it_covers_one_day_for_a_date():
    assert period_range("date", "2025-10-30") == (dt.date(2025, 10, 30), dt.date(2025, 10, 30))


def test_it_starts_a_week_on_the_friday_before_the_iso_week():
    assert period_range("week", "2025-W44") == (dt.date(2025, 10, 24), dt.date(2025, 11, 2))


def test_it_starts_a_month_on_the_last_day_of_the_month_before():
    assert period_range("month", "2025-10") == (dt.date(2025, 9, 30), dt.date(2025, 10, 31))
    assert period_range("month", "2024-03") == (dt.date(2024, 2, 29), dt.date(2024, 3, 31))


@pytest.mark.parametrize(
    "kind,value",
    [
        ("date", "2025-13-40"),
        ("date", "2025-02-30"),
        ("date", "yesterday"),
        ("week", "2025-W54"),
        ("week", "2025-44"),
        ("month", "2025-13"),
        ("month", "0000-01"),
        ("year", "2025"),
        ("date", ""),
    ],
)
def test_it_refuses_bad_periods_with_a_value_error(kind, value):
    with pytest.raises(ValueError):
        period_range(kind, value)


def test_it_steps_to_neighbouring_periods():
    assert parse_page_period("week", "2025-W01").shifted(-1).value == "2024-W52"
    assert parse_page_period("month", "2025-01").shifted(-1).value == "2024-12"
    assert parse_page_period("date", "2024-02-28").shifted(1).value == "2024-02-29"
    assert period_of("date", dt.date(9999, 12, 31)).shifted(1) is None


def test_it_names_the_period_of_a_day():
    assert period_of("week", dt.date(2025, 10, 30)).value == "2025-W44"
    assert period_of("month", dt.date(2025, 10, 30)).value == "2025-10"
