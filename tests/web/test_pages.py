"""The pages people read: daily/weekly/monthly, trending, paper, author, profile; bad input; query counts; XSS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from dailypapers.community import services
from dailypapers.core.testing import make_entry, make_paper, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

XSS_TITLE = 'Attention <script>alert("title")</script> is all <img src=x onerror=alert(1)>'


@pytest.fixture
def day_of_papers():
    day = dt.date(2026, 8, 21)
    papers = []
    for i in range(12):
        paper = make_paper(
            title=f"Paper {i} on $\\mathcal{{O}}(n)$ things",
            authors=tuple(f"Author {i}-{j}" for j in range(6)),
            abstract="We study $x^2 + y^2 = z^2$ in detail.",
            categories="cs.LG stat.ML",
            imported_upvotes=i,
            github_repo="https://github.com/owner/repo" if i % 2 else "",
        )
        make_entry(paper, day)
        papers.append(paper)
    make_entry(make_paper(title="Earlier paper"), dt.date(2026, 8, 18))
    make_entry(make_paper(title="Later paper"), dt.date(2026, 8, 25))
    return day, papers


def test_it_shows_the_latest_day_ranked_by_upvotes(client, day_of_papers):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Later paper" in html and "Paper 11" not in html  # the latest day with entries is 2026-08-25


def test_it_shows_a_day_ranked_by_upvotes_with_cards(client, day_of_papers):
    response = client.get("/date/2026-08-21")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Paper 11 on") < html.index("Paper 10 on") < html.index("Paper 0 on")
    assert "Author 11-0" in html and "et al." in html and "Author 11-5" not in html
    assert "https://github.com/owner/repo" in html and "cs.LG" in html and "Submitted by" in html
    assert 'href="/date/2026-08-18"' in html and 'href="/date/2026-08-25"' in html  # prev / next with papers
    assert 'rel="alternate" type="application/rss+xml"' in html and 'type="application/atom+xml"' in html


def test_it_renders_pages_in_few_queries(client, day_of_papers, django_assert_max_num_queries):
    user = make_user("counter")
    client.force_login(user)
    for paper in day_of_papers[1][:5]:
        services.vote_toggle(user=user, paper=paper)
        services.comment_create(user=user, paper=paper, body="nice $x$")
    for url in ["/date/2026-08-21", "/week/2026-W34", "/month/2026-08", f"/users/{user.username}"]:
        with django_assert_max_num_queries(11):  # +1 daily entries, +1 reading list: constant, not per card
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(17):  # computes the ranking (3 grouped queries) and stores it in the cache
        assert client.get("/trending").status_code == 200
    with django_assert_max_num_queries(
        8
    ):  # from the shared cache (cards: papers, authors, daily entries; the reading list)
        assert client.get("/trending").status_code == 200
    with django_assert_max_num_queries(16):  # the library adds the note, follows, collections, reading list; +1 entries
        assert client.get(day_of_papers[1][0].get_absolute_url()).status_code == 200


def test_it_covers_weeks_and_months_by_hugging_faces_rules(client, day_of_papers):
    week = client.get("/week/2026-W34").content.decode()  # Fri 2026-08-14 .. Sun 2026-08-23
    assert "Paper 3 on" in week and "Earlier paper" in week and "Later paper" not in week
    month = client.get("/month/2026-08").content.decode()
    assert "Later paper" in month and "Earlier paper" in month


def test_it_says_when_a_day_is_empty_and_offers_the_nearest(client, day_of_papers):
    html = client.get("/date/2026-08-20").content.decode()
    assert "No papers on this day" in html
    assert 'href="/date/2026-08-18"' in html and 'href="/date/2026-08-21"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/date/2025-13-40",
        "/date/2025-02-30",
        "/date/yesterday",
        "/week/2025-W99",
        "/month/2025-00",
        "/papers/2501.99999",
        "/papers/9999.99999",
        "/authors/999999",
        "/users/nobody",
        "/date/2026-08-21?page=99999999999999",
        "/date/2026-08-21?page=abc",
        "/date/2026-08-21?page=-1",
        "/trending?page=100000",
        "/trending?page=0",
        "/date?date=2025-13-40",
        "/no/such/page",
    ],
)
def test_it_answers_bad_addresses_with_a_404_page(client, day_of_papers, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_it_jumps_to_a_picked_date(client):
    response = client.get("/date?date=2026-08-21")
    assert response.status_code == 302 and response["Location"] == "/date/2026-08-21"


def test_it_renders_untrusted_titles_abstracts_and_authors_as_text(client):
    paper = make_paper(
        title=XSS_TITLE, abstract='<script>alert("abstract")</script>', authors=('<img src=x onerror=alert("author")>',)
    )
    make_entry(paper, dt.date(2026, 8, 21))
    for url in ["/", "/date/2026-08-21", paper.get_absolute_url(), "/feeds/daily.rss"]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
    html = client.get(paper.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html


def test_it_shows_the_paper_page_with_everything(client):
    paper = make_paper(
        arxiv_id="2501.00001",
        title="Deep $\\beta$-things",
        abstract="Abstract with $E = mc^2$.",
        github_repo="https://github.com/owner/deep",
        categories="cs.CL cs.AI",
    )
    make_entry(paper, dt.date(2026, 8, 21))
    html = client.get("/papers/2501.00001v1").content.decode()
    assert "Deep $\\beta$-things" in html and "Abstract with $E = mc^2$." in html
    assert 'href="/authors/' in html and "Ada Lovelace" in html
    assert "cs.CL" in html and "cs.AI" in html and "owner/deep" in html
    assert "https://arxiv.org/abs/2501.00001" in html and "https://arxiv.org/pdf/2501.00001" in html
    assert "Discussion" in html and 'class="math-text"' in html


def test_it_lists_an_authors_papers(client):
    paper = make_paper(title="By Ada", authors=("Ada Lovelace",))
    author = paper.authorships.get().author
    html = client.get(f"/authors/{author.pk}").content.decode()
    assert "By Ada" in html and "Ada Lovelace" in html


def test_it_shows_a_profile_with_upvoted_and_submitted_papers(client):
    user = make_user("curator")
    now = timezone.now()
    submitted = make_paper(title="Submitted one", published=now)
    services.submit_paper(user=user, arxiv_id=submitted.arxiv_id)
    services.vote_toggle(user=user, paper=make_paper(title="Upvoted one"))
    html = client.get("/users/curator").content.decode()
    assert "Submitted one" in html and "Upvoted one" in html


def test_it_sends_a_content_security_policy_and_no_inline_script(client, day_of_papers):
    import re

    response = client.get("/date/2026-08-21")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> found"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler found"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_reads_without_javascript(client, day_of_papers):
    # Everything a reader needs is in the HTML: titles, abstracts, links; vote buttons are plain forms or links.
    html = client.get("/date/2026-08-21").content.decode()
    assert "Paper 5 on" in html and "We study" in html and 'href="/accounts/login/?next=' in html


def test_it_shows_trending_and_explains_an_empty_window(client, day_of_papers):
    html = client.get("/trending").content.decode()
    assert "Nothing has been upvoted" in html and 'href="/date/2026-08-25"' in html
    paper = day_of_papers[1][0]
    services.vote_toggle(user=make_user("fan"), paper=paper)
    cache.clear()
    html = client.get("/trending").content.decode()
    assert "Paper 0 on" in html
