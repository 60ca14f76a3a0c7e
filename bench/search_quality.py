"""Search quality: MRR@10 of keyword, semantic and hybrid search for paraphrase queries over real papers.

    python bench/search_quality.py [--data-dir /tmp/dailypapers-quality] [--grid]

Imports the ~9.6k Hugging Face daily papers plus the 74 seed papers (synthetic ids) into a database in the data
folder (kept between runs, so embeddings are computed once), syncs the indexes, then runs each query of
bench/search_quality_queries.jsonl (own paraphrases of the 74 seed abstracts, no title words; used for tuning) and
of bench/search_quality_heldout.jsonl (36 paraphrases of other papers' abstracts, written later and kept as a
check against over-fitting: a change is kept only when both sets improve) in every mode. --grid also tries fusion
settings on the same rankings (tuning set).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path

from benchlib import setup_django


def setup(data_dir: str) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    setup_django(data_dir=data_dir)


def import_corpus() -> int:
    from bench.search_quality_corpus import hf_papers, seed_papers
    from dailypapers.papers.models import Paper
    from dailypapers.papers.records import RecordError, build_record
    from dailypapers.papers.services import import_records

    papers = hf_papers() + seed_papers()
    if Paper.objects.count() >= len(papers):
        return Paper.objects.count()
    records = []
    for p in papers:
        try:
            records.append(
                build_record(
                    arxiv_id=p.arxiv_id,
                    title=p.title,
                    abstract=p.abstract,
                    authors=p.authors,
                    categories=p.categories,
                    published=dt.datetime.fromisoformat(p.published.replace("Z", "+00:00")),
                    source="bench",
                )
            )
        except RecordError as exc:
            print("skipped", p.arxiv_id, exc)
    import_records(records)
    return Paper.objects.count()


def mrr(rankings: list[list[str]], targets: list[str], cutoff: int = 10) -> tuple[float, float, float]:
    rr, top1, top3 = 0.0, 0, 0
    for ranking, target in zip(rankings, targets, strict=False):
        ids = ranking[:cutoff]
        if target in ids:
            rank = ids.index(target) + 1
            rr += 1.0 / rank
            top1 += rank == 1
            top3 += rank <= 3
    n = len(targets) or 1
    return rr / n, top1 / n, top3 / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/dailypapers-quality")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    setup(args.data_dir)
    from bench.search_quality_corpus import load_queries
    from dailypapers.papers.models import Paper
    from dailypapers.search import fusion, services, store
    from dailypapers.search.sync import sync_indexes

    count = import_corpus()
    started = time.perf_counter()
    print(sync_indexes(progress=True).text())
    print(f"{count} papers indexed/synced in {time.perf_counter() - started:.1f}s")
    queries = load_queries()
    targets = [q["arxiv_id"] for q in queries]
    snapshot = store.open_snapshot()
    id_of = dict(Paper.objects.values_list("pk", "arxiv_id"))
    depth = services.DEPTH
    keyword, semantic, vectors = [], [], []
    started = time.perf_counter()
    for q in queries:
        vectors.append(services.embed_query(q["query"]))
        keyword.append(services.ranked_pks(query=q["query"], mode="keyword", snapshot=snapshot, depth=depth))
        semantic.append(
            services.ranked_pks(
                query=q["query"], mode="semantic", snapshot=snapshot, depth=depth, query_vector=vectors[-1]
            )
        )
    per_query = (time.perf_counter() - started) / max(1, len(queries)) * 1000
    hybrid = [
        services.ranked_pks(query=q["query"], mode="hybrid", snapshot=snapshot, depth=depth, query_vector=v)
        for q, v in zip(queries, vectors, strict=False)
    ]

    def ids(rankings):
        return [[id_of[pk] for pk, _ in r] for r in rankings]

    print(f"{len(queries)} queries, {count} papers; keyword+semantic retrieval {per_query:.0f} ms/query")
    for name, rankings in (("keyword", keyword), ("semantic", semantic), ("hybrid", hybrid)):
        value, top1, top3 = mrr(ids(rankings), targets)
        print(f"{name:<9} MRR@10 {value:.3f}   top-1 {top1:.3f}   top-3 {top3:.3f}")
    held = load_queries(Path(__file__).with_name("search_quality_heldout.jsonl"))
    for mode in ("keyword", "semantic", "hybrid"):
        rankings = [services.ranked_pks(query=q["query"], mode=mode, snapshot=snapshot, depth=depth) for q in held]
        value, top1, top3 = mrr(ids(rankings), [q["arxiv_id"] for q in held])
        print(f"held-out {mode:<9} MRR@10 {value:.3f}   top-1 {top1:.3f}   top-3 {top3:.3f}   ({len(held)} queries)")
    if args.show_misses:
        for q, r in zip(queries, ids(hybrid), strict=False):
            rank = r.index(q["arxiv_id"]) + 1 if q["arxiv_id"] in r else None
            if rank != 1:
                print(f"  rank {rank}: {q['target']}: {q['query'][:90]}")
    calibrate_floor(services, snapshot, queries + held)
    latencies = []
    for q in queries:
        started = time.perf_counter()
        services.search_papers(query=q["query"])
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    print(
        f"end-to-end hybrid search_papers (query embedding, both indexes, fusion, DB fetch): "
        f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, p90 {latencies[int(len(latencies) * 0.9)] * 1000:.1f} ms"
    )
    if args.grid:
        from dailypapers.search import keywords as kw_module

        results = []
        for boost in (0.1, 0.3, 1.0):
            for stop in (False, True):
                kw_module.TITLE_BOOST, kw_module.DROP_STOPWORDS = boost, stop
                kw_lists = [
                    services.ranked_pks(query=q["query"], mode="keyword", snapshot=snapshot, depth=depth)
                    for q in queries
                ]
                results.append((mrr(ids(kw_lists), targets)[0], f"keyword only: title boost {boost} stopwords {stop}"))
                completed = [
                    services._complete(q["query"], v, snapshot, a, b)
                    for q, v, a, b in zip(queries, vectors, kw_lists, semantic, strict=False)
                ]
                for complete, pairs in ((False, list(zip(kw_lists, semantic, strict=False))), (True, completed)):
                    for kw in (0.5, 0.7, 1.0, 1.4):
                        for k in (5, 10, 20, 60):
                            for blend in (0.0, 0.3, 0.6, 1.0):
                                fused = [fusion.fuse([a, b], weights=[kw, 1.0], k=k, blend=blend) for a, b in pairs]
                                results.append(
                                    (
                                        mrr(ids(fused), targets)[0],
                                        f"title boost {boost} stopwords {stop} complete {complete} "
                                        f"keyword weight {kw} k {k} blend {blend}",
                                    )
                                )
        results.sort(reverse=True)
        for value, text in results[:15]:
            print(f"grid: MRR@10 {value:.3f}  {text}")


NONSENSE = [
    "zzqxv nonexistentterm",
    "qwxz plmo vbnr",
    "asdfgh jklqwe",
    "xkcd zyzzyva quux",
    "blorptastic frumious gimble",
    "chocolate cake recipe with strawberries",
    "best hiking trails near lake tahoe",
    "how to fix a leaking faucet",
    "cheap flights to lisbon in march",
    "knitting a wool scarf for beginners",
    "my cat will not stop meowing",
]


def calibrate_floor(services, snapshot, queries) -> None:
    """The cosine of each query's target paper against the best cosine a nonsense or off-topic query reaches."""
    import numpy as np

    from dailypapers.papers.models import Paper

    pk_of = dict(Paper.objects.values_list("arxiv_id", "pk"))
    index = snapshot.vector_index()
    targets = []
    for q in queries:
        vector = services.embed_query(q["query"], snapshot=snapshot)
        targets.append(index.scores_for(vector, [pk_of[q["arxiv_id"]]]).get(pk_of[q["arxiv_id"]], 0.0))
    tops = [index.search(services.embed_query(text, snapshot=snapshot), k=1)[0].score for text in NONSENSE]
    targets = np.array(targets)
    print(
        f"score floor {services.semantic_floor():.2f}: target-paper cosine of {len(targets)} real queries min "
        f"{targets.min():.3f}, 1st pct {np.percentile(targets, 1):.3f}, 5th pct {np.percentile(targets, 5):.3f}; "
        f"best cosine of {len(NONSENSE)} nonsense/off-topic queries max {max(tops):.3f}, median "
        f"{np.median(tops):.3f}"
    )
    from django.conf import settings

    pk_to_id = {pk: arxiv_id for arxiv_id, pk in pk_of.items()}

    def hybrid_mrr() -> float:
        rankings = [
            [
                pk_to_id[pk]
                for pk, _ in services.ranked_pks(
                    query=q["query"], mode="hybrid", snapshot=snapshot, depth=services.DEPTH
                )
            ]
            for q in queries
        ]
        return mrr(rankings, [q["arxiv_id"] for q in queries])[0]

    with_floor = hybrid_mrr()
    kept, settings.SEARCH_SEMANTIC_FLOOR = settings.SEARCH_SEMANTIC_FLOOR, -1.0
    own = getattr(type(services.get_embedder()), "semantic_floor", None)
    without_floor = hybrid_mrr() if own is None else float("nan")
    settings.SEARCH_SEMANTIC_FLOOR = kept
    print(
        f"hybrid MRR@10 over all {len(queries)} queries: {with_floor:.3f} with the floor, {without_floor:.3f} without"
    )
    for text in NONSENSE[:2] + NONSENSE[5:7]:
        results = services.search_papers(query=text)
        print(f"  {text!r}: {results.total} results")


if __name__ == "__main__":
    main()
