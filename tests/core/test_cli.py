"""The `dailypapers` command for people: our commands first in --help, our version, an offline start that says so
in one line, and a truncated download that says it ends early."""

from __future__ import annotations

import gzip
import subprocess
import sys

from dailypapers import __version__
from tests.support.live_hub import hub_env, run_cli
from tests.support.paths import REPO


def dailypapers(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dailypapers", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_help_lists_our_commands_first_with_a_line_each_then_djangos(tmp_path):
    out = run_cli(hub_env(tmp_path), "--help")
    ours, _, django_s = out.partition("Django's management commands")
    for command in ("serve", "import", "index", "search", "worker", "digests", "check", "backup"):
        line = next(line for line in ours.splitlines() if line.strip().startswith(command + " "))
        assert len(line.split(maxsplit=1)[1]) > 20, line  # a description
    assert "startapp" in django_s and "startapp" not in ours
    assert "migrate" in django_s


def test_version_is_ours(tmp_path):
    assert run_cli(hub_env(tmp_path), "--version").strip() == f"dailypapers {__version__}"


def test_an_offline_fetch_job_is_one_warning_and_no_traceback(tmp_path):
    env = hub_env(tmp_path / "data", DAILYPAPERS_WORKER_JOBS="fetch", DAILYPAPERS_ARXIV_RSS_URL="http://arxiv.invalid")
    done = dailypapers(env, "worker")
    assert done.returncode == 0 and "fetch: skipped" in done.stdout
    assert "Traceback" not in done.stderr and "retrying" not in done.stderr
    assert "is this machine offline?" in done.stderr


def test_a_truncated_gzip_download_says_the_input_ends_early(tmp_path):
    whole = gzip.compress(b'[{"paper": {"id": "2401.00001", "title": "x"}}' + b" " * 200_000 + b"]")
    (tmp_path / "2024-01-02.json.gz").write_bytes(whole[: len(whole) // 2])
    done = dailypapers(hub_env(tmp_path / "data"), "import", str(tmp_path / "2024-01-02.json.gz"))
    assert "input ends early" in done.stdout, done.stdout + done.stderr
    assert "not a JSON list" not in done.stdout
