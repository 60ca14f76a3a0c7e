"""A real `dailypapers serve` for tests: CLI runs in a temp data folder, the server on a free loopback port, and
Debian's Chromium for browser tests. Shared by the browser, search-page and live API tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support.paths import REPO

CHROMIUM = os.environ.get("DAILYPAPERS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

SCREENSHOTS = REPO / "test-output" / "screenshots"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a hub in ``data_dir`` on its own SQLite file, without a background worker."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DAILYPAPERS_")}
    env.update(PYTHONPATH=str(REPO), DJANGO_SETTINGS_MODULE="dailypapers.settings", DAILYPAPERS_DATA_DIR=str(data_dir))
    env["DAILYPAPERS_SERVE_WORKER"] = "0"
    env.update(settings)
    return env


def run_cli(env: dict[str, str], *args: str) -> str:
    """Run ``dailypapers ARGS`` and return its output; a failure shows what the command printed."""
    done = subprocess.run(
        [sys.executable, "-m", "dailypapers", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"dailypapers {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextlib.contextmanager
def served_hub(env: dict[str, str], *, ready_path: str = "/", workers: int = 2, threads: int = 2):
    """Yield the base URL of `dailypapers serve` once ``ready_path`` answers; stop the server afterwards."""
    port = free_port()
    log_path = Path(env["DAILYPAPERS_DATA_DIR"]) / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dailypapers",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(base + ready_path, timeout=2).read()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the server did not start:\n" + log_path.read_text()[-3000:]) from None
                    time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def require_browser(*, data: Path | None = None, what: str = "shared data"):
    """Skip the calling test module unless Playwright, Debian's Chromium and ``data`` (when given) are there; return
    Playwright's sync API. Call it at module level."""
    import pytest

    api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
    if data is not None and not data.exists():
        pytest.skip(f"{what} not found at {data}", allow_module_level=True)
    return api


@contextlib.contextmanager
def chromium_browser():
    """Debian's Chromium through Playwright, closed afterwards; screenshots go to SCREENSHOTS."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = launch_chromium(p)
        try:
            yield chromium
        finally:
            chromium.close()
