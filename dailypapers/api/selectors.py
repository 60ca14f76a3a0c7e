"""Reads behind the API: plain rows (dicts) for the listings, fetched in a few flat queries (no N+1, no models).

A "row" is everything one API item shows about a paper: its fields, its ordered author names and its daily entry
(when it has one). Listings first pick the ordered paper ids of a page, then fetch the rows of those ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from collections.abc import Iterator, Sequence

from django.db.models import Count, Q, QuerySet

from dailypapers.core.db import CompiledDates, CompiledIn, in_chunks
from dailypapers.papers.hub import HUB_FIELDS
from dailypapers.papers.models import RECORD_COLUMNS, Author, DailyEntry, Paper, PaperAuthor
from dailypapers.papers.selectors import entries_between, ranked_daily_entries

PAPER_FIELDS = (
    "id",
    "arxiv_id",
    *RECORD_COLUMNS,
    "upvotes",
    "imported_upvotes",
    "num_comments",
    *HUB_FIELDS,
    "organization__name",
    "organization__fullname",
    "organization__avatar",
)
ENTRY_FIELDS = (
    "id",
    "paper_id",
    "day",
    "submitted_at",
    "submitter_name",
    "submitter_fullname",
    "submitter_avatar",
    "source",
    "upvotes",
    "hub_comments",
    "listed_at",
    "is_author_participating",
)
AUTHOR_FIELDS = (
    "paper_id",
    "author_id",
    "author__name",
    "hidden",
    "status",
    "claimed_user",
    "claimed_fullname",
    "claimed_avatar",
)
_PAPER_KEYS = PAPER_FIELDS[:-3]
# Compiled once per number of ids: each call only runs the SQL with its ids (see core.db.CompiledIn).
_PAPERS = CompiledIn(Paper.objects.values_list(*PAPER_FIELDS))
_ENTRIES = CompiledIn(DailyEntry.objects.order_by("day", "pk").values_list(*ENTRY_FIELDS), "paper_id")
_AUTHORSHIPS = CompiledIn(PaperAuthor.objects.order_by("paper_id", "position").values_list(*AUTHOR_FIELDS), "paper_id")


def paper_rows(*, paper_ids: Sequence[int], entry_ids: Sequence[int | None] | None = None) -> list[dict]:
    """The rows of these papers, in the order given (unknown ids are left out).

    ``row["entry"]`` is the daily entry of the same position in ``entry_ids`` (a listing of entries), else the
    paper's latest entry (None when it is on no page). ``row["authors"]`` lists (author id, name) of the visible
    authors; ``row["all_authors"]`` every author with Hugging Face's flags (hidden ones included), as tuples
    (author id, name, hidden, status, claimed user, claimed full name, claimed avatar): plain tuples, not dicts,
    because a listing holds thousands of them."""
    ids = list(paper_ids)
    if not ids:
        return []
    wanted_entries = list(entry_ids) if entry_ids is not None else [None] * len(ids)
    by_id: dict[int, dict] = {}
    latest: dict[int, dict] = {}
    entries: dict[int, dict] = {}
    unique = list(dict.fromkeys(ids))
    org_at = len(PAPER_FIELDS) - 3
    for values in _PAPERS.rows(unique):
        row = dict(zip(_PAPER_KEYS, values, strict=False))  # the organization's three columns are left out
        name, fullname, avatar = values[org_at:]
        row["organization"] = {"name": name, "fullname": fullname, "avatar": avatar} if name else None
        row["authors"], row["all_authors"] = [], []
        by_id[values[0]] = row
    for values in _ENTRIES.rows(unique):
        entry = dict(zip(ENTRY_FIELDS, values, strict=True))
        latest[entry["paper_id"]] = entry  # the last one per paper is its latest
        entries[entry["id"]] = entry
    paper_id = None
    for author in _AUTHORSHIPS.rows(unique):
        if author[0] != paper_id:
            paper_id = author[0]
            visible, every = by_id[paper_id]["authors"], by_id[paper_id]["all_authors"]
        every.append(tuple(author[1:]))
        if not author[3]:
            visible.append((author[1], author[2]))
    missing = [pk for pk in wanted_entries if pk is not None and pk not in entries]
    for chunk in in_chunks(missing):
        entries.update((e["id"], e) for e in DailyEntry.objects.filter(pk__in=chunk).values(*ENTRY_FIELDS))
    rows = []
    for pk, entry_id in zip(ids, wanted_entries, strict=False):
        if pk not in by_id:
            continue
        row = dict(by_id[pk])
        row["entry"] = entries.get(entry_id) if entry_id is not None else latest.get(pk)
        rows.append(row)
    return rows


def paper_row(*, arxiv_id: str) -> dict | None:
    pk = Paper.objects.filter(arxiv_id=arxiv_id).values_list("pk", flat=True).first()
    if pk is None:
        return None
    rows = paper_rows(paper_ids=[pk])
    return rows[0] if rows else None


def _entries_between(start: dt.date | None, end: dt.date | None, submitter: str | None) -> QuerySet[DailyEntry]:
    return entries_between(start=start, end=end, submitter=submitter)


def daily_page_entries(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    submitter: str | None = None,
    order: str = "upvotes",
    offset: int = 0,
    limit: int = 50,
) -> list[tuple[int, int]]:
    """(paper id, entry id) of one page of daily entries.

    ``order="upvotes"`` (Hugging Face's order for a day, a week or a month): the order of the web's day pages,
    papers.selectors.ranked_daily_entries (one selector for both, so they cannot disagree). ``order="latest"``: the
    same within each day, newest day first (the listing without a period). ``order="newest"``: newest submissions
    first."""
    if order == "latest" and start is None and end is None:
        return _latest_page(submitter, offset=offset, limit=limit)
    if order in ("upvotes", "latest") and start is not None and end is not None and not submitter:
        rows = _RANKED[order == "latest"].rows(start, end)  # a period's pairs are few: sliced here
        return [(paper_id, entry_id) for paper_id, entry_id in rows[offset : offset + limit]]
    if order in ("upvotes", "latest"):
        entries = ranked_daily_entries(start=start, end=end, submitter=submitter, newest_day_first=order == "latest")
    else:
        entries = _entries_between(start, end, submitter).order_by("-day", "-submitted_at", "-paper_id")
    return list(entries.values_list("paper_id", "id")[offset : offset + limit])


# A period's listing in page order, compiled once (the common request: a day, a week or a month, no submitter).
def _ranked_pairs(start: dt.date, end: dt.date, *, newest_day_first: bool) -> QuerySet:
    return ranked_daily_entries(start=start, end=end, newest_day_first=newest_day_first).values_list("paper_id", "id")


_RANKED = {
    newest_day_first: CompiledDates(functools.partial(_ranked_pairs, newest_day_first=newest_day_first))
    for newest_day_first in (False, True)
}


def _day_counts(submitter: str | None) -> list[tuple[dt.date, int]]:
    """(day, number of entries) of every day with entries, newest first (read from the index on the day)."""
    counts = entries_between(submitter=submitter).values_list("day").annotate(n=Count("id")).order_by("-day")
    return [(day, n) for day, n in counts]


def _latest_page(submitter: str | None, *, offset: int, limit: int) -> list[tuple[int, int]]:
    """One page of the listing without a period (newest day first, each day in its page order). Only the days the
    page spans are ranked, so a page costs the same whether the hub has a hundred days or ten thousand."""
    seen = 0  # entries on the days newer than the page's first day
    newest = oldest = None
    for day, n in _day_counts(submitter):
        if newest is None:
            if seen + n <= offset:
                seen += n
                continue
            newest, first = day, offset - seen
        oldest = day
        seen += n
        if seen >= offset + limit:
            break
    if newest is None or oldest is None:
        return []
    return daily_page_entries(start=oldest, end=newest, submitter=submitter, order="latest", offset=first, limit=limit)


def _latest_entries(
    submitter: str | None, days: list[tuple[dt.date, int]], *, window: int = 250
) -> Iterator[tuple[int, int]]:
    """(paper id, entry id) of every entry in the listing's order (newest day first), read a few days at a time
    (``days``: _day_counts)."""
    index = 0
    while index < len(days):
        stop, count = index, 0
        while stop < len(days) and (count == 0 or count + days[stop][1] <= window):
            count += days[stop][1]
            stop += 1
        start, end = days[stop - 1][0], days[index][0]
        yield from daily_page_entries(start=start, end=end, submitter=submitter, order="latest", limit=count)
        index = stop


def trending_page_entries(
    *, start: dt.date | None, end: dt.date | None, submitter: str | None, offset: int, limit: int
) -> list[tuple[int, int]]:
    """(paper id, entry id) of the entries of the period, one per paper (its latest day's), ranked by the community's
    time-decayed trending score (community.selectors.trending_scores). Papers with no recent signal come after: by
    upvotes within a period, newest day first without one (the listing's order: all of a hub's history sorted by
    upvotes would be neither trending nor cheap)."""
    from dailypapers.community.selectors import trending_ranking

    if start is None and end is None:
        return _trending_then_latest(trending_ranking(), submitter, offset=offset, limit=limit)
    rank = {paper_id: position for position, (paper_id, _) in enumerate(trending_ranking())}
    picked: dict[int, tuple[int, int, dt.date]] = {}
    rows = _entries_between(start, end, submitter).values_list(
        "paper_id", "id", "day", "upvotes", "paper__upvotes", "paper__imported_upvotes"
    )
    scored = []
    for paper_id, entry_id, day, upvotes, paper_upvotes, imported in rows:
        if paper_id in picked and picked[paper_id][2] >= day:
            continue
        picked[paper_id] = (paper_id, entry_id, day)
        scored.append((paper_id, entry_id, upvotes + paper_upvotes - imported))
    best = {paper_id: entry_id for paper_id, entry_id, _ in picked.values()}
    scored = [item for item in scored if best[item[0]] == item[1]]
    unranked = len(rank)
    scored.sort(key=lambda item: (rank.get(item[0], unranked), -item[2], -item[0]))
    return [(paper_id, entry_id) for paper_id, entry_id, _ in scored[offset : offset + limit]]


def _trending_then_latest(
    ranking: list[tuple[int, float]], submitter: str | None, *, offset: int, limit: int
) -> list[tuple[int, int]]:
    ranked_ids = [paper_id for paper_id, _ in ranking]
    latest: dict[int, tuple[dt.date, int]] = {}  # paper -> its latest entry (day, id)
    for chunk in in_chunks(ranked_ids):
        for paper_id, entry_id, day in (
            _entries_between(None, None, submitter).filter(paper_id__in=chunk).values_list("paper_id", "id", "day")
        ):
            if paper_id not in latest or latest[paper_id][0] < day:
                latest[paper_id] = (day, entry_id)
    head = [(paper_id, latest[paper_id][1]) for paper_id in ranked_ids if paper_id in latest]
    page = head[offset : offset + limit]
    end = offset + limit - len(head)  # how far into the rest the page reaches
    if end <= 0:
        return page
    days = _day_counts(submitter)
    if offset - len(head) >= sum(n for _, n in days):  # past the last entry: nothing to walk through
        return page
    rest: list[tuple[int, int]] = []
    seen = set(latest)
    for paper_id, entry_id in _latest_entries(submitter, days):
        if paper_id in seen:  # ranked above, or listed on a newer day already
            continue
        seen.add(paper_id)
        rest.append((paper_id, entry_id))
        if len(rest) >= end:
            break
    return page + rest[max(0, offset - len(head)) : end]


def latest_papers_ids(*, offset: int = 0, limit: int = 50) -> list[int]:
    return list(Paper.objects.order_by("-published_at", "-pk").values_list("pk", flat=True)[offset : offset + limit])


# --- cursor pagination of /api/v1/papers -------------------------------------------------------------------------


class BadCursor(ValueError):
    pass


def encode_cursor(published_at: dt.datetime, pk: int) -> str:
    raw = f"{published_at.astimezone(dt.UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, pk = raw.split("|")
        value = dt.datetime.fromisoformat(when)
        if value.tzinfo is None:
            raise ValueError
        return value, int(pk)
    except (ValueError, UnicodeDecodeError):
        raise BadCursor("invalid cursor (pass back the next_cursor of a previous page)") from None


def papers_page_ids(
    *,
    day: dt.date | None = None,
    category: str | None = None,
    author_id: int | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[int], str | None]:
    """One page of papers, newest first (by arXiv publication), and the cursor of the next page (None at the end)."""
    papers = Paper.objects.all()
    if day is not None:
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        papers = papers.filter(published_at__gte=start, published_at__lt=start + dt.timedelta(days=1))
    if category:
        papers = papers.filter(
            Q(categories=category)
            | Q(categories__startswith=f"{category} ")
            | Q(categories__endswith=f" {category}")
            | Q(categories__contains=f" {category} ")
        )
    if author_id is not None:
        papers = papers.filter(authorships__author_id=author_id)
    if cursor:
        when, pk = decode_cursor(cursor)
        papers = papers.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    rows = list(papers.order_by("-published_at", "-pk").values_list("pk", "published_at")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1][1], rows[limit - 1][0]) if len(rows) > limit else None
    return [pk for pk, _ in rows[:limit]], next_cursor


# --- authors ------------------------------------------------------------------------------------------------------


def authors_page(*, query: str | None = None, offset: int = 0, limit: int = 20) -> list[dict]:
    authors = Author.objects.all()
    if query:
        authors = authors.filter(name__icontains=query)
    rows = [dict(row) for row in authors.order_by("name", "pk").values("id", "name")[offset : offset + limit]]
    _add_paper_counts(rows)
    return rows


def author_get(*, author_id: int) -> dict | None:
    found = Author.objects.filter(pk=author_id).values("id", "name").first()
    if found is None:
        return None
    row = dict(found)
    _add_paper_counts([row])
    return row


def _add_paper_counts(rows: list[dict]) -> None:
    from django.db.models import Count

    counts = dict(
        PaperAuthor.objects.filter(author_id__in=[r["id"] for r in rows])
        .values("author_id")
        .annotate(n=Count("paper_id", distinct=True))
        .values_list("author_id", "n")
    )
    for row in rows:
        row["num_papers"] = counts.get(row["id"], 0)
