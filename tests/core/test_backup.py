"""`dailypapers backup PATH`: a complete, consistent SQLite copy while the hub runs; the pg_dump line on PostgreSQL;
nothing half-written on a refusal."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.support.live_hub import hub_env, run_cli
from tests.support.paths import REPO


def test_it_copies_the_live_sqlite_database_and_refuses_to_overwrite(tmp_path):
    env = hub_env(tmp_path / "data", DAILYPAPERS_EMBEDDING_MODEL="test-hashing", DAILYPAPERS_WORKER_JOBS="digests")
    run_cli(env, "worker")  # creates the database and records a job run
    out = run_cli(env, "backup", str(tmp_path / "copy.sqlite3"))
    assert "backed up the database to" in out
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT job FROM core_jobrun").fetchall() == [("digests",)]
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    again = subprocess.run(
        [sys.executable, "-m", "dailypapers", "backup", str(tmp_path / "copy.sqlite3")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 1 and "exists already (use --force" in again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3", "data"]  # no partial file left


def test_on_postgresql_it_prints_the_pg_dump_to_run():
    from dailypapers.core.backup import pg_dump_command

    database = {"NAME": "hub", "HOST": "db.internal", "PORT": 5433, "USER": "papers"}
    assert pg_dump_command(target="/backups/hub.dump", database=database) == (
        "pg_dump --format=custom --no-owner --file=/backups/hub.dump --host=db.internal --port=5433 --username=papers hub"
    )
