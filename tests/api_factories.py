"""Small builders of papers and daily entries for the API tests, stored through the papers app's import service."""

from __future__ import annotations

import datetime as dt

from dailypapers.papers.models import Paper
from dailypapers.papers.records import DailyInfo, build_record
from dailypapers.papers.services import import_records

UTC = dt.timezone.utc


def make_paper(
    arxiv_id: str,
    *,
    title: str = "A paper",
    abstract: str = "An abstract.",
    authors: tuple[str, ...] = ("Ada Lovelace",),
    categories: tuple[str, ...] = ("cs.CL",),
    published: dt.datetime = dt.datetime(2025, 10, 20, 12, tzinfo=UTC),
    day: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
    submitter: str = "",
    upvotes: int = 0,
) -> Paper:
    daily = None
    if day is not None:
        daily = DailyInfo(
            day=day, submitted_at=submitted_at or dt.datetime.combine(day, dt.time(6), tzinfo=UTC),
            submitter_name=submitter, submitter_fullname=submitter.title(), upvotes=upvotes,
        )  # fmt: skip
    record = build_record(
        arxiv_id=arxiv_id, title=title, abstract=abstract, authors=list(authors), categories=list(categories),
        published=published, daily=daily,
    )  # fmt: skip
    import_records([record])
    return Paper.objects.get(arxiv_id=arxiv_id)
