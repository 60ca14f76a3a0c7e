"""Lookups that answer 404 pages for what the URL names but the hub does not hold."""

from __future__ import annotations

from django.http import Http404

from dailypapers.papers import selectors as paper_selectors
from dailypapers.papers.models import Paper


def paper_or_404(arxiv_id: str, *, authors: bool = True) -> Paper:
    paper = paper_selectors.paper_get(arxiv_id=arxiv_id, authors=authors)
    if paper is None:
        raise Http404(f"This hub has no paper arXiv:{arxiv_id}.")
    return paper
