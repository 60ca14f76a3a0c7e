"""core.db: chunked IN lists and queries compiled once per number of keys (CompiledIn)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dailypapers.core.db import IN_CHUNK, CompiledDates, CompiledIn
from dailypapers.core.testing import UTC, make_paper
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor

pytestmark = pytest.mark.django_db


def test_compiled_rows_equal_the_querysets_own_with_values_converted():
    papers = [
        make_paper(
            title=f"Paper {i}",
            authors=("Ada Lovelace", f"Author {i}"),
            published=dt.datetime(2025, 1, 1 + i, 9, tzinfo=UTC),
            day=dt.date(2025, 1, 2 + i),
        )
        for i in range(5)
    ]
    ids = [p.pk for p in reversed(papers)] + [papers[0].pk, -7]  # a repeat and an unknown key
    queryset = Paper.objects.order_by("pk").values_list("pk", "title", "published_at", "organization__name")
    compiled = CompiledIn(queryset)
    expected = [list(row) for row in queryset.filter(pk__in=ids)]
    assert compiled.rows(ids) == expected and compiled.rows(ids) == expected  # compiled, then reused
    assert isinstance(expected[0][2], dt.datetime)  # converters applied (SQLite stores text)
    assert compiled.rows(ids[:2]) == [list(row) for row in queryset.filter(pk__in=ids[:2])]  # another length
    assert compiled.rows([]) == []

    entries = CompiledIn(DailyEntry.objects.order_by("day").values_list("paper_id", "day", "upvotes"), "paper_id")
    assert entries.rows([papers[1].pk, papers[3].pk]) == [
        [papers[1].pk, dt.date(2025, 1, 3), 0],
        [papers[3].pk, dt.date(2025, 1, 5), 0],
    ]
    hidden = CompiledIn(PaperAuthor.objects.order_by("position").values_list("hidden"), "paper_id")
    assert hidden.rows([papers[2].pk]) == [[False], [False]]


def test_long_key_lists_are_read_in_chunks():
    paper = make_paper(title="Only one")
    keys = list(range(-2 * IN_CHUNK, 0)) + [paper.pk]
    compiled = CompiledIn(Paper.objects.values_list("pk", "title"))
    with CaptureQueriesContext(connection) as queries:
        assert compiled.rows(keys) == [[paper.pk, "Only one"]]
    assert len(queries) == 3


def test_a_query_compiled_with_stand_in_dates_runs_with_each_calls_dates():
    for i in range(6):
        make_paper(title=f"Day {i}", day=dt.date(2025, 1, 1 + i))

    def build(start, end):
        return DailyEntry.objects.filter(day__gte=start, day__lte=end).order_by("-day").values_list("day", "paper_id")

    compiled = CompiledDates(build)
    for start, end in [(dt.date(2025, 1, 2), dt.date(2025, 1, 4)), (dt.date(2025, 1, 6), dt.date(2025, 1, 6))]:
        assert compiled.rows(start, end) == [list(row) for row in build(start, end)]
    assert [row[0] for row in compiled.rows(dt.date(2025, 1, 2), dt.date(2025, 1, 4))] == [
        dt.date(2025, 1, 4),
        dt.date(2025, 1, 3),
        dt.date(2025, 1, 2),
    ]
    assert compiled.rows(dt.date(2030, 1, 1), dt.date(2030, 12, 31)) == []
