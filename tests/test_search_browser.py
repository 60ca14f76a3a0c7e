"""The search page in a real browser (Debian's Chromium via Playwright) against `dailypapers serve`.

Papers come from the real Kaggle sample; `dailypapers index` runs with the hashing stand-in embedder
(DAILYPAPERS_EMBEDDING_MODEL=test-hashing) so no model loads; the page must pass its Content-Security-Policy.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ARXIV_DATA, REPO

CHROMIUM = os.environ.get("DAILYPAPERS_CHROMIUM", "/usr/bin/chromium")
KAGGLE = ARXIV_DATA / "kaggle" / "wanng-ide__arxivSpider_mnbvc" / "arxiv-metadata-oai-snapshot.head200.jsonl"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
if not KAGGLE.is_file():
    pytest.skip(f"shared data not found at {KAGGLE}", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("search-hub")
    env = {**os.environ, "PYTHONPATH": str(REPO), "DAILYPAPERS_DATA_DIR": str(data_dir),
           "DAILYPAPERS_EMBEDDING_MODEL": "test-hashing", "DJANGO_SETTINGS_MODULE": "dailypapers.settings"}  # fmt: skip
    env.pop("DAILYPAPERS_DATABASE_URL", None)
    run = [sys.executable, "-m", "dailypapers"]
    subprocess.run(run + ["migrate", "-v", "0"], cwd=REPO, env=env, check=True, timeout=300)
    subprocess.run(run + ["import", str(KAGGLE), "-v", "0"], cwd=REPO, env=env, check=True, timeout=300)
    subprocess.run(run + ["index", "--no-progress"], cwd=REPO, env=env, check=True, timeout=300)
    port = _free_port()
    log = open(data_dir / "serve.log", "wb")
    process = subprocess.Popen(run + ["serve", "--port", str(port), "--workers", "1", "--threads", "2"],
                               cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/search", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the server did not start:\n" + (data_dir / "serve.log").read_text()[-3000:])
            time.sleep(0.3)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )  # fmt: skip
        page = browser.new_page()
        page.csp = []
        page.on("console", lambda m: "Content Security Policy" in m.text and page.csp.append(m.text))
        yield page
        browser.close()


def test_results_update_as_you_type_and_the_url_follows(server, page):
    page.goto(server + "/search")
    page.evaluate("window.__not_reloaded = true")
    page.fill("#search-q", "diphoton production")
    page.wait_for_selector("#search-results article", timeout=15000)
    assert "diphoton" in page.inner_text("#search-results").lower()
    page.wait_for_function("location.search.includes('q=diphoton')", timeout=5000)
    assert page.evaluate("window.__not_reloaded") is True  # swapped in place, no page load
    page.fill("#search-q", "?!?")
    page.wait_for_selector(".search-error", timeout=15000)
    assert page.csp == []


def test_an_arxiv_id_goes_to_the_paper(server, page):
    page.goto(server + "/search?q=arXiv:0704.0001")
    assert page.url.endswith("/papers/0704.0001")
    page.goto(server + "/search")
    page.fill("#search-q", "https://arxiv.org/abs/0704.0002v1")
    page.wait_for_url("**/papers/0704.0002", timeout=15000)
