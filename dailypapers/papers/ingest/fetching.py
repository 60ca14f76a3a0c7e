"""Fetch from arXiv over the network and store: by ids, by query, today's announcements, an OAI-PMH harvest.

Every request goes through :mod:`dailypapers.papers.ingest.arxiv_client` (rate limit, retries); every response is
parsed by the same parsers as ``dailypapers import`` and stored by ``services.import_records``, so a fetched page
and an imported file of the same page end the same. Each function returns the run's ``ImportStats``.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.utils import timezone

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.ingest.arxiv_client import ArxivUnavailable, get_client
from dailypapers.papers.ingest.atom import read_atom
from dailypapers.papers.ingest.oai import OaiReader
from dailypapers.papers.ingest.rss import parse_rss
from dailypapers.papers.models import IngestCursor
from dailypapers.papers.records import PaperRecord, Rejected
from dailypapers.papers.services import ImportStats, import_records

log = logging.getLogger(__name__)

ID_LIST_CHUNK = 100  # ids per API request
PAGE_RETRIES = 2  # extra tries of an OAI page that arrived broken
Progress = Callable[[int], None] | None


def _store(items: Iterable[PaperRecord | Rejected], *, feature_announced: bool = False) -> ImportStats:
    return import_records(items, batch_size=settings.IMPORT_BATCH_SIZE, feature_announced=feature_announced)


def fetch_ids(ids: list[str], *, progress: Progress = None) -> ImportStats:
    """Fetch papers by arXiv id (any spelling; a version suffix is ignored: the latest version is fetched)."""
    stats = ImportStats()
    wanted: list[str] = []
    for raw in ids:
        try:
            wanted.append(parse_arxiv_id(raw).id)
        except InvalidArxivId as exc:
            stats.read += 1
            stats.reject(Rejected(f"--ids {raw[:80]}", str(exc)))
    wanted = list(dict.fromkeys(wanted))
    client = get_client()
    for start in range(0, len(wanted), ID_LIST_CHUNK):
        chunk = wanted[start : start + ID_LIST_CHUNK]
        params = {"id_list": ",".join(chunk), "start": 0, "max_results": len(chunk)}
        page = _api_page(client, params)
        stats.add(_store(page.items))
        missing = set(chunk) - {item.arxiv_id for item in page.items if isinstance(item, PaperRecord)}
        if not page.error:
            for arxiv_id in sorted(missing):
                stats.read += 1
                stats.reject(Rejected(f"--ids {arxiv_id}", "arXiv has no paper with this id"))
        if progress:
            progress(len(chunk))
    return stats


def fetch_query(
    query: str, *, max_results: int = 1000, since: dt.date | None = None, progress: Progress = None
) -> ImportStats:
    """Fetch a search (e.g. ``cat:cs.CV``), newest first, paging until ``max_results`` or a paper older than
    ``since`` (by first-version date)."""
    stats = ImportStats()
    client = get_client()
    page_size = max(1, settings.ARXIV_API_PAGE_SIZE)
    start = 0
    while start < max_results:
        size = min(page_size, max_results - start)
        params = {
            "search_query": query,
            "start": start,
            "max_results": size,
            "sortBy": "submittedDate",
            "sortOrder": "descending",
        }
        page = _api_page(client, params)
        kept, reached_since = [], False
        for item in page.items:
            if since and isinstance(item, PaperRecord) and item.published.date() < since:
                reached_since = True
                continue
            kept.append(item)
        stats.add(_store(kept))
        if progress:
            progress(len(kept))
        start += page.entries
        total = page.total_results if page.total_results is not None else 0
        if page.error or reached_since or page.entries == 0 or start >= total:
            break
    return stats


def _api_page(client, params: dict):
    response = client.get(settings.ARXIV_API_URL, params=params, ok_statuses=(400,))
    page = read_atom(io.BytesIO(response.content), f"{settings.ARXIV_API_URL}?start={params.get('start', 0)}")
    if page.error:
        log.warning("arXiv API error for %s: %s", params, page.error)
    return page


def fetch_announcements(
    categories: list[str] | None = None, *, feature_new: bool | None = None, progress: Progress = None
) -> ImportStats:
    """Today's announcements (rss.arxiv.org) for the categories; papers announced as new go on that day's page when
    ``feature_new`` (default: the AUTO_FEATURE_NEW setting)."""
    categories = categories or settings.ARXIV_CATEGORIES
    feature_new = settings.AUTO_FEATURE_NEW if feature_new is None else feature_new
    url = f"{settings.ARXIV_RSS_URL.rstrip('/')}/rss/{'+'.join(categories)}"
    response = get_client().get(url)
    items = list(parse_rss(io.BytesIO(response.content), url))
    if progress:
        progress(len(items))
    return _store(items, feature_announced=feature_new)


def harvest_cursor_name(*, set_spec: str | None, metadata_prefix: str) -> str:
    return f"oai-harvest:{metadata_prefix}:{set_spec or '*'}"


def harvest(
    *,
    set_spec: str | None,
    from_date: dt.date | None = None,
    until: dt.date | None = None,
    metadata_prefix: str = "arXiv",
    progress: Progress = None,
) -> ImportStats:
    """OAI-PMH ``ListRecords`` following ``resumptionToken``; without ``from_date`` it goes on from the last
    complete harvest of the same set and prefix, and a complete run remembers where it ended."""
    cursor_name = harvest_cursor_name(set_spec=set_spec, metadata_prefix=metadata_prefix)
    if from_date is None:
        stored = IngestCursor.objects.filter(name=cursor_name).values_list("value", flat=True).first()
        if stored:
            from_date = dt.date.fromisoformat(stored)
    started = timezone.now().date()
    params: dict = {"verb": "ListRecords", "metadataPrefix": metadata_prefix}
    if set_spec:
        params["set"] = set_spec
    if from_date:
        params["from"] = from_date.isoformat()
    if until:
        params["until"] = until.isoformat()
    stats = ImportStats()
    page_number = 0
    while True:
        page_number += 1
        reader, items = _oai_page(params, page_number)
        stats.add(_store(items))
        if progress:
            progress(len(items))
        if reader.error_code and reader.error_code != "noRecordsMatch":
            raise ArxivUnavailable(f"OAI-PMH error {reader.error_code}: {reader.error_message}")
        if not reader.resumption_token:
            break
        params = {"verb": "ListRecords", "resumptionToken": reader.resumption_token}
    IngestCursor.objects.update_or_create(name=cursor_name, defaults={"value": (until or started).isoformat()})
    return stats


def _oai_page(params: dict, number: int) -> tuple[OaiReader, list[PaperRecord | Rejected]]:
    client = get_client()
    for attempt in range(PAGE_RETRIES + 1):
        response = client.get(settings.ARXIV_OAI_URL, params=params)
        reader = OaiReader(io.BytesIO(response.content), f"{settings.ARXIV_OAI_URL} page {number}")
        items = list(reader.records())
        if not reader.broken:
            return reader, items
        log.warning("OAI-PMH page %d arrived broken (try %d)", number, attempt + 1)
    raise ArxivUnavailable(f"OAI-PMH page {number} stays broken after {PAGE_RETRIES + 1} tries")


def iter_ids(text: Iterable[str]) -> Iterator[str]:
    """Ids from command-line words, splitting commas (``--ids 2306.00978,2306.00979``)."""
    for word in text:
        yield from (part for part in word.replace(",", " ").split() if part)
