"""Hugging Face daily-papers JSON: schema drift over 558 days, day entries, submitters, counts, broken copies."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json

import pytest

from dailypapers.papers.ingest import parse_path
from dailypapers.papers.ingest.hf import parse_hf
from dailypapers.papers.records import PaperRecord, Rejected


@pytest.fixture
def hf_dir(arxiv_data):
    return arxiv_data / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"


def test_every_recorded_day_parses(hf_dir):
    items = [item for path in sorted(hf_dir.glob("*.json.gz")) for item in parse_path(path)]
    assert len(items) == 9581
    assert not [item for item in items if isinstance(item, Rejected)]
    assert all(item.categories == [] and item.daily for item in items)


def test_an_early_entry_takes_its_day_from_the_file_name(hf_dir):
    first = list(parse_path(hf_dir / "2024-05-28.json.gz"))[0]
    assert (first.arxiv_id, first.title) == ("2405.17247", "An Introduction to Vision-Language Modeling")
    assert first.daily.day == dt.date(2024, 5, 28) and first.daily.submitter_name == ""
    assert (first.daily.upvotes, first.daily.num_comments) == (33, 3)
    assert first.published == dt.datetime(2024, 5, 27, 15, 1, 23, tzinfo=dt.UTC)
    assert first.authors[:2] == ["Florian Bordes", "Richard Yuanzhe Pang"]


def test_a_recent_entry_keeps_submitter_repository_and_project_page(hf_dir):
    first = list(parse_path(hf_dir / "2026-08-21.json.gz"))[0]
    assert first.daily.day == dt.date(2026, 8, 21)
    assert (first.daily.submitter_name, first.daily.upvotes, first.daily.num_comments) == ("taesiri", 163, 1)
    assert first.daily.submitter_avatar.startswith("https://cdn-avatars.huggingface.co/")
    assert first.github_repo == "https://github.com/google-research/envharness"
    assert first.project_page == "https://envharness.com/"


def test_relative_avatars_become_absolute(hf_dir):
    entry = json.loads(gzip.decompress((hf_dir / "2026-08-21.json.gz").read_bytes()))[0]
    entry["submittedBy"]["avatarUrl"] = "/avatars/x.svg"
    (record,) = parse_hf(io.BytesIO(json.dumps([entry]).encode()), "x.json")
    assert record.daily.submitter_avatar == "https://huggingface.co/avatars/x.svg"


def test_a_truncated_file_keeps_the_entries_before_the_break(hf_dir):
    data = gzip.decompress((hf_dir / "2026-08-21.json.gz").read_bytes())
    items = list(parse_hf(io.BytesIO(data[: len(data) // 2]), "2026-08-21.json"))
    assert isinstance(items[-1], Rejected) and "input ends early" in items[-1].reason
    assert 3 < len(items) - 1 < 17 and all(isinstance(item, PaperRecord) for item in items[:-1])


def test_bad_entries_are_rejected_one_by_one(hf_dir):
    entries = json.loads(gzip.decompress((hf_dir / "2026-08-21.json.gz").read_bytes()))[:4]
    entries[0]["paper"]["id"] = "not-an-id"
    entries[1]["paper"]["publishedAt"] = "yesterday"
    entries[2] = ["not", "an", "object"]
    items = list(parse_hf(io.BytesIO(json.dumps(entries).encode()), "bad.json"))
    assert [type(item) for item in items] == [Rejected, Rejected, Rejected, PaperRecord]
    assert items[0].location == "bad.json: entry 1 (not-an-id)" and "not an arXiv id" in items[0].reason
    assert "malformed date" in items[1].reason and "JSON object" in items[2].reason


def test_invalid_utf8_and_not_a_list_are_reported(hf_dir):
    items = list(parse_hf(io.BytesIO(b'"just a string"'), "odd.json"))
    assert items == [Rejected("odd.json: entry 1", "not a JSON list")]
    data = gzip.decompress((hf_dir / "2024-05-28.json.gz").read_bytes())
    title = b"An Introduction to Vision-Language Modeling"
    items = list(parse_hf(io.BytesIO(data.replace(title, title[:5] + b"\xff" + title[6:], 1)), "enc.json"))
    assert isinstance(items[0], Rejected) and "not UTF-8" in items[0].reason
    assert len([item for item in items if isinstance(item, PaperRecord)]) == 15
