"""The API's routes in process (Django's test client on the real database): shapes, filters, errors, limits, cache."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from dailypapers.api import caching
from dailypapers.community.services import vote_set
from dailypapers.core.testing import UTC, make_paper, make_user
from dailypapers.papers.models import Paper
from dailypapers.papers.services import feature_paper

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
HF_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


@pytest.fixture
def papers():
    """Nine papers on three days of October 2025 (3 a day), one old-style id, one paper on no daily page."""
    made = []
    for i in range(9):
        day = dt.date(2025, 10, 20 + i // 3)
        made.append(
            make_paper(
                f"2510.{10001 + i}",
                title=f"Sparse attention study {i}",
                abstract=f"We study topic{i} deeply.",
                authors=("Ada Lovelace", f"Author {i}"),
                categories=("cs.CL", "cs.LG") if i % 2 else ("cs.CV",),
                published=dt.datetime(2025, 10, 18 + i // 3, 10, i, tzinfo=UTC),
                day=day,
                submitted_at=dt.datetime.combine(day, dt.time(6, i), tzinfo=UTC),
                submitter="alice" if i < 4 else "bob",
                imported_upvotes=(i * 7) % 10,
            )
        )
    made.append(make_paper("hep-th/9901001", title="Old style", published=dt.datetime(1999, 1, 5, tzinfo=UTC)))
    return made


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, (response.json() if response["Content-Type"].startswith("application/json") else None)


# --- Hugging Face compatible -------------------------------------------------------------------------------------


def test_it_lists_daily_papers_in_the_hf_wrapped_shape(client, papers):
    response, items = get(client, "/api/daily_papers")
    assert response.status_code == 200 and len(items) == 9
    # Newest day first, most upvoted first within it (as huggingface.co): study 7 has 9 upvotes, study 8 has 6.
    assert [i["paper"]["id"] for i in items[:3]] == ["2510.10008", "2510.10009", "2510.10007"]
    item = items[1]
    assert item["paper"]["id"] == "2510.10009" and item["title"] == "Sparse attention study 8"
    assert item["paper"]["authors"] == [
        {"name": "Ada Lovelace", "hidden": False},
        {"name": "Author 8", "hidden": False},
    ]
    assert item["submittedBy"]["user"] == "bob" and item["paper"]["submittedOnDailyBy"]["user"] == "bob"
    # Top-level publishedAt: the entry's own date, which for an entry made here is the paper's arXiv date.
    assert item["publishedAt"] == item["paper"]["publishedAt"] == "2025-10-20T10:08:00.000Z"
    assert item["paper"]["submittedOnDailyAt"] == "2025-10-22T06:08:00.000Z"
    assert item["upvotes"] == item["paper"]["upvotes"] and "numComments" in item
    for entry in items:
        assert HF_DATE.match(entry["publishedAt"]) and HF_DATE.match(entry["paper"]["publishedAt"])


def test_it_pages_daily_papers_with_p_and_limit(client, papers):
    first = [i["paper"]["id"] for i in get(client, "/api/daily_papers?limit=4")[1]]
    second = [i["paper"]["id"] for i in get(client, "/api/daily_papers?limit=4&p=1")[1]]
    assert len(first) == 4 and len(second) == 4 and not set(first) & set(second)
    assert get(client, "/api/daily_papers?p=100")[1] == []


def test_pages_without_a_period_are_slices_of_the_whole_listing(client, papers):
    # The listing ranks only the days a page spans: pages that start or end inside a day must still line up.
    for submitter in ("", "&submitter=bob"):
        whole = [i["paper"]["id"] for i in get(client, f"/api/daily_papers?limit=100{submitter}")[1]]
        assert len(whole) == (9 if not submitter else 5)
        for limit in (1, 2, 4, 5):
            for page in range(len(whole) // limit + 2):
                got = get(client, f"/api/daily_papers?limit={limit}&p={page}{submitter}")[1]
                assert [i["paper"]["id"] for i in got] == whole[page * limit : (page + 1) * limit]


def test_it_filters_daily_papers_by_date_week_month_and_submitter(client, papers):
    assert {i["paper"]["id"] for i in get(client, "/api/daily_papers?date=2025-10-21")[1]} == {
        "2510.10004",
        "2510.10005",
        "2510.10006",
    }
    assert len(get(client, "/api/daily_papers?week=2025-W43")[1]) == 9  # Fri 17 Oct .. Sun 26 Oct
    assert get(client, "/api/daily_papers?week=2025-W45")[1] == []
    assert len(get(client, "/api/daily_papers?month=2025-10")[1]) == 9
    assert get(client, "/api/daily_papers?month=2025-09")[1] == []
    alice = get(client, "/api/daily_papers?submitter=alice")[1]
    assert len(alice) == 4 and {i["submittedBy"]["user"] for i in alice} == {"alice"}


def test_it_sorts_daily_papers_by_trending(client, papers):
    # No recent signal: within a period by upvotes; without one, newest day first (each day in its page order).
    week = get(client, "/api/daily_papers?week=2025-W43&sort=trending")[1]
    assert [i["upvotes"] for i in week] == sorted((i["upvotes"] for i in week), reverse=True)
    listing = [i["paper"]["id"] for i in get(client, "/api/daily_papers")[1]]
    assert [i["paper"]["id"] for i in get(client, "/api/daily_papers?sort=trending")[1]] == listing
    # Votes cast now make two older papers trending: they lead, most recent signal first, then the rest as before.
    voters = [make_user(f"voter{n}") for n in range(3)]
    for voter in voters:
        vote_set(user=voter, paper=papers[0], up=True)
    vote_set(user=voters[0], paper=papers[4], up=True)
    cache.clear()  # the ranking and the responses are cached for a while
    caching.forget_local()
    trending = [i["paper"]["id"] for i in get(client, "/api/daily_papers?sort=trending")[1]]
    leaders = [papers[0].arxiv_id, papers[4].arxiv_id]
    assert trending == leaders + [paper_id for paper_id in listing if paper_id not in leaders]
    paged = [
        i["paper"]["id"] for p in range(4) for i in get(client, f"/api/daily_papers?sort=trending&limit=3&p={p}")[1]
    ]
    assert paged == trending
    assert [i["paper"]["id"] for i in get(client, "/api/daily_papers?date=2025-10-21&sort=trending")[1]][0] == leaders[
        1
    ]


@pytest.mark.parametrize(
    "query", ["date=2025-13-40", "week=2025-W60", "month=2025-00", "limit=0", "limit=101", "p=-1", "sort=best"]
)
def test_it_answers_bad_daily_parameters_with_a_400_error(client, papers, query):
    response, body = get(client, f"/api/daily_papers?{query}")
    assert response.status_code == 400 and body["error"] and response["X-Error-Message"]


def test_it_tolerates_a_doubled_leading_slash(client, papers):
    # The test client would read "//api" as a host name: hand the WSGI environ to its handler directly.
    environ = client._base_environ(PATH_INFO="//api/daily_papers", QUERY_STRING="limit=2", REQUEST_METHOD="GET")
    response = client.handler(environ)
    assert response.status_code == 200 and len(json.loads(response.content)) == 2


def test_it_shows_one_paper_flat_and_404s_unknown_ones(client, papers):
    response, paper = get(client, "/api/papers/2510.10001v2")
    assert response.status_code == 200 and paper["id"] == "2510.10001" and "paper" not in paper
    assert paper["submittedOnDailyAt"] == "2025-10-20T06:00:00.000Z" and paper["numComments"] == 0
    assert get(client, "/api/papers/hep-th/9901001")[1]["title"] == "Old style"
    for unknown in ("/api/papers/2101.00001", "/api/papers/not-an-id"):
        response, body = get(client, unknown)
        assert response.status_code == 404 and body["error"].startswith("Paper not found")


def test_it_serves_a_paper_as_markdown_by_suffix_and_by_accept_header(client, papers):
    response = client.get("/papers/2510.10003.md")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    assert text.startswith("# Sparse attention study 2\n") and "We study topic2 deeply." in text
    negotiated = client.get("/papers/2510.10003", HTTP_ACCEPT="text/markdown, text/html;q=0.5")
    assert negotiated["Content-Type"].startswith("text/markdown") and negotiated.content.decode() == text
    assert "Accept" in negotiated["Vary"]
    page = client.get("/papers/2510.10003", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert page["Content-Type"].startswith("text/html") and "Accept" in page["Vary"]
    assert client.get("/papers/hep-th/9901001.md").status_code == 200
    assert client.get("/papers/2101.00001.md").status_code == 404


def test_it_searches_papers_in_the_hf_shape_with_bounded_parameters(client, papers):
    response, items = get(client, "/api/papers/search?q=study+3&limit=5")
    assert response.status_code == 200 and [i["paper"]["id"] for i in items] == ["2510.10004"]
    assert len(get(client, "/api/papers/search?limit=3")[1]) == 3
    assert get(client, "/api/papers/search?q=" + "x" * 251)[0].status_code == 400
    assert get(client, "/api/papers/search?q=a&limit=121")[0].status_code == 400


# --- /api/v1 ------------------------------------------------------------------------------------------------------


def test_it_walks_all_papers_with_cursor_pagination(client, papers):
    seen, url = [], "/api/v1/papers?limit=3"
    while url:
        page = get(client, url)[1]
        seen += [p["id"] for p in page["items"]]
        url = f"/api/v1/papers?limit=3&cursor={page['next_cursor']}" if page["next_cursor"] else None
    assert len(seen) == len(set(seen)) == 10
    published = [Paper.objects.get(arxiv_id=i).published_at for i in seen]
    assert published == sorted(published, reverse=True)
    assert get(client, "/api/v1/papers?cursor=garbage")[0].status_code == 400


def test_it_filters_papers_by_day_category_and_author(client, papers):
    on_day = get(client, "/api/v1/papers?day=2025-10-19")[1]["items"]
    assert {p["id"] for p in on_day} == {"2510.10004", "2510.10005", "2510.10006"}
    learning = get(client, "/api/v1/papers?category=cs.LG&limit=100")[1]["items"]
    assert learning and all("cs.LG" in p["categories"] for p in learning) and len(learning) == 4
    author_id = on_day[0]["authors"][1]["id"]
    by_author = get(client, f"/api/v1/papers?author={author_id}")[1]["items"]
    assert [p["id"] for p in by_author] == [on_day[0]["id"]]


def test_it_caps_page_sizes(client, papers):
    assert get(client, "/api/v1/papers?limit=101")[0].status_code == 400
    with override_settings(API_MAX_PAGE_SIZE=2):
        assert len(get(client, "/api/v1/papers?limit=50")[1]["items"]) == 2


def test_it_shows_a_paper_with_its_daily_entry(client, papers):
    paper = get(client, "/api/v1/papers/2510.10002")[1]
    assert paper["daily_entry"]["day"] == "2025-10-20" and paper["daily_entry"]["submitter"] == "alice"
    assert paper["categories"] == ["cs.CL", "cs.LG"] and paper["published_at"].endswith("Z")
    assert get(client, "/api/v1/papers/2101.00001")[0].status_code == 404


def test_it_searches_with_filters_and_caps_the_query(client, papers):
    body = get(client, "/api/v1/search?q=sparse+attention&category=cs.LG&per_page=2")[1]
    assert body["total"] == 4 and len(body["hits"]) == 2 and body["hits"][0]["paper"]["id"]
    assert get(client, "/api/v1/search?q=" + "y" * 251)[0].status_code == 400
    assert get(client, "/api/v1/search?q=a&mode=psychic")[0].status_code == 400


def test_it_lists_authors_and_shows_one(client, papers):
    authors = get(client, "/api/v1/authors?q=lovelace")[1]
    assert authors == [{"id": authors[0]["id"], "name": "Ada Lovelace", "num_papers": 10}]
    detail = get(client, f"/api/v1/authors/{authors[0]['id']}?limit=4")[1]
    assert detail["name"] == "Ada Lovelace" and len(detail["papers"]["items"]) == 4 and detail["papers"]["next_cursor"]
    assert get(client, "/api/v1/authors/999999")[0].status_code == 404


def test_it_lists_daily_entries_and_trending_papers(client, papers):
    latest = get(client, "/api/v1/daily")[1]
    assert latest["start"] == latest["end"] == "2025-10-22" and len(latest["items"]) == 3
    week = get(client, "/api/v1/daily?week=2025-W43&limit=100")[1]
    assert len(week["items"]) == 9
    assert get(client, "/api/v1/daily?date=2025-10-21&week=2025-W43")[0].status_code == 400
    assert get(client, "/api/v1/trending?days=7")[0].status_code == 200


# --- limits, cache, documentation --------------------------------------------------------------------------------


def test_it_rate_limits_each_client_with_429_and_retry_after(papers):
    with override_settings(API_RATE_LIMIT=3, API_RATE_WINDOW=60):
        client = Client(REMOTE_ADDR="10.0.0.1")
        statuses = [client.get("/api/daily_papers").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/daily_papers")
        assert int(refused["Retry-After"]) >= 1 and refused.json()["error"].startswith("Too many requests")
        assert re.match(r'^"api";r=0;t=\d+$', refused["ratelimit"])
        assert refused["ratelimit-policy"] == '"fixed window";"api";q=3;w=60'
        assert Client(REMOTE_ADDR="10.0.0.2").get("/api/daily_papers").status_code == 200  # per client


def test_it_drops_cached_responses_when_a_daily_entry_changes(client, papers, django_capture_on_commit_callbacks):
    first = client.get("/api/daily_papers?date=2025-10-23")
    assert first.json() == [] and first["X-Cache"] == "miss"
    hit = client.get("/api/daily_papers?date=2025-10-23")
    assert hit["X-Cache"] == "hit" and int(hit["Content-Length"]) == len(hit.content)  # not chunked
    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped when the write commits
        feature_paper(paper=Paper.objects.get(arxiv_id="hep-th/9901001"), day=dt.date(2025, 10, 23))
    assert [i["paper"]["id"] for i in client.get("/api/daily_papers?date=2025-10-23").json()] == ["hep-th/9901001"]


def test_it_documents_every_route_with_its_errors(client):
    spec = client.get("/api/openapi.json").json()
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()]
    assert len(operations) >= 15
    for path, method, op in operations:
        assert "429" in op["responses"], (path, method)
        assert set(op["responses"]) - {"200", "201"}, (path, method)
    for path in (
        "/api/daily_papers",
        "/api/papers/search",
        "/api/papers/{paper_id}",
        "/papers/{paper_id}.md",
        "/api/papers/submit",
        "/api/v1/papers",
        "/api/v1/search",
        "/api/v1/trending",
    ):
        assert path in spec["paths"], path


def test_it_serves_the_docs_page_without_a_cdn(client):
    page = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn.jsdelivr" not in page and "unpkg" not in page
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert assets and all(client.get(asset).status_code == 200 for asset in assets)
