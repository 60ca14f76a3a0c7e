"""A local HTTP server that replays recorded real arXiv responses (API, OAI-PMH, RSS): what it serves and what it
saw. The `replay` fixture (tests/conftest.py) starts it and points the hub's arXiv settings at it."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

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


@contextlib.contextmanager
def replay_server(arxiv_data: Path, settings):
    """Serve the recorded responses; point ``settings`` (pytest-django's fixture) at the server."""
    from dailypapers.papers.ingest.arxiv_client import reset_client

    state = Replay(arxiv_data)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
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
    try:
        yield state
    finally:
        reset_client()
        server.shutdown()
        server.server_close()
