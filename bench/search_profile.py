"""Where the time of an API search goes: /api/v1/search in process (response cache off), timed and profiled.

    python bench/search_profile.py [--data-dir /tmp/dailypapers-quality] [--repeat 2] [--top 25]

Uses the corpus and indexes of bench/search_quality.py. Runs the 110 paraphrase queries through Django's test client
(the whole request path: middleware, ninja, search service, paper cards, JSON), one thread, and prints requests/s
and p50/p99 with the previous query encoder (bench/baselines) and paper objects fetched as before, with the ONNX
encoder and paper objects, and with neither (the new path), then a cProfile of the new path
(functions by own time and by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/tmp/dailypapers-quality")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ["DAILYPAPERS_API_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DAILYPAPERS_API_RATE_LIMIT", "100000000")  # on, as in production, but never refusing
    from bench.search_quality import setup

    setup(args.data_dir)
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)
    from django.test import Client
    from threadpoolctl import threadpool_limits

    from bench.baselines.numpy_minilm import load as load_numpy_encoder
    from bench.search_quality_corpus import load_queries
    from dailypapers.search import store
    from dailypapers.search.embeddings import get_embedder, resolve_model

    queries = [q["query"] for q in load_queries()]
    queries += [q["query"] for q in load_queries(Path(__file__).with_name("search_quality_heldout.jsonl"))]
    urls = [f"/api/v1/search?{urllib.parse.urlencode({'q': q[:250], 'per_page': 20})}" for q in queries]
    client = Client(HTTP_HOST="localhost")  # an allowed host (DAILYPAPERS_ALLOWED_HOSTS), as a real request has
    snapshot = store.open_snapshot()
    onnx = snapshot.query_encoder()
    if onnx is None:
        sys.exit("no index with an ONNX encoder here: run bench/search_quality.py first")

    class Previous:
        encode_one = staticmethod(load_numpy_encoder(resolve_model(get_embedder().name)).encode_one)

    def run_all() -> list[float]:
        times = []
        for _ in range(args.repeat):
            for url in urls:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code, response.content[:200])
        return times

    from dailypapers.search import services

    plain_search = services.search_papers

    def fetching_search(**kwargs):  # as before: paper objects with their authors built, then unused by the API
        return plain_search(**(kwargs | {"fetch": True}))

    with threadpool_limits(limits=1):
        client.get(urls[0])
        for name, encoder, search in (
            ("previous encoder + papers fetched", Previous(), fetching_search),
            ("ONNX + papers fetched", onnx, fetching_search),
            ("ONNX, no paper objects (new)", onnx, plain_search),
        ):
            snapshot.encoder = encoder
            services.search_papers = search
            times = sorted(run_all())
            print(
                f"/api/v1/search, {name:<34} {len(times) / sum(times):6.1f} req/s in one thread   "
                f"p50 {times[len(times) // 2] * 1000:6.2f} ms   p99 {times[int(len(times) * 0.99)] * 1000:6.2f} ms"
            )
        snapshot.encoder = onnx
        services.search_papers = plain_search
        profile = cProfile.Profile()
        profile.enable()
        run_all()
        profile.disable()
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(key).print_stats(args.top)
        print(f"--- by {key} ---")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


if __name__ == "__main__":
    main()
