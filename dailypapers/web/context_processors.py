"""Template context for every page: the feeds advertised in <head> (a view may add its own, e.g. a search's)."""

from urllib.parse import urlencode

from django.urls import reverse


def feeds(request):
    site_feeds = [
        ("Daily papers (RSS)", "application/rss+xml", reverse("web:feed-daily-rss")),
        ("Daily papers (Atom)", "application/atom+xml", reverse("web:feed-daily-atom")),
        ("Trending papers (RSS)", "application/rss+xml", reverse("web:feed-trending-rss")),
        ("Trending papers (Atom)", "application/atom+xml", reverse("web:feed-trending-atom")),
    ]
    query = (request.GET.get("q") or "").strip()[:300]
    if query and request.path.rstrip("/") == "/search":
        encoded = urlencode({"q": query})
        site_feeds += [
            (f"Search “{query}” (RSS)", "application/rss+xml", f"{reverse('web:feed-search-rss')}?{encoded}"),
            (f"Search “{query}” (Atom)", "application/atom+xml", f"{reverse('web:feed-search-atom')}?{encoded}"),
        ]
    return {"site_feeds": site_feeds}
