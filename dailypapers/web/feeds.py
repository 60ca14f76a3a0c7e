"""RSS 2.0 and Atom 1.0 feeds (Django syndication): the daily pages, trending, any search query, and collections."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from dailypapers.community import selectors
from dailypapers.papers import selectors as paper_selectors
from dailypapers.papers.models import Paper
from dailypapers.search import services as search_services

log = logging.getLogger(__name__)
FEED_ITEMS = 50
MAX_QUERY_CHARS = 300


def search_papers(*, query: str, limit: int) -> list[Paper]:
    """Papers matching a query, ranked by the search app (title matches until the first index is built), shaped
    for cards (first authors and their count)."""
    results = search_services.search_papers(query=query, per_page=limit, fetch=False)
    ids = results.page_ids
    by_id = {p.pk: p for p in selectors.card_papers(Paper.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def _clean_text(text: str) -> str:
    # XML 1.0 forbids most control characters; arXiv text occasionally has them.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


class _PaperFeed(Feed):
    feed_type = Rss201rev2Feed

    def item_title(self, paper: Paper) -> str:
        return _clean_text(paper.title)

    def item_description(self, paper: Paper) -> str:
        # RSS <description> and Atom <summary type="html"> are HTML to a reader: the abstract is text, so it is
        # HTML-escaped here (and XML-escaped once more by the feed writer); a reader shows "<svg ...>" as text.
        return escape(_clean_text(paper.abstract))

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
        return search_papers(query=query, limit=FEED_ITEMS)


class CollectionFeed(_PaperFeed):
    """A collection's papers in its order (a private one only for its owner: 404 for anyone else)."""

    def get_object(self, request, username: str, slug: str):
        from dailypapers.library import selectors as library_selectors

        collection = library_selectors.collection_for(username=username, slug=slug, viewer=request.user)
        if collection is None:
            raise Http404("No such collection.")
        return collection

    def title(self, collection) -> str:
        return _clean_text(f"{collection.name} · a collection by {collection.owner.username}")

    def description(self, collection) -> str:
        return _clean_text(collection.description or f"Papers collected by {collection.owner.username}.")

    def link(self, collection) -> str:
        return collection.get_absolute_url()

    def items(self, collection):
        from dailypapers.library import selectors as library_selectors

        items = library_selectors.collection_items(collection=collection)[:FEED_ITEMS]
        for item in items:
            item.paper.item_note = item.note
        return [item.paper for item in items]

    def item_description(self, paper: Paper) -> str:
        note = getattr(paper, "item_note", "")
        return _clean_text(f"Note: {note}\n\n{paper.abstract}" if note else paper.abstract)

    def item_pubdate(self, paper: Paper):
        return paper.published_at


def atom(feed_class):
    """The Atom variant of a feed class."""
    return type(
        f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed, "subtitle": feed_class.description}
    )
