"""Kaggle snapshot import, end to end through the `import` command, on the real sample and broken copies."""

import gzip
import shutil

import pytest
from django.core.management import call_command

from dailypapers.papers.models import Author, Paper, PaperAuthor

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaggle_sample(arxiv_data):
    return next((arxiv_data / "kaggle").glob("*/*.jsonl"))


def run_import(*paths, **options):
    from io import StringIO

    out = StringIO()
    call_command("import", *map(str, paths), stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_it_imports_the_real_sample_and_reimport_changes_nothing(kaggle_sample):
    out = run_import(kaggle_sample)
    assert "read 200, created 200, updated 0, unchanged 0, rejected 0" in out
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert paper.title.startswith("Calculation of prompt diphoton production cross sections")
    assert paper.primary_category == "hep-ph" and paper.journal_ref == "Phys.Rev.D76:013009,2007"
    names = list(PaperAuthor.objects.filter(paper=paper).values_list("author__name", flat=True))
    assert names[0] == "C. Balázs" and names[-1] == "C. -P. Yuan" or names[-1].endswith("Yuan")
    modified = paper.modified
    out = run_import(kaggle_sample)
    assert "read 200, created 0, updated 0, unchanged 200, rejected 0" in out
    paper.refresh_from_db()
    assert paper.modified == modified


def test_it_reports_bad_lines_and_keeps_the_good_ones(kaggle_sample, tmp_path):
    lines = kaggle_sample.read_bytes().splitlines(keepends=True)[:5]
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(
        lines[0]
        + b"{not json\n"
        + lines[1].replace(b'"id":"0704.0002"', b'"id":"bogus-id"')
        + lines[2].replace(b'"title":"', b'"title":"\xff\xfe')  # wrong encoding: invalid UTF-8
        + b"[1, 2]\n"
        + lines[3]
    )
    out = run_import(broken)
    assert "read 6, created 2, updated 0, unchanged 0, rejected 4" in out
    assert "broken.jsonl:2: invalid JSON" in out
    assert "broken.jsonl:3: not an arXiv id" in out
    assert Paper.objects.count() == 2


def test_it_keeps_what_a_truncated_gzip_holds(kaggle_sample, tmp_path):
    packed = tmp_path / "snapshot.json.gz"
    with kaggle_sample.open("rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    data = packed.read_bytes()
    packed.write_bytes(data[: len(data) // 2])
    out = run_import(packed)
    assert "input ends early" in out
    stored = Paper.objects.count()
    assert 50 < stored < 200
    assert Author.objects.exists()


def test_a_newer_version_updates_and_an_older_one_does_not(kaggle_sample, tmp_path):
    import orjson

    obj = orjson.loads(kaggle_sample.read_bytes().splitlines()[0])
    v1 = dict(obj, versions=obj["versions"][:1], title="Old title")
    v2 = dict(obj, title="New title")
    (tmp_path / "v1.jsonl").write_bytes(orjson.dumps(v1) + b"\n")
    (tmp_path / "v2.jsonl").write_bytes(orjson.dumps(v2) + b"\n")
    run_import(tmp_path / "v1.jsonl")
    assert Paper.objects.get().title == "Old title"
    assert "updated 1" in run_import(tmp_path / "v2.jsonl")
    assert Paper.objects.get().title == "New title"
    assert "unchanged 1" in run_import(tmp_path / "v1.jsonl")
    assert Paper.objects.get().title == "New title"


def test_an_unreadable_input_exits_non_zero(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no input could be read"):
        run_import(tmp_path / "missing.jsonl")
    (tmp_path / "junk.bin").write_bytes(b"\x00\x01garbage")
    with pytest.raises(CommandError, match="unknown format"):
        run_import(tmp_path / "junk.bin")
