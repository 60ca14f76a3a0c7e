"""Network ingest against a local HTTP server that replays recorded real arXiv responses (API, OAI-PMH, RSS)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dailypapers.papers.ingest import fetching
from dailypapers.papers.ingest.arxiv_client import ArxivClient, ArxivUnavailable, RateLimiter, reset_client
from dailypapers.papers.models import DailyEntry, IngestCursor, Paper

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parent.parent

NO_RECORDS = (
    b'<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    b"<responseDate>2026-01-01T00:00:00Z</responseDate><request>x</request>"
    b'<error code="noRecordsMatch">no records</error></OAI-PMH>'
)


class Replay:
    """What the replay server serves, what it saw, and faults to answer first."""

    def __init__(self, data: Path) -> None:
        self.data = data
        fixtures = data / "atom" / "lukasschwab__arxiv.py" / "2026_fixtures"
        self.api: dict[tuple, tuple[int, Path]] = {}
        for row in json.loads((fixtures / "index.json").read_text()):
            query = parse_qs(urlsplit(row["url"]).query, keep_blank_values=True)
            key = (query["search_query"][0], query["id_list"][0], int(query["start"][0]), int(query["max_results"][0]))
            self.api[key] = (row["status_code"], fixtures / row["file"])
        self.oai = data / "oai" / "shishir167__arxivXMLParser"
        self.rss = data / "rss" / "jmamath__distill"
        self.requests: list[tuple[float, str, dict, dict]] = []
        self.faults: list[tuple[int, dict]] = []
        self.lock = threading.Lock()

    def answer(self, path: str, query: dict) -> tuple[int, bytes, dict]:
        if path == "/api/query":
            get = lambda name, default="": query.get(name, [default])[0]  # noqa: E731
            if get("search_query") == "bad":
                status, file = self.api[("", "abc", 0, 100)]
                return status, file.read_bytes(), {}
            id_list = get("id_list")
            key = (get("search_query"), id_list, int(get("start", "0")), int(get("max_results", "10")))
            found = self.api.get(key) or self.api.get((key[0], key[1], key[2], 100))
            if found is None:
                found = self.api[("", "0000.0000", 0, 100)]  # an empty result
            return found[0], found[1].read_bytes(), {}
        if path == "/oai":
            token = query.get("resumptionToken", [""])[0]
            if not token and query.get("from", [""])[0] >= "2020-01-01":
                return 200, NO_RECORDS, {}
            page = {"": 1, "1122234|1001": 2, "1122234|2001": 3}.get(token)
            if page is None:
                return 200, NO_RECORDS.replace(b"noRecordsMatch", b"badResumptionToken"), {}
            body = gzip.decompress((self.oai / f"page{page:03d}.xml.gz").read_bytes())
            if page == 3:  # the replayed harvest ends here
                body = re.sub(rb"(<resumptionToken[^>]*>)[^<]*(</resumptionToken>)", rb"\1\2", body)
            return 200, body, {}
        if path.startswith("/rss/"):
            first = path.rsplit("/", 1)[1].split("+")[0].lower().replace(".", "_")
            file = self.rss / f"arxiv_{first}.xml"
            return (200, file.read_bytes(), {}) if file.exists() else (404, b"unknown feed", {})
        return 404, b"not found", {}


@pytest.fixture
def replay(arxiv_data, settings):
    state = Replay(arxiv_data)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            query = parse_qs(parts.query, keep_blank_values=True)
            with state.lock:
                state.requests.append((time.time(), parts.path, query, dict(self.headers)))
                fault = state.faults.pop(0) if state.faults else None
            if fault:
                status, body, headers = fault[0], b"try later", fault[1]
            else:
                status, body, headers = state.answer(parts.path, query)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.ARXIV_API_URL = f"{base}/api/query"
    settings.ARXIV_OAI_URL = f"{base}/oai"
    settings.ARXIV_RSS_URL = base
    settings.ARXIV_REQUEST_INTERVAL = 0.001
    settings.ARXIV_MAX_RETRIES = 3
    settings.CONTACT_EMAIL = "curator@example.org"
    reset_client()
    yield state
    reset_client()
    server.shutdown()
    server.server_close()


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
    assert all(b - a >= 0.19 for a, b in zip(stamps, stamps[1:]))
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
    assert all(b - a >= 0.19 for a, b in zip(stamps, stamps[1:]))
    assert stamps[-1] - stamps[0] >= 0.57


def test_the_client_uses_one_connection(replay):
    client = ArxivClient(interval=0)
    adapter = client.session.get_adapter("http://127.0.0.1")
    assert adapter._pool_maxsize == 1 and adapter._pool_block
