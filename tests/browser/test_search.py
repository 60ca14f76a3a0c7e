"""The search page in a real browser (Debian's Chromium via Playwright) against `dailypapers serve`.

Papers come from the real Kaggle sample; `dailypapers index` runs with the hashing stand-in embedder
(DAILYPAPERS_EMBEDDING_MODEL=test-hashing) so no model loads; the page must pass its Content-Security-Policy.
"""

from __future__ import annotations

import os

import pytest

from tests.support.live_hub import CHROMIUM, hub_env, launch_chromium, run_cli, served_hub
from tests.support.paths import ARXIV_DATA

KAGGLE = ARXIV_DATA / "kaggle" / "wanng-ide__arxivSpider_mnbvc" / "arxiv-metadata-oai-snapshot.head200.jsonl"

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
)
if not os.path.exists(CHROMIUM):
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)", allow_module_level=True)
if not KAGGLE.is_file():
    pytest.skip(f"shared data not found at {KAGGLE}", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = hub_env(tmp_path_factory.mktemp("search-hub"), DAILYPAPERS_EMBEDDING_MODEL="test-hashing")
    run_cli(env, "migrate", "-v", "0")
    run_cli(env, "import", str(KAGGLE), "-v", "0")
    run_cli(env, "index", "--no-progress")
    with served_hub(env, ready_path="/search", workers=1, threads=2) as base:
        yield base


@pytest.fixture(scope="module")
def page(server):
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
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
