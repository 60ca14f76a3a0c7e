"""A PostgreSQL server for the multi-node tests: throw-away databases of their own, dropped afterwards."""

from __future__ import annotations

import contextlib
import os

import pytest

from dailypapers.core.pgcheck import postgres_answers


class PostgresServer:
    def __init__(self, url: str):
        self.url = url.replace("postgresql://", "postgres://", 1)

    def url_for(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    @contextlib.contextmanager
    def database(self, name: str):
        """A new empty database ``name``, dropped (with its connections) afterwards."""
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url_for(name)
        finally:
            with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """The PostgreSQL server of the PostgreSQL pass (DAILYPAPERS_DATABASE_URL=postgres://...; see bin/test)."""
    url = os.environ.get("DAILYPAPERS_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL pass (DAILYPAPERS_DATABASE_URL=postgres://...)")
    url = url.rsplit("/", 1)[0] + "/postgres"  # the maintenance database: new databases are made from there
    if not postgres_answers(url):
        pytest.skip(f"needs PostgreSQL (none answers at {url})")
    return PostgresServer(url)
