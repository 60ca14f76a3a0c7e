"""One secret key for a cluster on PostgreSQL: the first node's key is stored in the database and every other node
copies it into its data folder at start; DAILYPAPERS_SECRET_KEY, when set, is the key and nothing is stored."""

from __future__ import annotations

import uuid

import pytest

from dailypapers.core.secret import SecretUnavailable, sync_cluster_secret

pytestmark = pytest.mark.postgres


def test_the_first_nodes_key_becomes_every_nodes_key(tmp_path, postgres_server, monkeypatch):
    with postgres_server.database(f"dailypapers_secret_{uuid.uuid4().hex[:8]}") as url:
        monkeypatch.setenv("DAILYPAPERS_DATABASE_URL", url)
        monkeypatch.delenv("DAILYPAPERS_SECRET_KEY", raising=False)
        first, second = tmp_path / "a", tmp_path / "b"
        first.mkdir()
        second.mkdir()
        (first / "secret_key").write_text("the key node A had on its own")
        (second / "secret_key").write_text("the key node B had on its own")
        assert sync_cluster_secret(first) == "the key node A had on its own"
        assert sync_cluster_secret(second) == "the key node A had on its own"
        assert (second / "secret_key").read_text() == "the key node A had on its own"
        monkeypatch.setenv("DAILYPAPERS_SECRET_KEY", "managed by the operator")
        assert sync_cluster_secret(second) is None  # the operator's key wins; nothing read or stored


def test_an_unreachable_database_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.setenv("DAILYPAPERS_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
    monkeypatch.delenv("DAILYPAPERS_SECRET_KEY", raising=False)
    with pytest.raises(SecretUnavailable, match="set DAILYPAPERS_SECRET_KEY to the same long random value on every"):
        sync_cluster_secret(tmp_path)
