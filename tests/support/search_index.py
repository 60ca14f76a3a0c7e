"""A search index built for a test: papers imported, indexes synced into the test's folder, a model-free embedder."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from dailypapers.core.testing import import_papers
from dailypapers.search import store
from dailypapers.search.embeddings import Embedder, HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes


@contextlib.contextmanager
def indexed_papers(settings, tmp_path, papers: Iterable[dict], *, embedder: Embedder | None = None) -> Iterator[None]:
    """Import ``papers``, sync the indexes under ``tmp_path`` with ``embedder`` (hashed words by default), and put
    the configured embedder and a fresh snapshot back afterwards."""
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(embedder or HashingEmbedder())
    store.forget_snapshot()
    try:
        import_papers(papers)
        sync_indexes(progress=False)
        yield
    finally:
        set_embedder(None)
        store.forget_snapshot()
