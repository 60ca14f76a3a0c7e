"""Template context for every page: the feeds advertised in <head> (a view may add its own, e.g. a search's)."""

from django.urls import reverse


def feeds(request):
    return {
        "site_feeds": [
            ("Daily papers (RSS)", "application/rss+xml", reverse("web:feed-daily-rss")),
            ("Daily papers (Atom)", "application/atom+xml", reverse("web:feed-daily-atom")),
            ("Trending papers (RSS)", "application/rss+xml", reverse("web:feed-trending-rss")),
            ("Trending papers (Atom)", "application/atom+xml", reverse("web:feed-trending-atom")),
        ]
    }
