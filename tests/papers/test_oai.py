"""OAI-PMH parsing: the arXiv, arXivRaw and oai_dc formats, deleted records, paging fields, broken pages."""

from __future__ import annotations

import datetime as dt
import gzip
import io

import pytest

from dailypapers.papers.ingest import parse_path
from dailypapers.papers.ingest.oai import OaiReader, parse_oai
from dailypapers.papers.ingest.pipeline import can_parse_in_background, parse_in_background
from dailypapers.papers.records import PaperRecord, Rejected


@pytest.fixture
def oai_dir(arxiv_data):
    return arxiv_data / "oai"


@pytest.fixture
def page1(oai_dir):
    return oai_dir / "shishir167__arxivXMLParser" / "page001.xml.gz"


def records_of(items):
    return [item for item in items if isinstance(item, PaperRecord)]


def test_it_streams_an_arxiv_format_page_and_exposes_its_resumption_token(page1):
    with gzip.open(page1) as stream:
        reader = OaiReader(stream, "page001")
        items = list(reader.records())
    assert len(records_of(items)) == 1000
    assert (reader.resumption_token, reader.complete_list_size, reader.cursor) == ("1122234|1001", 102538, 0)
    first = items[0]
    assert (first.arxiv_id, first.title) == ("0704.0002", "Sparsity-certifying Graph Decompositions")
    assert first.authors == ["Ileana Streinu", "Louis Theran"]
    assert first.categories == ["math.CO", "cs.CG"] and first.primary_category == "math.CO"
    assert first.published.date() == dt.date(2007, 3, 30) and first.updated.date() == dt.date(2008, 12, 13)
    assert first.version == 2 and first.license.endswith("nonexclusive-distrib/1.0/")


def test_the_last_page_has_an_empty_token(oai_dir):
    with gzip.open(oai_dir / "shishir167__arxivXMLParser" / "page103.xml.gz") as stream:
        reader = OaiReader(stream, "page103")
        assert len(records_of(reader.records())) == 538
    assert reader.resumption_token == "" and reader.cursor == 102000


def test_it_joins_author_suffixes(page1):
    names = {name for record in records_of(parse_path(page1)) for name in record.authors}
    assert "Robert W. Heath Jr." in names
    assert not any(name.endswith(",") for name in names)


def test_it_reads_the_version_history_and_submitter_of_arxivraw(oai_dir):
    path = next((oai_dir / "litpuvn__arxiv-oai-harvester").glob("ListRecords_arXivRaw*"))
    items = list(parse_path(path))
    assert len(records_of(items)) == 387
    first = items[0]
    assert (first.arxiv_id, first.version) == ("0803.4354", 6)
    assert first.published == dt.datetime(2008, 3, 30, 23, 26, 50, tzinfo=dt.UTC)
    assert first.updated == dt.datetime(2016, 10, 20, 16, 58, 38, tzinfo=dt.UTC)
    assert first.extra == {"submitter": "Moustapha Diaby", "versions": 6}
    assert "\n" not in first.abstract  # the file's re-indentation is not read as paragraphs
    (single,) = parse_path(oai_dir / "litpuvn__arxiv-oai-harvester" / "GetRecord_arXivRaw.xml")
    assert single.authors[:2] == ["Carl Lagoze", "Herbert Van de Sompel"] and len(single.authors) == 6


def test_it_maps_dublin_core(oai_dir):
    path = next((oai_dir / "CenterForOpenScience__scrapi").glob("*.xml.gz"))
    items = list(parse_path(path))
    assert len(records_of(items)) == 897
    first = items[0]
    assert first.arxiv_id == "0709.2184" and first.title == "Irrationality measure and lower bounds for pi(x)"
    assert first.authors[:2] == ["David Burt", "Sam Donow"]
    assert first.categories == ["math.NT"]
    assert first.comments.startswith("Version 4.0, 7 ps.") and first.abstract.startswith("In this note we show")
    assert first.published.date() == dt.date(2007, 9, 13) and first.updated.date() == dt.date(2014, 12, 22)
    last = items[-1]
    assert last.doi == "10.4236/jamp.2014.213134" and last.journal_ref.startswith("Journal of Applied Mathematics")
    assert sum(1 for r in items if r.categories) == 897


def test_a_metadata_element_without_its_namespace_is_still_read(oai_dir):
    (record,) = parse_path(oai_dir / "inspirehep__hepcrawl" / "sample_arxiv_record0.xml")
    assert record.arxiv_id == "1601.03238" and record.authors[0] == "Planck Collaboration"


def test_deleted_records_are_skipped_with_a_note(page1, tmp_path):
    text = gzip.decompress(page1.read_bytes()).decode()
    text = text.replace(
        "<header>\n <identifier>oai:arXiv.org:0704.0046</identifier>",
        '<header status="deleted">\n <identifier>oai:arXiv.org:0704.0046</identifier>',
        1,
    )
    items = list(parse_oai(io.BytesIO(text.encode()), "deleted.xml"))
    notes = [item for item in items if isinstance(item, Rejected)]
    assert len(notes) == 1 and notes[0].reason == "deleted at the source (skipped)"
    assert "0704.0046" in notes[0].location and len(records_of(items)) == 999


def test_a_truncated_gzip_page_keeps_the_records_before_the_break(page1, tmp_path):
    broken = tmp_path / "page.xml.gz"
    data = page1.read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    items = list(parse_path(broken))
    kept = records_of(items)
    assert 100 < len(kept) < 1000
    assert (
        isinstance(items[-1], Rejected)
        and "ends early" in items[-1].reason + items[-1].location
        or ("malformed XML" in items[-1].reason)
    )


def test_malformed_xml_in_the_middle_is_reported_with_its_line(page1):
    text = gzip.decompress(page1.read_bytes())
    cut = text.index(b"<record>", len(text) // 2)
    broken = text[:cut] + b"<record><header></oops>" + text[cut:]
    reader = OaiReader(io.BytesIO(broken), "broken.xml")
    items = list(reader.records())
    assert reader.broken and 400 < len(records_of(items)) < 600
    assert items[-1].location.startswith("broken.xml:") and "malformed XML" in items[-1].reason


def test_bad_records_are_rejected_and_the_rest_kept(page1):
    text = gzip.decompress(page1.read_bytes()).decode()
    text = text.replace("<id>0704.0046</id>", "<id>0704.00x6</id>", 1)
    text = text.replace(
        "<id>0704.0047</id><created>2007-04-01</created>", "<id>0704.0047</id><created>2007-13-45</created>"
    )
    text = text.replace("<title>Sparsity-certifying Graph Decompositions</title>", "<title> </title>", 1)
    items = list(parse_oai(io.BytesIO(text.encode()), "bad.xml"))
    rejected = [item for item in items if isinstance(item, Rejected)]
    reasons = " | ".join(r.reason for r in rejected)
    assert len(rejected) == 3, reasons
    assert "not an arXiv id" in reasons and "malformed date" in reasons and "missing title" in reasons
    assert all(r.location.startswith("bad.xml: record ") for r in rejected)


def test_an_oai_error_is_reported(tmp_path):
    body = (
        b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b'<error code="badResumptionToken">expired</error></OAI-PMH>'
    )
    reader = OaiReader(io.BytesIO(body), "err")
    assert list(reader.records()) == [Rejected("err", "OAI-PMH error badResumptionToken: expired")]
    assert reader.error_code == "badResumptionToken"


@pytest.mark.skipif(not can_parse_in_background(), reason="needs fork")
def test_background_parsing_yields_the_same_items_in_the_same_order(page1):
    assert list(parse_in_background(page1, "oai", chunk_size=64)) == list(parse_path(page1))
