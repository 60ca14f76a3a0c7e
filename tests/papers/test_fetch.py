"""Network ingest against a local HTTP server that replays recorded real arXiv responses (API, OAI-PMH, RSS)."""

from __future__ import annotations

import itertools
import subprocess
import sys
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dailypapers.papers.ingest import fetching
from dailypapers.papers.ingest.arxiv_client import ArxivClient, ArxivUnavailable, RateLimiter
from dailypapers.papers.models import DailyEntry, IngestCursor, Paper
from tests.support.arxiv_replay import NO_RECORDS
from tests.support.paths import REPO

pytestmark = pytest.mark.django_db


def api_starts(replay) -> list[int]:
    return [int(q["start"][0]) for _, path, q, _ in replay.requests if path == "/api/query"]


def test_it_fetches_a_paper_by_id_with_a_user_agent_naming_the_contact(replay):
    stats = fetching.fetch_ids(["arXiv:1707.08567v1"])
    assert (stats.created, stats.rejected) == (1, 0)
    paper = Paper.objects.get(arxiv_id="1707.08567")
    assert paper.primary_category == "cs.IT" and paper.authorships.count() == 34
    _, _, query, headers = replay.requests[0]
    assert query["id_list"] == ["1707.08567"]
    assert "curator@example.org" in headers["User-Agent"]


def test_it_reports_ids_arxiv_does_not_know_and_ids_that_are_malformed(replay):
    stats = fetching.fetch_ids(["0808.05394", "2401.00001", "abc"])
    assert (stats.read, stats.created, stats.rejected) == (3, 0, 3)
    reasons = {r.location: r.reason for r in stats.rejections}
    assert "arXiv has no paper" in reasons["--ids 2401.00001"]
    assert "not an arXiv id" in reasons["--ids abc"] and "5-digit number before 1501" in reasons["--ids 0808.05394"]
    assert [q["id_list"] for _, _, q, _ in replay.requests] == [["2401.00001"]]


def test_an_api_error_feed_is_rejected_not_stored(replay):
    stats = fetching.fetch_query("bad")
    assert stats.created == 0 and stats.rejected == 1
    assert "arXiv API error: incorrect id format for abc" in stats.rejections[0].reason
    assert not Paper.objects.exists()


def test_it_pages_a_query_with_start_and_max_results(replay, settings):
    settings.ARXIV_API_PAGE_SIZE = 10
    stats = fetching.fetch_query("testing", max_results=60)
    assert api_starts(replay) == [0, 10, 20, 30, 40, 50]
    assert all(q["max_results"] == ["10"] and q["sortOrder"] == ["descending"] for _, _, q, _ in replay.requests)
    assert stats.read == 60 and stats.rejected == 0
    assert Paper.objects.count() == stats.created > 10


def test_a_query_stops_at_the_since_date(replay, settings):
    settings.ARXIV_API_PAGE_SIZE = 10
    import datetime as dt

    stats = fetching.fetch_query("testing", max_results=60, since=dt.date(2026, 1, 1))
    assert api_starts(replay) == [0]
    assert all(p.published_at.date() >= dt.date(2026, 1, 1) for p in Paper.objects.all())
    assert stats.read < 10


def test_it_waits_as_a_503_with_retry_after_asks_then_succeeds(replay):
    replay.faults = [(503, {"Retry-After": "1"})]
    stats = fetching.fetch_ids(["1707.08567"])
    assert stats.created == 1
    assert len(replay.requests) == 2
    assert replay.requests[1][0] - replay.requests[0][0] >= 0.9


def test_it_backs_off_on_server_errors_and_gives_up_in_the_end(replay, settings):
    replay.faults = [(500, {}), (502, {})]
    assert fetching.fetch_ids(["1707.08567"]).created == 1
    assert len(replay.requests) == 3
    replay.faults = [(503, {})] * 10
    with pytest.raises(ArxivUnavailable, match="gave up after 4 tries"):
        fetching.fetch_ids(["1605.08386"])


def test_it_harvests_oai_pages_by_resumption_token_then_goes_on_incrementally(replay):
    stats = fetching.harvest(set_spec="cs", metadata_prefix="arXiv")
    assert (stats.read, stats.created, stats.rejected) == (3000, 3000, 0)
    first, second, third = (q for _, path, q, _ in replay.requests if path == "/oai")
    assert first["set"] == ["cs"] and first["metadataPrefix"] == ["arXiv"] and "from" not in first
    assert second == {"verb": ["ListRecords"], "resumptionToken": ["1122234|1001"]}
    assert third["resumptionToken"] == ["1122234|2001"]
    cursor = IngestCursor.objects.get(name=fetching.harvest_cursor_name(set_spec="cs", metadata_prefix="arXiv"))
    again = fetching.harvest(set_spec="cs")
    assert again.read == 0
    assert replay.requests[-1][2]["from"] == [cursor.value]


def test_a_harvest_with_a_bad_token_fails_and_keeps_the_cursor(replay):
    replay.answer_orig = replay.answer
    replay.answer = lambda path, query: (
        (200, NO_RECORDS.replace(b"noRecordsMatch", b"badArgument"), {}) if path == "/oai" else (404, b"", {})
    )
    with pytest.raises(ArxivUnavailable, match="badArgument"):
        fetching.harvest(set_spec="cs")
    assert not IngestCursor.objects.exists()


def test_it_fetches_todays_announcements_and_features_new_papers_when_asked(replay):
    stats = fetching.fetch_announcements(["cs.AI"], feature_new=False)
    assert stats.created == 3 and not DailyEntry.objects.exists()
    assert replay.requests[0][1] == "/rss/cs.AI"
    stats = fetching.fetch_announcements(["cs.AI"], feature_new=True)
    assert stats.entries_created == 3
    assert {e.day.isoformat() for e in DailyEntry.objects.all()} == {"2026-04-27"}
    assert set(DailyEntry.objects.values_list("source", flat=True)) == {DailyEntry.Source.FEED}


def test_the_fetch_command_prints_the_import_summary(replay):
    out = StringIO()
    call_command("fetch", "--ids", "1707.08567", stdout=out, verbosity=0)
    assert "Total: read 1, created 1, updated 0, unchanged 0, rejected 0" in out.getvalue()
    out = StringIO()
    call_command("fetch", "--harvest", "cs", "--from", "2016-01-01", stdout=out, verbosity=0)
    assert "read 3000, created 3000" in out.getvalue()
    out = StringIO()
    call_command("fetch", "--feed", "cs.CL", "--feature-new", stdout=out, verbosity=0)
    assert "daily entries created 3" in out.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("fetch", "--category", "cs.CV", "--since", "yesterday", verbosity=0)


def test_the_limiter_spaces_requests_across_threads(tmp_path):
    limiter = RateLimiter(0.2, tmp_path / "limit")
    stamps: list[float] = []

    def take():
        stamps.append(limiter.wait())

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps.sort()
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(stamps))
    assert stamps[-1] - stamps[0] >= 0.57


def test_the_limiter_spaces_requests_across_processes(tmp_path):
    script = (
        "import sys, time\n"
        "from dailypapers.papers.ingest.arxiv_client import RateLimiter\n"
        "limiter = RateLimiter(0.2, sys.argv[1])\n"
        "for _ in range(2):\n"
        "    print(limiter.wait(), flush=True)\n"
    )
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "limit")], stdout=subprocess.PIPE, env=env)
        for _ in range(2)
    ]
    stamps = sorted(float(line) for proc in procs for line in proc.communicate(timeout=30)[0].split())
    assert len(stamps) == 4
    assert all(b - a >= 0.19 for a, b in itertools.pairwise(stamps))
    assert stamps[-1] - stamps[0] >= 0.57


def test_the_client_uses_one_connection(replay):
    client = ArxivClient(interval=0)
    adapter = client.session.get_adapter("http://127.0.0.1")
    assert adapter._pool_maxsize == 1 and adapter._pool_block
