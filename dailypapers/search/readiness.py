"""Is this node's search index ready to serve? (for /readyz and `dailypapers check`)"""

from __future__ import annotations

from dailypapers.search import store


def index_problem() -> str | None:
    """None when this node's live index exists and matches the configured model; else a sentence."""
    current = store.current_generation()
    if current is None:
        return f"no search index on this node yet (in {store.index_dir()}): run `dailypapers index`"
    from dailypapers.search.embeddings import get_embedder

    return store.mismatch(store.read_manifest(current), store.expected_identity(get_embedder()))
