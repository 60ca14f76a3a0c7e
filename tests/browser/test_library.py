"""The personal library in a real browser (Debian's Chromium + Playwright against `dailypapers serve`): create a
collection, add papers from cards without a reload, reorder, note, make public, follow an author, see Following
and For you, export BibTeX. Screenshots go to test-output/screenshots/library-*.png. CSP violations fail the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.live_hub import SCREENSHOTS, hub_env, launch_chromium, require_browser, run_cli, served_hub
from tests.support.paths import ARXIV_DATA

KAGGLE = ARXIV_DATA / "kaggle" / "wanng-ide__arxivSpider_mnbvc" / "arxiv-metadata-oai-snapshot.head200.jsonl"
PASSWORD = "a long and Unusual passphrase 7"

playwright_api = require_browser(data=KAGGLE, what="shared data")

pytestmark = pytest.mark.slow

SETUP = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from dailypapers.core.setup import prepare_database
from dailypapers.papers.models import Paper
from dailypapers.papers.services import feature_paper
prepare_database()
call_command("import", {str(KAGGLE)!r}, verbosity=0)
for arxiv_id in ["0704.0001", "0704.0002", "0704.0004", "0704.0005", "0704.0006", "0704.0007"]:
    feature_paper(paper=Paper.objects.get(arxiv_id=arxiv_id), day=dt.date(2026, 8, 21))
get_user_model().objects.create_user("lib", password={PASSWORD!r})
call_command("index", verbosity=0)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The hashing embedder (no model to load) keeps the index build instant; recommendations use its vectors.
    env = hub_env(tmp_path_factory.mktemp("library-hub"), DAILYPAPERS_EMBEDDING_MODEL="test-hashing")
    run_cli(env, "shell", "-c", SETUP)
    with served_hub(env, workers=1, threads=4) as base:
        yield base


def test_a_reader_builds_a_library(server, tmp_path):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    csp: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True).new_page()
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)

        def shot(name: str) -> None:
            page.screenshot(path=str(SCREENSHOTS / f"library-{name}.png"), full_page=True)

        page.goto(server + "/accounts/login/")
        page.fill("input[name=username]", "lib")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.account-form button[type=submit]")
        page.wait_for_selector("header .me")

        # Create a collection.
        page.goto(server + "/library")
        page.fill("#new-name", "Quantization")
        page.fill("#new-desc", "Papers & notes")
        page.click("form.new-collection button[type=submit]")
        page.wait_for_url("**/collections/lib/quantization-*")
        collection_url = page.url

        # Add two papers from the cards of the daily page, without a reload.
        page.goto(server + "/date/2026-08-21")
        page.evaluate("window.__noReload = 'still here'")
        titles = []
        for n in (0, 1):
            card = page.locator("ol.cards > li").nth(n)
            titles.append(" ".join(card.locator(".card-title a").inner_text().split()))
            card.locator(".collections-menu summary").click()
            card.locator(".menu-body button.toggle-item", has_text="Quantization").click()
            card.locator(".menu-body button.toggle-item[aria-pressed=true]", has_text="Quantization").wait_for()
        card = page.locator("ol.cards > li").nth(2)
        card.locator("button.save-button").click()
        card.locator("button.save-button[aria-pressed=true]").wait_for()
        assert page.evaluate("window.__noReload") == "still here"
        shot("01-added-from-cards")

        # Reorder, note, make public.
        page.goto(collection_url)
        items = page.locator("#items > li.collection-item")
        assert [" ".join(items.nth(i).locator(".card-title a").inner_text().split()) for i in (0, 1)] == titles
        items.nth(0).locator("button", has_text="Down").click()
        # innerText, as Playwright's inner_text: a title's rendered math has its TeX in textContent too
        page.wait_for_function(
            "t => document.querySelector('#items > li .card-title a').innerText.replace(/\\s+/g, ' ').trim() === t",
            arg=titles[1],
        )
        items = page.locator("#items > li.collection-item")
        items.nth(0).locator(".item-note-form input[name=note]").fill("Start with section 2")
        items.nth(0).locator(".item-note-form button").click()
        page.locator("#items .item-note", has_text="Start with section 2").wait_for()
        page.click("#toggle-public")
        page.locator("h1 .chip", has_text="public").wait_for()
        shot("02-collection")

        # Export BibTeX.
        with page.expect_download() as download_info:
            page.click("a.button:text-is('BibTeX')")
        bib = Path(download_info.value.path()).read_text(encoding="utf-8")
        assert bib.count("@misc{") == 2 and "archivePrefix = {arXiv}" in bib and bib.count("eprint = {0704.") == 2

        # Follow an author, then Following.
        page.goto(server + "/papers/0704.0002")
        page.locator(".authors.full a").first.click()
        page.wait_for_url("**/authors/*")
        author = page.inner_text("h1")
        page.click(".author-tools button.follow-button")
        page.locator(".author-tools button.follow-button[aria-pressed=true]").wait_for()
        page.goto(server + "/following")
        assert f"by {author}" in page.inner_text("main")
        shot("03-following")

        # For you: recommendations with a reason, none of the kept papers.
        page.goto(server + "/for-you")
        reasons = page.locator("ol.cards > li .reason")
        assert reasons.count() > 0 and "close to" in reasons.first.inner_text()
        shown = {" ".join(t.split()) for t in page.locator("ol.cards .card-title a").all_inner_texts()}
        assert not shown & set(titles)
        shot("04-for-you")

        # A stranger sees the public collection but not the reading list.
        stranger = browser.new_context().new_page()
        stranger.goto(collection_url)
        assert "Start with section 2" in stranger.inner_text("main") and "Make private" not in stranger.inner_text(
            "main"
        )
        assert "sign in" in stranger.goto(server + "/reading-list").url.lower() or "login" in stranger.url
        browser.close()
    assert csp == [], csp


def test_a_reader_follows_a_search_and_marks_a_result_read_without_a_reload(server):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    csp: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(server + "/accounts/login/")
        page.fill("input[name=username]", "lib")
        page.fill("input[name=password]", PASSWORD)
        page.click("form.account-form button[type=submit]")
        page.wait_for_selector("header .me")

        # Type a query: the results and their "Follow" button come as one types; following does not reload.
        page.goto(server + "/search")
        page.evaluate("window.__noReload = 'still here'")
        page.fill("#search-q", "quantum  chromodynamics")
        follow = page.locator(".search-follow button.follow-button")
        follow.wait_for()
        assert follow.get_attribute("aria-pressed") == "false" and "quantum chromodynamics" in follow.inner_text()
        follow.click()
        page.locator(".search-follow button.follow-button[aria-pressed=true]").wait_for()
        assert "Following" in page.locator(".search-follow button").inner_text()

        # Save the first result for later, then mark it read, each swapped in place.
        card = page.locator("#search-results article.card").first
        if card.locator("button.save-button").get_attribute("aria-pressed") != "true":  # (saved by the test above?)
            card.locator("button.save-button").click()
            card.locator("button.save-button[aria-pressed=true]").wait_for()
        card.locator("button.read-button").click()
        card.locator("button.read-button[aria-pressed=true]").wait_for()
        assert "mark as unread" in card.locator("button.read-button").inner_text()
        assert page.evaluate("window.__noReload") == "still here"
        page.screenshot(path=str(SCREENSHOTS / "library-05-search-followed.png"), full_page=False)

        # Back on the page later: the search shows as followed, and it is on the Following page.
        page.goto(server + "/search?q=quantum+chromodynamics")
        page.locator(".search-follow button.follow-button[aria-pressed=true]").wait_for()
        page.goto(server + "/following")
        assert "matches “quantum chromodynamics”" in page.inner_text("main")
        browser.close()
    assert csp == [], csp
