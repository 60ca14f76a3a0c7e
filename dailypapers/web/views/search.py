"""The search page: a form and results that update as you type (htmx swaps the results part, the URL follows)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from dailypapers.community import selectors as community
from dailypapers.papers.ingest.taxonomy import canonical_category
from dailypapers.search.services import MODES, SearchResults, search_papers
from dailypapers.search.terms import query_stems
from dailypapers.web.views import library as library_views


def _date(value: str | None) -> tuple[dt.date | None, str | None]:
    if not value:
        return None, None
    try:
        return dt.date.fromisoformat(value.strip()), None
    except ValueError:
        return None, f"{value[:20]!r} is not a date (use YYYY-MM-DD)."


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 10_000))
    except (TypeError, ValueError):
        return default


def search(request):
    params = request.GET
    query = params.get("q", "")
    mode = params.get("mode", "hybrid")
    mode = mode if mode in MODES else "hybrid"
    category = canonical_category(params.get("category", "")[:40]) or None
    author = params.get("author", "").strip()[:200] or None
    published_from, from_error = _date(params.get("from"))
    published_to, to_error = _date(params.get("to"))
    page = _int(params.get("page"), 1)
    if from_error or to_error:
        results = SearchResults(query=query, mode=mode, error=from_error or to_error)
    elif not query.strip():
        results = SearchResults(query="", mode=mode)  # a blank form, no message
    else:
        results = search_papers(
            query=query,
            mode=mode,
            category=category,
            author=author,
            published_from=published_from,
            published_to=published_to,
            page=page,
            shape=community.card_papers,
        )
    if results.redirect is not None:
        url = results.redirect.get_absolute_url()
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
    _mark_votes(request, results)
    filters = _active_filters(category=category, author=author, start=published_from, end=published_to)
    followable = " ".join(query.split()) if not results.error else ""
    context = {
        "results": results,
        "q": query,
        "mode": mode,
        "modes": MODES,
        "category": category or "",
        "author": author or "",
        "from": params.get("from", ""),
        "to": params.get("to", ""),
        "filters": filters,
        "base_query": _base_query(params),
        "highlight": query_stems(query) if results.hits else [],
        **library_views.search_follow_context(request, followable),
    }
    # htmx swaps only the results; a history restore (Back after the page left htmx's cache) needs the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "search/_results.html" if partial else "search/search.html", context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response


def _active_filters(
    *, category: str | None, author: str | None, start: dt.date | None, end: dt.date | None
) -> list[str]:
    """The filters in force, in words ("category cs.CL", "from 2024-01-01"), for the result line."""
    active = []
    if category:
        active.append(f"category {category}")
    if author:
        active.append(f"author “{author}”")
    if start:
        active.append(f"from {start.isoformat()}")
    if end:
        active.append(f"to {end.isoformat()}")
    return active


def _mark_votes(request, results: SearchResults) -> None:
    papers = [hit.paper for hit in results.hits]
    voted = community.voted_paper_ids(user=request.user, paper_ids=[paper.pk for paper in papers])
    for paper in papers:
        paper.voted = paper.pk in voted
    library_views.mark_saved(request, papers)


def _base_query(params) -> str:
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()
