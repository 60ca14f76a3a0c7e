"""The merge rules of the paper store: which of two records of one paper wins, and what the stored paper becomes."""

from __future__ import annotations

from dataclasses import replace

from dailypapers.papers.models import Paper
from dailypapers.papers.records import PaperRecord

# Fields that a source may leave empty: a record never blanks what another source filled.
OPTIONAL_FIELDS = ("comments", "journal_ref", "doi", "license", "github_repo", "project_page", "abstract")


def dedupe(records: list[PaperRecord]) -> tuple[list[PaperRecord], int]:
    """Keep the newest record of each paper in a batch; the others count as unchanged."""
    newest: dict[str, PaperRecord] = {}
    for record in records:
        current = newest.get(record.arxiv_id)
        if current is None or is_newer(record, current):
            if current is not None and current.daily and not record.daily:
                record = replace(record, daily=current.daily)
            newest[record.arxiv_id] = record
    return list(newest.values()), len(records) - len(newest)


def is_newer(record: PaperRecord, than: PaperRecord | Paper) -> bool:
    their_updated = than.updated if isinstance(than, PaperRecord) else than.updated_at
    if record.version != than.version:
        return record.version > than.version
    if record.updated and their_updated:
        return record.updated > their_updated
    return False


def record_from_paper(paper: Paper, authors: list[str]) -> PaperRecord:
    return PaperRecord(
        arxiv_id=paper.arxiv_id,
        version=paper.version,
        title=paper.title,
        abstract=paper.abstract,
        authors=authors,
        categories=paper.categories.split(),
        published=paper.published_at,
        updated=paper.updated_at,
        comments=paper.comments,
        journal_ref=paper.journal_ref,
        doi=paper.doi,
        license=paper.license,
        github_repo=paper.github_repo,
        project_page=paper.project_page,
        source=paper.source,
    )


def merge(record: PaperRecord, existing: PaperRecord) -> PaperRecord:
    """What the stored paper becomes after seeing ``record``.

    A newer version replaces every field the record carries. The same version only fills what the store lacks:
    sources differ in what they carry (Hugging Face has no categories, the Atom API no license), and re-importing
    one source after another must not flip fields back and forth. An older version changes nothing.
    """
    if is_newer(record, existing):
        merged = replace(record, daily=None, announce_type="")
        for name in OPTIONAL_FIELDS + ("categories", "authors", "updated"):
            if not getattr(merged, name) and getattr(existing, name):
                setattr(merged, name, getattr(existing, name))
        merged.published = min(existing.published, record.published)
        return merged
    merged = replace(existing)
    for name in OPTIONAL_FIELDS + ("categories", "authors", "updated"):
        if not getattr(merged, name) and getattr(record, name):
            setattr(merged, name, getattr(record, name))
    if record.version == existing.version and record.published < existing.published:
        merged.published = record.published
    return merged
