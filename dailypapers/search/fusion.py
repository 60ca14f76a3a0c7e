"""Fusing ranked lists (pure functions, no I/O): weighted reciprocal rank fusion plus a normalized-score blend.

Each input is a list of ``(key, score)`` best first. RRF alone throws away how far apart the scores are; the blend
keeps it: a paper that is far ahead in one ranking (an exact phrase, a near-duplicate meaning) stays ahead.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
Ranked = Sequence[tuple[K, float]]


def rrf(rankings: Sequence[Ranked[K]], *, weights: Sequence[float] | None = None, k: float = 60.0) -> dict[K, float]:
    """Weighted reciprocal rank fusion: sum over rankings of weight / (k + rank), rank starting at 1."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=False):
        for rank, (key, _score) in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


def normalized(ranking: Ranked[K], *, depth: int | None = None) -> dict[K, float]:
    """Scores mapped to [0, 1] by the best score and the score at ``depth`` (or the last one): 1 = best."""
    if not ranking:
        return {}
    scores = [score for _, score in ranking]
    top = scores[0]
    floor = scores[min(len(scores), depth or len(scores)) - 1]
    span = top - floor
    if span <= 1e-12:
        return {key: 1.0 for key, _ in ranking}
    return {key: max(0.0, (score - floor) / span) for key, score in ranking}


def fuse(
    rankings: Sequence[Ranked[K]],
    *,
    weights: Sequence[float] | None = None,
    k: float = 60.0,
    blend: float = 0.0,
    depth: int | None = None,
) -> list[tuple[K, float]]:
    """One ranking from several: weighted RRF, plus ``blend`` times the weighted normalized scores.

    The RRF part is scaled so both parts weigh alike (its best possible value becomes 1).
    """
    weights = list(weights or [1.0] * len(rankings))
    total_weight = sum(weights) or 1.0
    fused = rrf(rankings, weights=weights, k=k)
    scale = (k + 1) / total_weight
    combined = {key: value * scale * (1.0 - blend) for key, value in fused.items()}
    if blend:
        for ranking, weight in zip(rankings, weights, strict=False):
            for key, value in normalized(ranking, depth=depth).items():
                combined[key] = combined.get(key, 0.0) + blend * weight / total_weight * value
    return sorted(combined.items(), key=lambda item: (-item[1], str(item[0])))
