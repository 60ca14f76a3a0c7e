"""RSS and Atom feeds: valid for feedparser (bozo == 0), advertised in every page's head, safe with hostile text."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.core.cache import cache

from dailypapers.community import services
from dailypapers.core.testing import make_entry, make_paper, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def papers():
    cache.clear()
    day = dt.date(2026, 8, 21)
    made = []
    for i, title in enumerate(["Sparse $\\ell_1$ attention", 'Tricky <script>alert("x")</script> & “quotes”', "Plain"]):
        paper = make_paper(title=title, abstract=f"Abstract {i} with control\x0bchar and <b>tags</b>.")
        make_entry(paper, day)
        made.append(paper)
    services.vote_toggle(user=make_user("fan"), paper=made[0])
    yield made
    cache.clear()


@pytest.mark.parametrize(
    "url,version",
    [
        ("/feeds/daily.rss", "rss20"),
        ("/feeds/daily.atom", "atom10"),
        ("/feeds/trending.rss", "rss20"),
        ("/feeds/trending.atom", "atom10"),
        ("/feeds/search.rss?q=attention", "rss20"),
        ("/feeds/search.atom?q=attention", "atom10"),
    ],
)
def test_it_serves_valid_feeds(client, url, version):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.entries
    assert all(e.link.startswith("http://testserver/papers/") for e in parsed.entries)


def test_it_lists_the_daily_papers_with_hostile_titles_as_text(client):
    parsed = feedparser.parse(client.get("/feeds/daily.rss").content)
    titles = [e.title for e in parsed.entries]
    assert 'Tricky <script>alert("x")</script> & “quotes”' in titles
    assert titles[0] == "Sparse $\\ell_1$ attention"  # most upvoted first


def test_it_refuses_a_search_feed_without_a_query(client):
    assert client.get("/feeds/search.rss").status_code == 404


def test_it_advertises_the_feeds_in_every_page_head(client, papers):
    for url in ["/", "/trending", papers[0].get_absolute_url(), "/accounts/login/"]:
        head = client.get(url).content.decode().split("</head>")[0]
        for feed in ["/feeds/daily.rss", "/feeds/daily.atom", "/feeds/trending.rss", "/feeds/trending.atom"]:
            assert f'href="{feed}"' in head, (url, feed)


def test_it_advertises_a_search_feed_on_the_search_page(rf):
    from dailypapers.web.context_processors import feeds

    links = [href for _, _, href in feeds(rf.get("/search", {"q": "sparse attention"}))["site_feeds"]]
    assert "/feeds/search.rss?q=sparse+attention" in links and "/feeds/search.atom?q=sparse+attention" in links
