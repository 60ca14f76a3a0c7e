"""Break 10 of the security review: garbage in the search index files (tantivy segments, the FAISS codes, the
manifest) gave 500. Through the full request stack: the search page and the API fall back exactly as without an
index (title matches, with the notice), the problem is logged, and `dailypapers index --rebuild` repairs it."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command

from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS

pytestmark = pytest.mark.django_db
NOTICE = "The search index has not been built yet"


@pytest.fixture
def index_root(settings, tmp_path, fresh_cache):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    add_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    yield settings.INDEX_DIR
    set_embedder(None)
    store.forget_snapshot()


def _garbage(root, pattern: str) -> None:
    files = [p for p in root.glob(f"gen-*/{pattern}") if p.is_file()]
    assert files, pattern
    for path in files:
        path.write_bytes(b"\x00garbage\xff" * 40)


def _text(html: str) -> str:
    """The page without the marks that highlight matched words."""
    return html.replace("<mark>", "").replace("</mark>", "")


@pytest.mark.parametrize(
    "pattern", ["keywords/*.term", "keywords/*.*", "vectors/seg-*/codes.npy", "vectors/*/*.npy", "manifest.json"]
)
def test_a_corrupt_index_falls_back_to_title_search_and_rebuild_repairs_it(client, index_root, caplog, pattern):
    assert NOTICE not in client.get("/search", {"q": "quantizing language models"}).content.decode()
    _garbage(index_root, pattern)
    store.forget_snapshot()  # a worker that starts now (or the first search after the files changed)
    with caplog.at_level(logging.ERROR):
        page = client.get("/search", {"q": "quantizing"})
        api = client.get("/api/v1/search", {"q": "quantizing"})
    assert page.status_code == 200 and NOTICE in page.content.decode()
    assert "Quantizing large language models" in _text(page.content.decode())
    assert api.status_code == 200 and "2401.00001" in api.content.decode()
    assert "index --rebuild" in caplog.text
    assert client.get("/papers/2401.00001").status_code == 200  # similar papers: none, no 500

    call_command("index", "--rebuild", "--no-progress")
    store.forget_snapshot()
    page = _text(client.get("/search", {"q": "quantizing language models"}).content.decode())
    assert NOTICE not in page and "Quantizing large language models" in page
