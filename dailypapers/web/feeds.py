"""RSS 2.0 and Atom 1.0 feeds (Django syndication): the daily pages, trending, and any search query."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from dailypapers.community import selectors
from dailypapers.papers import selectors as paper_selectors
from dailypapers.papers.models import Paper
from dailypapers.search import services as search_services

log = logging.getLogger(__name__)
FEED_ITEMS = 50
MAX_QUERY_CHARS = 300


def search_papers(*, query: str, limit: int) -> list[Paper]:
    """Papers matching a query, ranked by the search app (title matches until the first index is built)."""
    results = search_services.search_papers(query=query, per_page=limit)
    if results.redirect is not None:
        return [results.redirect]
    return [hit.paper for hit in results.hits]


def _clean_text(text: str) -> str:
    # XML 1.0 forbids most control characters; arXiv text occasionally has them.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


class _PaperFeed(Feed):
    feed_type = Rss201rev2Feed

    def item_title(self, paper: Paper) -> str:
        return _clean_text(paper.title)

    def item_description(self, paper: Paper) -> str:
        return _clean_text(paper.abstract)

    def item_link(self, paper: Paper) -> str:
        return paper.get_absolute_url()

    def item_guid(self, paper: Paper) -> str:
        return f"{settings.SITE_URL}{paper.get_absolute_url()}"

    item_guid_is_permalink = True

    def item_pubdate(self, paper: Paper):
        entry = getattr(paper, "daily_entry", None)
        return entry.submitted_at if entry else paper.published_at

    def item_updateddate(self, paper: Paper):
        return paper.updated_at or paper.published_at

    def item_author_name(self, paper: Paper) -> str:
        names = [a.author.name for a in getattr(paper, "card_authorships", [])[: selectors.CARD_AUTHORS]]
        more = getattr(paper, "num_authors", len(names)) > len(names)
        return _clean_text(", ".join(names) + (" et al." if more else ""))

    def item_categories(self, paper: Paper) -> list[str]:
        return paper.category_list


class DailyFeed(_PaperFeed):
    title = "Daily papers"
    description = "Papers of the latest daily pages, most upvoted first within each day."

    def link(self):
        return reverse("web:home")

    def items(self):
        day = paper_selectors.latest_day()
        if day is None:
            return []
        papers = selectors.period_papers(start=day - dt.timedelta(days=6), end=day)
        return list(papers.order_by("-page_submitted_at", "-upvotes", "arxiv_id")[:FEED_ITEMS])


class TrendingFeed(_PaperFeed):
    title = "Trending papers"
    description = "Papers ranked by recent upvotes and comments (time-decayed)."

    def link(self):
        return reverse("web:trending")

    def items(self):
        return selectors.trending_papers(limit=FEED_ITEMS)


class SearchFeed(_PaperFeed):
    description = "New papers matching a search."

    def get_object(self, request):
        query = (request.GET.get("q") or "").strip()
        if not query:
            raise Http404("A search feed needs a query: ?q=...")
        return query[:MAX_QUERY_CHARS]

    def title(self, query: str) -> str:
        return _clean_text(f"Papers matching “{query}”")

    def link(self, query: str) -> str:
        from urllib.parse import urlencode

        return "/search?" + urlencode({"q": query})

    def items(self, query: str):
        found = search_papers(query=query, limit=FEED_ITEMS)
        by_id = {p.pk: p for p in selectors.card_papers(Paper.objects.filter(pk__in=[p.pk for p in found]))}
        return [by_id[p.pk] for p in found if p.pk in by_id]


def atom(feed_class):
    """The Atom variant of a feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed, "subtitle": feed_class.description})
