"""API response cache coherence: a search answered after an index sync, or a listing answered after an import,
reflects it, with no wait for the cached entries to expire."""

from __future__ import annotations

import datetime as dt

import pytest

from dailypapers.api import caching
from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS

pytestmark = pytest.mark.django_db

NEW = {
    "arxiv_id": "2401.00009",
    "title": "Diffusion transformers for video",
    "abstract": "Diffusion of frames.",
    "published": dt.datetime(2024, 1, 12, tzinfo=dt.UTC),
}


@pytest.fixture(autouse=True)
def hub(settings, tmp_path, fresh_cache, monkeypatch):
    settings.INDEX_DIR = tmp_path / "indexes"
    settings.API_CACHE_SECONDS = 3600  # long: only the keys can make a new answer appear
    monkeypatch.setattr(caching, "_GEN_REREAD_SECONDS", 0.0)  # the once-a-second re-read, without waiting
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    yield
    set_embedder(None)
    store.forget_snapshot()


def search_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Cache"], [hit["paper"]["id"] for hit in response.json()["hits"]]


def test_a_search_answered_after_an_index_sync_reflects_it(client):
    add_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    url = "/api/v1/search?q=diffusion&mode=keyword"
    assert search_ids(client, url) == ("miss", ["2401.00002"])
    assert search_ids(client, url) == ("hit", ["2401.00002"])
    add_papers([NEW])  # its cache-dropping commit hook does not run inside the test's transaction: only the sync
    assert search_ids(client, url) == ("hit", ["2401.00002"])
    sync_indexes(progress=False)
    state, found = search_ids(client, url)
    assert state == "miss" and sorted(found) == ["2401.00002", "2401.00009"]


def test_an_import_drops_cached_listings(client, django_capture_on_commit_callbacks):
    add_papers(SMALL_CORPUS)
    url = "/api/v1/papers/2401.00009"
    assert client.get(url).status_code == 404
    first = client.get("/api/v1/search?q=Diffusion+transformers+for+video")  # no index: title matches
    assert first["X-Cache"] == "miss"
    assert client.get("/api/v1/search?q=Diffusion+transformers+for+video")["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        add_papers([NEW])
    again = client.get("/api/v1/search?q=Diffusion+transformers+for+video")
    assert again["X-Cache"] == "miss"
    assert "2401.00009" in [hit["paper"]["id"] for hit in again.json()["hits"]]
