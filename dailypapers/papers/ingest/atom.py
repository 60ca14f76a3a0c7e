"""arXiv API responses (Atom 1.0, ``export.arxiv.org/api/query``), in both the 2016 and the 2026 layouts.

An API page says how many results the query has (``opensearch:totalResults``) and where it starts; the fetcher
uses that to page. An error from the API comes as a feed with one entry whose id is ``.../api/errors#...``: it is
reported as a rejection (and as ``AtomPage.error``), never stored as a paper. The announcement feeds of
rss.arxiv.org in Atom form (entries with ``arxiv:announce_type``) are parsed by the RSS module's rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.ingest.feeds import (
    arxiv_categories,
    clean_name,
    fix_mojibake,
    parse_feed,
    struct_to_datetime,
)
from dailypapers.papers.records import PaperRecord, RecordError, Rejected, build_record


@dataclass
class AtomPage:
    """One API response: its paging figures, its items, and the API's error message if it is an error feed."""

    total_results: int | None = None
    start_index: int | None = None
    items_per_page: int | None = None
    items: list[PaperRecord | Rejected] = field(default_factory=list)
    error: str = ""

    @property
    def entries(self) -> int:
        return len(self.items)


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _is_error_entry(entry) -> bool:
    return "/api/errors" in (entry.get("id") or "")


def record_from_entry(entry) -> PaperRecord:
    try:
        parsed_id = parse_arxiv_id(entry.get("id") or "")
    except InvalidArxivId as exc:
        raise RecordError(str(exc)) from None
    published = struct_to_datetime(entry.get("published_parsed"))
    updated = struct_to_datetime(entry.get("updated_parsed"))
    version = parsed_id.version or 1
    primary = (entry.get("arxiv_primary_category") or {}).get("term", "")
    return build_record(
        arxiv_id=parsed_id.id,
        version=version,
        title=fix_mojibake(entry.get("title")),
        abstract=fix_mojibake(entry.get("summary")),
        authors=[clean_name(author.get("name", "")) for author in entry.get("authors", [])],
        categories=arxiv_categories(primary, [tag.get("term") for tag in entry.get("tags", [])]),
        published=published or updated,
        # The Kaggle and OAI sources carry an update date only for papers with several versions; so does this one,
        # so that the same paper from any source hashes the same.
        updated=updated if version > 1 else None,
        comments=fix_mojibake(entry.get("arxiv_comment")),
        journal_ref=fix_mojibake(entry.get("arxiv_journal_ref")),
        doi=entry.get("arxiv_doi"),
        source="atom",
    )


def read_atom(stream: BinaryIO, name: str = "<atom>") -> AtomPage:
    """Parse one whole API response (a page holds at most a few thousand entries)."""
    document = parse_feed(stream, entry_tag=b"entry")
    feed = document.parsed.get("feed", {})
    page = AtomPage(
        total_results=_int(feed.get("opensearch_totalresults")),
        start_index=_int(feed.get("opensearch_startindex")),
        items_per_page=_int(feed.get("opensearch_itemsperpage")),
    )
    if any(entry.get("arxiv_announce_type") for entry in document.entries):
        from dailypapers.papers.ingest.rss import announcement_items

        page.items.extend(announcement_items(document, name))
        return page
    for number, entry in enumerate(document.entries, start=1):
        location = f"{name}: entry {number}"
        if _is_error_entry(entry):
            page.error = (entry.get("summary") or entry.get("title") or "unknown error").strip()
            page.items.append(Rejected(location, f"arXiv API error: {page.error}"))
            continue
        try:
            page.items.append(record_from_entry(entry))
        except RecordError as exc:
            page.items.append(Rejected(f"{location} ({entry.get('id', 'no id')})", str(exc)))
    if document.break_reason:
        where = f"{name}:{document.break_line}" if document.break_line else f"{name}: after entry {page.entries}"
        page.items.append(Rejected(where, f"{document.break_reason}; the entries before it are kept"))
    return page


def parse_atom(stream: BinaryIO, name: str = "<atom>") -> Iterator[PaperRecord | Rejected]:
    yield from read_atom(stream, name).items
