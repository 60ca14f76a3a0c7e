"""Factories for tests and benchmarks: papers, daily entries, users and digest subscribers, written straight through
the Django models (fast, no ingest rules), plus ``import_papers`` for callers that need the real import path.

Shared by ``tests/`` and ``bench/`` (bench never imports tests). No pytest here: only Django models and services,
imported inside the functions so that this module can be imported before ``django.setup()``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence

UTC = dt.UTC

_ids = itertools.count(10001)


def _category_text(categories: str | Sequence[str]) -> str:
    return categories if isinstance(categories, str) else " ".join(categories)


def make_paper(
    arxiv_id: str | None = None,
    *,
    title: str = "A paper",
    abstract: str | None = None,
    authors: Sequence[str] = ("Ada Lovelace",),
    categories: str | Sequence[str] = "cs.CL",
    published: dt.datetime | None = None,
    upvotes: int = 0,
    imported_upvotes: int = 0,
    github_repo: str = "",
    arrived: dt.datetime | None = None,
    day: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
    submitter: str = "",
    submitted_by=None,
    entry_source: str | None = None,
):
    """A stored paper.

    arxiv_id: a fresh new-style id (2501.1xxxx) when omitted. abstract: "An abstract about <title>." when omitted.
    categories: space-separated text or a sequence, primary first. published: now when omitted.
    upvotes: votes cast on this hub; imported_upvotes: carried over from an imported hub (counted in ``upvotes`` too,
    and the daily entry's own count when ``day`` puts it on a page).
    arrived: when the hub fetched it (``created``; now when omitted).
    day: also put it on that daily page (see ``make_entry`` for submitted_at, submitter, submitted_by, entry_source).
    """
    from django.utils import timezone

    from dailypapers.papers.models import Author, Paper, PaperAuthor

    now = timezone.now()
    category_text = _category_text(categories)
    paper = Paper.objects.create(
        arxiv_id=arxiv_id or f"2501.{next(_ids):05d}",
        title=title,
        abstract=f"An abstract about {title.lower()}." if abstract is None else abstract,
        categories=category_text,
        primary_category=category_text.split()[0] if category_text else "",
        published_at=published or now,
        upvotes=upvotes + imported_upvotes,
        imported_upvotes=imported_upvotes,
        github_repo=github_repo,
        modified=now,
    )
    if arrived is not None:  # `created` is set on insert
        Paper.objects.filter(pk=paper.pk).update(created=arrived)
        paper.created = arrived
    for position, name in enumerate(authors):
        author, _ = Author.objects.get_or_create(name=name)
        PaperAuthor.objects.create(paper=paper, author=author, position=position)
    if day is not None:
        make_entry(
            paper,
            day,
            submitted_at=submitted_at,
            user=submitted_by,
            submitter=submitter,
            source=entry_source,
            upvotes=imported_upvotes,
        )
    return paper


def make_entry(
    paper,
    day: dt.date,
    *,
    submitted_at: dt.datetime | None = None,
    user=None,
    submitter: str = "",
    source: str | None = None,
    upvotes: int = 0,
):
    """Put ``paper`` on the daily page of ``day``: submitted by ``user`` (source "user") or by the feed.

    upvotes: the count the entry's source gave that day (an imported hub's; votes cast here count on the paper).

    submitted_at: noon UTC of ``day`` when omitted. submitter: the submitter's name shown on the page (default: the
    user's name, else "feed"); its full name is the title-cased name.
    """
    from dailypapers.papers.models import DailyEntry

    name = submitter or getattr(user, "username", "") or "feed"
    return DailyEntry.objects.create(
        paper=paper,
        day=day,
        submitted_by=user,
        submitter_name=name,
        submitter_fullname=submitter.title(),
        submitted_at=submitted_at or dt.datetime.combine(day, dt.time(12), tzinfo=UTC),
        source=source or (DailyEntry.Source.USER if user else DailyEntry.Source.FEED),
        upvotes=upvotes,
    )


def make_user(username: str = "reader", *, password: str | None = None, **fields):
    """A user with an example.org address; without a password (no argon2 hashing: fast) unless one is given."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password, **fields
    )


def import_papers(rows: Iterable[dict]):
    """Import papers given as dicts through the papers app's real import path (records, merge rules, content hash).

    Each row: arxiv_id, title, optional abstract, authors, categories, published, version, updated.
    Returns the import service's result.
    """
    from dailypapers.papers.records import build_record
    from dailypapers.papers.services import import_records

    records = [
        build_record(
            arxiv_id=row["arxiv_id"],
            title=row["title"],
            abstract=row.get("abstract", ""),
            authors=row.get("authors", ["A. Author"]),
            categories=row.get("categories", ["cs.LG"]),
            published=row.get("published", dt.datetime(2024, 1, 15, tzinfo=UTC)),
            source="test",
            version=row.get("version"),
            updated=row.get("updated"),
        )
        for row in rows
    ]
    return import_records(records)


def digest_papers(period_key: str, *, first: int = 1) -> list:
    """Three papers new in a digest period (e.g. "2026-11-13" or "2026-W46"), two of them on its daily page, one
    about weight quantization; their ids start at 2611.<first>."""
    from dailypapers.digests.digest_periods import parse_digest_period

    period = parse_digest_period(period_key)
    arrived = period.window_start + dt.timedelta(hours=2)
    published = arrived - dt.timedelta(hours=12)
    day = period.page_end
    when = {"published": published, "arrived": arrived}
    on_page = {"day": day, "submitted_at": published, "entry_source": "cli"}
    return [
        make_paper(
            f"2611.{first:05d}",
            title="Salient Weight Quantization for Large Language Models",
            upvotes=12,
            abstract="We keep the salient weights in high precision and quantize the rest to 3 bits.",
            authors=("Grace Hopper", "Alan Turing"),
            **on_page,
            **when,
        ),
        make_paper(
            f"2611.{first + 1:05d}",
            title="Attention Sinks in Streaming Transformers",
            upvotes=5,
            categories="cs.LG cs.CL",
            **on_page,
            **when,
        ),
        make_paper(f"2611.{first + 2:05d}", title="Lattice Gauge Theory on a Laptop", categories="hep-lat", **when),
    ]


def active_subscribers(count: int, *, domain: str = "example.org") -> list:
    """``count`` confirmed digest subscribers reader000000@<domain>..., in creation order."""
    from django.utils import timezone

    from dailypapers.digests.models import Subscription

    now = timezone.now()
    Subscription.objects.bulk_create(
        [
            Subscription(email=f"reader{i:06d}@{domain}", status=Subscription.Status.ACTIVE, confirmed_at=now)
            for i in range(count)
        ],
        batch_size=1000,
    )
    return list(Subscription.objects.filter(email__endswith=f"@{domain}").order_by("pk"))
