"""The day, week and month pages rank exactly as /api/daily_papers (and /api/v1/daily) do: one selector
(papers.selectors.ranked_daily_entries) behind all of them. Compared on the same data, page by page, with imported
counts, votes cast here, ties on upvotes, a paper listed on two days, and an entry of our own."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re

import pytest
from django.test import override_settings

from dailypapers.community.services import vote_set
from dailypapers.core.testing import make_paper, make_user
from dailypapers.papers.models import DailyEntry, Paper
from tests.support.hf_entries import hf_entry, import_entries
from tests.support.paths import ARXIV_DATA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]
DAY1, DAY2 = "2025-08-28", "2025-08-29"
CARD = re.compile(r'<article class="card" id="paper-(\d+)(?:-[\d-]+)?".*?<span class="count">(\d+)</span>', re.DOTALL)


def _listed(entry: dict, when: str) -> dict:
    entry["publishedAt"] = when
    return entry


@pytest.fixture
def hub():
    """Two days of Hugging Face entries, votes cast here and one entry of our own."""
    import_entries(
        [
            hf_entry("2508.00001", day=DAY1, upvotes=10),
            _listed(hf_entry("2508.00002", day=DAY1, upvotes=10), f"{DAY1}T01:00:00.000Z"),  # tie: older date
            hf_entry("2508.00003", day=DAY1, upvotes=3),
            _listed(hf_entry("2508.00004", day=DAY1, upvotes=3), f"{DAY1}T09:00:00.000Z"),  # tie: newer date
            hf_entry("2508.00009", day=DAY1, upvotes=2),  # listed again the next day, with more upvotes
        ],
        day=DAY1,
    )
    import_entries(
        [hf_entry("2508.00009", day=DAY2, upvotes=30), hf_entry("2508.00005", day=DAY2, upvotes=5)], day=DAY2
    )
    submitter = make_user("submitter")
    own = make_paper(
        "2508.00006",
        title="Our own entry",
        published=dt.datetime(2025, 8, 27, tzinfo=dt.UTC),
        day=dt.date(2025, 8, 29),
        submitted_by=submitter,
    )
    voters = [make_user(f"voter{i}") for i in range(4)]
    for voter in voters:  # 3 + 4 = 7: ahead of the 5 on its own count, still behind the 10s
        vote_set(user=voter, paper=Paper.objects.get(arxiv_id="2508.00003"), up=True)
    for voter in voters[:3]:
        vote_set(user=voter, paper=own, up=True)
    vote_set(user=voters[0], paper=Paper.objects.get(arxiv_id="2508.00009"), up=True)  # counts on both its entries
    return own


def _web(client, url: str) -> list[tuple[str, int]]:
    response = client.get(url)
    assert response.status_code == 200, url
    ids = dict(Paper.objects.values_list("pk", "arxiv_id"))
    return [(ids[int(pk)], int(count)) for pk, count in CARD.findall(response.content.decode())]


def _api(client, query: str) -> list[tuple[str, int]]:
    response = client.get(f"/api/daily_papers?{query}")
    assert response.status_code == 200, query
    return [(item["paper"]["id"], item["paper"]["upvotes"]) for item in response.json()]


PERIODS = [
    (f"/date/{DAY1}", f"date={DAY1}"),
    (f"/date/{DAY2}", f"date={DAY2}"),
    ("/week/2025-W35", "week=2025-W35"),
    ("/month/2025-08", "month=2025-08"),
]


@pytest.mark.parametrize(("page", "query"), PERIODS)
def test_the_page_and_the_api_list_the_same_entries_in_the_same_order_with_the_same_counts(client, hub, page, query):
    web = _web(client, page)
    assert web and web == _api(client, f"{query}&limit=100")


def test_the_order_is_the_one_documented(client, hub):
    assert _web(client, f"/date/{DAY1}") == [
        ("2508.00001", 10),
        ("2508.00002", 10),  # tied on upvotes: the entry's date, newest first
        ("2508.00003", 7),  # 3 imported + 4 votes cast here
        ("2508.00004", 3),
        ("2508.00009", 3),  # that day's 2 + 1 vote cast here (not the 30 of the next day)
    ]
    assert _web(client, f"/date/{DAY2}") == [("2508.00009", 31), ("2508.00005", 5), ("2508.00006", 3)]
    week = _web(client, "/week/2025-W35")
    assert [arxiv_id for arxiv_id, _ in week].count("2508.00009") == 2  # each day's entry, at its own rank
    assert week[0] == ("2508.00009", 31) and ("2508.00009", 3) in week
    assert week[-1] == ("2508.00006", 3)  # tied at 3: our own entry's date is its paper's arXiv date, the oldest
    anchors = re.findall(r'<article class="card" id="([^"]+)"', client.get("/week/2025-W35").content.decode())
    assert len(anchors) == len(week) == len(set(anchors))  # the paper listed twice has two distinct anchors


def test_pages_after_the_first_agree_with_the_api_pages(client, hub):
    with override_settings(PAGE_SIZE=3):
        for number in (1, 2, 3):
            web = _web(client, f"/month/2025-08?page={number}")
            assert web == _api(client, f"month=2025-08&p={number - 1}&limit=3"), number
        assert client.get("/month/2025-08?page=4").status_code == 404  # 8 entries: 3 pages


def test_a_vote_cast_here_moves_the_paper_on_both(client, hub):
    late = Paper.objects.get(arxiv_id="2508.00004")
    for i in range(8):
        vote_set(user=make_user(f"late{i}"), paper=late, up=True)
    web = _web(client, f"/date/{DAY1}")
    assert web[0] == ("2508.00004", 11) and web == _api(client, f"date={DAY1}")


def test_api_v1_daily_lists_the_entries_of_the_requested_day_in_the_same_order(client, hub):
    for page, query in PERIODS:
        items = client.get(f"/api/v1/daily?{query}&limit=100").json()["items"]
        ours = [(item["id"], item["daily_entry"]["upvotes"]) for item in items]
        assert ours == _web(client, page), page
    day1 = client.get(f"/api/v1/daily?date={DAY1}").json()["items"]
    twice = next(item for item in day1 if item["id"] == "2508.00009")
    entry = twice["daily_entry"]
    assert entry["day"] == DAY1 and entry["hub_upvotes"] == 2 and entry["upvotes"] == 3  # not its latest entry
    assert all(item["daily_entry"]["day"] == DAY1 for item in day1)
    week_days = [item["daily_entry"]["day"] for item in client.get("/api/v1/daily?week=2025-W35").json()["items"]]
    assert sorted(week_days) == sorted(str(d) for d in DailyEntry.objects.values_list("day", flat=True))


RECORDED = ARXIV_DATA / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"
RECORDED_DAYS = ("2026-03-30", "2026-03-31", "2026-04-01", "2026-04-02", "2026-04-03")


def test_on_recorded_hugging_face_days_the_pages_and_the_api_agree(client):
    paths = [RECORDED / f"{day}.json.gz" for day in RECORDED_DAYS]
    if not all(path.exists() for path in paths):
        pytest.skip(f"recorded Hugging Face days not found in {RECORDED} (../shared/data is absent)")
    from dailypapers.papers.ingest import parse_path
    from dailypapers.papers.services import import_records

    for path in paths:
        import_records(parse_path(path, "hf"))
    with override_settings(PAGE_SIZE=100):
        for day, path in zip(RECORDED_DAYS, paths, strict=True):
            web = _web(client, f"/date/{day}")
            recorded = json.loads(gzip.decompress(path.read_bytes()))
            assert len(web) == len(recorded) and web == _api(client, f"date={day}&limit=100"), day
        assert _web(client, "/week/2026-W14") == _api(client, "week=2026-W14&limit=100")


def test_a_vote_from_a_day_page_answers_that_entrys_count(client, hub):
    client.force_login(make_user("page-voter"))
    html = client.get(f"/date/{DAY1}").content.decode()
    entry = DailyEntry.objects.get(paper__arxiv_id="2508.00009", day=DAY1)
    assert f'name="entry" value="{entry.pk}"' in html
    response = client.post("/papers/2508.00009/vote", {"entry": str(entry.pk)}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    assert '<span class="count">4</span>' in response.content.decode()  # 2 that day + 2 cast here, not 32
    elsewhere = client.post("/papers/2508.00009/vote", {"up": "1"}, HTTP_HX_REQUEST="true")
    assert '<span class="count">32</span>' in elsewhere.content.decode()  # the paper's own count off a day page
    assert _web(client, f"/date/{DAY1}") == _api(client, f"date={DAY1}")
