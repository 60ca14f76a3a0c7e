"""Every command works on a brand-new data folder: the database is created and migrated first (once, under a lock,
even when several commands or nodes start together), and a database that cannot be reached is one sentence."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from tests.support.live_hub import hub_env, run_cli
from tests.support.paths import REPO, SHARED_DATA

KAGGLE = sorted((SHARED_DATA / "arxiv" / "kaggle").glob("*/arxiv-metadata-oai-snapshot.head200.jsonl"))


def fresh_env(tmp_path, **settings):
    return hub_env(
        tmp_path / "data",
        DAILYPAPERS_EMBEDDING_MODEL="test-hashing",
        DAILYPAPERS_WORKER_JOBS="index,digests",
        DAILYPAPERS_LOG_LEVEL="WARNING",
        **settings,
    )


def test_import_on_a_fresh_data_dir_creates_the_database_first(tmp_path):
    if not KAGGLE:
        pytest.skip(f"the Kaggle sample is not under {SHARED_DATA / 'arxiv' / 'kaggle'}")
    out = run_cli(fresh_env(tmp_path), "import", str(KAGGLE[0]))
    assert "created 200" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("index",), "rebuilt generation"),
        (("search", "diffusion"), "has not been built yet"),
        (("digests", "send"), "planned 0, sent 0"),
        (("worker",), "digests: ok"),
        (("worker", "--status"), "no job has run yet"),
    ],
)
def test_each_command_works_on_a_fresh_data_dir(tmp_path, args, expected):
    done = subprocess.run(
        [sys.executable, "-m", "dailypapers", *args],
        cwd=REPO,
        env=fresh_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_commands_started_together_on_a_fresh_data_dir_all_succeed(tmp_path):
    env = fresh_env(tmp_path)
    command = [sys.executable, "-m", "dailypapers", "worker", "--status"]
    runs = [
        subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], results
    assert all("no job has run yet" in out for out, _ in results)


def test_an_unreachable_database_is_one_sentence_without_a_traceback(tmp_path):
    env = fresh_env(tmp_path, DAILYPAPERS_DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    done = subprocess.run(
        [sys.executable, "-m", "dailypapers", "index"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("dailypapers: cannot") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.postgres
def test_two_commands_started_together_on_a_fresh_postgresql_database_both_succeed(tmp_path, postgres_server):
    name = f"dailypapers_fresh_{uuid.uuid4().hex[:8]}"
    with postgres_server.database(name) as url:
        env = fresh_env(tmp_path, DAILYPAPERS_DATABASE_URL=url)
        command = [sys.executable, "-m", "dailypapers", "worker", "--status"]
        runs = [
            subprocess.Popen(
                command,
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [run.communicate(timeout=300) for run in runs]
        assert [run.returncode for run in runs] == [0, 0], results
        assert "no job has run yet" in run_cli(env, "worker", "--status")
