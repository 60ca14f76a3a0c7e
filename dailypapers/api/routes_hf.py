"""Hugging Face-compatible routes: what the official huggingface_hub client calls."""

from __future__ import annotations

import contextlib
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router

from dailypapers.api import adapters, caching, selectors, shapes
from dailypapers.api.auth import TokenAuth
from dailypapers.api.lookups import arxiv_id_or_404
from dailypapers.api.responses import ApiError, enforce_action_limit, json_bytes, json_response
from dailypapers.api.schemas import Error, HfItem, HfPaper, HfSubmitIn, SubmitQueued
from dailypapers.community.page_periods import period_range

router = Router(tags=["Hugging Face compatible"])
MAX_OFFSET = 1_000_000  # pages past this are empty anyway; keeps absurd page numbers away from the database
ERRORS = {400: Error, 429: Error}


def _render_items(ids: list[int]) -> dict[int, bytes]:
    return {row["id"]: json_bytes(shapes.hf_item(row)) for row in selectors.paper_rows(paper_ids=ids)}


def _render_entries(entry_ids: list[int], paper_of: dict[int, int]) -> dict[int, bytes]:
    """The HF items of these daily entries (``paper_of``: entry id -> its paper's id, as the listing read them)."""
    rows = selectors.paper_rows(paper_ids=[paper_of[e] for e in entry_ids], entry_ids=entry_ids)
    return {row["entry"]["id"]: json_bytes(shapes.hf_item(row)) for row in rows if row["entry"]}


def hf_list_response(ids: list[int]) -> HttpResponse:
    """A JSON array of HF items, assembled from per-paper pieces (cached across the listings that share them)."""
    body = b"[" + b",".join(caching.fragments("hf", ids, _render_items)) + b"]"
    return HttpResponse(body, content_type="application/json")


def hf_entries_response(pairs: list[tuple[int, int]]) -> HttpResponse:
    """A JSON array of HF items of daily entries (a paper on two days shows each day's counts)."""
    paper_of = {entry_id: paper_id for paper_id, entry_id in pairs}
    items = caching.fragments("hf-entry", [e for _, e in pairs], lambda entry_ids: _render_entries(entry_ids, paper_of))
    body = b"[" + b",".join(items) + b"]"
    return HttpResponse(body, content_type="application/json")


@router.get(
    "/daily_papers", response={200: list[HfItem], **ERRORS}, summary="Daily papers (as huggingface.co/api/daily_papers)"
)
def daily_papers(
    request,
    p: int = Query(0, ge=0, description="page number, from 0"),
    limit: int = Query(50, ge=1, le=100, description="items per page"),
    sort: Literal["publishedAt", "trending"] = Query(
        "publishedAt", description="most upvoted first (as huggingface.co), or the time-decayed trending score"
    ),
    date: str | None = Query(None, description="one day, YYYY-MM-DD", max_length=40),
    week: str | None = Query(
        None, description="an ISO week, YYYY-Www: its Friday-before through Sunday", max_length=40
    ),
    month: str | None = Query(
        None, description="YYYY-MM: the previous month's last day through the month's last", max_length=40
    ),
    submitter: str | None = Query(None, description="only entries submitted by this user name", max_length=150),
):
    """Papers on the daily pages, most upvoted first, ties by the entry's date newest first (as huggingface.co;
    without a date, week or month: the newest day first);
    `sort=trending`: by the time-decayed trending score (recent votes and comments weigh most).

    A page past the end is an empty list; an impossible date, week or month is a 400."""
    start = end = None
    for kind, value in (("date", date), ("week", week), ("month", month)):
        if value is None:
            continue
        try:
            first, last = period_range(kind, value)
        except ValueError as exc:
            raise ApiError(str(exc), status=400) from None
        start = first if start is None else max(start, first)
        end = last if end is None else min(end, last)

    def build() -> HttpResponse:
        offset = p * limit
        if offset > MAX_OFFSET or (start is not None and end is not None and start > end):
            return json_response([])
        if sort == "trending":
            pairs = selectors.trending_page_entries(
                start=start, end=end, submitter=submitter, offset=offset, limit=limit
            )
        else:
            order = "upvotes" if start is not None or end is not None else "latest"
            pairs = selectors.daily_page_entries(
                start=start, end=end, submitter=submitter, order=order, offset=offset, limit=limit
            )
        return hf_entries_response(pairs)

    return caching.cached(request, build)


@router.get("/papers/search", response={200: list[HfItem], **ERRORS, 503: Error}, summary="Search papers")
def papers_search(
    request,
    q: str = Query("", max_length=250, description="the query (empty: the newest papers)"),
    limit: int = Query(50, ge=1, le=120, description="how many results"),
):
    """Search titles and abstracts (hybrid: by meaning and by words), best first."""
    query = " ".join(q.split())

    def build() -> HttpResponse:
        if not query:
            ids = selectors.latest_papers_ids(limit=limit)
        else:
            outcome = adapters.search(query=query, mode="hybrid", page=1, per_page=limit)
            if outcome.error:
                raise ApiError(outcome.error, status=400)
            ids = [pk for pk, _ in outcome.hits]
        return hf_list_response(ids)

    return caching.cached(request, build)


@router.post(
    "/papers/submit",
    auth=TokenAuth(),
    response={201: HfItem, 202: SubmitQueued, 400: Error, 401: Error, 404: Error, 409: Error, 429: Error},
    summary="Submit a paper to today's daily page",
)
def papers_submit(request, body: HfSubmitIn):
    """Put an arXiv paper on today's daily page (signed-in users, with a personal token; the community rules apply)."""
    arxiv_id = arxiv_id_or_404(body.paperId)
    enforce_action_limit(action="submit", user=request.auth)
    try:
        paper_pk = adapters.submit_paper(user=request.auth, arxiv_id=arxiv_id)
    except adapters.Queued as exc:  # the worker fetches it from arXiv: never inside this request
        return json_response({"status": "fetching", "paperId": arxiv_id, "message": str(exc)}, status=202)
    except adapters.Refused as exc:
        raise ApiError(str(exc), status=exc.status) from None
    if body.comment and body.comment.strip():
        from dailypapers.papers.models import Paper

        with contextlib.suppress(adapters.Refused):  # the submission stands; the comment can be posted again
            adapters.comment_create(user=request.auth, paper=Paper.objects.get(pk=paper_pk), body=body.comment)
    caching.invalidate()
    return json_response(shapes.hf_item(selectors.paper_rows(paper_ids=[paper_pk])[0]), status=201)


@router.get("/papers/{path:paper_id}", response={200: HfPaper, 404: Error, 429: Error}, summary="One paper")
def paper_info(request, paper_id: str):
    """One paper as a flat object (unknown id: 404)."""
    arxiv_id = arxiv_id_or_404(paper_id)

    def build() -> HttpResponse:
        row = selectors.paper_row(arxiv_id=arxiv_id)
        if row is None:
            raise ApiError(f"Paper not found: {arxiv_id}", status=404)
        return json_response(shapes.hf_paper(row))

    return caching.cached(request, build)


markdown_router = Router(tags=["Hugging Face compatible"])


@markdown_router.get(
    "/papers/{path:paper_id}.md",
    response={200: str, 404: Error, 429: Error},
    summary="One paper as markdown",
    openapi_extra={
        "responses": {
            200: {"description": "the paper as markdown", "content": {"text/markdown": {"schema": {"type": "string"}}}}
        }
    },
)
def paper_markdown(request, paper_id: str):
    """The paper as markdown: title, authors, dates, links and abstract (also `GET /papers/{id}` with
    `Accept: text/markdown`)."""
    arxiv_id = arxiv_id_or_404(paper_id)

    def build() -> HttpResponse:
        row = selectors.paper_row(arxiv_id=arxiv_id)
        if row is None:
            raise ApiError(f"Paper not found: {arxiv_id}", status=404)
        return HttpResponse(shapes.paper_markdown(row), content_type="text/markdown; charset=utf-8")

    return caching.cached(request, build)
