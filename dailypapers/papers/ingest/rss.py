"""The daily announcement feeds of rss.arxiv.org (RSS 2.0 at ``/rss/<cats>``, Atom at ``/atom/<cats>``).

Each item is a paper announced that day, with its announce type: ``new``, ``cross`` (cross-listed),
``replace`` (a new version), ``replace-cross``. Every record carries ``daily = DailyInfo(day=<announcement day>)``;
the store puts it on that day's page only for ``new`` papers and only when asked (``feature_announced``).
The feed holds no first-submission date: the announcement time stands in for it (the store keeps an earlier
date it already knows).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator
from typing import BinaryIO

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.ingest.feeds import (
    FeedDocument,
    arxiv_categories,
    clean_name,
    fix_mojibake,
    parse_feed,
    split_authors,
    struct_to_datetime,
)
from dailypapers.papers.records import DailyInfo, PaperRecord, RecordError, Rejected, build_record

ANNOUNCE_TYPES = ("new", "cross", "replace", "replace-cross")
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s*(?:Abstract:\s*)?(?P<abstract>.*)$", re.S
)


def _local_datetime(raw: str | None) -> dt.datetime | None:
    """A feed date in its own time zone (``Mon, 27 Apr 2026 00:00:00 -0400`` or ISO 8601)."""
    if not raw:
        return None
    raw = raw.strip()
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        try:
            value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _announced(entry, feed) -> dt.datetime | None:
    # dict.get: feedparser's own get() maps a missing "updated" to "published" with a deprecation warning.
    for raw in (
        dict.get(entry, "published"),
        dict.get(entry, "updated"),
        dict.get(feed, "published"),
        dict.get(feed, "updated"),
    ):
        value = _local_datetime(raw)
        if value is not None:
            return value
    return struct_to_datetime(entry.get("published_parsed") or feed.get("published_parsed"))


def record_from_item(entry, feed) -> PaperRecord:
    match = _DESCRIPTION.match(entry.get("summary") or "")
    raw_id = entry.get("id") or (match["id"] if match else "") or entry.get("link") or ""
    try:
        parsed_id = parse_arxiv_id(raw_id)
    except InvalidArxivId as exc:
        raise RecordError(str(exc)) from None
    announce_type = (entry.get("arxiv_announce_type") or (match["type"] if match else "")).strip().lower()
    if announce_type not in ANNOUNCE_TYPES:
        raise RecordError(f"unknown announce type {announce_type[:30]!r}")
    announced = _announced(entry, feed)
    if announced is None:
        raise RecordError("missing announcement date")
    version = parsed_id.version or 1
    abstract = match["abstract"] if match else (entry.get("summary") or "")
    authors = entry.get("authors") or []
    if len(authors) == 1 and ("," in authors[0].get("name", "") or " and " in authors[0].get("name", "")):
        names = split_authors(authors[0]["name"])  # dc:creator holds the whole author line
    else:
        names = [clean_name(author.get("name", "")) for author in authors]
    tags = [tag.get("term") for tag in entry.get("tags", [])]
    return build_record(
        arxiv_id=parsed_id.id,
        version=version,
        title=fix_mojibake(entry.get("title")),
        abstract=fix_mojibake(abstract),
        authors=names,
        categories=arxiv_categories(tags[0] if tags else "", tags),
        published=announced,
        updated=announced if version > 1 else None,
        license=entry.get("rights"),
        source="rss",
        announce_type=announce_type,
        daily=DailyInfo(day=announced.date(), submitted_at=announced),
    )


def announcement_items(document: FeedDocument, name: str) -> Iterator[PaperRecord | Rejected]:
    feed = document.parsed.get("feed", {})
    for number, entry in enumerate(document.entries, start=1):
        try:
            yield record_from_item(entry, feed)
        except RecordError as exc:
            yield Rejected(f"{name}: item {number} ({entry.get('id', 'no id')})", str(exc))
    if document.break_reason:
        where = (
            f"{name}:{document.break_line}" if document.break_line else f"{name}: after item {len(document.entries)}"
        )
        yield Rejected(where, f"{document.break_reason}; the items before it are kept")


def parse_rss(stream: BinaryIO, name: str = "<rss>") -> Iterator[PaperRecord | Rejected]:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    tag = b"entry" if b"<feed" in head and b"<rss" not in head else b"item"
    yield from announcement_items(parse_feed(stream, entry_tag=tag), name)
