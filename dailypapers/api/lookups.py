"""Lookups that answer the API's 404 error for ids the hub does not hold (or that are not arXiv ids)."""

from __future__ import annotations

from dailypapers.api.responses import ApiError
from dailypapers.papers import selectors as paper_selectors
from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import Paper


def arxiv_id_or_404(paper_id: str) -> str:
    """The canonical id of any spelling of an arXiv id."""
    try:
        return parse_arxiv_id(paper_id).id
    except InvalidArxivId:
        raise ApiError(f"Paper not found: {paper_id[:100]}", status=404) from None


def paper_or_404(paper_id: str) -> Paper:
    paper = paper_selectors.paper_get(arxiv_id=arxiv_id_or_404(paper_id), authors=False)
    if paper is None:
        raise ApiError(f"Paper not found: {paper_id[:100]}", status=404)
    return paper
