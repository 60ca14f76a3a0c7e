"""Page weight of the home and week pages as a browser gets them: HTML, then every stylesheet, script and icon the
page links, requested with `Accept-Encoding: gzip, br` from a real `dailypapers serve` on a fresh data folder
holding a week of real Hugging Face daily pages (../shared/data/arxiv/hf).

    python bench/page_weight.py [--week 2024-W23]

Prints, per page: HTML bytes (as sent, and gzip-compressed as a TLS proxy compressing HTML would send it), the
static bytes as the hub sends them (compressed when it serves compressed files), the first visit's total, the
baseline measured in the same run (the same static files uncompressed, and KaTeX on every page: how the hub served
pages before) and the ratio, the requests of a visit a while later (static files with an immutable Cache-Control
are not asked for again), and the Cache-Control of one static file.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HF = REPO.parent / "shared" / "data" / "arxiv" / "hf"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, encoding: str = "gzip, br") -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def assets(html: str) -> list[str]:
    links = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="(/static/[^"]+|/favicon[^"]*)"', html)
    return sorted(set(links))


MATH = re.compile(r'class="[^"]*math-text[^"]*"[^>]*>[^<]*(\$|\\\(|\\\[)')


def lazy_assets(html: str) -> list[str]:
    """KaTeX, which site.js fetches only when the page shows math (data-katex-* on its script tag)."""
    if not MATH.search(html):
        return []
    return re.findall(r'data-katex-[a-z-]+="(/static/[^"]+)"', html)


def weigh(base: str, path: str) -> dict:
    body, headers = fetch(base + path)
    html = body.decode("utf-8")
    static_bytes = 0
    revalidated = 0
    cache_control = ""
    for link in assets(html) + lazy_assets(html):
        data, h = fetch(base + link)
        static_bytes += len(data)
        cache_control = cache_control or h.get("cache-control", "")
        if "immutable" not in h.get("cache-control", ""):
            revalidated += 1  # a short max-age: a visit a while later asks again (a 304 at best)
    html_gzip = len(gzip.compress(body, 6)) if headers.get("content-encoding") is None else len(body)
    # The baseline, measured in the same run: the same files uncompressed, and KaTeX on every page.
    everything = set(assets(html)) | set(re.findall(r'data-katex-[a-z-]+="(/static/[^"]+)"', html))
    baseline = html_gzip + sum(len(fetch(base + link, encoding="identity")[0]) for link in everything)
    return {
        "baseline": baseline,
        "path": path,
        "html": len(body),
        "html_gzip": html_gzip,
        "static": static_bytes,
        "assets": len(assets(html) + lazy_assets(html)),
        "first": html_gzip + static_bytes,
        "repeat": 1 + revalidated,
        "cache_control": cache_control,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--week", default="2024-W23")
    parser.add_argument("--math-paper", default="0704.0002", help="a paper page with math (from the Kaggle sample)")
    parser.add_argument("--days", default="2024-06-03,2024-06-04,2024-06-05,2024-06-06,2024-06-07")
    args = parser.parse_args()
    files = (
        [HF / next(p.name for p in HF.iterdir()) / f"{day}.json.gz" for day in args.days.split(",")]
        if HF.is_dir()
        else []
    )
    if not files or not all(f.is_file() for f in files):
        sys.exit(f"the Hugging Face daily pages are not under {HF}")
    data = Path(tempfile.mkdtemp(prefix="dailypapers-weight-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYPAPERS_")}
    env.update(
        DAILYPAPERS_DATA_DIR=str(data),
        DAILYPAPERS_SERVE_WORKER="0",
        PYTHONPATH=str(REPO),
        DAILYPAPERS_LOG_LEVEL="WARNING",
        HF_HUB_OFFLINE="1",
    )
    kaggle = sorted((HF.parent / "kaggle").glob("*/arxiv-metadata-oai-snapshot.head200.jsonl"))[:1]
    if not kaggle:
        args.math_paper = ""
    subprocess.run(
        [sys.executable, "-m", "dailypapers", "import", *map(str, files + kaggle)],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dailypapers", "serve", "--port", str(port), "--workers", "1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                fetch(base + "/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.3)
        print(
            f"{'page':<18} {'HTML':>9} {'HTML gz':>9} {'assets':>6} {'static':>9} {'first visit':>12} "
            f"{'baseline':>9} {'ratio':>6} {'repeat':>6}  static Cache-Control"
        )
        print(
            "(bytes; KaTeX counted when the page shows math; baseline: the same files uncompressed with KaTeX on every "
            "page; repeat: requests of a visit a while later)"
        )
        paths = ["/", f"/week/{args.week}"]
        if args.math_paper:
            paths.append(f"/papers/{args.math_paper}")
        for path in paths:
            row = weigh(base, path)
            print(
                f"{row['path']:<18} {row['html']:>9,} {row['html_gzip']:>9,} {row['assets']:>6} {row['static']:>9,} "
                f"{row['first']:>12,} {row['baseline']:>9,} {row['first'] / row['baseline']:>6.2f} {row['repeat']:>6}  "
                f"{row['cache_control']}"
            )
    finally:
        server.terminate()
        server.wait(15)


if __name__ == "__main__":
    main()
