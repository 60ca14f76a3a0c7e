"""Writes of what a hub (Hugging Face) adds to papers: AI summary and keywords, GitHub stars, organization,
thumbnail and media, and the per-author flags (hidden, claim status, claimed account).

These fields stand apart from the arXiv metadata and its merge rules (papers.merge): they come from one source
only, so a record fills what is empty and newer Hugging Face data (a later import) replaces older values. An
empty value in a record never blanks a stored one. "Newer" is by the day of the record's daily entry, kept in
``Paper.hub_day``: an older snapshot imported later only fills what is empty. They do not touch ``modified``: the
search index has no use for them.
"""

from __future__ import annotations

from dailypapers.core.db import in_chunks
from dailypapers.papers.bulk_sql import insert_many
from dailypapers.papers.models import Organization, Paper, PaperAuthor
from dailypapers.papers.records import HubAuthor, PaperRecord

HUB_FIELDS = (
    "ai_summary",
    "ai_summary_model",
    "ai_keywords",
    "ai_keywords_model",
    "github_stars",
    "github_repo_added_by",
    "thumbnail",
    "media_urls",
    "discussion_id",
)
_FLAGS = ("hidden", "status", "claimed_user", "claimed_fullname", "claimed_avatar")


def organization_ids(organizations: list[tuple[str, str, str]]) -> dict[str, int]:
    """Ids of these organizations (name, fullname, avatar), created when missing; newer names and avatars win."""
    latest = {name: (fullname, avatar) for name, fullname, avatar in organizations}
    stored = {org.name: org for org in Organization.objects.filter(name__in=list(latest))}
    missing = [Organization(name=n, fullname=f, avatar=a) for n, (f, a) in latest.items() if n not in stored]
    if missing:
        Organization.objects.bulk_create(missing, ignore_conflicts=True)
        stored.update((org.name, org) for org in Organization.objects.filter(name__in=[o.name for o in missing]))
    changed = []
    for name, (fullname, avatar) in latest.items():
        org = stored[name]
        if (fullname and fullname != org.fullname) or (avatar and avatar != org.avatar):
            org.fullname, org.avatar = fullname or org.fullname, avatar or org.avatar
            changed.append(org)
    if changed:
        Organization.objects.bulk_update(changed, ["fullname", "avatar"])
    return {name: org.pk for name, org in stored.items()}


def apply_hub(records: list[PaperRecord], paper_ids: dict[str, int], *, relinked: set[str]) -> set[str]:
    """Store the hub data of these records (oldest first; later ones win) on their papers; return the arXiv ids
    of the papers that changed. ``relinked`` papers had their authorships written from the record already."""
    orgs = organization_ids([r.hub.organization for r in records if r.hub.organization])
    wanted = list({paper_ids[r.arxiv_id] for r in records})
    papers: dict[int, Paper] = {}
    for chunk in in_chunks(wanted):
        papers.update(
            (p.pk, p)
            for p in Paper.objects.filter(pk__in=chunk).only("pk", "source", "hub_day", *HUB_FIELDS, "organization")
        )
    changed: dict[int, Paper] = {}
    touched: set[str] = set()
    fill_only: set[int] = set()  # papers whose latest record here is older than what is stored
    for record in records:
        paper, hub = papers[paper_ids[record.arxiv_id]], record.hub
        day = record.daily.day if record.daily else None
        older = day is not None and paper.hub_day is not None and day < paper.hub_day
        (fill_only.add if older else fill_only.discard)(paper.pk)
        values = {name: getattr(hub, name) for name in HUB_FIELDS}
        values["organization_id"] = orgs.get(hub.organization[0]) if hub.organization else None
        for name, value in values.items():
            stored = getattr(paper, name)
            if value in ("", None, []) or stored == value or (older and stored not in ("", None, [])):
                continue
            setattr(paper, name, value)
            changed[paper.pk] = paper
            touched.add(record.arxiv_id)
        if day is not None and (paper.hub_day is None or day > paper.hub_day):
            paper.hub_day = day
            changed[paper.pk] = paper
    if changed:
        Paper.objects.bulk_update(list(changed.values()), [*HUB_FIELDS, "organization", "hub_day"], batch_size=500)
    flagged = [
        r for r in records if r.arxiv_id not in relinked and r.hub.authors and len(r.hub.authors) == len(r.authors)
    ]
    touched |= _apply_author_flags(flagged, paper_ids, {pk: p.source for pk, p in papers.items()}, fill_only)
    return touched


def _apply_author_flags(
    records: list[PaperRecord], paper_ids: dict[str, int], sources: dict[int, str], fill_only: set[int]
) -> set[str]:
    """Bring the stored authorships of these papers in line with the hub's author list and flags.

    Same names in the same order: the flags are updated. A Hugging Face paper stored before hidden authors were
    kept (its list is the hub's list less the hidden ones): the list is rewritten from the record. Another source's
    list (arXiv's spelling): the flags of the authors it shares by name are updated; arXiv's list stands. A record
    older than the stored hub data (``fill_only``) only fills empty claims."""
    if not records:
        return set()
    latest = {paper_ids[r.arxiv_id]: r for r in records}
    stored: dict[int, list[PaperAuthor]] = {}
    for chunk in in_chunks(list(latest)):
        for row in (
            PaperAuthor.objects.filter(paper_id__in=chunk).select_related("author").order_by("paper_id", "position")
        ):
            stored.setdefault(row.paper_id, []).append(row)
    changed: list[PaperAuthor] = []
    rewrite: list[tuple[int, PaperRecord]] = []
    touched: set[str] = set()
    for paper_id, record in latest.items():
        rows = stored.get(paper_id, [])
        names = [row.author.name for row in rows]
        flags = dict(zip(record.authors, record.hub.authors, strict=False))
        if names == record.authors:
            pairs = list(zip(rows, record.hub.authors, strict=False))
        elif (
            paper_id not in fill_only
            and sources.get(paper_id) == "hf"
            and names == [n for n, a in zip(record.authors, record.hub.authors, strict=False) if not a.hidden]
        ):
            rewrite.append((paper_id, record))
            touched.add(record.arxiv_id)
            continue
        else:
            pairs = [(row, flags[row.author.name]) for row in rows if row.author.name in flags]
        for row, flag in pairs:
            if _set_flags(row, flag, fill_only=paper_id in fill_only):
                changed.append(row)
                touched.add(record.arxiv_id)
    if changed:
        PaperAuthor.objects.bulk_update(changed, list(_FLAGS), batch_size=500)
    if rewrite:
        _rewrite_authors(rewrite)
    return touched


def _set_flags(row: PaperAuthor, flag: HubAuthor, *, fill_only: bool = False) -> bool:
    before = [getattr(row, name) for name in _FLAGS]
    if not fill_only:
        row.hidden = flag.hidden
    for name in ("status", "claimed_user", "claimed_fullname", "claimed_avatar"):
        value = getattr(flag, name)
        if value and not (fill_only and getattr(row, name)):
            setattr(row, name, value)
    return before != [getattr(row, name) for name in _FLAGS]


def _rewrite_authors(rewrite: list[tuple[int, PaperRecord]]) -> None:
    from dailypapers.papers.services import author_ids_for

    ids = author_ids_for(n for _, record in rewrite for n in record.authors)
    for chunk in in_chunks([paper_id for paper_id, _ in rewrite]):
        PaperAuthor.objects.filter(paper_id__in=chunk).delete()
    rows = [
        (
            paper_id,
            ids[n],
            i,
            a.hidden,
            a.status,
            a.claimed_user,
            a.claimed_fullname,
            a.claimed_avatar,
        )
        for paper_id, record in rewrite
        for i, (n, a) in enumerate(zip(record.authors, record.hub.authors, strict=False))
    ]
    insert_many(PaperAuthor, ["paper", "author", "position", *_FLAGS], rows)
