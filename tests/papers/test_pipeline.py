"""The background parser: what crosses from the parsing process to the storing one arrives unchanged."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from dailypapers.papers.ingest import parse_path
from dailypapers.papers.ingest.pipeline import _decode, _encode, can_parse_in_background, parse_in_background
from dailypapers.papers.records import DailyInfo, PaperRecord, Rejected, build_record

UTC = dt.UTC


def kaggle_line(n: int, **extra) -> bytes:
    obj = {
        "id": f"2101.{n:05d}",
        "title": f"Paper {n}",
        "abstract": "An abstract.\n\n  Second paragraph.",
        "authors": "A. One, B. Two",
        "authors_parsed": [["One", "A.", ""], ["Tw\\'o", "B.", "Jr"], ["Three", "", ""]],
        "categories": "cs.LG stat.ML",
        "comments": "Code: https://github.com/owner/repo.",
        "doi": None,
        "versions": [
            {"version": "v1", "created": "Mon, 4 Jan 2021 10:00:00 GMT"},
            {"version": "v2", "created": "Tue, 5 Jan 2021 11:30:00 GMT"},
        ],
        **extra,
    }
    return orjson.dumps(obj) + b"\n"


@pytest.mark.skipif(not can_parse_in_background(), reason="needs fork")
def test_it_yields_the_same_records_and_rejections_in_the_same_order(tmp_path):
    path = tmp_path / "snapshot.jsonl"
    lines = [kaggle_line(n) for n in range(1, 40)]
    lines[7] = b"{not json\n"
    lines[12] = kaggle_line(13, title="")
    path.write_bytes(b"".join(lines))
    expected = list(parse_path(path, "kaggle"))
    got = list(parse_in_background(path, "kaggle", chunk_size=5))
    assert got == expected
    assert [type(item) for item in got].count(Rejected) == 2
    for item in got:
        if isinstance(item, PaperRecord):
            assert item.published.tzinfo is UTC and item.updated.tzinfo is UTC
            assert item.precomputed_hash == item.content_hash()


def test_it_hands_over_records_with_daily_entries_extras_and_odd_text_unchanged():
    plain = build_record(
        arxiv_id="2101.00001v3",
        title="T\u00e9st",
        abstract="",
        authors=["\u00c9 Name"],
        categories="cs.CL",
        published=dt.datetime(2021, 1, 4, 12, 0, 0, 123, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    )
    plain.precomputed_hash = plain.content_hash()
    daily = build_record(
        arxiv_id="2101.00002",
        title="Daily",
        abstract="a",
        authors=[],
        categories=[],
        published=dt.date(2021, 1, 4),
        daily=DailyInfo(day=dt.date(2021, 1, 5), upvotes=3),
    )
    surrogate = build_record(
        arxiv_id="2101.00003", title="x\ud800y", abstract="", authors=[], categories=[], published=dt.date(2021, 1, 4)
    )
    chunk = [plain, Rejected("f:2", "bad"), daily]
    got = _decode(_encode(chunk))
    assert got == chunk
    assert got[0].published == plain.published and got[0].precomputed_hash == plain.content_hash()
    assert got[2].daily == daily.daily
    assert _decode(_encode([surrogate, plain])) == [surrogate, plain]
