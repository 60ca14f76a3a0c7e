"""bin/test runs the PostgreSQL pass when a server answers at DAILYPAPERS_TEST_POSTGRES_URL. A database name that
does not exist yet (the tests create test_<name> themselves) used to count as "no server", skipping the pass."""

from __future__ import annotations

import os

import pytest

from dailypapers.core.pgcheck import postgres_answers

SERVER = os.environ.get("DAILYPAPERS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test").rsplit("/", 1)[0]


def test_a_server_answers_even_when_the_named_database_does_not_exist_yet():
    if not postgres_answers(SERVER + "/postgres"):
        pytest.skip(f"no PostgreSQL server answers at {SERVER}")
    assert postgres_answers(SERVER + "/dailypapers_no_such_database_yet")
    assert postgres_answers(SERVER + "/dailypapers_no_such_database_yet?connect_timeout=3")


def test_nothing_listening_is_no_server():
    assert not postgres_answers("postgres://postgres@127.0.0.1:1/test")
