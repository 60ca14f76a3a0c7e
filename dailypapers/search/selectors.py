"""Reads of the search app's stored data for other apps (e.g. the digests' "you may like")."""

from __future__ import annotations

import numpy as np

from dailypapers.core.db import in_chunks
from dailypapers.search.embeddings import get_embedder
from dailypapers.search.models import PaperEmbedding


def stored_embeddings(*, paper_ids: list[int]) -> dict[int, np.ndarray]:
    """Unit-length float32 embeddings by the configured model, for those of these papers that have one stored."""
    name = get_embedder().name
    out: dict[int, np.ndarray] = {}
    for chunk in in_chunks(paper_ids):
        rows = PaperEmbedding.objects.filter(model=name, paper_id__in=chunk)
        for paper_id, raw in rows.values_list("paper_id", "vector"):
            vector = np.frombuffer(bytes(raw), dtype="<f2").astype(np.float32)
            out[paper_id] = vector / (np.linalg.norm(vector) or 1.0)
    return out


def paper_vector_index():
    """The live vector index (see vectors.VectorIndex: vectors_for, search, scores_for), or None before the first
    `dailypapers index`. Paper vectors of one index all come from one model, whatever the configured one."""
    from dailypapers.search import store

    snapshot = store.open_snapshot()
    return snapshot.vector_index() if snapshot is not None else None
