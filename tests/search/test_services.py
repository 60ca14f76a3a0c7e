"""Search service, page and CLI: modes, filters, pagination, exact ids, similar papers, and hostile input."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dailypapers.papers.models import Paper
from dailypapers.search import store
from dailypapers.search.services import MAX_QUERY_CHARS, search_papers, similar_papers
from tests.search.corpus import SMALL_CORPUS
from tests.support.search_index import indexed_papers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indexed(settings, tmp_path):
    with indexed_papers(settings, tmp_path, SMALL_CORPUS):
        yield


def ids(results):
    return [hit.paper.arxiv_id for hit in results.hits]


@pytest.mark.parametrize("mode", ["hybrid", "semantic", "keyword"])
def test_it_finds_papers_in_every_mode(mode):
    results = search_papers(query="message passing molecules", mode=mode)
    assert results.error is None and ids(results)[0] == "2401.00003"
    assert results.hits[0].score > 0 and results.total >= 1
    assert [a.author.name for a in results.hits[0].paper.authorships.all()] == ["Max Planck", "Jane Doe"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Type a few words"),
        ("   ", "Type a few words"),
        ("?!... ---", "no letters or digits"),
        ("x" * (MAX_QUERY_CHARS + 1), "too long"),
    ],
)
def test_it_explains_queries_it_cannot_run(query, message):
    results = search_papers(query=query)
    assert message in results.error and results.hits == []


@pytest.mark.parametrize(
    "query",
    [
        'title:"x AND (',
        "') OR 1=1; DROP TABLE papers_paper; --",
        "<script>alert(1)</script>",
        "机器学习 模型 压缩",
        "Quantisierung großer Sprachmodelle",
        "NOT AND OR",
        "*:*",
        'a"b"c"d',
        "\x00\x01 weights",
    ],
)
@pytest.mark.parametrize("mode", ["hybrid", "keyword", "semantic"])
def test_it_survives_hostile_and_foreign_queries(query, mode):
    results = search_papers(query=query, mode=mode)
    assert results.error is None or isinstance(results.error, str)
    assert Paper.objects.count() == 4


def test_an_exact_arxiv_id_or_url_redirects_to_the_paper():
    for query in ("2401.00004", "arXiv:2401.00004v2", "https://arxiv.org/abs/2401.00004"):
        assert search_papers(query=query).redirect.arxiv_id == "2401.00004"
    assert search_papers(query="2501.99999").redirect is None  # unknown id: an ordinary search


def test_it_filters_by_category_author_and_dates_in_every_mode():
    for mode in ("hybrid", "semantic", "keyword"):
        assert ids(search_papers(query="models", mode=mode, category="cs.CV")) == ["2401.00002"]
        assert set(ids(search_papers(query="models molecules images", mode=mode, author="Jane Doe"))) == {
            "2401.00002",
            "2401.00003",
        }
        assert ids(search_papers(query="models molecules", mode=mode, published_from=dt.date(2024, 5, 1))) == [
            "2401.00003"
        ]
        assert ids(search_papers(query="pictures", mode=mode, published_to=dt.date(2023, 12, 31))) == ["2401.00002"]


def test_it_pages_through_results():
    first = search_papers(query="models language molecules pictures", mode="keyword", per_page=2)
    second = search_papers(query="models language molecules pictures", mode="keyword", per_page=2, page=2)
    assert len(first.hits) == 2 and first.has_next
    assert not set(ids(first)) & set(ids(second))


def test_similar_papers_are_the_nearest_others():
    paper = Paper.objects.get(arxiv_id="2401.00001")
    similar = similar_papers(paper=paper, limit=3)
    assert len(similar) == 3 and paper not in [p for p, _ in similar]
    assert similar[0][1] >= similar[-1][1]


def test_similar_papers_is_empty_without_an_index(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "nothing"
    store.forget_snapshot()
    assert similar_papers(paper=Paper.objects.first()) == []
    fallback = search_papers(query="molecules")
    assert "not been built" in fallback.notice and [h.paper.arxiv_id for h in fallback.hits] == ["2401.00003"]


def test_the_search_command_prints_json(capsys):
    call_command("search", "message passing molecules", "--json", "--limit", "2")
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["arxiv_id"] == "2401.00003" and set(rows[0]) == {"arxiv_id", "title", "score"}
    assert len(rows) <= 2
    call_command("search", "2401.00002", "--json")
    assert json.loads(capsys.readouterr().out)[0]["arxiv_id"] == "2401.00002"
    with pytest.raises(CommandError, match="no letters"):
        call_command("search", "???")


def test_the_search_page_renders_results_and_updates_in_place(client):
    page = client.get("/search", {"q": "molecules"})
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        "Graph neural networks for <mark>molecules</mark>" in html
        and "htmx.min.js" in html
        and 'hx-push-url="true"' in html
    )
    partial = client.get("/search", {"q": "molecules", "mode": "keyword"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    assert "Graph neural networks" in partial.content.decode()


def test_the_search_page_redirects_an_exact_id(client):
    response = client.get("/search", {"q": "arXiv:2401.00001"})
    assert response.status_code == 302 and response["Location"].endswith("/papers/2401.00001")
    htmx = client.get("/search", {"q": "2401.00001"}, HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].endswith("/papers/2401.00001")


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 5000},
        {"q": "!!!"},
        {"q": "models", "from": "yesterday"},
        {"q": "models", "page": "-3"},
        {"q": "models", "page": "abc"},
        {"q": "models", "mode": "bogus"},
        {"q": "models", "to": "2020-01-01", "from": "2024-01-01"},
        {"q": 'title:("x'},
    ],
)
def test_the_search_page_never_fails_on_bad_input(client, params):
    response = client.get("/search", params)
    assert response.status_code == 200


def test_page_ids_name_the_ranked_page_or_the_paper_an_id_names_without_fetching():
    found = search_papers(query="models", per_page=2, fetch=False)
    assert found.hits == [] and len(found.page_ids) == 2
    assert found.page_ids == [pk for pk, _ in search_papers(query="models", per_page=2).window]
    exact = search_papers(query="arXiv:2401.00004", fetch=False)
    assert exact.page_ids == [Paper.objects.get(arxiv_id="2401.00004").pk]
