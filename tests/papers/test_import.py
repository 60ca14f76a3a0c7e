"""`dailypapers import` end to end for every recorded format: a first import stores, a second changes nothing,
and papers met in several sources keep the richest data."""

from __future__ import annotations

import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command

from dailypapers.papers.models import DailyEntry, Paper

pytestmark = pytest.mark.django_db


def run_import(*paths, **options) -> str:
    out = StringIO()
    call_command("import", *map(str, paths), stdout=out, verbosity=0, **options)
    return out.getvalue()


def total(out: str) -> str:
    return out.strip().splitlines()[-1]


def import_twice(paths, expected_read, **options):
    first = total(run_import(*paths, **options))
    assert f"read {expected_read}," in first, first
    second = total(run_import(*paths, **options))
    rejected = int(second.split("rejected ")[1].split(",")[0])
    assert f"created 0, updated 0, unchanged {expected_read - rejected}, rejected {rejected}" in second, second
    return first


def test_atom_files_import_and_reimport_unchanged(arxiv_data):
    paths = sorted((arxiv_data / "atom").rglob("*.xml"))
    first = import_twice(paths, 277)
    assert "rejected 1" in first  # the API's error feed
    assert Paper.objects.count() == 148  # unique ids, as SOURCES.md counts them


def test_oai_files_of_every_prefix_import_and_reimport_unchanged(arxiv_data):
    oai = arxiv_data / "oai"
    paths = [
        *sorted((oai / "shishir167__arxivXMLParser").glob("page00[1-2].xml.gz")),
        *sorted((oai / "CenterForOpenScience__scrapi").glob("*")),
        *sorted((oai / "litpuvn__arxiv-oai-harvester").glob("*")),
        *sorted((oai / "inspirehep__hepcrawl").glob("*")),
        *sorted((oai / "AtomikLabs__aws-iac").glob("*")),
    ]
    import_twice(paths, 2000 + 897 + 388 + 30 + 5)
    assert Paper.objects.filter(arxiv_id="0803.4354", version=6).exists()


def test_rss_imports_and_puts_new_papers_on_the_day_only_when_asked(arxiv_data):
    paths = sorted((arxiv_data / "rss").rglob("*.xml"))
    import_twice(paths, 9)
    assert not DailyEntry.objects.exists()
    out = total(run_import(*paths, feature_new=True))
    assert "daily entries created 9" in out
    assert set(DailyEntry.objects.values_list("day", flat=True)).pop().isoformat() == "2026-04-27"


def test_hf_days_import_with_entries_and_reimport_unchanged(arxiv_data):
    paths = sorted((arxiv_data / "hf").rglob("2025-0[1-2]-*.json.gz"))
    first = import_twice(paths, sum(len(json.loads(gzip.decompress(p.read_bytes()))) for p in paths))
    assert f"daily entries created {DailyEntry.objects.count()}" in first
    entry = DailyEntry.objects.select_related("paper").get(paper__arxiv_id="2501.12948")
    assert entry.day.isoformat() == "2025-01-23" and entry.source == DailyEntry.Source.HF
    assert entry.paper.imported_upvotes == entry.paper.upvotes > 0


def test_an_older_hf_snapshot_never_lowers_upvotes(arxiv_data, tmp_path):
    source = arxiv_data / "hf" / "2404589803__hf-daily-paper-newsletter-chinese" / "2026-08-21.json.gz"
    entries = json.loads(gzip.decompress(source.read_bytes()))[:1]
    later = tmp_path / "2026-08-21.json"
    later.write_text(json.dumps(entries))
    entries[0]["paper"]["upvotes"] = 5
    older = tmp_path / "older-2026-08-21.json"
    older.write_text(json.dumps(entries))
    run_import(later)
    assert "unchanged 1" in total(run_import(older))
    assert Paper.objects.get().upvotes == 163


def test_a_paper_from_atom_and_hf_keeps_categories_and_version_and_gains_the_day(arxiv_data):
    atom = arxiv_data / "atom" / "CrSamson__brevio-ai" / "arxiv_cs_lg.xml"
    hf = arxiv_data / "hf" / "2404589803__hf-daily-paper-newsletter-chinese" / "2026-04-30.json.gz"
    run_import(atom)
    before = Paper.objects.get(arxiv_id="2604.26951")
    run_import(hf)
    after = Paper.objects.get(arxiv_id="2604.26951")
    assert after.categories == before.categories and after.categories.startswith("cs.")
    assert after.version == before.version and after.title == before.title
    assert after.github_repo == "https://github.com/PKU-YuanGroup/TIDE"  # from HF, which the Atom page lacks
    assert after.daily_entry.day.isoformat() == "2026-04-30" and after.upvotes == 33
    # And the other way round: HF first, then the API page fills the categories in.
    Paper.objects.all().delete()
    run_import(hf)
    assert Paper.objects.get(arxiv_id="2604.26904").categories == ""
    run_import(atom)
    assert Paper.objects.get(arxiv_id="2604.26904").categories.startswith("cs.")
    assert "unchanged 20" in total(run_import(atom))


def test_a_paper_from_kaggle_and_oai_stays_stable_across_reimports(arxiv_data):
    kaggle = next((arxiv_data / "kaggle").rglob("*.jsonl"))
    page = arxiv_data / "oai" / "shishir167__arxivXMLParser" / "page001.xml.gz"
    run_import(kaggle, page)
    paper = Paper.objects.get(arxiv_id="0704.0002")
    assert paper.version == 2 and paper.authorships.count() == 2
    out = total(run_import(page, kaggle))
    assert "created 0, updated 0" in out


def test_large_files_are_parsed_in_the_background_with_the_same_result(arxiv_data):
    page = arxiv_data / "oai" / "shishir167__arxivXMLParser" / "page002.xml.gz"
    first = total(run_import(page, background_parse_mb=0))
    assert "read 1000, created 1000" in first
    assert "unchanged 1000" in total(run_import(page, background_parse_mb=1000))
