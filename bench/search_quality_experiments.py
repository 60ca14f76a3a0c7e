"""Ranking ideas measured against the current hybrid search, on both query sets of bench/search_quality.py.

    python bench/search_quality_experiments.py [--data-dir /tmp/dailypapers-quality] [--cache DIR] [--skip-long]

Run bench/search_quality.py first (it builds the corpus and its indexes). Each idea changes the semantic side only;
the keyword side, the score completion and the fusion are the production ones (search.services, search.fusion), so
every line compares with the "current" line of the same run. Prints MRR@10 of the semantic ranking alone and of the
fused hybrid one, for the tuning and the held-out queries:

- sentence windows: each abstract cut into windows of two sentences (stride one) plus the title, embedded one by
  one; a paper's score mixes its whole-text cosine and its best window's (lambda 0 = current, 1 = windows only);
- mean of windows: the whole-text vector mixed with the mean of its window vectors;
- pseudo-relevance feedback: the query vector moved toward the mean of the first m fused results' vectors;
- title vectors as a third fused ranking, at several weights;
- documents embedded at 128 and 512 tokens instead of the model's 256 (--skip-long leaves these out).

Embeddings are computed once with the configured model and kept in --cache (default: <data dir>/experiments): the
windows take about 7 minutes on a 2-core CPU, each re-embedding of the documents 1.5-4.5 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import numpy as np
from search_quality import mrr, setup

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\\$])")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/dailypapers-quality")
    parser.add_argument("--cache")
    parser.add_argument("--skip-long", action="store_true")
    args = parser.parse_args()
    setup(args.data_dir)
    from bench.search_quality_corpus import load_queries
    from dailypapers.papers.models import Paper
    from dailypapers.search import fusion, services, store
    from dailypapers.search.embeddings import SentenceTransformerEmbedder, paper_text

    cache = Path(args.cache or Path(args.data_dir) / "experiments")
    cache.mkdir(parents=True, exist_ok=True)
    snapshot = store.open_snapshot()
    model = services.get_embedder().name
    papers = list(Paper.objects.order_by("pk").values_list("pk", "arxiv_id", "title", "abstract"))
    row_of = {pk: i for i, (pk, *_rest) in enumerate(papers)}
    texts = [paper_text(title=title, abstract=abstract) for _pk, _id, title, abstract in papers]

    def embedded(name: str, build) -> np.ndarray:
        path = cache / f"{name}.npy"
        if not path.exists():
            started = time.perf_counter()
            np.save(path, build().astype(np.float16))
            print(f"embedded {name} in {time.perf_counter() - started:.0f} s", flush=True)
        return np.load(path).astype(np.float32)

    embedder = SentenceTransformerEmbedder(name=model)
    documents = embedded("documents", lambda: embedder.encode(texts))
    windows, owners = [], []
    for i, (_pk, _id, title, abstract) in enumerate(papers):
        sentences = [s for s in SENTENCE_END.split(" ".join(abstract.split())) if s]
        windows.append(title)
        owners.append(i)
        for j in range(len(sentences)):
            windows.append(" ".join(sentences[j : j + 2]))
            owners.append(i)
    owner = np.array(owners)
    window_vectors = embedded("windows", lambda: embedder.encode(windows))
    titles = window_vectors[np.unique(owner, return_index=True)[1]]  # each paper's first window is its title
    sums = np.zeros_like(documents)
    np.add.at(sums, owner, window_vectors)
    mean_windows = sums / np.linalg.norm(sums, axis=1, keepdims=True)
    variants: dict[str, np.ndarray] = {"current": documents}
    if not args.skip_long:
        for length in (128, 512):
            longer = SentenceTransformerEmbedder(name=model, max_seq_length=length)
            variants[f"documents at {length} tokens"] = embedded(
                f"documents-{length}", lambda e=longer: e.encode(texts)
            )
    for mix in (0.5, 0.7):
        vectors = mix * documents + (1 - mix) * mean_windows
        variants[f"{mix} whole + {1 - mix:.1f} mean of windows"] = vectors / np.linalg.norm(
            vectors, axis=1, keepdims=True
        )

    def fused(query, scores, keyword, extra=None, extra_weight=0.0):
        top = np.argsort(-scores)[: services.DEPTH]
        candidates = sorted(set(top.tolist()) | {row_of[pk] for pk, _ in keyword})
        in_keyword = {pk for pk, _ in keyword}
        bm25 = snapshot.keyword_index().scores_for(
            query, [papers[i][0] for i in candidates if papers[i][0] not in in_keyword]
        )
        keyword_list = sorted(keyword + list(bm25.items()), key=lambda item: -item[1])
        rankings = [keyword_list, sorted(((papers[i][0], float(scores[i])) for i in candidates), key=lambda x: -x[1])]
        weights = [services.KEYWORD_WEIGHT, services.SEMANTIC_WEIGHT]
        if extra is not None:
            rankings.append(sorted(((papers[i][0], float(extra[i])) for i in candidates), key=lambda x: -x[1]))
            weights.append(extra_weight)
        ranked = fusion.fuse(rankings, weights=weights, k=services.RRF_K, blend=services.BLEND)
        return [papers[row_of[pk]][1] for pk, _ in ranked[:10]], [papers[i][1] for i in top[:10]]

    sets = {
        "tuning": load_queries(),
        "held-out": load_queries(Path(__file__).with_name("search_quality_heldout.jsonl")),
    }
    print(f"{len(papers)} papers, model {model}; MRR@10 semantic / hybrid")
    for set_name, queries in sets.items():
        targets = [q["arxiv_id"] for q in queries]
        vectors = [services.embed_query(q["query"], snapshot=snapshot) for q in queries]
        keywords = [
            services.ranked_pks(query=q["query"], mode="keyword", snapshot=snapshot, depth=services.DEPTH)
            for q in queries
        ]

        def report(label, runs, set_name=set_name, targets=targets):
            hybrid, semantic = zip(*runs, strict=True)
            print(
                f"{set_name:<9} {label:<44} {mrr(list(semantic), targets)[0]:.3f} / {mrr(list(hybrid), targets)[0]:.3f}",
                flush=True,
            )

        for label, docs in variants.items():
            report(
                label, [fused(q["query"], docs @ v, kw) for q, v, kw in zip(queries, vectors, keywords, strict=True)]
            )
        for weight in (0.3, 1.0):
            runs = []
            for q, v, kw in zip(queries, vectors, keywords, strict=True):
                best = np.full(len(papers), -1.0, dtype=np.float32)
                np.maximum.at(best, owner, window_vectors @ v)
                runs.append(fused(q["query"], weight * best + (1 - weight) * (documents @ v), kw))
            report(f"sentence windows, lambda {weight}", runs)
        for weight in (0.2, 0.4, 0.7):
            runs = [
                fused(q["query"], documents @ v, kw, titles @ v, weight)
                for q, v, kw in zip(queries, vectors, keywords, strict=True)
            ]
            report(f"title vectors as a third ranking, weight {weight}", runs)
        for m, beta in ((1, 0.4), (3, 0.4), (3, 0.7), (5, 0.4)):
            runs = []
            for q, v, kw in zip(queries, vectors, keywords, strict=True):
                first = fused(q["query"], documents @ v, kw)[0][:m]
                moved = v + beta * np.mean(
                    [
                        documents[row_of[pk]]
                        for pk in Paper.objects.filter(arxiv_id__in=first).values_list("pk", flat=True)
                    ],
                    axis=0,
                )
                runs.append(fused(q["query"], documents @ (moved / np.linalg.norm(moved)), kw))
            report(f"feedback from the first {m}, beta {beta}", runs)


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    main()
