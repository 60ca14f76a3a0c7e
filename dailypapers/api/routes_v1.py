"""Our own API under /api/v1: papers, search, similar papers, authors, daily pages, trending, comments and votes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import Path, Query, Router

from dailypapers.api import adapters, caching, selectors, shapes
from dailypapers.api.auth import TokenAuth
from dailypapers.api.lookups import paper_or_404
from dailypapers.api.responses import ApiError, enforce_action_limit, json_response
from dailypapers.api.schemas import (
    AuthorDetail,
    AuthorOut,
    CommentIn,
    CommentOut,
    DailyPage,
    Error,
    MeOut,
    PaperOut,
    PaperPage,
    ScoredPaper,
    SearchOut,
    VoteIn,
    VoteOut,
)
from dailypapers.community.page_periods import period_range
from dailypapers.papers.selectors import hub_accounts

router = Router()
READ_ERRORS = {400: Error, 429: Error}
WRITE_ERRORS = {400: Error, 401: Error, 404: Error, 429: Error}
PAGE_MAX = 100  # the documented bound; DAILYPAPERS_API_MAX_PAGE_SIZE may lower it
MAX_OFFSET = 100_000
MAX_ID = 2**53  # ids beyond any database's integers are refused up front


def _page_size(limit: int) -> int:
    return max(1, min(limit, settings.API_MAX_PAGE_SIZE))


def _papers(ids: list[int]) -> list[dict]:
    return [shapes.v1_paper(row) for row in selectors.paper_rows(paper_ids=ids)]


# --- papers -------------------------------------------------------------------------------------------------------


@router.get("/papers", response={200: PaperPage, **READ_ERRORS}, tags=["papers"], summary="List papers")
def papers_list(
    request,
    day: dt.date | None = Query(None, description="published on arXiv on this day (UTC)"),
    category: str | None = Query(None, max_length=40, description="an arXiv category, e.g. cs.CL"),
    author: int | None = Query(None, ge=1, le=MAX_ID, description="an author id"),
    cursor: str | None = Query(None, max_length=200, description="next_cursor of the previous page"),
    limit: int = Query(20, ge=1, le=PAGE_MAX),
):
    """Papers, newest first by arXiv publication, with cursor pagination."""
    try:
        ids, next_cursor = selectors.papers_page_ids(
            day=day, category=category, author_id=author, cursor=cursor, limit=_page_size(limit)
        )
    except selectors.BadCursor as exc:
        raise ApiError(str(exc), status=400) from None
    return json_response({"items": _papers(ids), "next_cursor": next_cursor})


@router.get(
    "/papers/{path:paper_id}/similar",
    response={200: list[ScoredPaper], 404: Error, 429: Error},
    tags=["papers"],
    summary="Similar papers",
)
def papers_similar(request, paper_id: str, limit: int = Query(10, ge=1, le=50)):
    """Papers closest in meaning to this one, closest first (empty until the search index is built)."""
    paper = paper_or_404(paper_id)
    found = adapters.similar(paper=paper, limit=limit)
    scores = dict(found)
    rows = selectors.paper_rows(paper_ids=[pk for pk, _ in found])
    return json_response([{"paper": shapes.v1_paper(row), "score": scores[row["id"]]} for row in rows])


@router.get(
    "/papers/{path:paper_id}/comments",
    response={200: list[CommentOut], 404: Error, 429: Error},
    tags=["comments"],
    summary="Comments of a paper",
)
def comments_list(request, paper_id: str):
    """The paper's comments, oldest first; replies carry their parent's id. Removed comments keep their place."""
    return json_response(adapters.comments_of(paper=paper_or_404(paper_id)))


@router.post(
    "/papers/{path:paper_id}/comments",
    auth=TokenAuth(),
    response={201: CommentOut, **WRITE_ERRORS},
    tags=["comments"],
    summary="Comment on a paper",
)
def comments_create(request, paper_id: str, body: CommentIn):
    """Post a comment (or a reply, with parent_id) as the token's user. Markdown with math."""
    paper = paper_or_404(paper_id)
    enforce_action_limit(action="comment", user=request.auth)
    try:
        comment = adapters.comment_create(user=request.auth, paper=paper, body=body.body, parent_id=body.parent_id)
    except adapters.Refused as exc:
        raise ApiError(str(exc), status=exc.status) from None
    caching.invalidate()
    rows = [row for row in adapters.comments_of(paper=paper) if row["id"] == comment.pk]
    return json_response(rows[0], status=201)


@router.put(
    "/papers/{path:paper_id}/vote",
    auth=TokenAuth(),
    response={200: VoteOut, **WRITE_ERRORS},
    tags=["votes"],
    summary="Upvote or take back an upvote",
)
def vote_put(request, paper_id: str, body: VoteIn):
    """Set the token user's upvote on a paper (idempotent): {"upvote": true} to upvote, false to take it back."""
    paper = paper_or_404(paper_id)
    enforce_action_limit(action="vote", user=request.auth)
    voted, count = adapters.vote_set(user=request.auth, paper=paper, upvote=body.upvote)
    caching.invalidate()
    return json_response({"paper": paper.arxiv_id, "upvoted": voted, "upvotes": count})


@router.get(
    "/papers/{path:paper_id}", response={200: PaperOut, 404: Error, 429: Error}, tags=["papers"], summary="One paper"
)
def papers_get(request, paper_id: str):
    """One paper with its authors, categories, links, counters and daily entry."""
    paper = paper_or_404(paper_id)
    return json_response(_papers([paper.pk])[0])


# --- search -------------------------------------------------------------------------------------------------------


@router.get("/search", response={200: SearchOut, **READ_ERRORS, 503: Error}, tags=["search"], summary="Search papers")
def search(
    request,
    q: str = Query(..., min_length=1, max_length=250, description="the query; an arXiv id finds that paper"),
    mode: Literal["hybrid", "semantic", "keyword"] = Query("hybrid"),
    category: str | None = Query(None, max_length=40),
    author: str | None = Query(None, max_length=300, description="an author's name"),
    published_from: dt.date | None = Query(None),
    published_to: dt.date | None = Query(None),
    page: int = Query(1, ge=1, le=1000),
    per_page: int = Query(20, ge=1, le=PAGE_MAX),
):
    """Search titles and abstracts: by meaning (semantic), by words (keyword, BM25), or both (hybrid)."""
    query = " ".join(q.split())[: settings.API_MAX_QUERY_LENGTH]
    if not query:
        raise ApiError("empty query", status=400)
    per_page = _page_size(per_page)

    def build() -> HttpResponse:
        outcome = adapters.search(
            query=query,
            mode=mode,
            category=category,
            author=author,
            published_from=published_from,
            published_to=published_to,
            page=page,
            per_page=per_page,
        )
        if outcome.error:
            raise ApiError(outcome.error, status=400)
        scores = dict(outcome.hits)
        rows = selectors.paper_rows(paper_ids=[pk for pk, _ in outcome.hits])
        hits = [{"paper": shapes.v1_paper(row), "score": scores[row["id"]]} for row in rows]
        return json_response(
            {
                "query": query,
                "mode": mode,
                "total": outcome.total,
                "page": page,
                "per_page": per_page,
                "redirect": outcome.redirect,
                "hits": hits,
            }
        )

    return caching.cached(request, build)


# --- authors ------------------------------------------------------------------------------------------------------


@router.get("/authors", response={200: list[AuthorOut], **READ_ERRORS}, tags=["authors"], summary="List authors")
def authors_list(
    request,
    q: str | None = Query(None, max_length=300, description="part of the name"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(20, ge=1, le=PAGE_MAX),
):
    """Authors by name, with their number of papers."""
    return json_response(selectors.authors_page(query=q, offset=offset, limit=_page_size(limit)))


@router.get(
    "/authors/{int:author_id}",
    response={200: AuthorDetail, 400: Error, 404: Error, 429: Error},
    tags=["authors"],
    summary="One author",
)
def authors_get(
    request,
    author_id: int = Path(..., ge=1, le=MAX_ID),
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(20, ge=1, le=PAGE_MAX),
):
    """An author and one page of their papers (newest first, cursor pagination)."""
    author = selectors.author_get(author_id=author_id)
    if author is None:
        raise ApiError(f"Author not found: {author_id}", status=404)
    try:
        ids, next_cursor = selectors.papers_page_ids(author_id=author_id, cursor=cursor, limit=_page_size(limit))
    except selectors.BadCursor as exc:
        raise ApiError(str(exc), status=400) from None
    claims = {
        "claimed_by": adapters.author_account(author_id=author_id),
        "hub_accounts": [
            {**dataclasses.asdict(account), "confirmed": account.confirmed}
            for account in hub_accounts(author_id=author_id)
        ],
    }
    return json_response({**author, **claims, "papers": {"items": _papers(ids), "next_cursor": next_cursor}})


# --- daily pages and trending ------------------------------------------------------------------------------------


@router.get("/daily", response={200: DailyPage, **READ_ERRORS}, tags=["daily"], summary="Daily entries")
def daily(
    request,
    date: str | None = Query(None, max_length=40, description="YYYY-MM-DD (default: the latest day with entries)"),
    week: str | None = Query(None, max_length=40, description="YYYY-Www"),
    month: str | None = Query(None, max_length=40, description="YYYY-MM"),
    page: int = Query(1, ge=1, le=1000),
    limit: int = Query(50, ge=1, le=PAGE_MAX),
):
    """The entries of a day, week or month of daily pages, in the order of the site's pages and of
    /api/daily_papers: the entry's upvotes first (``daily_entry.upvotes``), ties by its date newest first. Each item is
    the paper with that entry (a paper on two days of a week is listed with each day's counts)."""
    given = [(kind, value) for kind, value in (("date", date), ("week", week), ("month", month)) if value is not None]
    if len(given) > 1:
        raise ApiError("give one of date, week or month", status=400)
    if given:
        try:
            start, end = period_range(*given[0])
        except ValueError as exc:
            raise ApiError(str(exc), status=400) from None
    else:
        from dailypapers.papers.selectors import latest_day

        start = end = latest_day()
    size = _page_size(limit)

    def build() -> HttpResponse:
        pairs = []
        if start is not None:
            pairs = selectors.daily_page_entries(start=start, end=end, offset=(page - 1) * size, limit=size)
        rows = selectors.paper_rows(paper_ids=[p for p, _ in pairs], entry_ids=[e for _, e in pairs])
        return json_response({"start": start, "end": end, "page": page, "items": [shapes.v1_paper(r) for r in rows]})

    return caching.cached(request, build)


@router.get("/trending", response={200: list[PaperOut], **READ_ERRORS}, tags=["daily"], summary="Trending papers")
def trending(
    request,
    days: int = Query(7, ge=1, le=90, description="how far back votes count"),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(50, ge=1, le=PAGE_MAX),
):
    """Papers gaining upvotes fastest over the last days."""

    def build() -> HttpResponse:
        return json_response(_papers(adapters.trending_ids(days=days, limit=_page_size(limit), offset=offset)))

    return caching.cached(request, build)


# --- the token's user -------------------------------------------------------------------------------------------


@router.get(
    "/me", auth=TokenAuth(), response={200: MeOut, 401: Error, 429: Error}, tags=["account"], summary="Who am I"
)
def me(request):
    """The user the bearer token belongs to (a way to check a token)."""
    user = request.auth
    return json_response({"username": user.get_username(), "is_moderator": bool(getattr(user, "is_moderator", False))})
