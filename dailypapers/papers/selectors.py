"""Reads from the paper store, shaped for pages, the API and feeds (few queries, no N+1)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor


def with_authors(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Prefetch each paper's ordered authors in one extra query (hidden authors left out)."""
    return papers.prefetch_related(
        Prefetch(
            "authorships",
            queryset=PaperAuthor.objects.filter(hidden=False).select_related("author").order_by("position"),
        )
    )


def paper_get(*, arxiv_id: str, authors: bool = True) -> Paper | None:
    """The stored paper of any spelling of an arXiv id (None when unknown or not an id), its authors prefetched."""
    try:
        canonical = parse_arxiv_id(arxiv_id).id
    except InvalidArxivId:
        return None
    papers = Paper.objects.filter(arxiv_id=canonical)
    return (with_authors(papers) if authors else papers).first()


def latest_day() -> dt.date | None:
    """The most recent day that has papers on its daily page."""
    return DailyEntry.objects.order_by("-day").values_list("day", flat=True).first()


def daily_entries(*, start: dt.date, end: dt.date) -> QuerySet[DailyEntry]:
    """Entries of the days start..end (inclusive), most upvoted first."""
    return (
        DailyEntry.objects.filter(day__gte=start, day__lte=end)
        .select_related("paper", "submitted_by")
        .prefetch_related(
            Prefetch(
                "paper__authorships",
                queryset=PaperAuthor.objects.filter(hidden=False).select_related("author").order_by("position"),
            )
        )
        .order_by("-paper__upvotes", "-paper__published_at", "paper__arxiv_id")
    )
