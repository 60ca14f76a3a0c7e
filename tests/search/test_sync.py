"""Index sync: incremental updates, rebuild with atomic swap, a crash mid-rebuild, model mismatch, live reload."""

import datetime as dt

import pytest
from django.utils import timezone

from dailypapers.core.testing import import_papers
from dailypapers.papers.models import Paper
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.models import PaperEmbedding
from dailypapers.search.services import search_papers
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    yield settings.INDEX_DIR
    set_embedder(None)
    store.forget_snapshot()


def ids(results):
    return [hit.paper.arxiv_id for hit in results.hits]


def test_it_builds_both_indexes_on_first_sync_and_stores_embeddings():
    import_papers(SMALL_CORPUS)
    summary = sync_indexes(progress=False)
    assert summary.rebuilt and summary.embedded == 4 and summary.keywords_written == 4
    assert PaperEmbedding.objects.filter(model="test-hashing").count() == 4
    assert ids(search_papers(query="diffusion", mode="keyword")) == ["2401.00002"]
    assert ids(search_papers(query="denoising score matching pictures", mode="semantic"))[0] == "2401.00002"


def test_it_adds_new_and_updated_papers_incrementally_and_skips_unchanged_ones():
    import_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    import_papers(
        [{"arxiv_id": "2402.00009", "title": "Protein folding with transformers", "abstract": "Amino acids."}]
    )
    changed = dict(
        SMALL_CORPUS[1],
        title="Flow matching for image synthesis",
        version=2,
        updated=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )
    import_papers([changed])
    summary = sync_indexes(progress=False)
    assert not summary.rebuilt and summary.embedded == 2
    assert ids(search_papers(query="protein", mode="keyword")) == ["2402.00009"]
    assert ids(search_papers(query="flow matching", mode="keyword")) == ["2401.00002"]
    assert search_papers(query="diffusion", mode="keyword").hits == []
    assert ids(search_papers(query="flow matching image synthesis", mode="semantic"))[0] == "2401.00002"
    again = sync_indexes(progress=False)
    assert again.embedded == 0 and again.vectors_written == 0


def test_it_picks_up_a_paper_committed_late_with_an_older_modified_time():
    import_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    import_papers([{"arxiv_id": "2402.00010", "title": "Late committed paper about glaciers", "abstract": "Ice."}])
    Paper.objects.filter(arxiv_id="2402.00010").update(modified=timezone.now() - dt.timedelta(minutes=3))
    sync_indexes(progress=False)
    assert ids(search_papers(query="glaciers", mode="keyword")) == ["2402.00010"]


def test_it_rebuilds_into_a_new_generation_without_re_embedding(index_dir):
    import_papers(SMALL_CORPUS)
    first = sync_indexes(progress=False)
    old = store.current_generation()
    assert search_papers(query="molecules", mode="keyword").hits
    summary = sync_indexes(rebuild=True, progress=False)
    assert summary.rebuilt and summary.embedded == 0 and summary.reused_embeddings == 4
    assert store.current_generation() != old and summary.generation != first.generation
    assert ids(search_papers(query="molecules", mode="keyword")) == ["2401.00003"]  # the reader followed


def test_a_crash_mid_rebuild_leaves_the_old_index_working(index_dir):
    import_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    before = store.current_generation()
    import_papers([{"arxiv_id": "2402.00011", "title": "Volcano eruption forecasting", "abstract": "Magma."}])

    class Exploding(HashingEmbedder):
        def encode(self, texts, **kwargs):
            raise RuntimeError("power cut")

    set_embedder(Exploding())
    with pytest.raises(RuntimeError, match="power cut"):
        sync_indexes(rebuild=True, progress=False)
    set_embedder(HashingEmbedder())
    assert store.current_generation() == before
    assert ids(search_papers(query="molecules", mode="keyword")) == ["2401.00003"]
    sync_indexes(rebuild=True, progress=False)
    assert ids(search_papers(query="volcano", mode="keyword")) == ["2402.00011"]
    assert len(list(index_dir.glob("gen-*"))) <= 2  # the crashed build's files are gone


def test_it_reports_a_model_mismatch_instead_of_mixing_vectors():
    import_papers(SMALL_CORPUS)
    sync_indexes(progress=False)
    set_embedder(HashingEmbedder(name="another-model", dim=32))
    with pytest.raises(store.IndexMismatch, match="another-model"):
        sync_indexes(progress=False)
    results = search_papers(query="molecules", mode="semantic")
    assert results.error and "rebuild" in results.error
    hybrid = search_papers(query="molecules")
    assert hybrid.notice and ids(hybrid) == ["2401.00003"]  # keyword results, said so
    sync_indexes(rebuild=True, progress=False)
    assert not search_papers(query="molecules", mode="semantic").error


def test_the_index_command_syncs_and_reports(capsys):
    from django.core.management import call_command

    import_papers(SMALL_CORPUS)
    call_command("index", "--no-progress")
    out = capsys.readouterr().out
    assert "4 papers seen" in out and "4 embedded" in out
    call_command("index", "--status")
    assert "papers: 4" in capsys.readouterr().out


def test_the_index_command_refuses_an_unknown_device(settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.EMBEDDING_DEVICE = "tpu"
    with pytest.raises(CommandError, match="DAILYPAPERS_EMBEDDING_DEVICE='tpu'"):
        call_command("index", "--no-progress")
    with pytest.raises(ValueError, match="unknown device"):
        sync_indexes(progress=False)
    assert store.current_generation() is None  # nothing half-written
    settings.EMBEDDING_DEVICE = "auto"
    import_papers(SMALL_CORPUS[:1])
    call_command("index", "--no-progress", "--device", "cpu")
    assert store.read_manifest(store.current_generation())["encoder"] is None  # the test embedder has no ONNX export


def test_the_cpu_embeds_batches_with_torch_bfloat16_where_the_cpu_has_it_else_with_the_int8_encoder(
    tmp_path, monkeypatch
):
    from dailypapers.search import query_encoder
    from dailypapers.search.embeddings import SentenceTransformerEmbedder
    from dailypapers.search.sync import _batch_embedder

    class OnnxEmbedder:  # records what the real one would open
        def __init__(self, *, name, folder, threads):
            self.name, self.folder = name, folder

    monkeypatch.setattr(query_encoder, "OnnxEmbedder", OnnxEmbedder)
    int8 = {"weights": "int8 (per-channel weights)"}
    with_bf16 = SentenceTransformerEmbedder(name="some-model", bf16=True)  # the model loads on first use only
    assert _batch_embedder(with_bf16, tmp_path, int8, "cpu") is with_bf16
    without_bf16 = SentenceTransformerEmbedder(name="some-model", bf16=False)
    chosen = _batch_embedder(without_bf16, tmp_path, int8, "cpu")
    assert isinstance(chosen, OnnxEmbedder) and chosen.name == "some-model"
    assert chosen.folder == tmp_path / "encoder"
    assert _batch_embedder(without_bf16, tmp_path, {"weights": "float32"}, "cpu") is without_bf16
    hashing = HashingEmbedder()
    assert _batch_embedder(hashing, tmp_path, int8, "cpu") is hashing
