"""Thin adapters from the API to the search and community apps: the API calls only these functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from dailypapers.community import selectors as community_selectors
from dailypapers.community import services as community_services
from dailypapers.community.models import Comment
from dailypapers.papers.models import Paper
from dailypapers.search import services as search_services


class Refused(Exception):
    """A write the community rules refuse (answered 400 or 409), with the reason."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Queued(Exception):
    """The paper is being fetched from arXiv by the worker; the submission completes shortly (answered 202)."""


# --- search -------------------------------------------------------------------------------------------------------


@dataclass
class SearchOutcome:
    hits: list[tuple[int, float]] = field(default_factory=list)  # (paper pk, score), best first
    total: int = 0
    page: int = 1
    redirect: str | None = None
    error: str | None = None


def search(*, query: str, mode: str = "hybrid", page: int = 1, per_page: int = 20, **filters: Any) -> SearchOutcome:
    """A search for the API: (paper pk, score) pairs, the papers fetched later in the API's own shape. ``filters``
    are search_papers' (category, author, published_from, published_to)."""
    results = search_services.search_papers(
        query=query, mode=mode, page=page, per_page=per_page, fetch=False, **filters
    )
    if results.redirect is not None:  # the query was an arXiv id of a stored paper: that paper is the one result
        paper = results.redirect
        return SearchOutcome(
            hits=[(paper.pk, 1.0)], total=1, page=1, redirect=f"{settings.SITE_URL}/papers/{paper.arxiv_id}"
        )
    return SearchOutcome(
        hits=[(pk, float(score)) for pk, score in results.window],
        total=results.total,
        page=results.page,
        error=results.error,
    )


def similar(*, paper: Paper, limit: int = 10) -> list[tuple[int, float]]:
    return [(found.pk, float(score)) for found, score in search_services.similar_papers(paper=paper, limit=limit)]


# --- community ----------------------------------------------------------------------------------------------------


def trending_ids(*, days: int = 7, limit: int = 50, offset: int = 0) -> list[int]:
    return [paper.pk for paper in community_selectors.trending_papers(days=days, limit=limit, offset=offset)]


def vote_set(*, user, paper: Paper, upvote: bool) -> tuple[bool, int]:
    """Make the user's upvote be ``upvote``; returns (voted?, the paper's upvote count)."""
    return community_services.vote_set(user=user, paper=paper, up=upvote)


def comments_of(*, paper: Paper) -> list[dict]:
    """The paper's comments, oldest first, as plain rows (removed ones keep their place in the thread, emptied)."""
    rows = (
        Comment.objects.filter(paper=paper)
        .order_by("created", "pk")
        .values(
            "id", "parent_id", "body", "body_html", "created", "edited", "is_deleted", "is_hidden", "author__username"
        )
    )
    out = []
    for row in rows:
        removed = row["is_deleted"] or row["is_hidden"]
        out.append(
            {
                "id": row["id"],
                "parent_id": row["parent_id"],
                "user": None if removed else row["author__username"],
                "body": "" if removed else row["body"],
                "body_html": "" if removed else row["body_html"],
                "created": row["created"],
                "edited": row["edited"],
                "removed": removed,
            }
        )
    return out


def comment_create(*, user, paper: Paper, body: str, parent_id: int | None = None):
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).first()
        if parent is None:
            raise Refused(f"no comment {parent_id}", status=404)
    try:
        return community_services.comment_create(user=user, paper=paper, body=body, parent=parent)
    except (ValueError, PermissionError) as exc:
        raise Refused(str(exc) or "comment refused") from None


def submit_paper(*, user, arxiv_id: str) -> int:
    """Put a paper on today's daily page (the community's rules); returns the paper's pk, or raises Refused."""
    try:
        entry = community_services.submit_paper(user=user, arxiv_id=arxiv_id)
    except community_services.SubmissionQueued as exc:
        raise Queued(exc.message) from None
    except community_services.SubmissionRefused as exc:
        raise Refused(exc.message, status=409 if exc.entry is not None else 400) from None
    return entry.paper_id


# --- authors ------------------------------------------------------------------------------------------------------


def author_account(*, author_id: int) -> str | None:
    """The user name of the member a moderator recognized as this author (library author claims), if any."""
    from dailypapers.library.models import AuthorClaim

    return (
        AuthorClaim.objects.filter(author_id=author_id, status=AuthorClaim.Status.APPROVED)
        .values_list("user__username", flat=True)
        .first()
    )
