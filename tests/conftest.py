"""Shared fixtures: the shared real data (skips when it is absent), the test database, caches, the arXiv replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.arxiv_replay import replay_server
from tests.support.paths import ARXIV_DATA, SHARED_DATA


@pytest.fixture
def arxiv_data() -> Path:
    if not ARXIV_DATA.is_dir():
        pytest.skip(f"shared arXiv data not found at {ARXIV_DATA} (it lies beside the repository)")
    return ARXIV_DATA


@pytest.fixture
def seed_papers_path() -> Path:
    path = SHARED_DATA / "seed" / "papers.jsonl"
    if not path.is_file():
        pytest.skip(f"seed papers not found at {path}")
    return path


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, tmp_path_factory):
    """SQLite tests use a database file of their own: tests of concurrent votes use threads, each with its own
    connection, and a file waits on busy_timeout like the real database, where a shared in-memory database would
    fail with "table is locked"."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("sqlite") / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database also gets the shared cache table (rate limits, caches), as `dailypapers serve` creates it."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def fresh_cache():
    """An empty shared cache and API response cache, so rate limits and cached pages of other tests do not leak in."""
    from django.core.cache import cache

    from dailypapers.api import caching

    cache.clear()
    caching.forget_local()
    yield
    cache.clear()
    caching.forget_local()


@pytest.fixture
def replay(arxiv_data, settings):
    """A local server replaying recorded arXiv responses, with the hub's arXiv settings pointed at it."""
    with replay_server(arxiv_data, settings) as state:
        yield state
