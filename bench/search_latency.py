"""Search latency, new method beside the previous one in the same run, on the corpus of bench/search_quality.py.

    python bench/search_latency.py [--data-dir /tmp/dailypapers-quality] [--repeat 3]

Run bench/search_quality.py first (it builds the database and the indexes). Prints, one thread each:
- query embedding p50/p99: the previous hand-written NumPy MiniLM (bench/baselines), sentence-transformers (torch),
  ONNX Runtime float32 and the generation's exported encoder (int8 where it passed the cosine floor), with the
  cosine of each to sentence-transformers;
- end-to-end hybrid search (query embedding, both indexes, fusion, database fetch) p50/p99 with the previous encoder
  and with the ONNX one (papers fetched plain, the default), then with every author prefetched (the previous
  default) and in the search page's card shape;
- filtered semantic search: filters inside the retrievers (new; with the database read of the allowed papers, then
  with it cached as it is per index snapshot) against the previous post-filter of the top 2,000 semantic candidates,
  with how many results each finds (and how many before the score floor).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = ordered[len(ordered) // 2] * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"


def timed(function, items, repeat: int) -> tuple[list[float], list]:
    times, outputs = [], []
    for _ in range(repeat):
        outputs = []
        for item in items:
            started = time.perf_counter()
            outputs.append(function(item))
            times.append(time.perf_counter() - started)
    return times, outputs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/dailypapers-quality")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from bench.search_quality import setup

    setup(args.data_dir)
    import numpy as np
    from threadpoolctl import threadpool_limits

    from bench.baselines.numpy_minilm import load as load_numpy_encoder
    from bench.search_quality_corpus import load_queries
    from dailypapers.papers.models import Paper
    from dailypapers.search import services, store
    from dailypapers.search.embeddings import get_embedder, resolve_model
    from dailypapers.search.onnx_export import export_encoder
    from dailypapers.search.query_encoder import OnnxEncoder

    snapshot = store.open_snapshot()
    if snapshot is None or snapshot.query_encoder() is None:
        sys.exit("no index with an ONNX encoder here: run bench/search_quality.py (or `dailypapers index`) first")
    queries = [q["query"] for q in load_queries()]
    queries += [q["query"] for q in load_queries(Path(__file__).with_name("search_quality_heldout.jsonl"))]
    papers = Paper.objects.count()
    encoder = snapshot.query_encoder()
    print(
        f"{len(queries)} queries x {args.repeat}, {papers} papers, {os.cpu_count()} cores, one thread per query; "
        f"exported encoder: {encoder.weights}"
    )

    # --- query embedding ---
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model_name = get_embedder().name
    st = SentenceTransformer(resolve_model(model_name), device="cpu")
    reference = st.encode(queries, normalize_embeddings=True)
    with tempfile.TemporaryDirectory() as tmp:
        export_encoder(
            model_name=model_name, folder=Path(tmp) / "f32", query_texts=queries[:16], document_texts=[], floor=1.01
        )  # a floor no int8 plan reaches: the float32 graph
        float32 = OnnxEncoder(Path(tmp) / "f32", threads=1)
        numpy_encoder = load_numpy_encoder(resolve_model(model_name))
        rows = []
        with threadpool_limits(limits=1):
            candidates = [
                ("previous: NumPy MiniLM", numpy_encoder.encode_one),
                ("sentence-transformers (torch)", lambda q: st.encode([q], normalize_embeddings=True)[0]),
                ("ONNX Runtime float32", float32.encode_one),
                (f"ONNX Runtime {encoder.weights} (new)", encoder.encode_one),
            ]
            for name, function in candidates:
                function("warm up")
                times, vectors = timed(function, queries, args.repeat)
                cosine = np.sum(np.asarray(vectors) * reference, axis=1)
                rows.append((name, times))
                print(
                    f"query embedding  {name:<48} {percentiles(times)}  cosine to s-t min {cosine.min():.4f} "
                    f"mean {cosine.mean():.4f}"
                )
        base = sorted(rows[0][1])[len(rows[0][1]) // 2]
        new = sorted(rows[-1][1])[len(rows[-1][1]) // 2]
        print(f"query embedding speed-up, new vs previous (p50): {base / new:.1f}x")

    # --- end to end ---
    def search(query):
        return services.search_papers(query=query, mode="hybrid")

    class NumpyAsEncoder:
        encode_one = staticmethod(numpy_encoder.encode_one)

    onnx_encoder = snapshot.encoder
    results = {}
    for name, swap in (("previous encoder", NumpyAsEncoder()), ("ONNX encoder (new)", onnx_encoder)):
        snapshot.encoder = swap
        with threadpool_limits(limits=1):
            search("warm up")
            times, _ = timed(search, queries, args.repeat)
        results[name] = times
        print(f"hybrid end to end  {name:<24} {percentiles(times)}")
    snapshot.encoder = onnx_encoder
    before, after = (sorted(t)[len(t) // 2] for t in results.values())
    print(f"hybrid end-to-end speed-up, new vs previous (p50): {before / after:.1f}x")

    # The papers' shape: plain papers (the default, as the CLI, digests and follows read them), every author
    # prefetched (the default before), the search page's cards (first authors, their count, daily entries).
    from dailypapers.community.selectors import card_papers
    from dailypapers.papers.selectors import with_authors

    for name, shape in (("every author (previous default)", with_authors), ("search page cards", card_papers)):
        with threadpool_limits(limits=1):
            times, _ = timed(
                lambda q, s=shape: services.search_papers(query=q, mode="hybrid", shape=s), queries, args.repeat
            )
        print(f"hybrid end to end  {name:<24} {percentiles(times)}")

    # --- filtered ---
    def previous_filtered(query, **filters):
        """The previous method: the top 2,000 semantic candidates, then a database filter."""
        vector = services.embed_query(query, snapshot=snapshot)
        hits = snapshot.vector_index().search(vector, k=2000, candidates=2000)
        pks = [hit.pk for hit in hits]
        allowed = set()
        filters = {"category": None, "author": None, "published_from": None, "published_to": None} | filters
        for start in range(0, len(pks), 900):
            allowed.update(
                services._filtered_papers(**filters)
                .filter(pk__in=pks[start : start + 900])
                .values_list("pk", flat=True)
            )
        return [(hit.pk, hit.score) for hit in hits if hit.pk in allowed][: services.DEPTH]

    def new_filtered(query, **filters):
        snapshot.__dict__.pop("_allowed", None)  # count the database read every time
        return services.ranked_pks(query=query, mode="semantic", snapshot=snapshot, depth=services.DEPTH, **filters)

    def new_filtered_cached(query, **filters):  # the allowed papers of a filter already read (per index snapshot)
        return services.ranked_pks(query=query, mode="semantic", snapshot=snapshot, depth=services.DEPTH, **filters)

    def before_floor(query, **filters):
        vector = services.embed_query(query, snapshot=snapshot)
        allowed = services.allowed_pks(snapshot, **filters)
        return snapshot.vector_index().search(vector, k=services.DEPTH, allowed=allowed)

    top_author = (
        Paper.objects.values("authors__name")
        .exclude(authors__name=None)
        .order_by("authors__name")
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("pk"))
        .order_by("-n")
        .first()
    )
    for label, filters in (
        ("category cs.CL", {"category": "cs.CL"}),
        (f"author {top_author['authors__name']!r}", {"author": top_author["authors__name"]}),
    ):
        for name, function in (
            ("previous: top 2,000 then filter", previous_filtered),
            ("new: inside the retriever", new_filtered),
            ("new, allowed papers cached", new_filtered_cached),
            ("new, before the score floor", before_floor),
        ):
            with threadpool_limits(limits=1):
                times, outputs = timed(lambda q, f=function, kw=filters: f(q, **kw), queries, args.repeat)
            found = np.mean([len(o) for o in outputs])
            print(f"semantic, {label:<28} {name:<34} {percentiles(times)}  mean results {found:.1f}")


if __name__ == "__main__":
    main()
