"""Hugging Face's fields on our pages and API: cards, the paper page, organization pages, Hugging Face's page
addresses, text-mode LaTeX, and the API's order, trending and paper_info fields."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from dailypapers.core.testing import make_user
from dailypapers.papers.models import Paper
from dailypapers.web.templatetags.papertext import latex_text
from tests.support.hf_entries import HIDDEN_FIRST, RICH, hf_entry, import_entries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


@pytest.fixture
def hub():
    import_entries(
        [
            hf_entry("2508.19652", day="2025-08-28", upvotes=45, comments=2, authors=HIDDEN_FIRST, **RICH),
            hf_entry("2508.19653", day="2025-08-28", upvotes=7, comments=0),
        ],
        day="2025-08-28",
    )


def test_cards_show_thumbnail_organization_stars_keywords_and_hub_comments(client, hub):
    html = client.get("/date/2025-08-28").content.decode()
    assert 'src="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2508.19652.png"' in html
    assert 'href="/orgs/ExampleLab"' in html and "Example Lab" in html
    assert (
        "★ 42" in html and '<span class="chip kw math-text">vision-language models</span>' in html
    )  # $math$ in keywords renders
    assert "2 on Hugging Face" in html and "0 comments" in html
    assert "Hidden Person" not in html and "Ada Lovelace" in html
    assert "97.3% accuracy with <em" in html and "$x^2$" in html and "\\emph" not in html
    home = client.get("/").content.decode()
    assert 'class="cards grid"' in home


def test_the_paper_page_folds_the_labelled_ai_summary_under_the_abstract(client, hub):
    html = client.get("/papers/2508.19652").content.decode()
    abstract, summary = html.index('id="abstract-h"'), html.index('<details class="ai-summary">')
    assert abstract < summary and "written by qwen3-30b, not by the authors" in html
    assert "Vision-SR1 improves visual reasoning." in html
    assert "Hidden Person" not in html and 'title="claimed on Hugging Face by ada"' in html
    assert "2 comments there (ours are below)" in html and "★ 42" in html
    assert 'href="/orgs/ExampleLab"' in html


def test_an_organization_page_lists_its_papers(client, hub):
    response = client.get("/orgs/ExampleLab")
    html = response.content.decode()
    assert response.status_code == 200 and "Example Lab" in html and "2508.19652" in html and "2508.19653" not in html
    assert client.get("/orgs/Nobody").status_code == 404


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/papers/date/2025-08-28", "/date/2025-08-28"),
        ("/papers/week/2025-W35", "/week/2025-W35"),
        ("/papers/month/2025-08", "/month/2025-08"),
        ("/papers/trending", "/trending"),
        ("/papers/date/2025-08-28?foo=1", "/date/2025-08-28?foo=1"),
    ],
)
def test_hugging_faces_page_addresses_redirect_to_ours(client, path, target):
    response = client.get(path)
    assert response.status_code == 301 and response["Location"] == target


def test_a_bad_hugging_face_address_is_a_404_and_paper_ids_still_route(client, hub):
    assert client.get("/papers/date/2025-13-45").status_code == 404
    assert client.get("/papers/2508.19652").status_code == 200


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("97.3\\% of \\emph{all}", '97.3% of <em class="tex-emph">all</em>'),
        ("\\textbf{bold} and {\\em old}", '<strong class="tex-textbf">bold</strong> and <em>old</em>'),
        ("pages 1--3 --- done~now", "pages 1\u20133 \u2014 done\u00a0now"),
        ("``quoted''", "\u201cquoted\u201d"),
        ("math $a \\% b$ and $$x--y$$ stay", "math $a \\% b$ and $$x--y$$ stay"),
        ("<script>x</script> \\& co", "&lt;script&gt;x&lt;/script&gt; &amp; co"),
        ("", ""),
    ],
)
def test_text_mode_latex_reads_as_text_and_math_stays(text, html):
    assert latex_text(text) == html


def test_the_api_orders_a_day_by_upvotes_and_ties_by_the_entry_date(client):
    entries = [hf_entry(f"2509.0000{i}", day="2025-09-01", upvotes=u) for i, u in enumerate([3, 9, 3, 1])]
    entries[2]["publishedAt"] = "2025-09-01T06:00:00.000Z"  # newer than entries[0]'s 04:01
    import_entries(entries, day="2025-09-01")
    items = client.get("/api/daily_papers?date=2025-09-01").json()
    assert [i["paper"]["id"] for i in items] == ["2509.00001", "2509.00002", "2509.00000", "2509.00003"]
    assert items[1]["publishedAt"] == "2025-09-01T06:00:00.000Z" and items[0]["isAuthorParticipating"] is True


@override_settings(TRENDING_CACHE_SECONDS=0, API_CACHE_SECONDS=0)
def test_the_api_trending_sort_is_the_time_decayed_score(client):
    import_entries(
        [hf_entry("2509.00011", day="2025-09-02", upvotes=50), hf_entry("2509.00012", day="2025-09-02", upvotes=1)],
        day="2025-09-02",
    )
    by_votes = [i["paper"]["id"] for i in client.get("/api/daily_papers?date=2025-09-02&sort=trending").json()]
    assert by_votes == ["2509.00011", "2509.00012"]  # no recent signal: upvotes decide
    from dailypapers.community.services import vote_toggle

    vote_toggle(user=make_user("fresh"), paper=Paper.objects.get(arxiv_id="2509.00012"))
    trending = [i["paper"]["id"] for i in client.get("/api/daily_papers?date=2025-09-02&sort=trending").json()]
    assert trending == ["2509.00012", "2509.00011"]  # a vote cast now outweighs 50 upvotes of a year ago
    assert timezone.now().year >= 2026


def test_paper_info_fills_every_field_the_client_reads(client, hub):
    info = client.get("/api/papers/2508.19652").json()
    assert info["linkedModels"] == [] and info["numTotalModels"] == 0 and info["linkedSpaces"] == []
    assert info["linkedDatasets"] == [] and info["numTotalDatasets"] == 0 and info["numTotalSpaces"] == 0
    assert info["organization"] == {
        "name": "ExampleLab",
        "fullname": "Example Lab",
        "avatar": "https://cdn.example/o.png",
        "avatarUrl": "https://cdn.example/o.png",
    }
    assert info["ai_summary_model"] == "qwen3-30b" and info["githubStars"] == 42 and info["numComments"] == 2
    assert [a["name"] for a in info["authors"]] == ["Hidden Person", "Ada Lovelace", "Alan Turing"]
    assert info["authors"][0]["hidden"] is True and info["authors"][1]["user"]["user"] == "ada"
    v1 = client.get("/api/v1/papers/2508.19652").json()
    assert [a["name"] for a in v1["authors"]] == ["Ada Lovelace", "Alan Turing"]
    assert v1["hub_comments"] == 2 and v1["num_comments"] == 0 and v1["organization"] == "ExampleLab"


def test_a_paper_listed_on_two_days_shows_each_days_submitter_on_that_days_page(client):
    first = hf_entry("2604.07429", day="2026-04-10", upvotes=2)
    later = hf_entry("2604.07429", day="2026-04-16", upvotes=42)
    later["submittedBy"] = dict(later["submittedBy"], name="other", fullname="Other Person")
    later["paper"]["submittedOnDailyBy"] = dict(
        later["paper"]["submittedOnDailyBy"], user="other", fullname="Other Person"
    )
    import_entries([first], day="2026-04-10")
    import_entries([later], day="2026-04-16")
    assert "Submitted by Wen Yu" in client.get("/date/2026-04-10").content.decode()
    assert "Submitted by Other Person" in client.get("/date/2026-04-16").content.decode()
    by_day = {d: client.get(f"/api/daily_papers?date={d}").json()[0] for d in ("2026-04-10", "2026-04-16")}
    assert by_day["2026-04-10"]["upvotes"] == 2 and by_day["2026-04-16"]["upvotes"] == 42
    assert by_day["2026-04-16"]["submittedBy"]["fullname"] == "Other Person"


def test_the_api_ranks_a_week_by_upvotes_and_the_unfiltered_listing_by_day_first(client):
    import_entries([hf_entry("2509.00021", day="2025-09-01", upvotes=30)], day="2025-09-01")
    import_entries([hf_entry("2509.00022", day="2025-09-02", upvotes=5)], day="2025-09-02")
    week = [i["paper"]["id"] for i in client.get("/api/daily_papers?week=2025-W36").json()]
    assert week == ["2509.00021", "2509.00022"]
    latest = [i["paper"]["id"] for i in client.get("/api/daily_papers").json()]
    assert latest == ["2509.00022", "2509.00021"]
