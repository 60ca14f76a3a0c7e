"""Search and similar papers: the read side of the search app, as called by the web page, the API and the CLI.

User input never raises: an empty, too long or wordless query, or a missing index, comes back as
``SearchResults.error`` with a sentence a person can act on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from dailypapers.core import metrics
from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.models import Paper
from dailypapers.search import fusion, store
from dailypapers.search.embeddings import TEXT_FORMAT, get_embedder
from dailypapers.search.keywords import build_query_text

log = logging.getLogger(__name__)

MODES = ("hybrid", "semantic", "keyword")
MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
MAX_RESULTS = 1000  # deepest result reachable by paging
# Fusion, tuned on the paraphrase query set (bench/search_quality.py); see fusion.fuse.
DEPTH = 100  # candidates taken from each ranking
CANDIDATES = 400  # binary-code candidates re-scored exactly for the semantic ranking
KEYWORD_WEIGHT = 1.4
SEMANTIC_WEIGHT = 1.0
RRF_K = 20.0
BLEND = 0.6
COMPLETE_SCORES = True  # score every candidate by both retrievers before fusing
ALLOWED_CACHE = 8  # filters whose allowed papers are kept per index snapshot (8 MB each for a filter passing 1M)


def plain(papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """The papers as they are (the default shape of the hits: nothing prefetched)."""
    return papers


@dataclass
class SearchHit:
    paper: Paper
    score: float


@dataclass
class SearchResults:
    query: str = ""
    mode: str = "hybrid"
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20
    redirect: Paper | None = None
    error: str | None = None
    notice: str | None = None
    window: list[tuple[int, float]] = field(default_factory=list)  # this page's (pk, score), fetched or not

    @property
    def page_ids(self) -> list[int]:
        """This page's paper keys in rank order (the paper an arXiv id names, when the query was one)."""
        return [self.redirect.pk] if self.redirect is not None else [pk for pk, _ in self.window]

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1


def _exact_paper(query: str) -> Paper | None:
    try:
        canonical = parse_arxiv_id(query).id
    except InvalidArxivId:
        return None
    return Paper.objects.filter(arxiv_id=canonical).first()


def _semantic_problem(snapshot) -> str | None:
    manifest = snapshot.manifest
    embedder = get_embedder()
    if manifest.get("model") != embedder.name or manifest.get("text_format") != TEXT_FORMAT:
        return (
            f"the search index was built with model {manifest.get('model')!r} but the configured model is "
            f"{embedder.name!r}; run `dailypapers index --rebuild`"
        )
    return None


_warned_generations: set[str] = set()


def embed_query(query: str, *, snapshot=None) -> np.ndarray:
    """The query's embedding: the index generation's ONNX encoder, or the configured embedder when it has none."""
    snapshot = snapshot if snapshot is not None else store.open_snapshot()
    encoder = snapshot.query_encoder() if snapshot is not None else None
    if encoder is not None:
        return encoder.encode_one(query)
    embedder = get_embedder()
    if snapshot is not None and snapshot.generation.name not in _warned_generations and hasattr(embedder, "bf16"):
        _warned_generations.add(snapshot.generation.name)
        log.warning(
            "index generation %s has no ONNX query encoder: queries load sentence-transformers (slow); "
            "`dailypapers index` exports one",
            snapshot.generation.name,
        )
    return embedder.encode([query], batch_size=1)[0]


def semantic_floor() -> float:
    """The cosine a paper needs to be a result without sharing a query word (DAILYPAPERS_SEARCH_SEMANTIC_FLOOR).

    Below it the "nearest" paper is only the least unrelated one. The default is calibrated for the default model
    with bench/search_quality.py (cosines of the papers real queries describe against the best cosines of nonsense
    and off-topic queries); the test embedder brings its own.
    """
    from django.conf import settings

    own = getattr(get_embedder(), "semantic_floor", None)
    return float(own if own is not None else settings.SEARCH_SEMANTIC_FLOOR)


def _category_q(category: str) -> Q:
    """Papers listing this category (any letter case) among their space-separated categories."""
    c = category.strip()
    return (
        Q(categories__iexact=c)
        | Q(categories__istartswith=f"{c} ")
        | Q(categories__iendswith=f" {c}")
        | Q(categories__icontains=f" {c} ")
    )


def _filtered_papers(*, category, author, published_from, published_to):
    queryset = Paper.objects.all()
    if category:
        queryset = queryset.filter(_category_q(category))
    if author:
        queryset = queryset.filter(authors__name__icontains=author.strip())
    # Whole UTC days as datetime ranges, so the published_at index serves them.
    if published_from:
        queryset = queryset.filter(published_at__gte=dt.datetime.combine(published_from, dt.time.min, dt.UTC))
    if published_to:
        end = dt.datetime.combine(published_to + dt.timedelta(days=1), dt.time.min, dt.UTC)
        queryset = queryset.filter(published_at__lt=end)
    return queryset


def canonical_category(snapshot, category: str | None) -> str | None:
    """The category as papers spell it ("cs.cl" -> "cs.CL"), so the keyword index's exact terms match any case."""
    if not category or not category.strip():
        return category
    wanted = category.strip()
    cache = snapshot.__dict__.setdefault("_categories", {})
    if wanted.lower() not in cache:
        spelled = wanted
        for categories in Paper.objects.filter(_category_q(wanted)).values_list("categories", flat=True)[:20]:
            spelled = next((c for c in categories.split() if c.lower() == wanted.lower()), spelled)
            if spelled != wanted or wanted in categories.split():
                break
        cache[wanted.lower()] = spelled
    return cache[wanted.lower()]


def allowed_pks(snapshot, **filters) -> np.ndarray:
    """Every paper passing the filters (sorted keys), from the database; cached per index snapshot."""
    cache = getattr(snapshot, "_allowed", None)
    if cache is None:
        cache = snapshot._allowed = {}
    key = tuple(sorted((name, str(value)) for name, value in filters.items() if value))
    if key not in cache:
        pks = _filtered_papers(**filters).values_list("pk", flat=True).distinct()
        allowed = np.unique(np.fromiter(pks.iterator(chunk_size=10000), dtype=np.int64))
        while len(cache) >= ALLOWED_CACHE:  # oldest first; threads of one worker may race here, harmlessly
            try:
                cache.pop(next(iter(cache)), None)
            except (StopIteration, RuntimeError):
                break
        cache[key] = allowed
        return allowed
    return cache[key]


def ranked_pks(
    *,
    query: str,
    mode: str,
    snapshot,
    depth: int,
    category=None,
    author=None,
    published_from=None,
    published_to=None,
    query_vector: np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """The fused (pk, score) ranking for a query, best first (no database fetch of the papers).

    Filters apply inside both retrievers: tantivy clauses on the keyword side; on the vector side a search over the
    allowed papers only (exact cosine for a selective filter, a FAISS id selector for a broad one). A paper counts
    as a result when it matches a query word or its cosine reaches :func:`semantic_floor`.
    """
    category = canonical_category(snapshot, category)
    filters: dict[str, Any] = {
        "category": category,
        "author": author,
        "published_from": published_from,
        "published_to": published_to,
    }
    filtered = any(filters.values())
    keyword: list[tuple[int, float]] = []
    semantic: list[tuple[int, float]] = []
    if mode in ("hybrid", "keyword"):
        keyword = snapshot.keyword_index().search(query, limit=depth, **filters)
    if mode in ("hybrid", "semantic"):
        vector = embed_query(query, snapshot=snapshot) if query_vector is None else query_vector
        query_vector = vector
        index = snapshot.vector_index()
        allowed = allowed_pks(snapshot, **filters) if filtered else None
        hits = index.search(vector, k=depth, candidates=max(depth, CANDIDATES), allowed=allowed)
        semantic = [(hit.pk, hit.score) for hit in hits]
    if mode == "keyword":
        return keyword
    if mode == "semantic":
        floor = semantic_floor()
        return [(pk, score) for pk, score in semantic if score >= floor]
    if COMPLETE_SCORES and keyword and semantic:
        keyword, semantic = _complete(query, query_vector, snapshot, keyword, semantic)
    fused = fusion.fuse([keyword, semantic], weights=[KEYWORD_WEIGHT, SEMANTIC_WEIGHT], k=RRF_K, blend=BLEND)
    matched = {pk for pk, _ in keyword}
    floor = semantic_floor()
    weak = {pk for pk, score in semantic if score < floor and pk not in matched}
    return [(pk, score) for pk, score in fused if pk not in weak] if weak else fused


def _complete(query, vector, snapshot, keyword, semantic):
    """Give every candidate both scores: BM25 for the semantic-only ones, cosine for the keyword-only ones.

    Each list then ranks the same union of candidates, so fusion compares like with like instead of treating
    "not in the other top-N" as "worst".
    """
    in_keyword = {pk for pk, _ in keyword}
    in_semantic = {pk for pk, _ in semantic}
    extra_bm25 = snapshot.keyword_index().scores_for(query, list(in_semantic - in_keyword))
    extra_cosine = snapshot.vector_index().scores_for(vector, list(in_keyword - in_semantic))
    keyword = sorted(keyword + list(extra_bm25.items()), key=lambda item: -item[1])
    semantic = sorted(semantic + list(extra_cosine.items()), key=lambda item: -item[1])
    return keyword, semantic


def search_papers(
    *,
    query: str,
    mode: str = "hybrid",
    category: str | None = None,
    author: str | None = None,
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
    page: int = 1,
    per_page: int = 20,
    shape: Callable[[QuerySet[Paper]], QuerySet[Paper]] = plain,
    fetch: bool = True,
) -> SearchResults:
    """Ranked papers for a query (see the module docstring).

    ``shape`` prepares the hits' queryset (select/prefetch what the caller shows: the search page passes the cards'
    shape), so the papers are fetched once; by default the papers alone, their authors left to the caller (every
    author of 20 papers, often over a hundred, cost a third of a search as the CLI and digests run it).
    ``fetch=False`` leaves ``hits`` empty and gives the page as ``window`` ((pk, score) pairs) for callers that load
    papers in their own shape (the API's paper rows): the paper objects with their authors were most of an API
    search's time (bench/search_profile.py).
    """
    query = " ".join((query or "").split())
    mode = mode if mode in MODES else "hybrid"
    page = max(1, int(page or 1))
    per_page = min(MAX_PER_PAGE, max(1, int(per_page or 20)))
    results = SearchResults(query=query, mode=mode, page=page, per_page=per_page)
    if not query:
        results.error = "Type a few words to search titles, abstracts and authors (or paste an arXiv id)."
        return results
    if len(query) > MAX_QUERY_CHARS:
        results.error = f"That query is too long ({len(query)} characters); keep it under {MAX_QUERY_CHARS}."
        return results
    exact = _exact_paper(query)
    if exact is not None:
        results.redirect = exact
        return results
    if not build_query_text(query):
        results.error = "That query has no letters or digits to search for."
        return results
    if published_from and published_to and published_from > published_to:
        results.error = "The start date comes after the end date."
        return results
    filters: dict[str, Any] = {
        "category": category,
        "author": author,
        "published_from": published_from,
        "published_to": published_to,
    }
    snapshot = store.open_snapshot()
    if snapshot is None:
        return _without_index(results, shape=shape, **filters)
    if mode in ("hybrid", "semantic"):
        problem = _semantic_problem(snapshot)
        if problem and mode == "semantic":
            results.error = f"Semantic search is unavailable: {problem}."
            return results
        if problem:
            results.notice = f"Showing keyword results only: {problem}."
            mode = "keyword"
    depth = min(MAX_RESULTS, max(DEPTH, page * per_page))
    started = time.perf_counter()
    try:
        ranking = ranked_pks(query=query, mode=mode, snapshot=snapshot, depth=depth, **filters)
    except Exception:  # corrupt index files: logged, and the same fallback as without an index
        log.exception("the search index %s cannot be read; %s", snapshot.generation, store.REPAIR)
        store.forget_snapshot()
        return _without_index(results, shape=shape, **filters)
    metrics.search_latency.labels(mode).observe(time.perf_counter() - started)
    results.total = len(ranking)
    window = ranking[(page - 1) * per_page : page * per_page]
    results.window = window
    if not fetch:
        return results
    papers = {p.pk: p for p in shape(Paper.objects.filter(pk__in=[pk for pk, _ in window]))}
    results.hits = [SearchHit(papers[pk], score) for pk, score in window if pk in papers]
    return results


def _without_index(
    results: SearchResults, *, shape: Callable[[QuerySet[Paper]], QuerySet[Paper]], **filters
) -> SearchResults:
    """Before the first `dailypapers index`: plain title matches from the database, and a notice saying so."""
    results.notice = "The search index has not been built yet (run `dailypapers index`): showing plain title matches."
    queryset = _filtered_papers(**filters).filter(title__icontains=results.query[:200])
    if filters.get("author"):
        queryset = queryset.distinct()
    results.total = min(queryset.count(), MAX_RESULTS)
    start = (results.page - 1) * results.per_page
    window = shape(queryset.order_by("-published_at", "arxiv_id"))[start : start + results.per_page]
    results.hits = [SearchHit(paper, 0.0) for paper in window]
    results.window = [(hit.paper.pk, 0.0) for hit in results.hits]
    return results


def similar_papers(
    *, paper: Paper, limit: int = 10, shape: Callable[[QuerySet[Paper]], QuerySet[Paper]] = plain
) -> list[tuple[Paper, float]]:
    """The papers nearest in meaning to this one (empty when there is no index or the paper is not in it yet)."""
    snapshot = store.open_snapshot()
    if snapshot is None:
        return []
    try:
        index = snapshot.vector_index()
        vector = index.vector_of(paper.pk)
        if vector is None:
            return []
        hits = index.search(vector, k=limit, exclude={paper.pk})
    except Exception:  # corrupt index files: logged, and no similar papers, as without an index
        log.exception("the search index %s cannot be read; %s", snapshot.generation, store.REPAIR)
        store.forget_snapshot()
        return []
    papers = {p.pk: p for p in shape(Paper.objects.filter(pk__in=[h.pk for h in hits]))}
    return [(papers[h.pk], h.score) for h in hits if h.pk in papers]
