"""The served load test's traffic, in process: where the time of a cache-off API request goes, without the server.

    python bench/api_inprocess.py --data-dir DIR [--requests 3000] [--routes daily_papers search] [--profile]

DIR is a hub built by bench/api_load.py (`--data-dir DIR`; with `--synthetic-embeddings` for the search route).
Draws the same Zipf-popular URLs as that script (its pools and seed), then replays them through Django's test client
in one process and one thread with the response cache off (the whole request path: middleware, ninja, listing,
rows, shapes, JSON). For /api/daily_papers it prints requests/s, p50/p99, then p50/p90 and the share of time per
kind of URL (date, week, month, latest; trending or not). For
/api/papers/search it prints requests/s and p50/p99, and the share of the time spent in the query encoder, the
paper rows, the vector index, the keyword index and the score completion (cProfile). --profile prints the top
functions of each route.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import pstats
import random
import statistics
import sys
import time

from api_load import daily_paths, popular_sequence, search_paths
from benchlib import setup_django


def kind(path: str) -> str:
    for name in ("date", "week", "month"):
        if f"{name}=" in path:
            break
    else:
        name = "latest"
    return name + (" trending" if "trending" in path else "")


def replay(client, paths: list[str]) -> tuple[float, list[float]]:
    latencies = []
    started = time.perf_counter()
    for path in paths:
        begun = time.perf_counter()
        response = client.get(path)
        latencies.append(time.perf_counter() - begun)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
    return len(paths) / (time.perf_counter() - started), latencies


def profile_shares(client, paths: list[str], names: dict[str, str], top: bool) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    replay(client, paths)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    for label, where in names.items():
        filename, function = where.split(":")
        cumulative = sum(
            value[3]
            for (path, _line, name), value in stats.stats.items()
            if path.endswith(filename) and name == function
        )
        print(f"  {label:<28} {cumulative / total:6.1%} of the time")
    if top:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--routes", nargs="+", default=["daily_papers", "search"], choices=["daily_papers", "search"])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    setup_django(
        data_dir=args.data_dir,
        migrate=False,
        DAILYPAPERS_API_CACHE_SECONDS="0",
        DAILYPAPERS_API_RATE_LIMIT="1000000000",
        DAILYPAPERS_LOG_LEVEL="WARNING",
        HF_HUB_OFFLINE="1",
    )
    from django.conf import settings
    from django.test import Client

    from dailypapers.papers.models import Paper

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    rng = random.Random(args.seed)  # the pools and draws of bench/api_load.py with the same seed
    daily = popular_sequence(rng, daily_paths(rng))[: args.requests]
    search = popular_sequence(rng, search_paths(rng))[: args.requests]
    print(f"{Paper.objects.count()} papers, {args.requests} requests per run, one thread, response cache off")

    if "daily_papers" in args.routes:
        replay(client, daily[:300])  # warm: the database's pages, the compiled plans
        rate, latencies = replay(client, daily)
        ordered = sorted(latencies)
        print(
            f"/api/daily_papers mix: {rate:.0f} req/s, p50 {statistics.median(ordered) * 1000:.2f} ms, "
            f"p99 {ordered[int(len(ordered) * 0.99)] * 1000:.2f} ms"
        )
        by_kind = collections.defaultdict(list)
        for path, seconds in zip(daily, latencies, strict=True):
            by_kind[kind(path)].append(seconds)
        total = sum(latencies)
        for name, times in sorted(by_kind.items(), key=lambda item: -sum(item[1])):
            times.sort()
            print(
                f"  {name:<16} {len(times):5} requests  {sum(times) / total:6.1%} of the time  "
                f"p50 {statistics.median(times) * 1000:5.2f} ms  p90 {times[int(len(times) * 0.9)] * 1000:5.2f} ms"
            )
        if args.profile:
            profile_shares(client, daily[:1500], {"paper rows": "api/selectors.py:paper_rows"}, True)

    if "search" in args.routes:
        replay(client, search[:200])
        rate, latencies = replay(client, search)
        latencies.sort()
        print(
            f"/api/papers/search mix: {rate:.0f} req/s, p50 {statistics.median(latencies) * 1000:.2f} ms, "
            f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.2f} ms"
        )
        profile_shares(
            client,
            search[:800],
            {
                "query encoding": "search/services.py:embed_query",
                "paper rows": "api/selectors.py:paper_rows",
                "vector index": "search/vectors.py:search",
                "keyword index": "search/keywords.py:search",
                "score completion": "search/services.py:_complete",
            },
            args.profile,
        )


if __name__ == "__main__":
    main()
