"""What a person does, in a real browser: Debian's Chromium driven by Playwright against `dailypapers serve`.

One server (a subprocess on a free port, temp data dir, papers imported from a real Kaggle snapshot file) and one
browser for the whole module. Screenshots go to test-output/screenshots/ for a reviewer to look at. The pages must
pass their Content-Security-Policy: any CSP violation reported by the browser fails the test that caused it.
"""

from __future__ import annotations

import pytest

from tests.support.live_hub import (
    SCREENSHOTS,
    chromium_browser,
    hub_env,
    require_browser,
    run_cli,
    served_hub,
)
from tests.support.paths import ARXIV_DATA

KAGGLE = ARXIV_DATA / "kaggle" / "wanng-ide__arxivSpider_mnbvc" / "arxiv-metadata-oai-snapshot.head200.jsonl"
PASSWORD = "a long and Unusual passphrase 7"
XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>'

playwright_api = require_browser(data=KAGGLE, what="shared data")

SETUP = f"""
from django.core.management import call_command
from django.utils import timezone
from dailypapers.core.setup import prepare_database
from dailypapers.papers.models import Paper, Author, PaperAuthor
from dailypapers.papers.services import feature_paper
import datetime as dt
prepare_database()
call_command("import", {str(KAGGLE)!r}, verbosity=0)
days = ["2026-08-18", "2026-08-19", "2026-08-19", "2026-08-21", "2026-08-21", "2026-08-21"]
for arxiv_id, day in zip(["0704.0001", "0704.0002", "0704.0004", "0704.0005", "0704.0006", "0704.0007"], days):
    feature_paper(paper=Paper.objects.get(arxiv_id=arxiv_id), day=dt.date.fromisoformat(day))
now = timezone.now()
hostile = Paper.objects.create(arxiv_id="2608.00001", title={XSS!r} + " in a title", abstract={XSS!r} + " abstract with $x^2$",
    categories="cs.CR", primary_category="cs.CR", published_at=now, modified=now)
author, _ = Author.objects.get_or_create(name={XSS!r})
PaperAuthor.objects.create(paper=hostile, author=author, position=0)
feature_paper(paper=hostile, day=dt.date(2026, 8, 21))
"""


HUB: dict = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The real snapshot's papers are from 2007: let submissions of old papers through.
    mail_dir = tmp_path_factory.mktemp("browser-mail")
    env = hub_env(
        tmp_path_factory.mktemp("browser-hub"),
        DAILYPAPERS_SUBMISSION_MAX_AGE_DAYS="100000",
        DAILYPAPERS_EMAIL_URL=f"file://{mail_dir}",
    )
    HUB.update(env=env, mail_dir=mail_dir)
    run_cli(env, "shell", "-c", SETUP)
    with served_hub(env, workers=2, threads=4) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


class Watch:
    """Dialogs that fired and CSP violations the browser reported, on one page."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp.append(message.text)


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.watch = Watch(page)
    yield page
    assert page.watch.csp == [], page.watch.csp
    assert page.watch.dialogs == [], page.watch.dialogs
    page.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_it_browses_days_weeks_and_months(server, page):
    page.goto(server + "/")
    assert "Papers of Friday 21 August 2026" in page.inner_text("h1")
    shot(page, "01-daily")
    page.click("a[rel=prev]")
    page.wait_for_url("**/date/2026-08-19")
    assert page.locator("ol.cards > li").count() == 2
    page.click("text=Weekly")
    page.wait_for_url("**/week/2026-W34")
    assert page.locator("ol.cards > li").count() == 7  # 6 featured papers and the hostile one
    page.click("text=Monthly")
    page.wait_for_url("**/month/2026-08")
    page.goto(server + "/date/2026-08-20")
    assert "No papers on this day" in page.inner_text("main")
    response = page.goto(server + "/date/2025-13-40")
    assert response.status == 404 and "Not found" in page.inner_text("h1")


def test_it_shows_hostile_text_as_text_and_runs_no_script(server, page):
    page.goto(server + "/papers/2608.00001")
    assert "<script>window.__xss=2" in page.inner_text("h1")
    assert page.evaluate("window.__xss") is None
    page.goto(server + "/date/2026-08-21")
    assert page.evaluate("window.__xss") is None
    shot(page, "02-hostile-text")


def test_it_signs_up_and_upvotes_without_a_reload(server, page):
    page.goto(server + "/date/2026-08-21")
    page.click("header >> text=Sign in")
    page.click("text=Create an account")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=email]", "ada@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_selector("text=Check your inbox")
    # The worker's mail job sends the verification link; following it signs the new member in.
    run_cli(HUB["env"], "shell", "-c", "from dailypapers.core.outbox import send_queued; print(send_queued())")
    mail = "".join(path.read_text() for path in HUB["mail_dir"].iterdir())
    link = next(word for word in mail.split() if "/accounts/verify-email/" in word)
    page.goto(server + link[link.index("/accounts/verify-email/") :])
    page.click("text=Confirm my address")
    page.wait_for_selector("header .me")
    assert page.locator("header .me").inner_text() == "ada"
    page.goto(server + "/date/2026-08-21")
    page.evaluate("window.__noReload = 'still here'")
    first = page.locator("ol.cards > li").first
    count_before = int(first.locator(".vote-button .count").inner_text())
    first.locator("button.vote-button").click()
    page.wait_for_selector("ol.cards > li:first-child .vote-button.voted")
    assert int(first.locator(".vote-button .count").inner_text()) == count_before + 1
    assert page.evaluate("window.__noReload") == "still here"
    shot(page, "03-upvoted")
    first.locator("button.vote-button").click()  # and back
    page.wait_for_selector("ol.cards > li:first-child .vote-button[aria-pressed=false]")
    assert int(first.locator(".vote-button .count").inner_text()) == count_before
    assert page.evaluate("window.__noReload") == "still here"


def test_it_signs_out_and_in_again(server, page):
    page.goto(server + "/")
    page.click("header >> text=Sign out")
    page.wait_for_selector("header >> text=Sign in")
    page.click("header >> text=Sign in")
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.account-form button[type=submit]")
    page.wait_for_selector("header .me")


def test_it_submits_a_stored_paper_and_explains_a_refusal(server, page):
    page.goto(server + "/submit")
    page.fill("input[name=arxiv_id]", "https://arxiv.org/abs/0704.0003v1")
    page.click("form.submit-form button[type=submit]")
    page.wait_for_url("**/papers/0704.0003")
    assert "is on today's page" in page.inner_text(".messages")
    shot(page, "04-submitted")
    page.goto(server + "/submit")
    page.fill("input[name=arxiv_id]", "0704.0003")
    page.click("form.submit-form button[type=submit]")
    assert "already on the page of" in page.inner_text("[role=alert]")
    page.fill("input[name=arxiv_id]", "not an id")
    page.click("form.submit-form button[type=submit]")
    assert "is not an arXiv id or URL" in page.inner_text("[role=alert]")


def test_it_comments_with_math_rendered_by_katex_and_hostile_markup_as_text(server, page):
    page.goto(server + "/papers/0704.0002")
    page.fill("#comment-body", "Energy is $E = mc^2$, and\n\n$$\\int_0^1 x\\,dx = \\tfrac12$$\n\n" + XSS)
    page.click(".comment-form button[type=submit]")
    page.wait_for_selector(".comment-body .katex")
    body = page.locator(".comment-body").first
    assert body.locator(".katex").count() >= 2
    assert "<img src=x" in body.inner_text() and "<script>" in body.inner_text()
    assert page.evaluate("window.__xss") is None
    # The abstract's math renders too (this real abstract has $...$), and reading needs no script.
    assert page.locator(".abstract-full .katex").count() > 0
    shot(page, "05-comment-math")


def test_it_is_readable_on_a_phone_in_dark_mode(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True)
    page = ctx.new_page()
    watch = Watch(page)
    page.goto(server + "/date/2026-08-21")
    width = page.evaluate("document.documentElement.scrollWidth")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    shot(page, "06-phone-dark")
    ctx.close()
    assert width <= 390 and background == "rgb(18, 21, 27)"
    assert watch.csp == [] and watch.dialogs == []
