"""Benchmark: Kaggle-format import (parse + store, no embedding) through the real `import` path.

Builds large inputs by repeating the real 200-line sample with fresh ids, imports each into a fresh database
(SQLite in a temp folder; PostgreSQL in a fresh `dailypapers_bench` database when a server answers), and prints
records per second and the peak memory (RSS) of the importing process at two input sizes: a flat peak shows the
import streams. Each import runs in its own child process, so peaks do not mix.

    python bench/import_kaggle.py [--sizes 50000 200000] [--gzip] [--no-postgres]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = (
    REPO.parent
    / "shared"
    / "data"
    / "arxiv"
    / "kaggle"
    / "wanng-ide__arxivSpider_mnbvc"
    / ("arxiv-metadata-oai-snapshot.head200.jsonl")
)
PG_ADMIN_URL = os.environ.get("DAILYPAPERS_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "dailypapers_bench"


def build_input(path: Path, size: int, *, compress: bool) -> None:
    """Repeat the sample with fresh new-style ids (2001.00000 on), each repetition a new month block."""
    import orjson

    sample = [orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip()]
    opener = gzip.open if compress else open
    with opener(path, "wb") as out:
        for n in range(size):
            obj = dict(sample[n % len(sample)])
            year, rest = divmod(n // 99999, 12)
            obj["id"] = f"{20 + year:02d}{rest + 1:02d}.{n % 99999:05d}"
            out.write(orjson.dumps(obj) + b"\n")


def run_child(path: Path, database_url: str, data_dir: str) -> dict:
    env = dict(os.environ, DAILYPAPERS_DATABASE_URL=database_url, DAILYPAPERS_DATA_DIR=data_dir, PYTHONPATH=str(REPO))
    code = (
        "import resource, sys, time, json\n"
        "from dailypapers.cli import main\n"
        "main(['migrate', '-v', '0'])\n"
        "t = time.perf_counter()\n"
        "def cpu():\n"
        "    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime\n"
        "c = cpu()\n"
        "main(['import', sys.argv[1], '-v', '0'])\n"
        "dt = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': dt, 'cpu_seconds': cpu() - c,\n"
        "                  'peak_rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    result["summary"] = next((text for text in lines if text.startswith("Total:")), "")
    return result


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except Exception:
        return False


def pg_recreate(drop_only: bool = False) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_BENCH_DB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--gzip", action="store_true", help="write the input gzip-compressed")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not SAMPLE.is_file():
        sys.exit(f"the real sample is missing: {SAMPLE}")
    backends = ["sqlite"] + ([] if args.no_postgres or not postgres_available() else ["postgresql"])
    print(f"Kaggle import benchmark, {os.cpu_count()} CPUs, backends: {', '.join(backends)}")
    with tempfile.TemporaryDirectory(prefix="dailypapers-bench-") as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"snapshot-{size}.jsonl{'.gz' if args.gzip else ''}"
            build_input(path, size, compress=args.gzip)
            mb = path.stat().st_size / 1e6
            for backend in backends:
                data_dir = tempfile.mkdtemp(dir=tmp)
                url = f"sqlite:///{data_dir}/bench.sqlite3" if backend == "sqlite" else pg_recreate()
                first = run_child(path, url, data_dir)
                again = run_child(path, url, data_dir)
                if backend == "postgresql":
                    pg_recreate(drop_only=True)
                print(
                    f"{backend:10s} {size:>8,d} records ({mb:.0f} MB): "
                    f"first import {size / first['seconds']:>8,.0f} rec/s ({first['seconds']:.1f} s, "
                    f"{size / first['cpu_seconds']:,.0f} rec per CPU-second of this process and its parser, "
                    f"peak RSS {first['peak_rss_mb']:.0f} MB); "
                    f"re-import {size / again['seconds']:>8,.0f} rec/s (peak RSS {again['peak_rss_mb']:.0f} MB)"
                )
                print(f"           {first['summary']}  |  again: {again['summary']}")


if __name__ == "__main__":
    main()
