"""Reads behind the API: plain rows (dicts) for the listings, fetched in a few flat queries (no N+1, no models).

A "row" is everything one API item shows about a paper: its fields, its ordered author names and its daily entry
(when it has one). Listings first pick the ordered paper ids of a page, then fetch the rows of those ids.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from dailypapers.core.db import in_chunks
from dailypapers.papers.models import Author, DailyEntry, Paper, PaperAuthor

PAPER_FIELDS = (
    "id", "arxiv_id", "version", "title", "abstract", "categories", "primary_category", "published_at",
    "updated_at", "comments", "journal_ref", "doi", "license", "github_repo", "project_page", "upvotes",
    "num_comments",
)  # fmt: skip
ENTRY_FIELDS = ("day", "submitted_at", "submitter_name", "submitter_fullname", "submitter_avatar", "source")


def paper_rows(*, paper_ids: Sequence[int]) -> list[dict]:
    """The rows of these papers, in the order given (unknown ids are left out)."""
    ids = list(dict.fromkeys(paper_ids))
    if not ids:
        return []
    by_id: dict[int, dict] = {}
    entry_values = [f"daily_entry__{name}" for name in ENTRY_FIELDS]
    for chunk in in_chunks(ids):
        for row in Paper.objects.filter(pk__in=chunk).values(*PAPER_FIELDS, *entry_values):
            entry = {name: row.pop(f"daily_entry__{name}") for name in ENTRY_FIELDS}
            row["entry"] = entry if entry["day"] is not None else None
            row["authors"] = []
            by_id[row["id"]] = row
        authorships = (
            PaperAuthor.objects.filter(paper_id__in=chunk)
            .order_by("paper_id", "position")
            .values_list("paper_id", "author_id", "author__name")
        )
        for paper_id, author_id, name in authorships:
            by_id[paper_id]["authors"].append((author_id, name))
    return [by_id[pk] for pk in ids if pk in by_id]


def paper_row(*, arxiv_id: str) -> dict | None:
    pk = Paper.objects.filter(arxiv_id=arxiv_id).values_list("pk", flat=True).first()
    if pk is None:
        return None
    rows = paper_rows(paper_ids=[pk])
    return rows[0] if rows else None


def daily_page_ids(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    submitter: str | None = None,
    order: str = "newest",
    offset: int = 0,
    limit: int = 50,
) -> list[int]:
    """Paper ids of one page of daily entries: newest submissions first, or ``order="most_upvoted"``."""
    entries = DailyEntry.objects.all()
    if start is not None:
        entries = entries.filter(day__gte=start)
    if end is not None:
        entries = entries.filter(day__lte=end)
    if submitter:
        entries = entries.filter(Q(submitter_name=submitter) | Q(submitted_by__username=submitter))
    if order == "most_upvoted":
        entries = entries.order_by("-paper__upvotes", "-day", "-submitted_at", "-paper_id")
    else:
        entries = entries.order_by("-day", "-submitted_at", "-paper_id")
    return list(entries.values_list("paper_id", flat=True)[offset : offset + limit])


def latest_papers_ids(*, offset: int = 0, limit: int = 50) -> list[int]:
    return list(Paper.objects.order_by("-published_at", "-pk").values_list("pk", flat=True)[offset : offset + limit])


# --- cursor pagination of /api/v1/papers -------------------------------------------------------------------------


class BadCursor(ValueError):
    pass


def encode_cursor(published_at: dt.datetime, pk: int) -> str:
    raw = f"{published_at.astimezone(dt.timezone.utc).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        value = dt.datetime.fromisoformat(when)
        if value.tzinfo is None:
            raise ValueError
        return value, int(pk)
    except (ValueError, UnicodeDecodeError):
        raise BadCursor("invalid cursor (pass back the next_cursor of a previous page)") from None


def papers_page_ids(
    *,
    day: dt.date | None = None,
    category: str | None = None,
    author_id: int | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[int], str | None]:
    """One page of papers, newest first (by arXiv publication), and the cursor of the next page (None at the end)."""
    papers = Paper.objects.all()
    if day is not None:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.timezone.utc)
        papers = papers.filter(published_at__gte=start, published_at__lt=start + dt.timedelta(days=1))
    if category:
        papers = papers.filter(
            Q(categories=category)
            | Q(categories__startswith=f"{category} ")
            | Q(categories__endswith=f" {category}")
            | Q(categories__contains=f" {category} ")
        )
    if author_id is not None:
        papers = papers.filter(authorships__author_id=author_id)
    if cursor:
        when, pk = decode_cursor(cursor)
        papers = papers.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    rows = list(papers.order_by("-published_at", "-pk").values_list("pk", "published_at")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1][1], rows[limit - 1][0]) if len(rows) > limit else None
    return [pk for pk, _ in rows[:limit]], next_cursor


# --- authors ------------------------------------------------------------------------------------------------------


def authors_page(*, query: str | None = None, offset: int = 0, limit: int = 20) -> list[dict]:
    authors = Author.objects.all()
    if query:
        authors = authors.filter(name__icontains=query)
    rows = list(authors.order_by("name", "pk").values("id", "name")[offset : offset + limit])
    _add_paper_counts(rows)
    return rows


def author_get(*, author_id: int) -> dict | None:
    row = Author.objects.filter(pk=author_id).values("id", "name").first()
    if row is not None:
        _add_paper_counts([row])
    return row


def _add_paper_counts(rows: list[dict]) -> None:
    from django.db.models import Count

    counts = dict(
        PaperAuthor.objects.filter(author_id__in=[r["id"] for r in rows])
        .values("author_id")
        .annotate(n=Count("paper_id", distinct=True))
        .values_list("author_id", "n")
    )
    for row in rows:
        row["num_papers"] = counts.get(row["id"], 0)
