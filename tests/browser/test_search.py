"""The search page in a real browser (Debian's Chromium via Playwright) against `dailypapers serve`.

Papers come from the real Kaggle sample; `dailypapers index` runs with the hashing stand-in embedder
(DAILYPAPERS_EMBEDDING_MODEL=test-hashing) so no model loads; the page must pass its Content-Security-Policy.
"""

from __future__ import annotations

import pytest

from tests.support.live_hub import hub_env, launch_chromium, require_browser, run_cli, served_hub
from tests.support.paths import ARXIV_DATA, REPO

KAGGLE = ARXIV_DATA / "kaggle" / "wanng-ide__arxivSpider_mnbvc" / "arxiv-metadata-oai-snapshot.head200.jsonl"

playwright_api = require_browser(data=KAGGLE, what="shared data")


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


def _shot(page, name: str) -> None:
    out = REPO / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"search-{name}.png"), full_page=True)


def test_the_search_page_has_one_box_a_heading_a_count_and_highlighted_words(server, page):
    page.goto(server + "/search?q=diphoton+production")
    assert page.locator("input[type=search]").count() == 1  # the header's box steps aside on this page
    assert page.locator("h1").inner_text() == "Search papers"
    assert "result" in page.inner_text(".search-count")
    marked = [m.lower() for m in page.locator("#search-results mark").all_inner_texts()]
    assert "diphoton" in marked and any(m.startswith("production") for m in marked)
    assert not page.locator("#search-busy").is_visible()  # the busy indicator only shows while loading
    _shot(page, "results")
    assert page.csp == []


def test_filters_are_case_insensitive_and_named_when_nothing_matches(server, page):
    page.goto(server + "/search?q=production&category=HEP-PH")
    assert page.locator("#search-results article").count() > 0
    assert "category hep-ph" in page.inner_text(".search-count")
    page.goto(server + "/search?q=diphoton&mode=keyword&category=math.AG")
    empty = page.inner_text(".search-empty")
    assert "No papers match" in empty and "category math.AG" in empty
    _shot(page, "no-match")


def test_back_restores_the_box_and_the_results_without_csp_violations(server, page):
    page.goto(server + "/search")
    page.fill("#search-q", "diphoton")
    page.wait_for_url("**q=diphoton**", timeout=15000)
    page.wait_for_selector("#search-results article", timeout=15000)
    first = page.inner_text("#search-results article h2")
    page.fill("#search-q", "quantum gravity")
    page.wait_for_url("**q=quantum**", timeout=15000)
    page.wait_for_selector("#search-results .search-count, #search-results .search-empty", timeout=15000)
    page.go_back()
    page.wait_for_url("**q=diphoton**", timeout=15000)
    page.wait_for_selector("#search-results article", timeout=15000)
    assert page.input_value("#search-q") == "diphoton"
    assert page.inner_text("#search-results article h2") == first
    page.click(".segment:has-text('Keyword')")
    page.wait_for_url("**mode=keyword**", timeout=15000)
    assert page.csp == []
