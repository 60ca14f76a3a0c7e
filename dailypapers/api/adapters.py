"""Thin adapters from the API to the search and community apps: the API calls only these functions.

The search app's interface is imported lazily, with a plain word search as a stand-in where it is absent (a
checkout without the search app, or its index not built), so the API always answers.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

from django.conf import settings

from dailypapers.papers.models import Paper


class Unavailable(Exception):
    """A feature whose backing app is not installed or not ready (answered 503)."""


class Refused(Exception):
    """A write the community rules refuse (answered 400 or 409), with the reason."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _optional(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


# --- search -------------------------------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    hits: list[tuple[int, float]] = field(default_factory=list)  # (paper pk, score), best first
    total: int = 0
    page: int = 1
    redirect: str | None = None
    error: str | None = None


def search(
    *,
    query: str,
    mode: str = "hybrid",
    category: str | None = None,
    author: str | None = None,
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchOutcome:
    search_papers = _optional("dailypapers.search.services", "search_papers")
    if search_papers is None:
        return _fallback_search(
            query=query, category=category, author=author, published_from=published_from,
            published_to=published_to, page=page, per_page=per_page,
        )  # fmt: skip
    results = search_papers(
        query=query, mode=mode, category=category, author=author, published_from=published_from,
        published_to=published_to, page=page, per_page=per_page,
    )  # fmt: skip
    redirect = getattr(results, "redirect", None)
    if redirect is not None:  # the query was an arXiv id of a stored paper: that paper is the one result
        return SearchOutcome(hits=[(redirect.pk, 1.0)], total=1, page=1, redirect=f"{settings.SITE_URL}/papers/{redirect.arxiv_id}")
    if results.error and _index_missing():
        return _fallback_search(
            query=query, category=category, author=author, published_from=published_from,
            published_to=published_to, page=page, per_page=per_page,
        )  # fmt: skip
    return SearchOutcome(
        hits=[(hit.paper.pk, float(hit.score)) for hit in results.hits], total=results.total, page=results.page,
        error=results.error,
    )  # fmt: skip


def _index_missing() -> bool:
    open_snapshot = _optional("dailypapers.search.store", "open_snapshot")
    return open_snapshot is None or open_snapshot() is None


def _fallback_search(*, query, category, author, published_from, published_to, page, per_page) -> SearchOutcome:
    """Every word in the title, newest first: a stand-in while there is no search index (titles only, so that a
    scan of a large hub stays in tens of milliseconds)."""
    papers = Paper.objects.all()
    for word in query.split()[:8]:
        papers = papers.filter(title__icontains=word)
    if category:
        papers = papers.filter(categories__contains=category)
    if author:
        papers = papers.filter(authorships__author__name__icontains=author)
    if published_from:
        papers = papers.filter(published_at__date__gte=published_from)
    if published_to:
        papers = papers.filter(published_at__date__lte=published_to)
    ids = list(papers.order_by("-published_at", "-pk").values_list("pk", flat=True)[(page - 1) * per_page : page * per_page + 1])
    total = (page - 1) * per_page + len(ids) if len(ids) <= per_page else papers.count()
    return SearchOutcome(hits=[(pk, 1.0) for pk in ids[:per_page]], total=total, page=page)


def similar(*, paper: Paper, limit: int = 10) -> list[tuple[int, float]]:
    similar_papers = _optional("dailypapers.search.services", "similar_papers")
    if similar_papers is None:
        raise Unavailable("similar papers need the search app and its index")
    return [(found.pk, float(score)) for found, score in similar_papers(paper=paper, limit=limit)]


# --- community ----------------------------------------------------------------------------------------------------


def trending_ids(*, days: int = 7, limit: int = 50, offset: int = 0) -> list[int]:
    from dailypapers.community.selectors import trending_papers

    return [paper.pk for paper in trending_papers(days=days, limit=limit, offset=offset)]


def vote_set(*, user, paper: Paper, upvote: bool) -> tuple[bool, int]:
    """Make the user's upvote be ``upvote``; returns (voted?, the paper's upvote count)."""
    from dailypapers.community.services import vote_set as community_vote_set

    return community_vote_set(user=user, paper=paper, up=upvote)


def comments_of(*, paper: Paper) -> list[dict]:
    """The paper's comments, oldest first, as plain rows (removed ones keep their place in the thread, emptied)."""
    from dailypapers.community.models import Comment

    rows = (
        Comment.objects.filter(paper=paper)
        .order_by("created", "pk")
        .values("id", "parent_id", "body", "body_html", "created", "edited", "is_deleted", "is_hidden", "author__username")
    )
    out = []
    for row in rows:
        removed = row["is_deleted"] or row["is_hidden"]
        out.append(
            {
                "id": row["id"], "parent_id": row["parent_id"], "user": None if removed else row["author__username"],
                "body": "" if removed else row["body"], "body_html": "" if removed else row["body_html"],
                "created": row["created"], "edited": row["edited"], "removed": removed,
            }  # fmt: skip
        )
    return out


def comment_create(*, user, paper: Paper, body: str, parent_id: int | None = None):
    from dailypapers.community.models import Comment
    from dailypapers.community.services import comment_create as community_comment_create

    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).first()
        if parent is None:
            raise Refused(f"no comment {parent_id}", status=404)
    try:
        return community_comment_create(user=user, paper=paper, body=body, parent=parent)
    except (ValueError, PermissionError) as exc:
        raise Refused(str(exc) or "comment refused") from None


def submit_paper(*, user, arxiv_id: str) -> int:
    """Put a paper on today's daily page (the community's rules); returns the paper's pk, or raises Refused."""
    from dailypapers.community.services import SubmissionRefused
    from dailypapers.community.services import submit_paper as community_submit_paper

    try:
        entry = community_submit_paper(user=user, arxiv_id=arxiv_id)
    except SubmissionRefused as exc:
        raise Refused(exc.message, status=409 if exc.entry is not None else 400) from None
    return entry.paper_id
