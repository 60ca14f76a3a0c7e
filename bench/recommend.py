""" "For you" quality and speed: simulated users from real papers, precision@10 against two baselines, latency.

    python bench/recommend.py [--users 60] [--sizes 10000,102538] [--model-papers 0] [--synthetic 100000]

What runs is the production ranking (dailypapers.library.recommend.Recommender: class-balanced ridge classifier over
a user's positives vs random negatives, candidates from the production vector index at each source's centroid)
over a real search.vectors.VectorIndex built in a temporary folder. The database is not involved (no fetch of
the user's positives or of the cards), so latency is that of the ranking itself.

Corpora and users:
- arXiv cs, OAI-PMH harvest of 2016 (../shared/data/arxiv/oai/shishir167__arxivXMLParser, 102,538 real papers with
  their real categories). A simulated user saves 5 random papers of one primary category (categories with at least
  40 papers); a recommendation is relevant when its primary category is that one. Baselines: the newest papers
  (this data has no upvotes) and random papers.
- Hugging Face daily papers 2024-2026 (9.6k real papers with real upvotes). A user saves 5 papers whose title has a
  given frequent word (e.g. "diffusion", "agents"); relevant = that word in the title. Baselines: the most upvoted
  papers of the last 90 days of the data, and random papers.

Vectors: the production path ranks stored model embeddings. Embedding 100k abstracts with the configured model
takes hours on 2 CPU cores, so the bench uses keyword features by default: TF-IDF over title + abstract words,
feature-hashed into 384 signed dimensions (the model's dimension) and L2-normalized. --model-papers N also runs the
category users on the first N papers with the configured embedding model (slow: ~30 abstracts/s here).
--synthetic N times the ranking on N synthetic clustered vectors (dim 384) as well.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gzip
import json
import math
import os
import re
import sys
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data" / "arxiv"
OAI = SHARED / "oai" / "shishir167__arxivXMLParser"
HF = SHARED / "hf"
DIM = 384
K = 10
WORD = re.compile(r"[a-z][a-z0-9\-]{1,}")


def setup() -> None:
    os.environ.setdefault("DAILYPAPERS_DATA_DIR", tempfile.mkdtemp(prefix="dailypapers-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()


# --- corpora ---------------------------------------------------------------------------------------------------------


def oai_papers() -> list[dict]:
    from dailypapers.papers.ingest import parse_path
    from dailypapers.papers.records import PaperRecord

    papers = []
    for path in sorted(OAI.glob("page*.xml.gz")):
        for record in parse_path(path):
            if isinstance(record, PaperRecord) and record.categories:
                papers.append(
                    {
                        "title": record.title,
                        "abstract": record.abstract,
                        "label": record.categories[0],
                        "date": record.published,
                    }
                )
    return papers


def hf_papers() -> list[dict]:
    seen: dict[str, dict] = {}
    for path in sorted(HF.glob("*/*.json*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for item in json.load(handle):
                paper = item.get("paper") or {}
                if not paper.get("id") or paper["id"] in seen:
                    continue
                published = paper.get("publishedAt") or item.get("publishedAt") or "2024-06-01T00:00:00Z"
                seen[paper["id"]] = {
                    "title": " ".join((paper.get("title") or item.get("title") or "").split()),
                    "abstract": " ".join((paper.get("summary") or "").split()),
                    "upvotes": int(paper.get("upvotes") or 0),
                    "date": dt.datetime.fromisoformat(published),
                }
    return list(seen.values())


# --- vectors ---------------------------------------------------------------------------------------------------------


def keyword_vectors(papers: list[dict]) -> np.ndarray:
    """TF-IDF of title + abstract words, feature-hashed into DIM signed buckets, L2-normalized."""
    docs = [collections.Counter(WORD.findall(f"{p['title']} {p['abstract']}".lower())) for p in papers]
    df = collections.Counter(word for doc in docs for word in doc)
    n = len(docs)
    slot: dict[str, tuple[int, float]] = {}
    for word, count in df.items():
        h = zlib.crc32(word.encode())
        slot[word] = (h % DIM, (1.0 if (h >> 16) & 1 else -1.0) * math.log((1 + n) / (1 + count)))
    out = np.zeros((n, DIM), dtype=np.float32)
    for row, doc in enumerate(docs):
        for word, tf in doc.items():
            bucket, weight = slot[word]
            out[row, bucket] += (1.0 + math.log(tf)) * weight
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def model_vectors(papers: list[dict]) -> np.ndarray:
    from dailypapers.search.embeddings import get_embedder, paper_text

    texts = [paper_text(title=p["title"], abstract=p["abstract"]) for p in papers]
    vectors = np.asarray(get_embedder().encode(texts), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def synthetic_vectors(n: int, rng: np.random.Generator, clusters: int = 200) -> tuple[np.ndarray, list[str]]:
    centers = rng.normal(size=(clusters, DIM)).astype(np.float32)
    labels = rng.integers(0, clusters, n)
    vectors = centers[labels] + rng.normal(scale=1.2, size=(n, DIM)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), [f"c{x}" for x in labels]


def build_index(vectors: np.ndarray, folder: Path):
    from dailypapers.search.vectors import VectorIndex, write_mean, write_segment

    write_mean(folder, vectors.mean(axis=0))
    write_segment(folder, pks=np.arange(1, len(vectors) + 1, dtype=np.int64), vectors=vectors)
    return VectorIndex(folder, threads=1)


# --- evaluation ------------------------------------------------------------------------------------------------------


def make_users(
    labels: list[str], n_users: int, rng: np.random.Generator, *, min_size: int = 40
) -> list[tuple[str, list[int]]]:
    """Each user: a topic (a label with at least min_size papers, each topic once before any repeats) and 5 of its
    papers, saved."""
    by_label: dict[str, list[int]] = collections.defaultdict(list)
    for pk, label in enumerate(labels, start=1):
        by_label[label].append(pk)
    eligible = sorted(label for label, pks in by_label.items() if len(pks) >= min_size and not label.startswith("-"))
    order = [eligible[i] for i in rng.permutation(len(eligible))]
    users = []
    for u in range(n_users):
        label = order[u % len(order)]
        users.append((label, [int(x) for x in rng.choice(by_label[label], size=5, replace=False)]))
    return users


def evaluate(
    name: str,
    vectors: np.ndarray,
    labels: list[str],
    baselines: dict[str, list[int]],
    n_users: int,
    rng: np.random.Generator,
    *,
    min_size: int = 40,
    relevant=None,
) -> None:
    """precision@K of For you and of each baseline ranking (1-based row numbers), and the ranking's latency.
    ``relevant(pk, topic)`` says whether a paper is relevant (default: its label is the topic)."""
    from dailypapers.library.recommend import Recommender

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        index = build_index(vectors, Path(tmp))
        built = time.perf_counter() - t0
        users = make_users(labels, n_users, rng, min_size=min_size)
        label_of = dict(enumerate(labels, start=1))
        hit = relevant or (lambda pk, topic: label_of[pk] == topic)
        scores = collections.defaultdict(list)
        latencies = []
        for u, (label, positives) in enumerate(users):
            owned = {pk: ["Saved"] for pk in positives}
            t = time.perf_counter()
            recs = Recommender(index, seed=u).rank(owned, limit=K)
            latencies.append((time.perf_counter() - t) * 1000)
            scores["For you"].append(sum(hit(r.paper_id, label) for r in recs) / K)
            for base, ranking in baselines.items():
                top = [pk for pk in ranking if pk not in owned][:K]
                scores[base].append(sum(hit(pk, label) for pk in top) / K)
            shuffled = rng.permutation(len(labels))[: K + 5] + 1
            top = [int(pk) for pk in shuffled if int(pk) not in owned][:K]
            scores["random"].append(sum(hit(pk, label) for pk in top) / K)
        lat = np.asarray(latencies)
        ours = np.mean(scores["For you"])
        print(
            f"\n{name}: {len(vectors):,} papers, {len(users)} users, {len({u[0] for u in users})} distinct "
            f"topics (index built in {built:.1f} s)"
        )
        for method, values in scores.items():
            ratio = "" if method == "For you" else f"   (For you is {ours / max(np.mean(values), 1e-9):.1f}x)"
            print(f"  precision@{K} {method:<24} {np.mean(values):.3f}{ratio}")
        print(
            f"  latency per user (ranking, 1 thread): p50 {np.percentile(lat, 50):.1f} ms, "
            f"p95 {np.percentile(lat, 95):.1f} ms, max {lat.max():.1f} ms"
        )


def time_only(name: str, vectors: np.ndarray, labels: list[str], n_users: int, rng: np.random.Generator) -> None:
    evaluate(name, vectors, labels, {}, n_users, rng, min_size=6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--sizes", default="10000,102538", help="sizes of the arXiv cs corpus (random subsets)")
    parser.add_argument("--model-papers", type=int, default=0, help="also run with the embedding model on N papers")
    parser.add_argument("--synthetic", type=int, default=0, help="also time N synthetic vectors")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not OAI.is_dir() or not HF.is_dir():
        sys.exit(f"shared data not found under {SHARED}")
    setup()
    rng = np.random.default_rng(args.seed)
    print(f"recommendation bench, {args.users} simulated users per corpus, seed {args.seed}")

    t0 = time.perf_counter()
    everything = oai_papers()
    print(f"parsed {len(everything):,} arXiv cs papers in {time.perf_counter() - t0:.0f} s")
    for size in [int(s) for s in args.sizes.split(",") if s]:
        chosen = sorted(rng.choice(len(everything), size=min(size, len(everything)), replace=False))
        papers = [everything[i] for i in chosen]
        t0 = time.perf_counter()
        vectors = keyword_vectors(papers)
        print(f"keyword vectors for {len(papers):,} papers in {time.perf_counter() - t0:.0f} s")
        newest = [int(i) + 1 for i in np.argsort([-p["date"].timestamp() for p in papers], kind="stable")]
        evaluate(
            "arXiv cs 2016, category users, keyword vectors",
            vectors,
            [p["label"] for p in papers],
            {"newest (no upvotes in data)": newest},
            args.users,
            rng,
        )
    if args.model_papers:
        papers = [everything[i] for i in sorted(rng.choice(len(everything), size=args.model_papers, replace=False))]
        t0 = time.perf_counter()
        vectors = model_vectors(papers)
        print(f"\nmodel embeddings for {len(papers):,} papers in {time.perf_counter() - t0:.0f} s")
        newest = [int(i) + 1 for i in np.argsort([-p["date"].timestamp() for p in papers], kind="stable")]
        for label, vecs in (("model embeddings", vectors), ("keyword vectors", keyword_vectors(papers))):
            evaluate(
                f"arXiv cs 2016, category users, {label}",
                vecs,
                [p["label"] for p in papers],
                {"newest (no upvotes in data)": newest},
                args.users,
                np.random.default_rng(args.seed),
            )

    papers = hf_papers()
    vectors = keyword_vectors(papers)
    words = collections.Counter(w for p in papers for w in set(WORD.findall(p["title"].lower())) if len(w) > 4)
    common = {
        "learning",
        "language",
        "model",
        "models",
        "large",
        "towards",
        "using",
        "based",
        "efficient",
        "via",
        "through",
        "scaling",
        "benchmark",
        "generation",
        "multimodal",
        "reasoning",
    }
    topics = [w for w, c in words.most_common(80) if c >= 60 and w not in common][:40]
    # A paper's label: the first topic word of its title (users are drawn per label, relevance checks the title).
    labels = []
    for p in papers:
        title_words = set(WORD.findall(p["title"].lower()))
        labels.append(next((w for w in topics if w in title_words), "-"))
    last = max(p["date"] for p in papers)
    recent = [i for i, p in enumerate(papers) if p["date"] >= last - dt.timedelta(days=90)]
    upvoted = [i + 1 for i in sorted(recent, key=lambda i: -papers[i]["upvotes"])]
    title_words = [set(WORD.findall(p["title"].lower())) for p in papers]
    evaluate(
        "HF daily papers 2024-2026, title-word users, keyword vectors",
        vectors,
        labels,
        {"most upvoted, last 90 days": upvoted},
        args.users,
        rng,
        min_size=40,
        relevant=lambda pk, word: word in title_words[pk - 1],
    )

    if args.synthetic:
        vectors, labels = synthetic_vectors(args.synthetic, rng)
        time_only("synthetic clustered vectors (200 clusters)", vectors, labels, args.users, rng)


if __name__ == "__main__":
    main()
