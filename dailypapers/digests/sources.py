"""What digests read from the other apps, each behind one function: trending and a user's upvotes (community),
saved-search matches (search; word matching while the index cannot answer), papers of a category.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter

from django.db.models import Q

from dailypapers.community import selectors as community_selectors
from dailypapers.community.models import Vote
from dailypapers.digests.digest_periods import RECENT_DAYS
from dailypapers.papers.models import DailyEntry, Paper

log = logging.getLogger(__name__)
_WORD = re.compile(r"[\w-]{3,}", re.UNICODE)
_STOP = {"the", "and", "for", "with", "from", "that", "this", "are", "via", "using", "into", "about", "new", "papers"}


def trending_papers(*, now: dt.datetime, days: int, limit: int) -> list[Paper]:
    return list(community_selectors.trending_papers(now=now, days=days, limit=limit))


def daily_page_papers(*, start: dt.date, end: dt.date, limit: int) -> list[Paper]:
    from dailypapers.papers.selectors import daily_entries

    papers: dict[int, Paper] = {}  # in the pages' order; a paper on two days of the period once, at its best entry
    for entry in daily_entries(start=start, end=end)[: limit * 2]:
        papers.setdefault(entry.paper_id, entry.paper)
    return list(papers.values())[:limit]


def _new(window_start: dt.datetime, window_end: dt.datetime) -> Q:
    """Arrived on the hub in the window, and first published on arXiv recently (see digests/digest_periods.py)."""
    recent = window_start - dt.timedelta(days=RECENT_DAYS)
    return Q(created__gte=window_start, created__lt=window_end, published_at__gte=recent)


def has_news(*, window_start: dt.datetime, window_end: dt.datetime, page_start: dt.date, page_end: dt.date) -> bool:
    """Did arXiv announce (or the community feature) anything in this period? No digest otherwise."""
    if DailyEntry.objects.filter(day__gte=page_start, day__lte=page_end).exists():
        return True
    return Paper.objects.filter(_new(window_start, window_end)).exists()


def _content_words(query: str) -> list[str]:
    return [w for w in _WORD.findall(query.lower()) if w not in _STOP][:8]


def _shares_a_word(paper: Paper, words: list[str]) -> bool:
    """Any query word (its first 5 letters, a crude stem) in the title or abstract."""
    text = f"{paper.title} {paper.abstract}".lower()
    return not words or any(word[:5] in text for word in words)


def search_matches(*, query: str, window_start: dt.datetime, window_end: dt.datetime, limit: int) -> list[Paper]:
    """New papers (arrived in the window) that match a saved search, best first.

    With the search app: its hybrid ranking, keeping only papers that share at least one word with the query, so
    that a day without a relevant paper sends no alert rather than the nearest unrelated ones. Without it (or
    before its index is built): papers containing every word of the query.
    """
    words = _content_words(query)
    ids = _search_service_ids(query=query, window_start=window_start)
    if ids is not None:
        by_id = {p.arxiv_id: p for p in Paper.objects.filter(_new(window_start, window_end), arxiv_id__in=ids)}
        ranked = [by_id[i] for i in ids if i in by_id]
        return [p for p in ranked if _shares_a_word(p, words)][:limit]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(abstract__icontains=word)
    return list(
        Paper.objects.filter(condition, _new(window_start, window_end)).order_by("-upvotes", "-published_at")[:limit]
    )


def _search_service_ids(*, query: str, window_start: dt.datetime) -> list[str] | None:
    """arXiv ids ranked by the search app's hybrid search over recent papers; None when it cannot answer."""
    from dailypapers.search.services import search_papers

    published_from = (window_start - dt.timedelta(days=RECENT_DAYS)).date()
    try:
        result = search_papers(query=query, mode="hybrid", published_from=published_from, per_page=100)
    except Exception as exc:  # a broken index must not stop the digests: fall back to words
        log.warning("search failed for a saved search (%s): matching words instead", exc)
        return None
    if getattr(result, "error", None):  # e.g. the index is not built yet
        log.info("search unavailable for a saved search (%s): matching words instead", result.error)
        return None
    redirect = getattr(result, "redirect", None)  # the query was an arXiv id
    if redirect is not None:
        return [redirect.arxiv_id]
    return [hit.paper.arxiv_id for hit in getattr(result, "hits", [])]


def category_papers(*, category: str, window_start: dt.datetime, window_end: dt.datetime, limit: int) -> list[Paper]:
    candidates = (
        Paper.objects.filter(_new(window_start, window_end))
        .filter(Q(primary_category=category) | Q(categories__contains=category))
        .order_by("-upvotes", "-published_at")[: limit * 5]
    )
    return [p for p in candidates if category in p.category_list][:limit]


def upvoted_paper_ids(*, user_id: int, limit: int = 200) -> list[int]:
    """Primary keys of the papers a user upvoted, latest vote first."""
    votes = Vote.objects.filter(user_id=user_id).order_by("-created", "-pk")
    return list(votes.values_list("paper_id", flat=True)[:limit])


def category_profile(*, paper_ids: list[int]) -> Counter:
    counts: Counter = Counter()
    for categories in Paper.objects.filter(pk__in=paper_ids).values_list("categories", flat=True):
        counts.update(categories.split())
    return counts
