""" "For you": a per-user linear classifier over the stored paper embeddings, in the spirit of arxiv-sanity.

Positives are the papers a user keeps or liked (collections, reading list, upvotes); negatives a random sample of
the index. A class-balanced ridge classifier (closed form, one 385x385 solve) separates them. Scoring all papers
would read every vector, so candidates come from the vector index first: the nearest papers to the centroid of
each source (a collection, the reading list, the upvotes) and of all positives; the classifier ranks the union.
Each recommendation carries a one-line reason naming the source whose papers lie closest to it.

Without an index (or with none of the positives in it) papers of the user's most frequent categories are
ranked by upvotes instead. The core (:class:`Recommender`) works on any object with ``vectors_for``, ``search``
and ``pks`` (search.vectors.VectorIndex), so the bench runs it on synthetic indexes of any size.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dailypapers.library import selectors
from dailypapers.papers.models import Paper

log = logging.getLogger(__name__)
MAX_POSITIVES = 500
MAX_GROUPS = 8
CANDIDATES_PER_QUERY = 200
RIDGE = 10.0  # times the sample count; measured with bench/recommend.py (larger tends to the centroid's ranking)
NEAREST_FOR_REASON = 5


@dataclass
class Recommendation:
    paper_id: int
    score: float
    reason: str
    paper: Paper | None = None


def _reason(source: str, count: int) -> str:
    papers = f"{count} paper{'s' if count != 1 else ''}"
    if source == selectors.UPVOTED:
        return f"close to {papers} you upvoted"
    return f"close to {papers} in “{source}”"


@lru_cache(maxsize=1)
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


class Recommender:
    """Ranks an index's papers for one user's positives (paper id -> names of the sources that hold it)."""

    def __init__(self, index, *, seed: int = 0):
        self.index = index
        self.seed = seed

    def _negatives(self, positives: set[int], count: int) -> np.ndarray:
        rng = np.random.default_rng(self.seed)
        pool = self.index.pks
        picked = pool[rng.choice(len(pool), size=min(len(pool), count + len(positives)), replace=False)]
        picked = picked[~np.isin(picked, np.fromiter(positives, dtype=np.int64, count=len(positives)))][:count]
        return self.index.vectors_for(picked)[1]

    @staticmethod
    def train(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
        """Weights (dim + 1, the last one the bias) of a class-balanced ridge classifier: +1 positives, -1 others."""
        x = np.vstack([pos, neg]).astype(np.float32)
        x = np.hstack([x, np.ones((len(x), 1), dtype=np.float32)])
        y = np.concatenate([np.ones(len(pos)), -np.ones(len(neg))]).astype(np.float32)
        weight = np.concatenate([np.full(len(pos), 0.5 / len(pos)), np.full(len(neg), 0.5 / max(1, len(neg)))])
        xw = x * weight[:, None].astype(np.float32)
        gram = x.T @ xw
        gram[np.diag_indices_from(gram)] += RIDGE / len(x)
        return np.linalg.solve(gram.astype(np.float64), (xw.T @ y).astype(np.float64)).astype(np.float32)

    def rank(
        self,
        positives: dict[int, list[str]],
        *,
        limit: int = 20,
        exclude: set[int] | None = None,
        candidate_ids: list[int] | None = None,
    ) -> list[Recommendation]:
        """The top papers for these positives, never one of them nor of ``exclude``; [] when none is indexed.

        One BLAS thread: a multi-threaded solve of this size is 30x slower on a busy 2-core machine (threads spin)."""
        if not len(self.index) or not positives:
            return []
        with _blas().limit(limits=1, user_api="blas"):
            return self._rank(positives, limit=limit, exclude=exclude, candidate_ids=candidate_ids)

    def _rank(self, positives, *, limit, exclude, candidate_ids) -> list[Recommendation]:
        wanted = list(positives)[-MAX_POSITIVES:]
        pos_ids, pos = self.index.vectors_for(wanted)
        if not len(pos_ids):
            return []
        skip = set(positives) | set(exclude or ())
        neg = self._negatives(set(positives), max(200, min(1000, 10 * len(pos_ids))))
        w = self.train(pos, neg)
        sources = [positives[int(pk)] for pk in pos_ids]
        if candidate_ids is not None:
            candidates = np.asarray([pk for pk in candidate_ids if pk not in skip], dtype=np.int64)
        else:
            candidates = self._candidates(pos, sources, skip=skip, limit=limit)
        cand_ids, cand = self.index.vectors_for(candidates)
        if not len(cand_ids):
            return []
        scores = cand @ w[:-1] + w[-1]
        top = np.argsort(-scores, kind="stable")[:limit]
        nearest = cand[top] @ pos.T  # cosine of each recommendation to each positive
        results = []
        for row, i in enumerate(top):
            close = np.argsort(-nearest[row], kind="stable")[:NEAREST_FOR_REASON]
            counts = Counter(name for j in close for name in sources[j])
            source, _ = counts.most_common(1)[0]
            count = sum(1 for j in close if source in sources[j])
            results.append(Recommendation(int(cand_ids[i]), float(scores[i]), _reason(source, count)))
        return results

    def _candidates(self, pos: np.ndarray, sources: list[list[str]], *, skip: set[int], limit: int) -> np.ndarray:
        groups: dict[str, list[int]] = {}
        for j, names in enumerate(sources):
            for name in names:
                groups.setdefault(name, []).append(j)
        biggest = sorted(groups.values(), key=len, reverse=True)[:MAX_GROUPS]
        queries = [pos[rows].mean(axis=0) for rows in biggest]
        if len(biggest) > 1:
            queries.append(pos.mean(axis=0))
        found: dict[int, None] = {}
        k = max(limit * 3, CANDIDATES_PER_QUERY // max(1, len(queries)))
        for query in queries:
            query = query / (np.linalg.norm(query) or 1.0)
            for hit in self.index.search(query, k=k, exclude=skip):
                found.setdefault(hit.pk, None)
        return np.fromiter(found, dtype=np.int64, count=len(found))


def _by_categories(positives: dict[int, list[str]], *, limit: int, skip: set[int]) -> list[Recommendation]:
    """Without embeddings: the most upvoted recent papers of the user's most frequent categories."""
    counts = Counter()
    for cats in Paper.objects.filter(pk__in=list(positives)[-MAX_POSITIVES:]).values_list("categories", flat=True):
        counts.update(cats.split()[:1])
    results: list[Recommendation] = []
    for category, count in counts.most_common(3):
        rows = (
            Paper.objects.filter(primary_category=category)
            .exclude(pk__in=skip)
            .order_by("-published_at", "-upvotes")
            .values_list("pk", flat=True)[: limit * 2]
        )
        for pk in rows:
            if pk not in skip:
                skip.add(pk)
                papers = f"{count} paper{'s' if count != 1 else ''}"
                results.append(Recommendation(pk, float(count), f"in {category}, like {papers} you keep"))
    results.sort(key=lambda r: -r.score)
    return results[:limit]


def recommend(
    *, user_id: int, limit: int = 20, candidate_ids: list[int] | None = None, with_papers: bool = True
) -> list[Recommendation]:
    """Recommendations for a user, best first, excluding every paper they keep or upvoted; ``candidate_ids``
    restricts them (e.g. a digest's period). Each has ``paper`` (shaped for a card) when ``with_papers``."""
    from dailypapers.community.selectors import card_papers
    from dailypapers.search.selectors import paper_vector_index

    positives = selectors.owned_paper_sources(user_id=user_id)
    if not positives:
        return []
    results: list[Recommendation] = []
    try:
        index = paper_vector_index()
    except Exception as exc:  # a damaged or half-written index: fall back, the page still works
        log.warning("recommendations without the vector index: %s", exc)
        index = None
    if index is not None:
        results = Recommender(index, seed=user_id).rank(positives, limit=limit * 2, candidate_ids=candidate_ids)
    if not results and candidate_ids is None:
        results = _by_categories(positives, limit=limit * 2, skip=set(positives))
    if not with_papers:
        return results[:limit]
    by_id = {p.pk: p for p in card_papers(Paper.objects.filter(pk__in=[r.paper_id for r in results]))}
    kept = []
    for rec in results:
        if rec.paper_id in by_id:  # the index may hold papers deleted since
            rec.paper = by_id[rec.paper_id]
            kept.append(rec)
    return kept[:limit]
