"""Small factories for the community and web tests: papers, daily entries, users."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from dailypapers.papers.models import Author, DailyEntry, Paper, PaperAuthor

_ids = itertools.count(10001)


def make_paper(
    *,
    arxiv_id: str | None = None,
    title: str = "A paper about $\\alpha$-divergences",
    abstract: str = "We study $x^2 + y^2 = z^2$ in detail.",
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing"),
    published_at: dt.datetime | None = None,
    categories: str = "cs.LG stat.ML",
    upvotes: int = 0,
    imported_upvotes: int = 0,
    github_repo: str = "",
) -> Paper:
    arxiv_id = arxiv_id or f"2501.{next(_ids):05d}"
    now = timezone.now()
    paper = Paper.objects.create(
        arxiv_id=arxiv_id, title=title, abstract=abstract, categories=categories,
        primary_category=categories.split()[0] if categories else "", published_at=published_at or now,
        upvotes=upvotes + imported_upvotes, imported_upvotes=imported_upvotes, github_repo=github_repo, modified=now,
    )  # fmt: skip
    for position, name in enumerate(authors):
        author, _ = Author.objects.get_or_create(name=name)
        PaperAuthor.objects.create(paper=paper, author=author, position=position)
    return paper


def make_entry(paper: Paper, day: dt.date, *, submitted_at: dt.datetime | None = None, user=None) -> DailyEntry:
    return DailyEntry.objects.create(
        paper=paper, day=day, submitted_by=user, submitter_name=getattr(user, "username", "") or "feed",
        submitted_at=submitted_at or dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc),
        source=DailyEntry.Source.USER if user else DailyEntry.Source.FEED,
    )  # fmt: skip


def make_user(username: str = "reader", *, password: str | None = None, **fields):
    """A user; without a password (no argon2 hashing: fast) unless one is given."""
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password, **fields
    )
