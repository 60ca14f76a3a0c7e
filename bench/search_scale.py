"""Search at scale: hybrid search end to end with 100k-1M papers in the database, each stage timed apart.

    python bench/search_scale.py [--sizes 100000,1000000] [--source /tmp/dailypapers-quality] [--keep DIR]

The corpus: the ~9.7k real papers of bench/search_quality.py (its data folder holds them with their stored
embeddings: run that script first) with their real ids, then synthetic papers up to each size. A synthetic paper
recombines real abstracts sentence-wise (half its sentences from one paper, the rest from two others, so word
statistics stay those of real abstracts), takes its title from two real titles and its authors from its main
paper, and gets a fresh arXiv id. Its embedding is SYNTHETIC (not the model's): the same mix of the three papers'
stored vectors plus Gaussian noise, normalized, stored as float16 like every embedding. Papers, authors and
embeddings go in by bulk SQL into a throw-away SQLite database in a temporary folder; the indexes are then built by
the real path (`sync_indexes(rebuild=True)`, which reuses the stored embeddings and the source's ONNX encoder).

Measured per size over the 110 real paraphrase queries (bench/search_quality_queries.jsonl + heldout), one thread,
after one warm-up pass: query embedding, keyword (tantivy), vector (binary codes + exact re-scoring), completion
(both scores for every candidate), fusion, database fetch of the first page (20 papers with their authors), and
`search_papers` end to end (p50/p99). The previous methods in the same run: exact cosine over every stored vector
(what the binary index replaces) and the previous keyword path (every query word, a total count, keys read from
the stored documents). MRR@10 of the real queries is printed too, with the caveat that the distractors
are synthetic mixtures of the real papers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from benchlib import setup_django

SENTENCE = re.compile(r"(?<=[.!?])\s+")
BATCH = 50_000
PAGE = 20


def load_source(folder: Path) -> dict:
    db = folder / "dailypapers.sqlite3"
    if not db.exists():
        sys.exit(f"{db} not found: run `python bench/search_quality.py --data-dir {folder}` first")
    con = sqlite3.connect(db)
    rows = con.execute(
        "select p.id, p.arxiv_id, p.title, p.abstract, p.categories, p.primary_category, p.published_at, e.vector "
        "from papers_paper p join search_paperembedding e on e.paper_id = p.id order by p.id"
    ).fetchall()
    if not rows:
        sys.exit(f"no stored embeddings in {db}: run bench/search_quality.py first")
    authors: dict[int, list[str]] = {}
    for paper_id, name in con.execute(
        "select pa.paper_id, a.name from papers_paperauthor pa join papers_author a on a.id = pa.author_id "
        "order by pa.paper_id, pa.position"
    ):
        authors.setdefault(paper_id, []).append(name)
    current = (folder / "indexes" / "CURRENT").read_text().strip()
    return {
        "rows": rows,
        "authors": [authors.get(r[0], []) for r in rows],
        "vectors": np.stack([np.frombuffer(r[7], dtype="<f2") for r in rows]).astype(np.float32),
        "generation": folder / "indexes" / current,
    }


class Inserter:
    """Bulk SQL into the bench database: papers, authors, author links, stored embeddings."""

    def __init__(self, source: dict, model: str, *, existing: int = 0):
        from django.db import connection

        from dailypapers.papers.models import Paper

        connection.ensure_connection()
        self.con = connection.connection
        self.con.execute("PRAGMA synchronous=OFF")
        self.source, self.model, self.count = source, model, existing
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
        self.fixed = {"created": now, "modified": now, "source": "bench"}
        self.columns = [f.column for f in Paper._meta.concrete_fields if f.column != "id"]
        self.defaults = {
            f.column: f.get_db_prep_save(f.get_default(), connection)
            for f in Paper._meta.concrete_fields
            if f.column != "id"
        }
        names = sorted({name for names in source["authors"] for name in names[:3]})
        self.con.executemany("insert or ignore into papers_author (name) values (?)", [(n,) for n in names])
        self.author_id = dict(self.con.execute("select name, id from papers_author"))
        self.sentences = [SENTENCE.split(r[3]) for r in source["rows"]]

    def add(self, papers: list[tuple], vectors: np.ndarray, authors: list[list[str]]) -> None:
        from dailypapers.search.embeddings import paper_text, text_hash

        rows = []
        for arxiv_id, title, abstract, categories, primary, published in papers:
            values = dict(self.defaults, **self.fixed)
            values.update(
                arxiv_id=arxiv_id,
                title=title,
                abstract=abstract,
                categories=categories,
                primary_category=primary,
                published_at=published,
                version=1,
            )
            rows.append(tuple(values[c] for c in self.columns))
        marks = ", ".join("?" * len(self.columns))
        with self.con:
            first = self.con.execute("select coalesce(max(id), 0) from papers_paper").fetchone()[0] + 1
            self.con.executemany(f"insert into papers_paper ({', '.join(self.columns)}) values ({marks})", rows)
            pks = range(first, first + len(rows))
            self.con.executemany(
                "insert into papers_paperauthor (paper_id, author_id, position) values (?, ?, ?)",
                [
                    (pk, self.author_id[n], i)
                    for pk, names in zip(pks, authors, strict=True)
                    for i, n in enumerate(names[:3])
                ],
            )
            halves = vectors.astype("<f2")
            self.con.executemany(
                "insert into search_paperembedding (paper_id, model, dim, text_hash, vector, created) "
                "values (?, ?, ?, ?, ?, ?)",
                [
                    (
                        pk,
                        self.model,
                        halves.shape[1],
                        text_hash(paper_text(title=p[1], abstract=p[2])),
                        h.tobytes(),
                        now,
                    )
                    for pk, p, h, now in zip(pks, papers, halves, [self.fixed["created"]] * len(rows), strict=True)
                ],
            )
        self.count += len(rows)

    def add_real(self) -> None:
        rows = self.source["rows"]
        self.add([r[1:7] for r in rows], self.source["vectors"], self.source["authors"])

    def add_synthetic(self, n: int, rng: np.random.Generator) -> None:
        src, vectors, sentences = self.source["rows"], self.source["vectors"], self.sentences
        for start in range(0, n, BATCH):
            size = min(BATCH, n - start)
            picks = rng.integers(0, len(src), size=(size, 3))
            weights = np.array([0.55, 0.25, 0.20], dtype=np.float32)
            mixed = np.einsum("k,nkd->nd", weights, vectors[picks])
            mixed += rng.normal(0, 0.25 / np.sqrt(vectors.shape[1]), size=mixed.shape).astype(np.float32)
            mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
            papers, authors = [], []
            for a, b, c in picks:
                main = sentences[a]
                keep = max(1, (len(main) + 1) // 2)
                text = main[:keep] + sentences[b][: max(1, len(sentences[b]) // 4)] + sentences[c][-1:]
                ta, tb = src[a][2].split(), src[b][2].split()
                title = " ".join(ta[: max(1, len(ta) // 2)] + tb[len(tb) // 2 :])
                number = self.count - len(src) + len(papers)
                year, month = divmod(number // 99_999, 12)
                arxiv_id = f"{30 + year:02d}{month + 1:02d}.{number % 99_999:05d}"
                papers.append((arxiv_id, title, " ".join(text), src[a][4], src[a][5], src[a][6]))
                authors.append(self.source["authors"][a])
            self.add(papers, mixed, authors)


def seed_encoder(source_generation: Path, root: Path) -> None:
    """Make the source's generation (encoder and manifest only) the live one, so the rebuild reuses its encoder."""
    seed = root / source_generation.name
    seed.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source_generation / "encoder", seed / "encoder", dirs_exist_ok=True)
    shutil.copy(source_generation / "manifest.json", seed / "manifest.json")
    (root / "CURRENT").write_text(seed.name)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def measure(queries: list[dict], pk_of: dict[str, int]) -> dict:
    from dailypapers.papers.models import Paper
    from dailypapers.papers.selectors import with_authors
    from dailypapers.search import fusion, keywords, services, store

    store.forget_snapshot()
    snapshot = store.open_snapshot()
    keyword_index, vector_index = snapshot.keyword_index(), snapshot.vector_index()
    all_vectors = np.concatenate([np.asarray(v, dtype=np.float32) for v in vector_index._vectors])  # exact baseline
    stages: dict[str, list[float]] = {
        k: [] for k in ("embed", "keyword", "vector", "complete", "fusion", "fetch", "exact scan", "keyword before")
    }
    rr = []
    for rep in range(2):  # the first pass warms the page cache and the encoder
        for q in queries:
            times = [time.perf_counter()]
            vector = services.embed_query(q["query"], snapshot=snapshot)
            times.append(time.perf_counter())
            keyword = keyword_index.search(q["query"], limit=services.DEPTH)
            times.append(time.perf_counter())
            semantic = [
                (h.pk, h.score) for h in vector_index.search(vector, k=services.DEPTH, candidates=services.CANDIDATES)
            ]
            times.append(time.perf_counter())
            keyword, semantic = services._complete(q["query"], vector, snapshot, keyword, semantic)
            times.append(time.perf_counter())
            fused = fusion.fuse(
                [keyword, semantic],
                weights=[services.KEYWORD_WEIGHT, services.SEMANTIC_WEIGHT],
                k=services.RRF_K,
                blend=services.BLEND,
            )
            times.append(time.perf_counter())
            list(with_authors(Paper.objects.filter(pk__in=[pk for pk, _ in fused[:PAGE]])))
            times.append(time.perf_counter())
            np.argpartition(-(all_vectors @ vector), services.DEPTH)[: services.DEPTH]
            times.append(time.perf_counter())
            # The previous keyword path: every query word, total count, keys from the stored documents.
            searcher, share, keywords.COMMON_SHARE = keyword_index.searcher(), keywords.COMMON_SHARE, 1.0
            hits = searcher.search(keyword_index._parse(q["query"]), services.DEPTH).hits
            keywords.COMMON_SHARE = share
            [(searcher.doc(address)["pk"][0], score) for score, address in hits]
            times.append(time.perf_counter())
            if rep:
                for name, a, b in zip(stages, times[:-1], times[1:], strict=True):
                    stages[name].append(b - a)
                ids = [
                    pk
                    for pk, _ in services.ranked_pks(
                        query=q["query"], mode="hybrid", snapshot=snapshot, depth=services.DEPTH, query_vector=vector
                    )
                ][:10]
                target = pk_of.get(q["arxiv_id"])
                rr.append(1 / (ids.index(target) + 1) if target in ids else 0.0)
    end_to_end = []
    for rep in range(2):
        for q in queries:
            started = time.perf_counter()
            services.search_papers(query=q["query"])
            if rep:
                end_to_end.append(time.perf_counter() - started)
    return {"stages": stages, "end_to_end": end_to_end, "mrr": statistics.fmean(rr)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--source", default="/tmp/dailypapers-quality", help="bench/search_quality.py's data folder")
    parser.add_argument(
        "--keep",
        help="build in this folder and keep it; when it already holds a run's database, sizes up to its papers are "
        "measured again without rebuilding (default: a temporary folder, removed)",
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    source = load_source(Path(args.source))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dailypapers-scale-"))
    if args.keep and folder.exists() and any(folder.iterdir()) and not (folder / "dailypapers.sqlite3").exists():
        sys.exit(f"{folder} is neither empty nor a previous run's folder")
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    setup_django(data_dir=folder, DAILYPAPERS_LOG_LEVEL="WARNING")
    from bench.search_quality_corpus import load_queries
    from dailypapers.papers.models import Paper
    from dailypapers.search import store
    from dailypapers.search.embeddings import get_embedder
    from dailypapers.search.sync import SyncSummary, sync_indexes

    queries = load_queries() + load_queries(Path(__file__).with_name("search_quality_heldout.jsonl"))
    rng = np.random.default_rng(args.seed)
    inserter = Inserter(source, get_embedder().name, existing=Paper.objects.count())
    try:
        if not inserter.count:
            seed_encoder(source["generation"], store.index_dir())
            inserter.add_real()
        print(f"{inserter.count} papers to start with; synthetic papers fill up to {', '.join(map(str, sizes))}")
        for size in sizes:
            if size < inserter.count:
                print(f"\n{size:,} papers: skipped (the database already holds {inserter.count:,})")
                continue
            started = time.perf_counter()
            inserter.add_synthetic(size - inserter.count, rng)
            inserted = time.perf_counter() - started
            started = time.perf_counter()
            live = store.current_generation()
            if inserted > 0.5 or live is None or store.read_manifest(live).get("papers") != inserter.count:
                summary = sync_indexes(rebuild=True, progress=False)
            else:
                summary = SyncSummary(notes=["index reused from the previous run"])
            built = time.perf_counter() - started
            pk_of = dict(
                Paper.objects.filter(arxiv_id__in=[q["arxiv_id"] for q in queries]).values_list("arxiv_id", "pk")
            )
            result = measure(queries, pk_of)
            print(
                f"\n{inserter.count:,} papers: bulk insert {inserted:.0f}s, index build {built:.0f}s "
                f"({summary.reused_embeddings} stored embeddings reused, {summary.embedded} embedded)"
            )
            for note in summary.notes:
                print(f"  {note}")
            for name, values in result["stages"].items():
                print(f"  {name:<11} p50 {percentile(values, 0.5):7.2f} ms   p99 {percentile(values, 0.99):7.2f} ms")
            stages = result["stages"]
            print(
                f"  vector search against the exact scan of all vectors (previous method): "
                f"{statistics.median(stages['exact scan']) / statistics.median(stages['vector']):.1f}x faster at p50; "
                f"keyword against the previous path (every word, total count, stored documents): "
                f"{statistics.median(stages['keyword before']) / statistics.median(stages['keyword']):.1f}x"
            )
            e2e = result["end_to_end"]
            print(
                f"  search_papers end to end (hybrid, {len(e2e)} queries): p50 {percentile(e2e, 0.5):.1f} ms, "
                f"p99 {percentile(e2e, 0.99):.1f} ms; MRR@10 of the real queries {result['mrr']:.3f} "
                f"(synthetic distractors)"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
