"""Community reads: daily/weekly/monthly pages, trending, votes of a user, discussions, profiles.

Trending score (documented in README.md too). For each paper, over the window of the last ``days`` days:

    score = Σ_votes 2^(-age/H) + w_c · Σ_comments 2^(-age/H) + imported_upvotes · 2^(-age_entry/H)

where ``age`` is the time since that vote (or visible comment) was cast, in hours, H is the half-life
(settings.TRENDING_HALF_LIFE_HOURS, default 24) and w_c the weight of a comment (settings.TRENDING_COMMENT_WEIGHT,
default 1). Upvotes carried over from an imported hub have no timestamps of their own: they count as cast when the
paper was put on its daily page. A vote loses half its weight every H hours, so 100 votes cast six days ago
(100 · 2^-6 ≈ 1.6) fall behind 5 votes cast today (≈ 5): a paper that votes are rising on goes ahead of one whose
votes are old. Votes are grouped by hour in SQL, so the work is one query per kind of signal whatever the number of
votes. Ties: more recent entry first, then arXiv id.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncHour
from django.utils import timezone

from dailypapers.community.models import Comment, Vote
from dailypapers.community.page_periods import PagePeriod, parse_page_period, period_of, period_range  # noqa: F401 (re-export)
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor
from dailypapers.papers.selectors import ranked_daily_entries

CARD_AUTHORS = 4  # authors shown on a card before "et al."
CARD_HIDDEN_SLACK = 4  # hidden authors among the first ones that the card skips (rarely more than one)


# --- cards ----------------------------------------------------------------------------------------------------


def _author_count() -> Coalesce:
    return Coalesce(
        Subquery(
            PaperAuthor.objects.filter(paper=OuterRef("pk"), hidden=False)
            .order_by()
            .values("paper")
            .annotate(n=Count("id"))
            .values("n")[:1]
        ),
        0,
    )


def card_papers(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """Papers shaped for cards: first visible authors prefetched (``card_authorships``: slice it to CARD_AUTHORS), visible author count,
    daily entries (``paper.daily_entry`` is the latest), organization."""
    return (
        papers.select_related("organization")
        .annotate(num_authors=_author_count())
        .prefetch_related(
            Prefetch("daily_entries", queryset=DailyEntry.objects.select_related("submitted_by").order_by("day")),
            Prefetch(
                "authorships",
                queryset=PaperAuthor.objects.filter(position__lt=CARD_AUTHORS + CARD_HIDDEN_SLACK, hidden=False)
                .select_related("author")
                .order_by("position"),
                to_attr="card_authorships",
            ),
        )
    )


def entries_between(*, start: dt.date, end: dt.date) -> QuerySet[DailyEntry]:
    return DailyEntry.objects.filter(day__gte=start, day__lte=end)


def period_entries(*, start: dt.date, end: dt.date) -> QuerySet[DailyEntry]:
    """The entries of the daily pages of start..end in the pages' order: papers.selectors.ranked_daily_entries, the
    selector behind /api/daily_papers too, so that a page and the API always agree. Page through it, then shape
    the page with ``entry_cards``."""
    return ranked_daily_entries(start=start, end=end).select_related("submitted_by")


def entry_cards(entries: list[DailyEntry]) -> list[Paper]:
    """The papers of these entries, in their order, shaped for cards, each showing its own entry
    (``paper.page_entry``, what ``paper.daily_entry`` and ``paper.shown_upvotes`` then give). A paper with two entries
    in the list is there twice, once per entry."""
    by_id = {p.pk: p for p in card_papers(Paper.objects.filter(pk__in={e.paper_id for e in entries}))}
    cards: list[Paper] = []
    used: set[int] = set()
    for entry in entries:
        paper = by_id.get(entry.paper_id)
        if paper is None:  # deleted since the page was counted
            continue
        if paper.pk in used:
            paper = copy.copy(paper)
            paper.card_suffix = entry.day.isoformat()  # type: ignore[attr-defined]  # (a unique anchor on the page)
        used.add(paper.pk)
        paper.page_entry = entry  # type: ignore[attr-defined]  # (read by Paper.daily_entry)
        cards.append(paper)
    return cards


def period_papers(*, start: dt.date, end: dt.date) -> QuerySet[Paper]:
    """Papers on the daily pages of start..end (inclusive), each once, with ``page_submitted_at`` (its latest
    submission in the range) for the feeds' newest-first order."""
    entries = entries_between(start=start, end=end)
    latest = entries.filter(paper=OuterRef("pk")).order_by("-submitted_at").values("submitted_at")[:1]
    return (
        card_papers(Paper.objects.filter(pk__in=entries.values("paper_id")))
        .annotate(page_submitted_at=Subquery(latest))
        .order_by("-upvotes", "-num_comments", "-page_submitted_at", "arxiv_id")
    )


def voted_paper_ids(*, user, paper_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not paper_ids:
        return set()
    return set(Vote.objects.filter(user=user, paper_id__in=paper_ids).values_list("paper_id", flat=True))


# --- navigation between periods -------------------------------------------------------------------------------


def nearest_days(*, start: dt.date, end: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The closest day with entries before ``start`` and after ``end``."""
    before = DailyEntry.objects.filter(day__lt=start).order_by("-day").values_list("day", flat=True).first()
    after = DailyEntry.objects.filter(day__gt=end).order_by("day").values_list("day", flat=True).first()
    return before, after


def neighbours(period: PagePeriod) -> tuple[PagePeriod | None, PagePeriod | None]:
    """Previous and next period with papers: the nearest days with entries, as periods of the same kind."""
    before, after = nearest_days(start=period.start, end=period.end)
    prev = period_of(period.kind, before) if before else None
    nxt = period_of(period.kind, after) if after else None
    # A week or month range overlaps its neighbours (Friday before, last day of the month before): step past it.
    if prev is not None and prev.value == period.value:
        prev = period.shifted(-1)
    if nxt is not None and nxt.value == period.value:
        nxt = period.shifted(1)
    return prev, nxt


# --- trending -------------------------------------------------------------------------------------------------


@dataclass
class _Score:
    total: float = 0.0
    signals: int = 0
    latest: dt.datetime | None = None
    parts: dict = field(default_factory=dict)


def _decay(age_hours: float, half_life: float) -> float:
    return math.pow(2.0, -max(age_hours, 0.0) / half_life)


def trending_scores(*, now: dt.datetime | None = None, days: int = 7) -> list[tuple[int, float]]:
    """(paper id, score) of every paper with a signal in the window, best first. See the module docstring."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    half_life = float(settings.TRENDING_HALF_LIFE_HOURS) or 24.0
    comment_weight = float(settings.TRENDING_COMMENT_WEIGHT)
    scores: dict[int, float] = defaultdict(float)
    latest: dict[int, dt.datetime] = {}

    def add(rows, weight: float) -> None:
        for paper_id, hour, count in rows:
            if hour is None:
                continue
            age = (now - (hour + dt.timedelta(minutes=30))).total_seconds() / 3600.0
            scores[paper_id] += weight * count * _decay(age, half_life)
            if latest.get(paper_id) is None or hour > latest[paper_id]:
                latest[paper_id] = hour

    votes = (
        Vote.objects.filter(created__gte=since, created__lte=now)
        .annotate(hour=TruncHour("created"))
        .values("paper_id", "hour")
        .annotate(n=Count("id"))
        .values_list("paper_id", "hour", "n")
    )
    add(votes, 1.0)
    if comment_weight:
        comments = (
            Comment.objects.filter(created__gte=since, created__lte=now, is_deleted=False, is_hidden=False)
            .annotate(hour=TruncHour("created"))
            .values("paper_id", "hour")
            .annotate(n=Count("id"))
            .values_list("paper_id", "hour", "n")
        )
        add(comments, comment_weight)
    imported = DailyEntry.objects.filter(
        submitted_at__gte=since, submitted_at__lte=now, paper__imported_upvotes__gt=0
    ).values_list("paper_id", "submitted_at", "paper__imported_upvotes")
    imported_at: dict[int, tuple[dt.datetime, int]] = {}
    for paper_id, submitted_at, upvotes in imported:  # a paper on two pages: its latest entry carries the count
        if paper_id not in imported_at or submitted_at > imported_at[paper_id][0]:
            imported_at[paper_id] = (submitted_at, upvotes)
    for paper_id, (submitted_at, upvotes) in imported_at.items():
        age = (now - submitted_at).total_seconds() / 3600.0
        scores[paper_id] += upvotes * _decay(age, half_life)
        latest[paper_id] = max(latest.get(paper_id) or submitted_at, submitted_at)
    # Papers put on a page within the window but with no votes yet still belong to the list, at the bottom.
    for paper_id, submitted_at in DailyEntry.objects.filter(submitted_at__gte=since, submitted_at__lte=now).values_list(
        "paper_id", "submitted_at"
    ):
        scores.setdefault(paper_id, 0.0)
        latest[paper_id] = max(latest.get(paper_id) or submitted_at, submitted_at)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return sorted(
        scores.items(),
        key=lambda item: (-round(item[1], 9), -((latest.get(item[0]) or epoch) - epoch).total_seconds(), item[0]),
    )


def trending_ranking(*, now: dt.datetime | None = None, days: int = 7) -> list[tuple[int, float]]:
    """trending_scores, cached in the shared cache for settings.TRENDING_CACHE_SECONDS when ``now`` is not given."""
    if now is not None or settings.TRENDING_CACHE_SECONDS <= 0:
        return trending_scores(now=now, days=days)
    key = f"dp:trending:{days}"
    ranking = cache.get(key)
    if ranking is None:
        ranking = trending_scores(days=days)
        cache.set(key, ranking, timeout=settings.TRENDING_CACHE_SECONDS)
    return ranking


def trending_papers(*, now: dt.datetime | None = None, days: int = 7, limit: int = 50, offset: int = 0) -> list[Paper]:
    """The papers of the last ``days`` days ranked by the time-decayed score (module docstring); each paper gets a
    ``trending_score`` attribute. Shaped for cards (first authors, author count, daily entry)."""
    return trending_page(now=now, days=days, limit=limit, offset=offset)[0]


def trending_page(
    *, now: dt.datetime | None = None, days: int = 7, limit: int = 50, offset: int = 0
) -> tuple[list[Paper], int]:
    """One page of trending papers and the number of papers in the whole ranking."""
    ranking = trending_ranking(now=now, days=days)
    return _ranked_papers(ranking, limit=limit, offset=offset), len(ranking)


def _ranked_papers(ranking: list[tuple[int, float]], *, limit: int, offset: int) -> list[Paper]:
    window = ranking[max(offset, 0) : max(offset, 0) + max(limit, 0)]
    if not window:
        return []
    by_id = {p.pk: p for p in card_papers(Paper.objects.filter(pk__in=[pid for pid, _ in window]))}
    papers = []
    for paper_id, score in window:
        paper = by_id.get(paper_id)
        if paper is not None:
            paper.trending_score = score  # type: ignore[attr-defined]  # (shown on the trending page)
            papers.append(paper)
    return papers


# --- discussions and profiles ---------------------------------------------------------------------------------


def comment_thread(*, paper: Paper, newest_first: bool = False) -> list[Comment]:
    """The paper's comments as a tree in one query: top-level comments, each with ``children`` (recursively)."""
    comments = list(Comment.objects.filter(paper=paper).select_related("author").order_by("created", "pk"))
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)
    for comment in comments:
        comment.children = children.get(comment.pk, [])  # type: ignore[attr-defined]  # (the thread's tree)
    roots = children.get(None, [])
    if newest_first:
        roots = list(reversed(roots))
    return roots


def user_upvoted_papers(*, user, limit: int = 100) -> list[Paper]:
    """The papers a user upvoted, latest vote first."""
    ids = list(Vote.objects.filter(user=user).order_by("-created", "-pk").values_list("paper_id", flat=True)[:limit])
    by_id = {p.pk: p for p in card_papers(Paper.objects.filter(pk__in=ids))}
    return [by_id[pid] for pid in ids if pid in by_id]


def user_submitted_papers(*, user, limit: int = 100) -> list[Paper]:
    entries = DailyEntry.objects.filter(submitted_by=user)
    latest = entries.filter(paper=OuterRef("pk")).order_by("-day").values("day")[:1]
    papers = Paper.objects.filter(pk__in=entries.values("paper_id")).annotate(latest_day=Subquery(latest))
    return list(card_papers(papers).order_by("-latest_day", "-pk")[:limit])  # type: ignore[misc]  # (annotated above)
