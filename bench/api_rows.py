"""The API's read path with the response cache off (/api/daily_papers?date=, /api/papers/search): before and after.

    python bench/api_rows.py [--data-dir DIR] [--days 10] [--repeat 3] [--profile]

Builds (or reuses, in --data-dir) a hub from the last --days recorded Hugging Face daily-papers files
(../shared/data/arxiv/hf), then, in one process and one thread, times with Django's test client (the whole request
path: middleware, ninja, rows, shapes, JSON) every day's /api/daily_papers?date=D&limit=100 and /api/papers/search
(empty query: the newest 100) with the previous code (bench/baselines/api_rows.py: row builder, author shapes,
entry listing) and with the current one, interleaved, and paper_rows(100 ids) alone. Prints p50 per call, requests/s
and the ratios, checks both answer byte-identical bodies, and with --profile prints a cProfile of the new path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import REPO, setup_django

HF_DIR = REPO.parent / "shared" / "data" / "arxiv" / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir")
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    files = sorted(HF_DIR.glob("*.json.gz"))[-args.days :]
    if not files:
        sys.exit(f"no Hugging Face daily-papers files under {HF_DIR}")
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="dailypapers-apirows-")
    env = {"DAILYPAPERS_API_CACHE_SECONDS": "0", "DAILYPAPERS_API_RATE_LIMIT": "100000000"}
    setup_django(data_dir=data_dir, DAILYPAPERS_LOG_LEVEL="WARNING", **env)
    from django.test import Client

    from dailypapers.api import routes_hf, selectors, shapes
    from dailypapers.papers.models import DailyEntry, Paper

    if not DailyEntry.objects.exists():
        print(f"importing {len(files)} Hugging Face daily-papers files into {data_dir} ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "dailypapers", "import", "-v0", *map(str, files)],
            check=True,
            env=os.environ | env,
            cwd=REPO,
        )
    days = sorted({d.isoformat() for d in DailyEntry.objects.values_list("day", flat=True)})
    print(f"hub: {Paper.objects.count()} papers, {DailyEntry.objects.count()} entries, {len(days)} days")
    from bench.baselines import api_rows as baseline

    new_rows, new_authors, new_entries = selectors.paper_rows, shapes._hf_authors, routes_hf.hf_entries_response
    client = Client(HTTP_HOST="localhost")
    urls = [f"/api/daily_papers?date={day}&limit=100" for day in days] + ["/api/papers/search?limit=100"]
    ids = list(Paper.objects.order_by("-published_at").values_list("pk", flat=True)[:100])

    def requests() -> tuple[list[float], list[bytes]]:
        times, bodies = [], []
        for _ in range(args.repeat):
            for url in urls:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (url, response.status_code)
                bodies.append(response.content)
        return times, bodies

    def rows_alone(fn) -> list[float]:
        times = []
        for _ in range(args.repeat * 10):
            started = time.perf_counter()
            fn(paper_ids=ids)
            times.append(time.perf_counter() - started)
        return times

    results = {}
    paths = {
        "before": (baseline.paper_rows, baseline.hf_authors, baseline.hf_entries_response),
        "after": (new_rows, new_authors, new_entries),
    }
    for name in ("before", "after", "before", "after"):  # twice each, interleaved: the second run of each counts
        fn, authors, entries = paths[name]
        selectors.paper_rows, shapes._hf_authors, routes_hf.hf_entries_response = fn, authors, entries
        requests()  # warm
        results[name, "requests"] = requests()
        results[name, "rows"] = (rows_alone(fn), [])
    selectors.paper_rows, shapes._hf_authors, routes_hf.hf_entries_response = new_rows, new_authors, new_entries
    same = results["before", "requests"][1] == results["after", "requests"][1]
    print(f"identical response bodies before and after: {same}")
    n = len(results["after", "requests"][0])
    print(f"{n} requests per pass ({len(days)} days + newest 100, x{args.repeat}), cache off, in process, one thread")
    for what, label in (("requests", "request (p50 ms)"), ("rows", "paper_rows(100 ids) (p50 ms)")):
        before = statistics.median(results["before", what][0]) * 1000
        after = statistics.median(results["after", what][0]) * 1000
        rate = f"  {1000 / before:7.1f} -> {1000 / after:7.1f} req/s" if what == "requests" else ""
        print(f"{label:32s} before {before:7.2f}  after {after:7.2f}  ratio {before / after:5.2f}x{rate}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        requests()
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    if not same:
        sys.exit("the new path answers differently from the old one")


if __name__ == "__main__":
    main()
