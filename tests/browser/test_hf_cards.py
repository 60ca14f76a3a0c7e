"""Hugging Face's fields as a person sees them, in Chromium: a real recorded week of daily papers served by
`dailypapers serve`, screenshots of the home, a paper and an organization page on a desktop and a phone screen in
test-output/screenshots/ (hf-*.png). Thumbnails point at Hugging Face's CDN, out of reach here: their placeholders
show, as they would for a visitor whose network blocks the CDN."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.support.live_hub import SCREENSHOTS, chromium_browser, hub_env, require_browser, run_cli, served_hub
from tests.support.paths import ARXIV_DATA

HF_DIR = ARXIV_DATA / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"
DAYS = ["2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23", "2025-10-24"]
PAPER = "2510.14265"  # MorphoBench, 2025-10-20: AI summary and keywords, organization ZGCA, GitHub stars
PASSWORD = "a long and Unusual passphrase 9"
SCREENS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

playwright_api = require_browser()
if not all((HF_DIR / f"{day}.json.gz").is_file() for day in DAYS):
    pytest.skip(f"recorded Hugging Face daily papers not found at {HF_DIR}", allow_module_level=True)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = hub_env(tmp_path_factory.mktemp("hf-browser-hub"))
    run_cli(env, "migrate", "-v0")
    run_cli(env, "import", "-v0", *(str(HF_DIR / f"{day}.json.gz") for day in DAYS))
    create = f"from django.contrib.auth import get_user_model; get_user_model().objects.create_user('hfreader', password={PASSWORD!r})"
    run_cli(env, "shell", "-c", create)
    with served_hub(env, workers=1, threads=4) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(params=list(SCREENS))
def page(request, browser):
    context = browser.new_context(viewport=SCREENS[request.param], device_scale_factor=1)
    page = context.new_page()
    page.screen = request.param
    yield page
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"hf-{name}-{page.screen}.png"), full_page=page.screen == "desktop")


def recorded(day: str, arxiv_id: str) -> dict:
    entries = json.loads(gzip.decompress((HF_DIR / f"{day}.json.gz").read_bytes()))
    return next(e for e in entries if e["paper"]["id"] == arxiv_id)


def test_the_home_page_shows_rich_cards_in_a_grid_or_a_compact_list(server, page):
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    cards = page.locator("ol.cards > li")
    assert cards.count() > 5
    assert page.locator(".card .keywords .chip.kw").count() > 5
    assert page.locator(".card a.org").count() > 0 and page.locator(".card .stars").count() > 0
    tops = [cards.nth(i).bounding_box()["y"] for i in range(3)]
    if page.screen == "desktop":
        assert tops[0] == tops[1] == tops[2], "three cards side by side on a 1366 px screen"
        assert page.locator(".card .thumb").first.is_visible()
    else:
        assert tops[0] < 330, f"the first paper starts at y={tops[0]} on a phone"
        assert tops[1] > tops[0]
        assert page.locator("#site-search").is_visible()
    shot(page, "home")


def test_the_paper_page_shows_the_abstract_first_and_the_labelled_ai_summary_folded(server, page):
    page.goto(f"{server}/papers/{PAPER}")
    page.wait_for_load_state("networkidle")
    shot(page, "paper")
    entry = recorded("2025-10-20", PAPER)
    summary = page.locator("details.ai-summary")
    assert summary.count() == 1 and not summary.evaluate("el => el.open")
    assert "not by the authors" in summary.locator("summary").inner_text()
    assert page.locator("#abstract-h").bounding_box()["y"] < summary.bounding_box()["y"]
    summary.locator("summary").click()
    assert entry["paper"]["ai_summary"][:40] in summary.inner_text()
    assert "Zhongguancun Academy" in page.locator(".org-line").inner_text()
    assert f"★ {entry['paper']['githubStars']}" in page.inner_text("main")
    shot(page, "paper-ai-summary-open")


def test_the_organization_page_lists_its_papers(server, page):
    page.goto(f"{server}/orgs/ZGCA")
    page.wait_for_load_state("networkidle")
    assert "Zhongguancun Academy" in page.inner_text("h1")
    assert page.locator(f"#paper-{1} , ol.cards > li").count() >= 1
    assert page.locator(f"a[href='/papers/{PAPER}']").count() >= 1
    shot(page, "org")


def test_hugging_face_addresses_land_on_our_pages(server, page):
    page.goto(server + "/papers/date/2025-10-22")
    assert page.url.endswith("/date/2025-10-22") and "22 October 2025" in page.inner_text("h1")


def test_a_reader_follows_an_organization_and_sees_an_author_linked_on_hugging_face(server, browser):
    page = browser.new_context(viewport=SCREENS["desktop"]).new_page()
    page.goto(server + "/accounts/login/")
    page.fill("input[name=username]", "hfreader")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_selector("header .me")

    page.goto(f"{server}/orgs/ZGCA")
    page.evaluate("window.__noReload = 'still here'")
    page.click(".org-tools button.follow-button")
    page.locator(".org-tools button.follow-button[aria-pressed=true]").wait_for()
    assert page.evaluate("window.__noReload") == "still here"
    page.goto(server + "/following")
    card = page.locator("ol.cards > li", has=page.locator(f'a[href="/papers/{PAPER}"]')).first
    assert "from Zhongguancun Academy" in card.locator(".reason").inner_text()

    # An author whom Hugging Face's data links to an account: the author page names the account and its status.
    claimed = next(
        (
            a
            for day in DAYS
            for e in json.loads(gzip.decompress((HF_DIR / f"{day}.json.gz").read_bytes()))
            for a in e["paper"]["authors"]
            if a.get("status") == "claimed_verified" and not a.get("hidden")
        ),
    )
    page.goto(server + f"/api/v1/authors?q={claimed['name']}")
    author_id = next(a["id"] for a in json.loads(page.inner_text("body")) if a["name"] == claimed["name"])
    page.goto(f"{server}/authors/{author_id}")
    accounts = page.locator(".hub-accounts")
    assert f"@{claimed['user']['user']}" in accounts.inner_text()
    assert "claimed by the author, verified by Hugging Face" in accounts.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "hf-author-linked-desktop.png"))
    page.context.close()
