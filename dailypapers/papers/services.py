"""Writes to the paper store: batched, idempotent upserts of PaperRecords, and daily entries."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from dailypapers.core.db import in_chunks
from dailypapers.papers.bulk_sql import ids_by, insert_many
from dailypapers.papers.hub import apply_hub
from dailypapers.papers.merge import dedupe, merge, record_from_paper
from dailypapers.papers.models import RECORD_COLUMNS, Author, DailyEntry, Paper, PaperAuthor
from dailypapers.papers.records import PaperRecord, Rejected
from dailypapers.papers.signals import papers_imported

log = logging.getLogger(__name__)

MAX_KEPT_REJECTIONS = 1000


@dataclass
class ImportStats:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    entries_created: int = 0
    rejections: list[Rejected] = field(default_factory=list)

    def reject(self, rejection: Rejected) -> None:
        self.rejected += 1
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(rejection)

    def add(self, other: ImportStats) -> None:
        for name in ("read", "created", "updated", "unchanged", "entries_created"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for rejection in other.rejections:
            self.reject(rejection)
        self.rejected += other.rejected - len(other.rejections)

    def summary(self) -> str:
        text = (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )
        if self.entries_created:
            text += f", daily entries created {self.entries_created}"
        return text


def import_records(
    items: Iterable[PaperRecord | Rejected],
    *,
    batch_size: int = 2000,
    feature_announced: bool = False,
    on_batch=None,
) -> ImportStats:
    """Upsert a stream of parsed records in batches (one transaction each); rejections are counted and kept."""
    checkpoint_pages = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A bigger page cache keeps the growing indexes (authors, links) in memory during a bulk import.
            cursor.execute("PRAGMA cache_size = -65536")  # KiB: 64 MiB, this connection only
            # Copy the write-ahead log into the database every 64 MiB instead of every 4 MiB (about every batch):
            # pages written by many batches (indexes) are copied once. Each batch still commits on its own.
            checkpoint_pages = cursor.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint = 16384")
    try:
        return _import_records(items, batch_size=batch_size, feature_announced=feature_announced, on_batch=on_batch)
    finally:
        if checkpoint_pages is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")


def _import_records(items, *, batch_size: int, feature_announced: bool, on_batch) -> ImportStats:
    stats = ImportStats()
    batch: list[PaperRecord] = []
    for item in items:
        stats.read += 1
        if isinstance(item, Rejected):
            stats.reject(item)
            log.warning("rejected %s: %s", item.location, item.reason)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            stats.add(upsert_batch(batch, feature_announced=feature_announced))
            if on_batch:
                on_batch(stats)
            batch = []
    if batch:
        stats.add(upsert_batch(batch, feature_announced=feature_announced))
        if on_batch:
            on_batch(stats)
    return stats


def upsert_batch(records: list[PaperRecord], *, feature_announced: bool = False) -> ImportStats:
    """Write one batch atomically; a concurrent writer inserting the same paper makes us retry (twice at most)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                stats = _upsert_batch(records, feature_announced=feature_announced)
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("batch collided with a concurrent import; retrying")
            continue
        if stats.created or stats.updated or stats.entries_created:
            papers_imported.send(sender=Paper, stats=stats)  # e.g. the API drops its cached responses
        return stats
    raise AssertionError("unreachable")


def _paper_fields(record: PaperRecord, now: dt.datetime) -> dict:
    return {
        "arxiv_id": record.arxiv_id,
        "version": record.version,
        "title": record.title,
        "abstract": record.abstract,
        "categories": " ".join(record.categories),
        "primary_category": record.primary_category,
        "published_at": record.published,
        "updated_at": record.updated,
        "comments": record.comments,
        "journal_ref": record.journal_ref,
        "doi": record.doi[:1000],
        "license": record.license[:1000],
        "github_repo": record.github_repo[:500],
        "project_page": record.project_page[:1000],
        "content_hash": record.content_hash(),
        "source": record.source[:20],
        "modified": now,
    }


_UPDATE_FIELDS = [*RECORD_COLUMNS, "content_hash", "source", "modified"]


def author_ids_for(names: Iterable[str]) -> dict[str, int]:
    """Ids of the authors with these names, creating the missing ones."""
    wanted = list(dict.fromkeys(names))
    found: dict[str, int] = dict(ids_by(Author, "name", wanted))
    missing = [name for name in wanted if name not in found]
    if missing:
        insert_many(Author, ["name"], [(name,) for name in missing], ignore_conflicts_on="name")
        found.update((name, pk) for name, pk in ids_by(Author, "name", missing))
    return found


@dataclass(slots=True)
class _Stored:
    """What the upsert needs to know of a stored paper, read without building model instances."""

    pk: int
    version: int
    content_hash: str
    imported_upvotes: int


_PAPER_COLUMNS = ["arxiv_id", *_UPDATE_FIELDS, "created", "upvotes", "imported_upvotes", "num_comments"]


_UTC = dt.UTC


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # What Django's SQLite backend stores for an aware datetime (naive UTC text), without its per-value overhead;
    # records hold UTC datetimes already (records.to_utc), whose text only needs the "+00:00" cut off.
    if value is None:
        return None
    if value.tzinfo is _UTC:
        return str(value)[:-6]
    return str(value.astimezone(_UTC).replace(tzinfo=None))


def _paper_row(record: PaperRecord, now_db, content_hash: str) -> tuple:
    adapt = _sqlite_datetime if connection.vendor == "sqlite" else connection.ops.adapt_datetimefield_value
    return (
        record.arxiv_id,
        record.version,
        record.title,
        record.abstract,
        " ".join(record.categories),
        record.primary_category,
        adapt(record.published),
        adapt(record.updated),
        record.comments,
        record.journal_ref,
        record.doi[:1000],
        record.license[:1000],
        record.github_repo[:500],
        record.project_page[:1000],
        content_hash,
        record.source[:20],
        now_db,
        now_db,
        0,
        0,
        0,
    )


def _upsert_batch(records: list[PaperRecord], *, feature_announced: bool) -> ImportStats:
    stats = ImportStats()
    # Every record's daily entry and hub data count, also those of a paper's older duplicates in the batch: a paper
    # may be on several days' pages, and the metadata merge below keeps one record per paper.
    daily = [
        r for r in records if r.daily and (not r.announce_type or (feature_announced and r.announce_type == "new"))
    ]
    hub = [r for r in records if r.hub is not None]
    records, duplicates = dedupe(records)
    stats.unchanged += duplicates
    now = timezone.now()
    existing: dict[str, _Stored] = {
        arxiv_id: _Stored(pk, version, content_hash, imported)
        for arxiv_id, pk, version, content_hash, imported in ids_by(
            Paper, "arxiv_id", [r.arxiv_id for r in records], ("version", "content_hash", "imported_upvotes")
        )
    }

    to_create: list[PaperRecord] = []
    unchanged_ids: set[str] = set()
    candidates: list[PaperRecord] = []
    hashes = {record.arxiv_id: record.precomputed_hash or record.content_hash() for record in records}
    for record in records:
        stored = existing.get(record.arxiv_id)
        if stored is None:
            to_create.append(record)
        elif stored.content_hash == hashes[record.arxiv_id] or (
            record.version < stored.version and stored.content_hash
        ):
            unchanged_ids.add(record.arxiv_id)
        else:
            candidates.append(record)

    to_update: list[tuple[PaperRecord, Paper, bool]] = []
    if candidates:
        papers: dict[int, Paper] = {}
        for chunk in in_chunks([existing[r.arxiv_id].pk for r in candidates]):
            papers.update((p.pk, p) for p in Paper.objects.filter(pk__in=chunk))
        stored_authors: dict[int, list[str]] = {}
        for chunk in in_chunks(list(papers)):
            rows = PaperAuthor.objects.filter(paper_id__in=chunk).order_by("paper_id", "position")
            for paper_id, name in rows.values_list("paper_id", "author__name"):
                stored_authors.setdefault(paper_id, []).append(name)
        for record in candidates:
            paper = papers[existing[record.arxiv_id].pk]
            current = record_from_paper(paper, stored_authors.get(paper.pk, []))
            merged = merge(record, current)
            if merged.content_hash() == paper.content_hash:
                unchanged_ids.add(record.arxiv_id)
                continue
            to_update.append((merged, paper, merged.authors != current.authors))

    names = [n for r in to_create for n in r.authors] + [n for m, _, changed in to_update if changed for n in m.authors]
    author_ids = author_ids_for(names) if names else {}

    if to_create:
        now_db = connection.ops.adapt_datetimefield_value(now)
        insert_many(Paper, _PAPER_COLUMNS, [_paper_row(r, now_db, hashes[r.arxiv_id]) for r in to_create])
        for arxiv_id, pk in ids_by(Paper, "arxiv_id", [r.arxiv_id for r in to_create]):
            existing[arxiv_id] = _Stored(pk, 0, "", 0)
        stats.created += len(to_create)
    if to_update:
        changed_papers = []
        for merged, paper, _ in to_update:
            for name, value in _paper_fields(merged, now).items():
                setattr(paper, name, value)
            changed_papers.append(paper)
        Paper.objects.bulk_update(changed_papers, _UPDATE_FIELDS, batch_size=500)
        stats.updated += len(changed_papers)
        relinked = [paper.pk for merged, paper, changed in to_update if changed]
        for chunk in in_chunks(relinked):
            PaperAuthor.objects.filter(paper_id__in=chunk).delete()

    linked = to_create + [m for m, _, changed in to_update if changed]
    _link_authors([r for r in linked if not _hub_authors(r)], existing, author_ids)
    _link_authors([r for r in linked if _hub_authors(r)], existing, author_ids, flags=True)

    touched: set[str] = set()
    if daily:
        entries_created, recounted = _apply_daily(daily, existing)
        stats.entries_created = entries_created
        touched |= recounted
    if hub:
        touched |= apply_hub(hub, {a: s.pk for a, s in existing.items()}, relinked={r.arxiv_id for r in linked})
    # New imported counts or hub data are an update of an otherwise unchanged paper.
    stats.updated += len(touched & unchanged_ids)
    unchanged_ids -= touched
    stats.unchanged += len(unchanged_ids)
    return stats


def _hub_authors(record: PaperRecord) -> list:
    hub = record.hub
    return hub.authors if hub is not None and len(hub.authors) == len(record.authors) else []


_FLAG_COLUMNS = ["hidden", "status", "claimed_user", "claimed_fullname", "claimed_avatar"]


def _link_authors(records: list[PaperRecord], papers: dict, author_ids: dict[str, int], *, flags: bool = False) -> None:
    """Insert the ordered authorships of these papers (with Hugging Face's per-author flags when ``flags``)."""
    if not records:
        return
    if not flags:
        plain = [(papers[r.arxiv_id].pk, author_ids[n], i) for r in records for i, n in enumerate(r.authors)]
        insert_many(PaperAuthor, ["paper", "author", "position"], plain)
        return
    rows = [
        (
            papers[r.arxiv_id].pk,
            author_ids[n],
            i,
            a.hidden,
            a.status,
            a.claimed_user,
            a.claimed_fullname,
            a.claimed_avatar,
        )
        for r in records
        for i, (n, a) in enumerate(zip(r.authors, _hub_authors(r), strict=False))
    ]
    insert_many(PaperAuthor, ["paper", "author", "position", *_FLAG_COLUMNS], rows)


def _apply_daily(records: list[PaperRecord], papers: dict[str, _Stored]) -> tuple[int, set[str]]:
    """Create the daily entries of these records (one per paper and day) and refresh imported counts.

    Imported entries (Hugging Face) get a new entry per day they list; an arXiv announcement only puts a paper
    on a page when it is on none yet. An entry already stored keeps its submitter; its counts only grow (an older
    snapshot never lowers them) and what it lacks is filled. The paper's imported upvotes are the highest count
    of any of its entries."""
    paper_ids = list({papers[r.arxiv_id].pk for r in records})
    stored: dict[tuple[int, dt.date], DailyEntry] = {}
    for chunk in in_chunks(paper_ids):
        for row in DailyEntry.objects.filter(paper_id__in=chunk):
            stored[(row.paper_id, row.day)] = row
    on_a_page = {paper_id for paper_id, _ in stored}
    new: dict[tuple[int, dt.date], DailyEntry] = {}
    changed: dict[int, DailyEntry] = {}
    recounted: set[str] = set()
    for record in records:
        info, paper = record.daily, papers[record.arxiv_id]
        assert info is not None  # only records with a daily entry come here
        key = (paper.pk, info.day)
        entry = stored.get(key) or new.get(key)
        if entry is None:
            if record.announce_type and paper.pk in on_a_page:
                continue
            new[key] = DailyEntry(
                paper_id=paper.pk,
                day=info.day,
                submitted_at=info.submitted_at or timezone.now(),
                submitter_name=info.submitter_name[:150],
                submitter_fullname=info.submitter_fullname[:300],
                submitter_avatar=info.submitter_avatar[:1000],
                source=DailyEntry.Source.HF if not record.announce_type else DailyEntry.Source.FEED,
                upvotes=info.upvotes,
                hub_comments=info.num_comments,
                listed_at=info.listed_at,
                is_author_participating=info.is_author_participating,
            )
            on_a_page.add(paper.pk)
        elif _refresh_entry(entry, info) and entry.pk is not None:
            changed[entry.pk] = entry
        if info.upvotes > paper.imported_upvotes:
            delta = info.upvotes - paper.imported_upvotes
            Paper.objects.filter(pk=paper.pk).update(imported_upvotes=info.upvotes, upvotes=F("upvotes") + delta)
            paper.imported_upvotes = info.upvotes
            recounted.add(record.arxiv_id)
    DailyEntry.objects.bulk_create(list(new.values()), batch_size=500)
    if changed:
        DailyEntry.objects.bulk_update(list(changed.values()), _ENTRY_REFRESHED, batch_size=500)
        recounted |= {r.arxiv_id for r in records if papers[r.arxiv_id].pk in {e.paper_id for e in changed.values()}}
    return len(new), recounted


_ENTRY_REFRESHED = [
    "upvotes",
    "hub_comments",
    "listed_at",
    "is_author_participating",
    "submitter_name",
    "submitter_fullname",
    "submitter_avatar",
]


def _refresh_entry(entry: DailyEntry, info) -> bool:
    """Grow the counts of a stored entry and fill what it lacks from a new snapshot of it; True when it changed."""
    before = [getattr(entry, name) for name in _ENTRY_REFRESHED]
    entry.upvotes = max(entry.upvotes, info.upvotes)
    entry.hub_comments = max(entry.hub_comments, info.num_comments)
    entry.listed_at = entry.listed_at or info.listed_at
    entry.is_author_participating = entry.is_author_participating or info.is_author_participating
    if not entry.submitter_name and not entry.submitted_by_id:
        entry.submitter_name = info.submitter_name[:150]
        entry.submitter_fullname = info.submitter_fullname[:300]
        entry.submitter_avatar = info.submitter_avatar[:1000]
    return before != [getattr(entry, name) for name in _ENTRY_REFRESHED]


def feature_paper(*, paper: Paper, day: dt.date, user=None, source: str = DailyEntry.Source.CLI) -> DailyEntry:
    """Put a paper on a day's page; a paper already on a page stays where it is (featuring adds no second day)."""
    entry = paper.daily_entries.order_by("day").first()
    if entry is None:
        entry = DailyEntry.objects.create(
            paper=paper,
            day=day,
            submitted_by=user,
            submitter_name=getattr(user, "username", "") or "",
            submitted_at=timezone.now(),
            source=source,
        )
    elif entry.day != day:
        raise ValueError(f"{paper.arxiv_id} is already on the page of {entry.day.isoformat()}")
    return entry
