"""`dailypapers serve` runs the worker beside the web server by default, and stops it when it stops."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.support.live_hub import free_port
from tests.support.paths import REPO


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_serve_runs_the_scheduled_jobs_in_a_worker_process_and_stops_it(tmp_path):
    port = free_port()
    touched = tmp_path / "touched"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYPAPERS_")}
    env.update(
        PYTHONPATH=str(REPO),
        DAILYPAPERS_DATA_DIR=str(tmp_path),
        DAILYPAPERS_SECRET_KEY="serve-test",
        DAILYPAPERS_SERVE_WORKER="1",
        DAILYPAPERS_WORKER_JOBS="",
        DAILYPAPERS_WORKER_POLL_SECONDS="0.2",
        DAILYPAPERS_WORKER_EXTRA_JOBS="touch=tests.core.worker_jobs:touch_file@3600",
        WORKER_TEST_TOUCH_FILE=str(touched),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "dailypapers", "serve", "--port", str(port), "--workers", "1", "--threads", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(touched.exists, 90), "the worker never ran its job"
        worker_pid = int(touched.read_text())
        assert worker_pid != server.pid and _alive(worker_pid)
        assert _wait_for(lambda: _page_answers(port), 60)
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    assert "Running the scheduled jobs in a worker process" in output
    assert _wait_for(lambda: not _alive(worker_pid), 30), "the worker outlived the server"


def _page_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/digests/subscribe", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_defaults_to_one_sync_worker_per_core_and_threads_on_request(monkeypatch):
    from dailypapers.core.management.commands.serve import Command, gunicorn_config

    monkeypatch.delenv("DAILYPAPERS_WEB_WORKERS", raising=False)
    monkeypatch.delenv("DAILYPAPERS_WEB_THREADS", raising=False)
    parser = Command().create_parser("dailypapers", "serve")
    options = vars(parser.parse_args([]))
    assert (options["workers"], options["threads"]) == (None, 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    config = gunicorn_config(host="127.0.0.1", port=8000, workers=options["workers"], threads=options["threads"])
    assert (config["workers"], config["worker_class"], config["bind"]) == (8, "sync", "127.0.0.1:8000")
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert gunicorn_config(host="h", port=1, workers=None, threads=1)["workers"] == 2  # never a single process
    threaded = gunicorn_config(host="h", port=1, workers=3, threads=4)
    assert (threaded["workers"], threaded["threads"], threaded["worker_class"]) == (3, 4, "gthread")
