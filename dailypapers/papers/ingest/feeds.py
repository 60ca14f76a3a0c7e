"""What the Atom (arXiv API) and RSS/Atom (rss.arxiv.org) parsers share: reading a whole feed, feedparser, breaks.

A feed is small (one API page or one day's announcements), so it is read whole and handed to ``feedparser``.
A broken feed (truncated, malformed) still yields the entries that were complete before the break; the break
itself is reported with its line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import feedparser

from dailypapers.papers.ingest.latex import latex_to_unicode

MAX_FEED_BYTES = 200 * 1024 * 1024
_MOJIBAKE = re.compile("[\u00c2-\u00c5][\u0080-\u00bf]")
_ARXIV_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


@dataclass
class FeedDocument:
    parsed: feedparser.FeedParserDict
    entries: list
    break_reason: str = ""  # why (and where) the input broke off, "" when it did not
    break_line: int = 0


def read_all(stream: BinaryIO) -> tuple[bytes, str]:
    """The bytes of the stream, and a reason when it ended early (truncated gzip) or was too large."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = stream.read(1 << 16)
        except (EOFError, OSError, zlib.error) as exc:
            return b"".join(chunks), f"input ends early ({exc})"
        if not chunk:
            return b"".join(chunks), ""
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            return b"".join(chunks), f"feed larger than {MAX_FEED_BYTES // 2**20} MiB, the rest is ignored"
        chunks.append(chunk)


def parse_feed(stream: BinaryIO, *, entry_tag: bytes) -> FeedDocument:
    """Parse a feed with feedparser; keep only the entries closed before a syntax error (``entry_tag``: b'entry')."""
    data, read_problem = read_all(stream)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries = list(parsed.entries)
    reason, line = read_problem, 0
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if error is not None and hasattr(error, "getLineNumber"):  # an XML syntax error: the feed breaks off there
        line = error.getLineNumber() or 0
        column = error.getColumnNumber() or 0
        complete = _closed_before(data, entry_tag, line, column)
        entries = entries[:complete]
        reason = reason or f"malformed XML ({error.getMessage()})"
    elif read_problem:
        entries = entries[: data.count(b"</" + entry_tag + b">")]
    return FeedDocument(parsed=parsed, entries=entries, break_reason=reason, break_line=line)


def _closed_before(data: bytes, tag: bytes, line: int, column: int) -> int:
    """How many ``</tag>`` close before (line, column) of the document."""
    if line <= 0:
        return data.count(b"</" + tag + b">")
    offset = 0
    for _ in range(line - 1):
        found = data.find(b"\n", offset)
        if found < 0:
            break
        offset = found + 1
    return data[: offset + column].count(b"</" + tag + b">")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (``WÃ¼bben`` -> ``Wübben``), which some recorded feeds carry; else unchanged."""
    if not text or not _MOJIBAKE.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def clean_name(name: str) -> str:
    return latex_to_unicode(fix_mojibake(name or "").strip())


def struct_to_datetime(value: time.struct_time | None) -> dt.datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    if value is None:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(value), tz=dt.UTC)


def arxiv_categories(primary: str, terms) -> list[str]:
    """Categories with the primary first; terms that are not arXiv categories (ACM, MSC classes) are dropped."""
    ordered = []
    for term in [primary, *terms]:
        term = (term or "").strip()
        if term and _ARXIV_CATEGORY.match(term) and term not in ordered:
            ordered.append(term)
    return ordered


def split_authors(text: str) -> list[str]:
    """``A, B and C`` (arXiv's author line) into names; parenthesized affiliations are dropped."""
    text = re.sub(r"\([^()]*\)", " ", fix_mojibake(text or ""))
    text = re.sub(r"\s+", " ", text)
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", text)
    return [clean_name(part) for part in parts if part.strip()]
