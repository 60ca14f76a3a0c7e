"""What goes into one subscriber's digest: sections of papers for a period (selectors only, no writes).

A DigestBuilder serves a whole run: sections every subscriber shares (trending, the daily page) are computed
once, saved-search and category results once per distinct topic (bounded LRU), and "you may like" per user.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone

from dailypapers.core.db import in_chunks
from dailypapers.digests import sources
from dailypapers.digests.digest_periods import DigestPeriod
from dailypapers.digests.models import Subscription, Topic
from dailypapers.papers.models import Paper, PaperAuthor
from dailypapers.search.selectors import stored_embeddings

ABSTRACT_CHARS = 300
MAX_AUTHORS = 5
CANDIDATES = 5000  # papers scored for "you may like" per period


@dataclass(frozen=True)
class DigestPaper:
    arxiv_id: str
    title: str
    authors: str
    abstract: str
    url: str
    upvotes: int


@dataclass(frozen=True)
class Section:
    key: str  # stable id: "trending", "daily", "search:<query>", "category:<cat>", "you-may-like"
    title: str
    papers: tuple[DigestPaper, ...]
    shared: bool  # the same for every subscriber of the period (rendered once)


def short_abstract(text: str, limit: int = ABSTRACT_CHARS) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def author_line(names: list[str]) -> str:
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:MAX_AUTHORS]) + f" et al. ({len(names)} authors)"
    return ", ".join(names)


def digest_papers(papers: Iterable[Paper]) -> tuple[DigestPaper, ...]:
    """Shape papers for an e-mail, with their authors fetched in one query."""
    papers = list(papers)
    names: dict[int, list[str]] = {p.pk: [] for p in papers}
    if papers:
        rows = (
            PaperAuthor.objects.filter(paper_id__in=list(names), hidden=False)
            .order_by("paper_id", "position")
            .values_list("paper_id", "author__name")
        )
        for paper_id, name in rows:
            names[paper_id].append(name)
    site = settings.SITE_URL

    def url(paper: Paper) -> str:
        try:
            return site + paper.get_absolute_url()
        except NoReverseMatch:  # an id the site's routes do not take: link to arXiv instead
            return paper.arxiv_url

    return tuple(
        DigestPaper(
            arxiv_id=p.arxiv_id,
            title=" ".join(p.title.split()),
            authors=author_line(names[p.pk]),
            abstract=short_abstract(p.abstract),
            url=url(p),
            upvotes=p.upvotes + p.imported_upvotes,
        )
        for p in papers
    )


class DigestBuilder:
    def __init__(self, *, period: DigestPeriod, now: dt.datetime | None = None, max_papers: int | None = None):
        self.period = period
        self.now = now or timezone.now()
        self.max_papers = max_papers or settings.DIGESTS_MAX_PAPERS
        self._shared: dict[str, Section] = {}
        self._topics: OrderedDict[tuple[str, str], Section] = OrderedDict()
        self._candidates: list[int] | None = None
        self._vectors: dict | None = None  # candidate embeddings, loaded once per digest run

    # --- shared sections -------------------------------------------------------------------------------------------
    def trending(self) -> Section:
        if "trending" not in self._shared:
            now = min(self.now, self.period.window_end + dt.timedelta(days=1))
            papers = sources.trending_papers(now=now, days=self.period.trending_days, limit=self.max_papers)
            self._shared["trending"] = Section("trending", "Trending", digest_papers(papers), shared=True)
        return self._shared["trending"]

    def daily_page(self, *, after_trending: bool = False) -> Section:
        """The daily page(s) of the period; after the trending section, only the papers it did not show."""
        key = "daily-after-trending" if after_trending else "daily"
        if key not in self._shared:
            p = self.period
            papers = sources.daily_page_papers(start=p.page_start, end=p.page_end, limit=self.max_papers * 2)
            if after_trending:
                shown = {paper.arxiv_id for paper in self.trending().papers}
                papers = [paper for paper in papers if paper.arxiv_id not in shown]
            title = "On the daily page" if p.page_start == p.page_end else "On the daily pages"
            if after_trending:
                title = f"Also {title[0].lower()}{title[1:]}"
            self._shared[key] = Section(key, title, digest_papers(papers[: self.max_papers]), shared=True)
        return self._shared[key]

    # --- per-topic sections (cached per distinct topic) -------------------------------------------------------
    def topic(self, *, kind: str, value: str) -> Section:
        key = (kind, value.strip().lower() if kind == Topic.Kind.SEARCH else value.strip())
        section = self._topics.get(key)
        if section is not None:
            self._topics.move_to_end(key)
            return section
        p = self.period
        if kind == Topic.Kind.CATEGORY:
            papers = sources.category_papers(
                category=key[1], window_start=p.window_start, window_end=p.window_end, limit=self.max_papers
            )
            title = f"New in {key[1]}"
        else:
            papers = sources.search_matches(
                query=value, window_start=p.window_start, window_end=p.window_end, limit=self.max_papers
            )
            title = f"New papers matching “{value.strip()}”"
        section = Section(f"{kind}:{key[1]}", title, digest_papers(papers), shared=True)
        self._topics[key] = section
        if len(self._topics) > 1024:
            self._topics.popitem(last=False)
        return section

    # --- "you may like" ------------------------------------------------------------------------------------------
    def _candidate_ids(self) -> list[int]:
        if self._candidates is None:
            p = self.period
            self._candidates = list(
                Paper.objects.filter(
                    created__gte=p.window_start, created__lt=p.window_end, published_at__gte=p.published_after
                )
                .order_by("-upvotes", "-published_at")
                .values_list("pk", flat=True)[:CANDIDATES]
            )
            page = Paper.objects.filter(
                daily_entries__day__gte=p.page_start, daily_entries__day__lte=p.page_end
            ).distinct()
            seen = set(self._candidates)
            self._candidates += [pk for pk in page.values_list("pk", flat=True)[:CANDIDATES] if pk not in seen]
        return self._candidates

    def you_may_like(self, *, user_id: int) -> Section:
        """The library's "For you" classifier over this period's candidates; without a vector index, the upvotes'
        mean embedding (or categories) as before."""
        from dailypapers.library.recommend import recommend

        picked = recommend(
            user_id=user_id, limit=self.max_papers, candidate_ids=self._candidate_ids(), with_papers=False
        )
        if picked:
            by_pk = Paper.objects.in_bulk([r.paper_id for r in picked])
            papers = [by_pk[r.paper_id] for r in picked if r.paper_id in by_pk]
            return Section("you-may-like", "You may like", digest_papers(papers), shared=False)
        upvoted = sources.upvoted_paper_ids(user_id=user_id)
        papers: list[Paper] = []
        if upvoted:
            liked = set(upvoted)
            candidates = [pk for pk in self._candidate_ids() if pk not in liked]
            ranked = self._rank_by_embeddings(upvoted, candidates)
            if ranked is None:
                ranked = self._rank_by_categories(upvoted, candidates)
            top = ranked[: self.max_papers]
            by_pk = Paper.objects.in_bulk(top)
            papers = [by_pk[pk] for pk in top if pk in by_pk]
        return Section("you-may-like", "You may like", digest_papers(papers), shared=False)

    def following(self, *, user_id: int) -> Section:
        """The period's new papers by the authors and in the categories the user follows (library follows)."""
        from dailypapers.library.selectors import followed_among

        top = followed_among(user_id=user_id, paper_ids=self._candidate_ids(), limit=self.max_papers)
        by_pk = Paper.objects.in_bulk(top)
        return Section(
            "following", "From what you follow", digest_papers(by_pk[pk] for pk in top if pk in by_pk), shared=False
        )

    def _rank_by_embeddings(self, upvoted: list[int], candidates: list[int]) -> list[int] | None:
        """Candidates by cosine to the mean of the upvoted papers' stored embeddings; None when there are none."""
        liked = list(stored_embeddings(paper_ids=upvoted[:200]).values())
        if not liked or not candidates:
            return None
        if self._vectors is None:
            self._vectors = stored_embeddings(paper_ids=candidates)
        ids = [pk for pk in candidates if pk in self._vectors]
        if not ids:
            return None
        profile = np.mean(liked, axis=0)
        scores = np.stack([self._vectors[pk] for pk in ids]) @ (profile / (np.linalg.norm(profile) or 1.0))
        return [ids[i] for i in np.argsort(-scores, kind="stable")]

    def _rank_by_categories(self, upvoted: list[int], candidates: list[int]) -> list[int]:
        profile = sources.category_profile(paper_ids=upvoted)
        if not profile or not candidates:
            return []
        scored = []
        for chunk in in_chunks(candidates):
            rows = Paper.objects.filter(pk__in=chunk).values_list("pk", "categories", "upvotes")
            for pk, categories, upvotes in rows:
                cats = categories.split()
                score = sum(profile[c] for c in cats) / (len(cats) or 1)
                if score > 0:
                    scored.append((score, upvotes, pk))
        scored.sort(reverse=True)
        return [pk for _, _, pk in scored]

    # --- one subscriber ----------------------------------------------------------------------------------------
    def sections(self, subscription: Subscription, topics: Iterable[Topic] = ()) -> list[Section]:
        sections = []
        if subscription.include_trending:
            sections.append(self.trending())
        if subscription.include_daily:
            sections.append(self.daily_page(after_trending=subscription.include_trending))
        for topic in topics:
            sections.append(self.topic(kind=topic.kind, value=topic.value))
        if subscription.user_id:
            sections.append(self.following(user_id=subscription.user_id))
        if subscription.include_recommendations and subscription.user_id:
            sections.append(self.you_may_like(user_id=subscription.user_id))
        return [s for s in sections if s.papers]
