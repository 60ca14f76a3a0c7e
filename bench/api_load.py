"""Load test of the read API on the production server (`dailypapers serve`), with a load generator on loopback.

    python bench/api_load.py [--data-dir DIR] [--papers 100000] [--connections 32] [--duration 15]

Builds (or reuses, in --data-dir) a hub of >= --papers real papers: every recorded Hugging Face daily-papers file
(9.5k papers with daily entries, submitters and upvotes), then pages of the 2016 OAI-PMH cs harvest (102k papers).
Starts `dailypapers serve` (gunicorn, its default workers and threads; rate limiting on, with a limit too high to
refuse), then drives it with wrk (Debian: `apt-get install wrk`; a Python asyncio client when wrk is absent) over
32 keep-alive connections:

- /api/daily_papers: 2,000 distinct URLs mixing date= over the 558 recorded days, week=, month=, p=, limit=, sort=;
- /api/papers/search: 2,000 distinct queries made from the words of real titles (1 to 3 words, limit 10-50);

each requested with Zipf popularity (the i-th URL of the pool weighs 1/i: a few hot pages, a long tail of rare ones),
as real traffic is.

For the search route, the search app's index is built first (`dailypapers index`); embedding 100k papers with the
real model takes hours on a small CPU, so --synthetic-embeddings stores random unit vectors as the papers' embeddings
instead: the index and the query path (the real query encoder, the FAISS scan, tantivy, fusion) do the same work.

Each route runs twice, first with the shared response cache off (the baseline: every request does its queries),
then on (DAILYPAPERS_API_CACHE_SECONDS); it prints requests/s, p50 and p99 latency, and the ratio to the baseline.
Targets (issue 5): /api/daily_papers >= 500 req/s and /api/papers/search >= 100 req/s at 100k papers.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchlib import REPO, free_port

ARXIV = REPO.parent / "shared" / "data" / "arxiv"
HF_DIR = ARXIV / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"
OAI_DIR = ARXIV / "oai" / "shishir167__arxivXMLParser"
OAI_PAGE_SIZE = 1000


def run(args: list[str], env: dict) -> str:
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args[:4])}...\n{done.stdout}\n{done.stderr}")
    return done.stdout


def count_papers(env: dict) -> int:
    code = "from dailypapers.papers.models import Paper; print(Paper.objects.count())"
    return int(run([sys.executable, "-m", "dailypapers", "shell", "-c", code], env).split()[-1])


def build_hub(env: dict, target: int) -> int:
    run([sys.executable, "-m", "dailypapers", "migrate", "-v0"], env)
    have = count_papers(env)
    if have >= target:
        return have
    hf_files = sorted(HF_DIR.glob("*.json.gz"))
    if not hf_files:
        sys.exit(f"no Hugging Face daily-papers files under {HF_DIR}")
    print(f"importing {len(hf_files)} Hugging Face daily-papers files ...", flush=True)
    run([sys.executable, "-m", "dailypapers", "import", "-v0", *map(str, hf_files)], env)
    have = count_papers(env)
    pages = sorted(OAI_DIR.glob("page*.xml.gz"))[: max(0, -(-(target - have) // OAI_PAGE_SIZE))]
    if pages:
        print(f"importing {len(pages)} OAI-PMH pages (about {len(pages) * OAI_PAGE_SIZE} papers) ...", flush=True)
        run([sys.executable, "-m", "dailypapers", "import", "-v0", *map(str, pages)], env)
    return count_papers(env)


SYNTHETIC_EMBEDDINGS = """
import numpy as np
from django.conf import settings
from django.db import transaction
from dailypapers.papers.models import Paper
from dailypapers.search.embeddings import paper_text, text_hash
from dailypapers.search.models import PaperEmbedding
name, dim, rng = settings.EMBEDDING_MODEL, 384, np.random.default_rng(5)
have = set(PaperEmbedding.objects.filter(model=name).values_list("paper_id", flat=True))
rows = []
for pk, title, abstract in Paper.objects.values_list("pk", "title", "abstract").iterator(chunk_size=5000):
    if pk in have:
        continue
    v = rng.standard_normal(dim).astype(np.float32)
    v /= np.linalg.norm(v)
    rows.append(PaperEmbedding(paper_id=pk, model=name, dim=dim, vector=v.astype("<f2").tobytes(),
                               text_hash=text_hash(paper_text(title=title, abstract=abstract))))
with transaction.atomic():
    PaperEmbedding.objects.bulk_create(rows, batch_size=2000)
print(len(rows))
"""


def build_search_index(env: dict, *, synthetic: bool) -> None:
    """Build the search app's index (when it is installed); optionally with random stand-in paper vectors."""
    if importlib.util.find_spec("dailypapers.search.sync") is None:
        print("no search app: /api/papers/search runs on its stand-in (title words, no index)")
        return
    if synthetic:
        print("storing random unit vectors as the papers' embeddings (index plumbing; queries use the real model)")
        run([sys.executable, "-m", "dailypapers", "shell", "-c", SYNTHETIC_EMBEDDINGS], env)
    print("building the search index ...", flush=True)
    run([sys.executable, "-m", "dailypapers", "index", "--no-progress"], env)


def daily_paths(rng: random.Random, n: int = 2000, *, dates_only: bool = False) -> list[str]:
    days = sorted(p.name.split(".")[0] for p in HF_DIR.glob("*.json.gz"))
    paths = []
    for _ in range(n):
        day = dt.date.fromisoformat(rng.choice(days))
        kind = 0.0 if dates_only else rng.random()
        if kind < 0.55:
            query = {"date": day.isoformat()}
        elif kind < 0.7:
            year, week, _ = day.isocalendar()
            query = {"week": f"{year}-W{week:02d}", "limit": rng.choice([20, 50, 100])}
        elif kind < 0.8:
            query = {"month": f"{day.year}-{day.month:02d}", "p": rng.randint(0, 5)}
        else:
            query = {"p": rng.randint(0, 20), "limit": rng.choice([10, 50])}
        if rng.random() < 0.3:
            query["sort"] = "trending"
        paths.append("/api/daily_papers?" + urllib.parse.urlencode(query))
    return paths


def search_paths(rng: random.Random, n: int = 2000) -> list[str]:
    titles = []
    for path in sorted(HF_DIR.glob("*.json.gz"))[:200]:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            titles += [item.get("title") or "" for item in json.load(stream)]
    words = [re.findall(r"[A-Za-z]{4,}", title) for title in titles]
    words = [w for w in words if len(w) >= 2]
    paths = []
    for _ in range(n):
        chosen = rng.choice(words)
        start = rng.randrange(0, len(chosen) - 1)
        query = " ".join(chosen[start : start + rng.choice([1, 2, 3])]).lower()
        paths.append("/api/papers/search?" + urllib.parse.urlencode({"q": query, "limit": rng.choice([10, 20, 50])}))
    return paths


def popular_sequence(rng: random.Random, pool: list[str], n: int = 20000, s: float = 1.0) -> list[str]:
    """Requests drawn from the pool with Zipf popularity (the i-th URL weighs 1/i^s): a few hot pages, a long tail."""
    weights = [1 / (rank**s) for rank in range(1, len(pool) + 1)]
    return rng.choices(pool, weights=weights, k=n)


class Server:
    def __init__(self, env: dict, *, cache_seconds: int, serve_args: list[str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server_env = {**env, "DAILYPAPERS_API_CACHE_SECONDS": str(cache_seconds)}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (open while the server runs; closed in stop())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dailypapers", "serve", "--port", str(self.port), *(serve_args or [])],
            cwd=REPO,
            env=server_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(600):
            try:
                urllib.request.urlopen(self.url + "/api/daily_papers?limit=1", timeout=5).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    sys.exit("server exited:\n" + self.log.read().decode(errors="replace"))
                time.sleep(0.2)
        sys.exit("server did not answer")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def wrk(url: str, paths: list[str], *, connections: int, duration: int) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115  (wrk reads it by name)
    lua_paths = ",".join(json.dumps(p) for p in paths)
    script.write(
        f"local paths = {{{lua_paths}}}\n"
        "local i = 0\n"
        "setup = function(thread) thread:set('offset', math.random(#paths)) end\n"
        "init = function(args) i = tonumber(offset) or 0 end\n"
        "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n"
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format(\'JSON {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, '
        '"non2xx": %d, "errors": %d}\\n\', summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, '
        "latency:percentile(99) / 1e3, summary.errors.status, summary.errors.connect + summary.errors.read + "
        "summary.errors.write + summary.errors.timeout))\n"
        "end\n"
    )
    script.close()
    threads = max(1, min(4, os.cpu_count() or 1))
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script.name, url],
        capture_output=True,
        text=True,
    )
    os.unlink(script.name)
    line = next((text for text in out.stdout.splitlines() if text.startswith("JSON ")), None)
    if line is None:
        sys.exit("wrk failed:\n" + out.stdout + out.stderr)
    stats = json.loads(line[5:])
    stats["rps"] = stats["requests"] / stats["seconds"]
    return stats


async def _python_load(host: str, port: int, paths: list[str], connections: int, duration: int) -> dict:
    latencies: list[float] = []
    non2xx = errors = 0
    deadline = time.perf_counter() + duration
    counter = iter(range(10**12))

    async def worker() -> None:
        nonlocal non2xx, errors
        reader, writer = await asyncio.open_connection(host, port)
        while time.perf_counter() < deadline:
            path = paths[next(counter) % len(paths)]
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
                await reader.readexactly(length)
            except (asyncio.IncompleteReadError, AttributeError, ConnectionError):
                errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            latencies.append(time.perf_counter() - started)
            non2xx += not 200 <= status < 300
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    seconds = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0.0  # noqa: E731
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "rps": len(latencies) / seconds,
        "p50": pick(0.5),
        "p99": pick(0.99),
        "non2xx": non2xx,
        "errors": errors,
    }


def load(url: str, paths: list[str], *, connections: int, duration: int) -> dict:
    if shutil.which("wrk"):
        return wrk(url, paths, connections=connections, duration=duration)
    parsed = urllib.parse.urlparse(url)
    return asyncio.run(_python_load(parsed.hostname, parsed.port, paths, connections, duration))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="hub to build or reuse (default: a temporary folder, removed after)")
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=15, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of load before each measurement")
    parser.add_argument("--cache-seconds", type=int, default=300, help="DAILYPAPERS_API_CACHE_SECONDS of the server")
    parser.add_argument(
        "--cache-url", default="", help="DAILYPAPERS_CACHE_URL of the server, e.g. redis://127.0.0.1:6379/9"
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--serve-args", default="", help='extra `dailypapers serve` options, e.g. "--workers 2 --threads 1"'
    )
    parser.add_argument("--dates-only", action="store_true", help="/api/daily_papers?date=D only (the 558 days)")
    parser.add_argument("--no-cache-only", action="store_true", help="measure only with the response cache off")
    parser.add_argument(
        "--synthetic-embeddings",
        action="store_true",
        help="store random paper vectors instead of embedding 100k papers with the model (hours on a small CPU)",
    )
    parser.add_argument("--routes", nargs="+", default=["daily_papers", "search"], choices=["daily_papers", "search"])
    args = parser.parse_args()

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="dailypapers-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DAILYPAPERS_DATA_DIR": str(data_dir),
        "DAILYPAPERS_API_RATE_LIMIT": "1000000000",
        "DAILYPAPERS_LOG_LEVEL": "WARNING",
        "DAILYPAPERS_SERVE_WORKER": "0",  # no background jobs taking CPU from the measured server
    }
    env.pop("DAILYPAPERS_ACCESS_LOG", None)
    if args.cache_url:
        env["DAILYPAPERS_CACHE_URL"] = args.cache_url
    try:
        papers = build_hub(env, args.papers)
        if "search" in args.routes:
            build_search_index(env, synthetic=args.synthetic_embeddings)
        rng = random.Random(args.seed)
        pools, routes = {}, {}  # only the asked routes: a hub without daily entries can still measure search
        if "daily_papers" in args.routes:
            pools["/api/daily_papers"] = daily_paths(rng, dates_only=args.dates_only)
            routes["/api/daily_papers"] = popular_sequence(rng, pools["/api/daily_papers"])
        if "search" in args.routes:
            pools["/api/papers/search"] = search_paths(rng)
            routes["/api/papers/search"] = popular_sequence(rng, pools["/api/papers/search"])
        targets = {"/api/daily_papers": 500, "/api/papers/search": 100}
        tool = "wrk" if shutil.which("wrk") else "python asyncio client"
        print(
            f"{papers} papers; cache {args.cache_url or 'the database'}; serve {args.serve_args or '(defaults)'}; {tool}, {args.connections} connections, {args.duration} s per run; "
            f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} before the runs)"
        )
        hot = {
            "/api/daily_papers": ["/api/daily_papers"],
            "/api/papers/search": ["/api/papers/search?q=diffusion+models"],
        }
        modes = (("no cache (baseline)", 0), ("shared cache", args.cache_seconds))[: 1 if args.no_cache_only else 2]
        results: dict[tuple[str, str, str], dict] = {}
        for label, cache_seconds in modes:
            server = Server(env, cache_seconds=cache_seconds, serve_args=args.serve_args.split())
            try:
                for route, paths in routes.items():
                    # Warm up: the workers, the database's pages and (cache on) the hot URLs, as on a running site.
                    load(server.url, paths, connections=args.connections, duration=args.warmup)
                    results[(route, "mix", label)] = load(
                        server.url, paths, connections=args.connections, duration=args.duration
                    )
                    results[(route, "one", label)] = load(
                        server.url, hot[route], connections=args.connections, duration=args.duration
                    )
            finally:
                server.stop()
        print(
            f"\n{'route':<22} {'traffic':<30} {'mode':<20} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'non-2xx':>7} {'x base':>6}"
        )
        for route in routes:
            for traffic, words in (
                ("mix", f"{len(set(pools[route])):,} URLs, Zipf popularity"),
                ("one", hot[route][0].split("/api/")[1][:30]),
            ):
                base = results[(route, traffic, modes[0][0])]["rps"]
                for label, _ in modes:
                    r = results[(route, traffic, label)]
                    print(
                        f"{route:<22} {words:<30} {label:<20} {r['rps']:7.0f} {r['p50']:7.1f} {r['p99']:7.1f} "
                        f"{r['non2xx'] + r['errors']:7d} {r['rps'] / base:6.2f}"
                    )
            for label, _ in modes:
                rps = results[(route, "mix", label)]["rps"]
                print(
                    f"{'':<22} target {targets[route]} req/s on the mix, {label}: "
                    f"{'met' if rps >= targets[route] else 'NOT met'}"
                )
        print(
            f"load average after the runs: {os.getloadavg()[0]:.1f} (other work on this machine takes CPU from the runs)"
        )
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
