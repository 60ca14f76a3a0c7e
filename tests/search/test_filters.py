"""Filters inside the retrievers (not applied to a global top-N) and the score floor for queries matching nothing."""

import datetime as dt

import numpy as np
import pytest

from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import services, store, vectors
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.services import search_papers
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS
from tests.support.search_index import indexed_papers

pytestmark = pytest.mark.django_db

CROWD = 2100  # more near-duplicates of the query than the old post-filter checked (the top 2,000)
TARGET = "2402.09999"


@pytest.fixture
def crowded(settings, tmp_path):
    """Many papers closer to the query than the one paper in math.AP, which shares only one query word."""
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder(dim=256))
    store.forget_snapshot()
    rows = [
        {
            "arxiv_id": f"2402.{i:05d}",
            "title": f"Sparse attention kernels variant{i}",
            "abstract": "Sparse attention kernels for long context transformers.",
            "categories": ["cs.LG"],
        }
        for i in range(CROWD)
    ]
    rows.append(
        {
            "arxiv_id": TARGET,
            "title": "Elliptic regularity estimates",
            "categories": ["math.AP"],
            "abstract": "Attention to boundary terms yields regularity of weak solutions.",
            "authors": ["Ada Lovelace"],
            "published": dt.datetime(2022, 5, 5, tzinfo=dt.UTC),
        }
    )
    add_papers(rows)
    sync_indexes(progress=False)
    yield store.open_snapshot()
    set_embedder(None)
    store.forget_snapshot()


def test_a_filtered_semantic_search_finds_a_paper_outside_the_global_candidates(crowded):
    query = "sparse attention kernels long context"
    vector = services.embed_query(query, snapshot=crowded)
    unfiltered = crowded.vector_index().search(vector, k=2000, candidates=2000)
    target_pk = search_papers(query=TARGET).redirect.pk
    assert target_pk not in {hit.pk for hit in unfiltered}  # what filtering the global top-N would miss
    for filters in ({"category": "math.AP"}, {"author": "Ada Lovelace"}, {"published_to": dt.date(2023, 1, 1)}):
        results = search_papers(query=query, mode="semantic", **filters)
        assert [hit.paper.arxiv_id for hit in results.hits] == [TARGET], filters
        hybrid = search_papers(query=query, mode="hybrid", **filters)
        assert [hit.paper.arxiv_id for hit in hybrid.hits] == [TARGET], filters


def test_a_broad_filter_goes_through_the_faiss_selector_and_keeps_only_allowed_papers(crowded, monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_LIMIT", 10)
    index = crowded.vector_index()
    vector = services.embed_query("sparse attention kernels long context", snapshot=crowded)
    allowed = np.sort(index.pks)[::3]
    hits = index.search(vector, k=50, candidates=100, allowed=allowed)
    assert len(hits) == 50
    assert {hit.pk for hit in hits} <= set(allowed.tolist())
    exact = index.search(vector, k=50, candidates=len(index), allowed=allowed)  # every allowed paper scored
    assert [round(hit.score, 5) for hit in hits[:10]] == [round(hit.score, 5) for hit in exact[:10]]  # ties abound


def test_a_filter_nothing_passes_gives_no_results(crowded):
    for mode in ("hybrid", "semantic", "keyword"):
        assert search_papers(query="sparse attention", mode=mode, category="q-fin.TR").total == 0


@pytest.fixture
def small(settings, tmp_path):
    # 4,096 dimensions: wide enough that no word of the nonsense query collides with a real one
    with indexed_papers(settings, tmp_path, SMALL_CORPUS, embedder=HashingEmbedder(dim=4096)):
        yield


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "keyword"])
def test_a_query_with_nothing_relevant_returns_no_results(small, mode):
    results = search_papers(query="zzqxv nonexistentterm", mode=mode)
    assert results.error is None
    assert results.total == 0 and results.hits == []
    assert search_papers(query="molecules", mode=mode).total >= 1  # a real word still finds its paper


def test_the_floor_is_a_setting(small, settings, monkeypatch):
    monkeypatch.setattr(HashingEmbedder, "semantic_floor", None)
    settings.SEARCH_SEMANTIC_FLOOR = 1.01  # above any cosine: only shared words make results
    assert search_papers(query="pictures fidelity", mode="semantic").total == 0
    assert search_papers(query="pictures fidelity", mode="hybrid").total == 1
    settings.SEARCH_SEMANTIC_FLOOR = -1.0  # no floor: every paper is someone's nearest
    assert search_papers(query="zzqxv nonexistentterm", mode="semantic").total == len(SMALL_CORPUS)


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "keyword"])
def test_the_category_filter_ignores_letter_case(small, mode):
    for spelled in ("cs.CV", "cs.cv", "CS.CV", " cs.Cv "):
        results = search_papers(query="models pictures", mode=mode, category=spelled)
        assert [hit.paper.arxiv_id for hit in results.hits] == ["2401.00002"], spelled
    assert search_papers(query="models", mode=mode, category="cs").total == 0  # a whole category, not a prefix
