"""/healthz, /readyz (database, migrations, search index and model), /metrics (off, or behind a bearer token),
/favicon.ico."""

from __future__ import annotations

import pytest

from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS


@pytest.fixture
def index_dir(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    yield settings.INDEX_DIR
    set_embedder(None)
    store.forget_snapshot()


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"


@pytest.mark.django_db
def test_readyz_says_what_is_missing_until_the_index_matches_the_model(client, index_dir, settings):
    response = client.get("/readyz")
    assert response.status_code == 503 and "no search index on this node yet" in response.content.decode()
    add_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    assert client.get("/readyz").status_code == 200
    set_embedder(HashingEmbedder(name="test-other"))  # another model configured than the one the index was built with
    response = client.get("/readyz")
    assert response.status_code == 503 and "index --rebuild" in response.content.decode()


@pytest.mark.django_db
def test_metrics_are_off_by_default_and_need_the_token(client, settings, index_dir):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    add_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    client.get("/api/v1/search?q=diffusion&mode=keyword")
    client.get("/healthz")
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'dailypapers_http_requests_total{method="GET",route="web:healthz",status="200"}' in text
    assert 'dailypapers_search_seconds_count{mode="keyword"}' in text
    assert "dailypapers_index_lag_seconds{node=" in text


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
