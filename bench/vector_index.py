"""Vector index benchmark at 100k and 1M papers: recall@10 vs exact float32, latency, RAM, build time.

    python bench/vector_index.py [--sizes 100000,1000000] [--queries 200] [--threads 2] [--embeddings FILE.npy]

The corpus is made from real paper embeddings (the ones stored by bench/search_quality.py, or an .npy file):
each synthetic paper mixes three real vectors (random weights) plus Gaussian noise, so it lies where real abstracts lie (not
uniform noise on the sphere). Queries are other such mixtures. Compares the production index (FAISS binary
codes, Hamming candidates, exact re-scoring from memory-mapped float16) at several candidate counts, and a binary
IVF variant.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def real_embeddings(args) -> np.ndarray:
    if args.embeddings:
        return np.load(args.embeddings).astype(np.float32)
    db = Path(args.data_dir) / "dailypapers.sqlite3"
    rows = sqlite3.connect(db).execute("select vector from search_paperembedding").fetchall()
    if not rows:
        sys.exit(f"no stored embeddings in {db}: run bench/search_quality.py first or pass --embeddings")
    return np.stack([np.frombuffer(r[0], dtype="<f2") for r in rows]).astype(np.float32)


def synthesize(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    block = 100_000
    for start in range(0, n, block):
        m = min(block, n - start)
        a = base[rng.integers(0, len(base), m)]
        b = base[rng.integers(0, len(base), m)]
        c = base[rng.integers(0, len(base), m)]
        mix_b = rng.uniform(0.0, 0.8, size=(m, 1)).astype(np.float32)
        mix_c = rng.uniform(0.0, 0.4, size=(m, 1)).astype(np.float32)
        noise = rng.normal(0.0, 0.03, size=a.shape).astype(np.float32)
        v = a + mix_b * b + mix_c * c + noise
        out[start : start + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def exact_top(corpus: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    scores = queries @ corpus.T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    rows = np.arange(len(queries))[:, None]
    return top[rows, np.argsort(-scores[rows, top], axis=1)]


def percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="FAISS threads per query (DAILYPAPERS_SEARCH_THREADS)")
    parser.add_argument("--candidates", default="200,400,1000")
    parser.add_argument("--data-dir", default="/tmp/dailypapers-quality")
    parser.add_argument("--embeddings")
    parser.add_argument("--ivf", action="store_true", help="also measure a binary IVF index")
    args = parser.parse_args()
    import faiss

    from dailypapers.search.vectors import VectorIndex, write_mean, write_segment

    faiss.omp_set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    base = real_embeddings(args)
    print(f"{len(base)} real embeddings (dim {base.shape[1]}), {args.threads} threads")
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = synthesize(base, size, rng)
        queries = synthesize(base, args.queries, np.random.default_rng(1))
        truth = exact_top(corpus, queries, 10)
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            folder = Path(tmp) / "vectors"
            started = time.perf_counter()
            write_mean(folder, corpus[:20000].mean(axis=0))
            pks = np.arange(1, size + 1, dtype=np.int64)
            for start in range(0, size, 200_000):
                write_segment(folder, pks=pks[start : start + 200_000], vectors=corpus[start : start + 200_000])
            written = time.perf_counter() - started
            started = time.perf_counter()
            index = VectorIndex(folder, threads=args.threads)
            loaded = time.perf_counter() - started
            ram = index.index.ntotal * index.index.code_size + index.pks.nbytes + index._rows.nbytes
            print(
                f"\n== {size:,} papers: build from embeddings {written:.1f}s (codes + float16 file), "
                f"load {loaded:.2f}s, RAM for vectors {ram / size:.0f} bytes/paper "
                f"(codes {index.index.code_size} + keys 16), float16 file {size * base.shape[1] * 2 / 1e6:.0f} MB on disk"
            )
            for candidates in [int(c) for c in args.candidates.split(",")]:
                index.search(queries[0], k=10, candidates=candidates)
                latencies, recall = [], 0.0
                for q, expected in zip(queries, truth, strict=False):
                    started = time.perf_counter()
                    hits = index.search(q, k=10, candidates=candidates)
                    latencies.append(time.perf_counter() - started)
                    recall += len({h.pk - 1 for h in hits} & set(expected.tolist())) / 10
                print(
                    f"binary flat + re-score {candidates:>5} candidates: recall@10 {recall / len(queries):.3f}  "
                    f"p50 {percentile(latencies, 50):.1f} ms  p99 {percentile(latencies, 99):.1f} ms"
                )
            if args.ivf:
                nlist = max(64, int(4 * np.sqrt(size)))
                quantizer = faiss.IndexBinaryFlat(base.shape[1])
                ivf = faiss.IndexBinaryIVF(quantizer, base.shape[1], nlist)
                codes = np.concatenate(
                    [np.load(folder / s / "codes.npy") for s in sorted(os.listdir(folder)) if s.startswith("seg")]
                )
                started = time.perf_counter()
                ivf.train(codes[rng.choice(len(codes), min(len(codes), 50 * nlist), replace=False)])
                ivf.add(codes)
                ivf_build = time.perf_counter() - started
                for nprobe in (16, 64):
                    ivf.nprobe = nprobe
                    latencies, recall = [], 0.0
                    from dailypapers.search.vectors import binarize

                    for q, expected in zip(queries, truth, strict=False):
                        started = time.perf_counter()
                        _, cand = ivf.search(binarize(q[None], index.mean), 1000)
                        cand = cand[0][cand[0] >= 0]
                        scores = corpus[cand].astype(np.float16).astype(np.float32) @ q
                        top = cand[np.argsort(-scores)[:10]]
                        latencies.append(time.perf_counter() - started)
                        recall += len(set(top.tolist()) & set(expected.tolist())) / 10
                    print(
                        f"binary IVF{nlist} nprobe {nprobe} + re-score 1000 (build {ivf_build:.1f}s): recall@10 "
                        f"{recall / len(queries):.3f}  p50 {percentile(latencies, 50):.1f} ms  "
                        f"p99 {percentile(latencies, 99):.1f} ms"
                    )
            del index


if __name__ == "__main__":
    main()
