import datetime as dt

import pytest

from dailypapers.papers.records import RecordError, build_record

BASE = {
    "arxiv_id": "2306.00978v2",
    "title": "  AWQ:\n  Activation-aware Weight Quantization ",
    "abstract": "Line one\nwraps here.\n\n  Second paragraph. Code at https://github.com/mit-han-lab/llm-awq.",
    "authors": ["Ji Lin", " Jiaming  Tang "],
    "categories": "cs.CL cs.LG",
    "published": dt.datetime(2023, 6, 1, 17, 59, tzinfo=dt.UTC),
}


def test_it_normalizes_a_good_record():
    record = build_record(**BASE)
    assert record.arxiv_id == "2306.00978" and record.version == 2
    assert record.title == "AWQ: Activation-aware Weight Quantization"
    assert record.abstract.startswith("Line one wraps here.")
    assert record.authors == ["Ji Lin", "Jiaming Tang"]
    assert record.categories == ["cs.CL", "cs.LG"] and record.primary_category == "cs.CL"
    assert record.github_repo == "https://github.com/mit-han-lab/llm-awq"


def test_the_content_hash_is_stable_and_sensitive():
    assert build_record(**BASE).content_hash() == build_record(**BASE).content_hash()
    assert build_record(**BASE).content_hash() != build_record(**{**BASE, "title": "Other"}).content_hash()


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"arxiv_id": "nonsense"}, "not an arXiv id"),
        ({"title": "   "}, "missing title"),
        ({"title": "x" * 5000}, "too long"),
        ({"categories": "cs.CL <script>"}, "unknown category"),
        ({"published": dt.datetime(1900, 1, 1)}, "absurd publication date"),
        ({"published": dt.datetime(2999, 1, 1)}, "absurd publication date"),
        ({"published": None}, "missing publication date"),
        ({"authors": "A, B"}, "list"),
        ({"title": 42}, "expected text"),
    ],
)
def test_it_rejects_bad_records_with_a_reason(change, reason):
    with pytest.raises(RecordError, match=reason):
        build_record(**{**BASE, **change})


def test_it_strips_control_characters_that_databases_refuse():
    record = build_record(**{**BASE, "title": "Nul\x00 byte\x07 title"})
    assert record.title == "Nul byte title"
