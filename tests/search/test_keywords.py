"""The tantivy keyword index: safe query building, BM25 with stemming, phrases, filters, idempotent upserts."""

import datetime as dt

import pytest

from dailypapers.search.keywords import KeywordDoc, KeywordIndex, build_query_text


@pytest.fixture
def index(tmp_path):
    index = KeywordIndex(tmp_path / "kw", create=True)
    index.upsert(
        [
            KeywordDoc(
                1,
                "2401.00001",
                "Quantizing large language models",
                "We protect salient weights.",
                ["Ji Lin", "Song Han"],
                ["cs.CL", "cs.LG"],
                dt.date(2024, 1, 2),
            ),
            KeywordDoc(
                2,
                "2401.00002",
                "Diffusion models for images",
                "Denoising generates large pictures.",
                ["Jane Doe"],
                ["cs.CV"],
                dt.date(2023, 1, 2),
            ),
        ]
    )
    return index


@pytest.mark.parametrize(
    "query",
    ["title:foo AND (bar OR", '"unbalanced', "*", "^2~", "NOT", "a:b:c", "[1 TO 2]", "\\", "''", "-x +y", "𝔸𝔹ℂ"],
)
def test_it_never_fails_on_query_syntax(index, query):
    assert isinstance(index.search(query), list)


def test_it_keeps_words_and_balanced_phrases_only():
    assert build_query_text('"Language Models" AND title:x') == '"language models" and title x'  # no operators
    assert build_query_text("!!! ??? ...") == ""
    assert build_query_text("模型 压缩") == "模型 压缩"


def test_it_matches_stemmed_words_in_titles_and_abstracts(index):
    assert [pk for pk, _ in index.search("quantization")] == [1]  # "Quantizing" in the title, same stem
    assert index.search("quantization of a language model")[0][0] == 1
    assert {pk for pk, _ in index.search("large")} == {1, 2}  # in paper 1's title, in paper 2's abstract
    assert index.search("protecting salient weight")[0][0] == 1  # abstract words, stemmed


def test_it_supports_phrases(index):
    assert [pk for pk, _ in index.search('"language models"')] == [1]
    assert index.search('"models language"') == []


def test_it_filters_by_category_author_and_date(index):
    assert [pk for pk, _ in index.search("large", category="cs.CV")] == [2]
    assert [pk for pk, _ in index.search("large", author="song han")] == [1]
    assert [pk for pk, _ in index.search("large", published_to=dt.date(2023, 12, 31))] == [2]
    assert [pk for pk, _ in index.search("large", published_from=dt.date(2024, 1, 1))] == [1]


def test_it_replaces_a_document_on_upsert(index):
    index.upsert([KeywordDoc(1, "2401.00001", "Protein folding", "", [], ["q-bio.BM"], dt.date(2024, 1, 2))])
    assert index.count() == 2
    assert index.search("quantizing") == []
    assert [pk for pk, _ in index.search("protein")] == [1]


def test_scores_for_some_papers_and_filters_leave_bm25_unchanged(index):
    """Completion scores and filtered searches rank by the query's BM25 alone, comparable with a plain search."""
    plain = dict(index.search("large pictures"))
    assert set(plain) == {1, 2}
    assert index.scores_for("large pictures", [2, 99]) == pytest.approx({2: plain[2]})
    assert index.scores_for("large pictures", [1]) == pytest.approx({1: plain[1]})
    assert dict(index.search("large pictures", category="cs.CV")) == pytest.approx({2: plain[2]})
    assert dict(index.search("large pictures", author="song han")) == pytest.approx({1: plain[1]})
    assert dict(index.search("large pictures", published_from=dt.date(2023, 1, 1))) == pytest.approx(plain)
    assert index.scores_for("large pictures", []) == {}


def test_words_in_most_abstracts_are_left_out_of_the_query_unless_alone(index):
    assert build_query_text('the "of the" model', common={"the", "of"}) == '"of the" model'  # phrases keep them
    assert build_query_text("the of", common={"the", "of"}) == "the of"  # nothing else left: kept
    assert index.common_words(["large", "salient", "pictures"]) == set()  # each in one of the two abstracts
    index.upsert(
        [KeywordDoc(3, "2401.00003", "Image synthesis", "Large models draw.", [], ["cs.CV"], dt.date(2024, 1, 3))]
    )
    assert index.common_words(["large", "salient"]) == {"large"}  # now in 2 of 3 abstracts
    assert [pk for pk, _ in index.search("large salient")] == [1]  # "large" no longer matches alone
    assert {pk for pk, _ in index.search("large")} == {1, 2, 3}
