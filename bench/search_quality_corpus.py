"""Real papers for search benchmarks and quality tests, read straight from ../shared/data (never copied).

HF daily-papers responses give ~9.6k papers with ids; seed/papers.jsonl gives 74 titles+abstracts without ids,
which get synthetic ids ``1801.99NNN`` (NNN = the seed rank) so they can be stored and searched like the others.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass
class CorpusPaper:
    arxiv_id: str
    title: str
    abstract: str
    authors: list[str] = field(default_factory=list)
    published: str = "2018-01-15T00:00:00Z"
    categories: list[str] = field(default_factory=list)


def seed_id(rank: int) -> str:
    return f"1801.99{rank:03d}"


def seed_papers(data: Path = SHARED_DATA) -> list[CorpusPaper]:
    papers = []
    with open(data / "seed" / "papers.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            papers.append(CorpusPaper(seed_id(int(row["rank"])), row["title"], row["abstract"]))
    return papers


def hf_papers(data: Path = SHARED_DATA, *, limit: int | None = None) -> list[CorpusPaper]:
    seen: dict[str, CorpusPaper] = {}
    for path in sorted((data / "arxiv" / "hf").glob("*/*.json*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for item in json.load(handle):
                paper = item.get("paper") or {}
                if not paper.get("id") or paper["id"] in seen:
                    continue
                seen[paper["id"]] = CorpusPaper(
                    arxiv_id=paper["id"],
                    title=" ".join((paper.get("title") or item.get("title") or "").split()),
                    abstract=" ".join((paper.get("summary") or item.get("summary") or "").split()),
                    authors=[a.get("name", "") for a in paper.get("authors") or [] if a.get("name")],
                    published=paper.get("publishedAt") or item.get("publishedAt") or "2024-06-01T00:00:00Z",
                    categories=["cs.CL"],
                )
                if limit and len(seen) >= limit:
                    return list(seen.values())
    return list(seen.values())


def load_queries(path: Path | None = None) -> list[dict]:
    """The paraphrase query set: {"query", "target"} with target a seed rank ("seed:N") or an arXiv id."""
    path = path or Path(__file__).with_name("search_quality_queries.jsonl")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            target = row["target"]
            row["arxiv_id"] = seed_id(int(target.split(":")[1])) if target.startswith("seed:") else target
            rows.append(row)
    return rows
