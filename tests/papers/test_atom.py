"""arXiv API (Atom) parsing on the recorded 2016 and 2026 responses, the empty and error feeds, and broken copies."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from dailypapers.papers.ingest.atom import parse_atom, read_atom
from dailypapers.papers.records import PaperRecord, Rejected


@pytest.fixture
def atom_dir(arxiv_data):
    return arxiv_data / "atom"


def fixture_2026(atom_dir, prefix):
    return next((atom_dir / "lukasschwab__arxiv.py" / "2026_fixtures").glob(prefix + "*.xml"))


def parse(path):
    return list(parse_atom(path.open("rb"), path.name))


def test_it_reads_the_2016_layout_with_version_doi_journal_and_primary_category_first(atom_dir):
    (record,) = parse(atom_dir / "lukasschwab__arxiv.py" / "2016_fixtures" / "id_list=1111.2011v2.xml")
    assert (record.arxiv_id, record.version) == ("1111.2011", 2)
    assert record.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    assert record.authors == ["James M. Murray", "Adrian Del Maestro", "Zlatko Tesanovic"]
    assert record.categories == ["cond-mat.str-el", "cond-mat.stat-mech"]
    assert record.doi == "10.1103/PhysRevB.85.115117" and record.journal_ref == "Phys. Rev. B 85, 115117 (2012)"
    assert record.comments == "8 pages, 3 figures. Published version"
    assert record.published == dt.datetime(2011, 11, 8, 18, 48, 36, tzinfo=dt.UTC)
    assert record.updated == dt.datetime(2012, 4, 2, 12, 38, 54, tzinfo=dt.UTC)


def test_it_reads_the_2026_layout_and_repairs_mojibake_in_names(atom_dir):
    (record,) = parse(fixture_2026(atom_dir, "id_1707.08567"))
    assert record.arxiv_id == "1707.08567" and record.version == 1 and record.updated is None
    assert record.categories == ["cs.IT"] and len(record.authors) == 34
    assert "Dirk Wübben" in record.authors
    assert record.comments.startswith("44 pages")


def test_it_reads_old_style_ids(atom_dir):
    (record,) = parse(fixture_2026(atom_dir, "id_astro-ph_0601001"))
    assert record.arxiv_id == "astro-ph/0601001"
    (record,) = parse(fixture_2026(atom_dir, "id_quant-ph_0201082v1"))
    assert record.arxiv_id == "quant-ph/0201082"


def test_it_exposes_paging_figures_of_a_page(atom_dir):
    page = read_atom(fixture_2026(atom_dir, "q_testing_s10_m10").open("rb"), "page")
    assert (page.total_results, page.start_index, page.items_per_page, page.entries) == (214881, 10, 10, 10)
    assert all(isinstance(item, PaperRecord) for item in page.items)


def test_an_empty_result_has_no_items(atom_dir):
    page = read_atom(fixture_2026(atom_dir, "id_0000.0000").open("rb"), "empty")
    assert page.items == [] and page.total_results == 0 and page.error == ""


def test_an_error_feed_becomes_a_rejection_not_a_paper(atom_dir):
    page = read_atom(fixture_2026(atom_dir, "id_abc").open("rb"), "error.xml")
    assert page.error == "incorrect id format for abc"
    assert page.items == [Rejected("error.xml: entry 1", "arXiv API error: incorrect id format for abc")]


def test_every_recorded_atom_file_parses_without_rejections_except_the_error_feed(atom_dir):
    records = 0
    for path in sorted(atom_dir.rglob("*.xml")):
        items = parse(path)
        rejected = [item for item in items if isinstance(item, Rejected)]
        assert len(rejected) == (1 if path.name.startswith("id_abc") else 0), (path, rejected)
        records += len(items) - len(rejected)
    assert records == 276  # as SOURCES.md counts them


def test_a_truncated_feed_keeps_the_complete_entries_and_reports_the_break(atom_dir, tmp_path):
    data = (atom_dir / "CrSamson__brevio-ai" / "arxiv_cs_lg.xml").read_bytes()
    cut = data[: len(data) // 2]
    items = list(parse_atom(io.BytesIO(cut), "cut.xml"))
    records = [item for item in items if isinstance(item, PaperRecord)]
    assert len(records) == cut.count(b"</entry>") and 5 < len(records) < 20
    assert isinstance(items[-1], Rejected) and "malformed XML" in items[-1].reason
    assert items[-1].location.startswith("cut.xml:")


def test_bad_entries_are_rejected_one_by_one(atom_dir):
    data = (atom_dir / "CrSamson__brevio-ai" / "arxiv_cs_lg.xml").read_text(encoding="utf-8")
    data = data.replace("http://arxiv.org/abs/2604.26951v1", "http://arxiv.org/abs/not-an-id", 1)
    data = data.replace("<published>", "<published>3026", 1)  # an absurd date in the first entry that has one
    items = list(parse_atom(io.BytesIO(data.encode()), "bad.xml"))
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert len(items) == 20 and len(rejected) >= 1
    assert any("not an arXiv id" in r.reason for r in rejected)


def test_a_feed_in_a_declared_legacy_encoding_is_decoded(atom_dir):
    text = (atom_dir / "lukasschwab__arxiv.py" / "2016_fixtures" / "id_list=1111.2011v2.xml").read_text()
    text = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace("Zlatko Tesanovic", "Zlatko Tešanović")
    latin = text.replace("Tešanović", "Tesanovic").replace("Bethe Lattice", "Bethe Lättice").encode("latin-1")
    (record,) = list(parse_atom(io.BytesIO(latin), "latin.xml"))
    assert "Bethe Lättice" in record.title
