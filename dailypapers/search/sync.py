"""Database -> indexes: embed what is new or changed (stored per paper and model), then update both indexes.

``sync_indexes()`` is incremental: papers whose ``modified`` is at or after the last sync (minus an overlap window,
since a transaction can commit an older ``modified`` after a newer one) are re-embedded when their text changed
and upserted into both indexes; upserts are idempotent. ``sync_indexes(rebuild=True)`` builds a new generation
from the stored embeddings (embedding only what is missing) and swaps it in atomically (see store.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import transaction

from dailypapers.core.progress import progress_bar
from dailypapers.papers.models import Paper, PaperAuthor
from dailypapers.search import store
from dailypapers.search.embeddings import (
    Embedder,
    SentenceTransformerEmbedder,
    cuda_available,
    get_embedder,
    paper_text,
    text_hash,
)
from dailypapers.search.keywords import KeywordDoc, KeywordIndex
from dailypapers.search.models import PaperEmbedding
from dailypapers.search.nodes import node_index_record
from dailypapers.search.vectors import segment_names, write_mean, write_segment

log = logging.getLogger(__name__)

OVERLAP = dt.timedelta(minutes=10)
CHUNK = 2000
MAX_SEGMENTS = 16  # incremental segments before a sync compacts them (a rebuild from stored vectors)
MEAN_SAMPLE = 20000
DEVICES = ("auto", "cpu", "cuda")
CALIBRATION_QUERIES = 256  # paper titles (they read like queries) checked against float32 before keeping int8
CALIBRATION_DOCUMENTS = 48


@dataclass
class SyncSummary:
    rebuilt: bool = False
    papers_seen: int = 0
    embedded: int = 0
    reused_embeddings: int = 0
    vectors_written: int = 0
    keywords_written: int = 0
    generation: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        kind = "rebuilt" if self.rebuilt else "synced"
        lines = [
            f"{kind} generation {self.generation}: {self.papers_seen} papers seen, {self.embedded} embedded, "
            f"{self.reused_embeddings} stored embeddings reused, {self.vectors_written} vectors and "
            f"{self.keywords_written} keyword documents written in {self.seconds:.1f}s"
        ]
        return "\n".join(lines + self.notes)

    def summary(self) -> str:  # the worker's job log calls .summary()
        return self.text()


# --- embeddings stored in the database ------------------------------------------------------------------------
def ensure_embeddings(papers: list[Paper], *, embedder: Embedder, summary: SyncSummary, bar=None) -> np.ndarray:
    """Vectors for these papers in their order: stored ones when the text is unchanged, new ones embedded and saved."""
    texts = [paper_text(title=p.title, abstract=p.abstract) for p in papers]
    hashes = [text_hash(t) for t in texts]
    stored = {
        row[0]: row[1:]
        for row in PaperEmbedding.objects.filter(model=embedder.name, paper_id__in=[p.pk for p in papers])
        .values_list("paper_id", "text_hash", "dim", "vector")
        .iterator(chunk_size=CHUNK)
    }
    out = np.empty((len(papers), embedder.dim), dtype=np.float32)
    missing = []
    for i, (paper, digest) in enumerate(zip(papers, hashes, strict=False)):
        row = stored.get(paper.pk)
        if row and row[0] == digest and row[1] == embedder.dim:
            out[i] = np.frombuffer(bytes(row[2]), dtype="<f2")
            if bar is not None:
                bar.update(1)
        else:
            missing.append(i)
    summary.reused_embeddings += len(papers) - len(missing)
    if missing:
        vectors = embedder.encode([texts[i] for i in missing], progress=bar)
        out[missing] = vectors
        rows = [
            PaperEmbedding(
                paper_id=papers[i].pk,
                model=embedder.name,
                dim=embedder.dim,
                text_hash=hashes[i],
                vector=vectors[j].astype("<f2").tobytes(),
            )
            for j, i in enumerate(missing)
        ]
        with transaction.atomic():
            PaperEmbedding.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["paper", "model"],
                update_fields=["dim", "text_hash", "vector", "created"],
            )
        summary.embedded += len(missing)
    # Stored float16 and fresh float32 vectors alike are used as float16 would round them: one behaviour.
    return out.astype(np.float16).astype(np.float32)


def keyword_docs(papers: list[Paper]) -> list[KeywordDoc]:
    authors: dict[int, list[str]] = {}
    for paper_id, name in (
        PaperAuthor.objects.filter(paper_id__in=[p.pk for p in papers], hidden=False)
        .order_by("paper_id", "position")
        .values_list("paper_id", "author__name")
    ):
        authors.setdefault(paper_id, []).append(name)
    return [
        KeywordDoc(
            pk=p.pk,
            arxiv_id=p.arxiv_id,
            title=p.title,
            abstract=p.abstract,
            authors=authors.get(p.pk, []),
            categories=p.category_list,
            published=p.published_at,
        )
        for p in papers
    ]


_FIELDS = ("pk", "arxiv_id", "title", "abstract", "categories", "published_at", "modified")


def _papers_by_pk(*, after: int = 0):
    """All papers in primary-key chunks (keyset pagination: constant cost per chunk at any size)."""
    while True:
        chunk = list(Paper.objects.filter(pk__gt=after).order_by("pk").only(*_FIELDS)[:CHUNK])
        if not chunk:
            return
        yield chunk
        after = chunk[-1].pk


def _papers_modified_since(since: dt.datetime | None):
    """Papers modified at or after `since`, in (modified, pk) order, in chunks."""
    queryset = Paper.objects.order_by("modified", "pk").only(*_FIELDS)
    if since is not None:
        queryset = queryset.filter(modified__gte=since)
    last: tuple | None = None
    while True:
        page = queryset
        if last is not None:
            from django.db.models import Q

            page = page.filter(Q(modified__gt=last[0]) | Q(modified=last[0], pk__gt=last[1]))
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = (chunk[-1].modified, chunk[-1].pk)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


# --- the two operations ---------------------------------------------------------------------------------------
def sync_indexes(
    *, rebuild: bool = False, progress: bool = True, embedder: Embedder | None = None, device: str | None = None
) -> SyncSummary:
    """Bring both indexes up to date with the database; see the module docstring. Raises IndexMismatch/IndexBusy.

    ``device`` picks where new papers are embedded: "cuda" (a GPU through torch), "cpu", or "auto" (CUDA when torch
    sees one); None reads DAILYPAPERS_EMBEDDING_DEVICE. On the CPU the generation's int8 ONNX encoder embeds when the export kept int8 weights (faster than
    torch bfloat16 at the same cosine floor, bench/embed_throughput.py); torch otherwise.
    """
    if device is None:
        from django.conf import settings

        device = settings.EMBEDDING_DEVICE
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
    embedder = embedder or get_embedder()
    root = store.index_dir()
    with store.writer_lock(root):
        summary = _sync(root, rebuild=rebuild, progress=progress, embedder=embedder, device=device)
        live = store.current_generation(root)
        if live is not None:
            node_index_record(manifest=store.read_manifest(live))
        return summary


def _sync(root: Path, *, rebuild: bool, progress: bool, embedder: Embedder, device: str | None) -> SyncSummary:
    current = store.current_generation(root)
    if rebuild or current is None:
        return _rebuild(root, current, embedder=embedder, progress=progress, device=device)
    manifest = store.read_manifest(current)
    problem = store.mismatch(manifest, store.expected_identity(embedder))
    if problem:
        raise store.IndexMismatch(problem)
    if len(manifest.get("segments", [])) - manifest.get("base_segments", 0) >= MAX_SEGMENTS:
        summary = _rebuild(root, current, embedder=embedder, progress=progress, device=device)
        summary.notes.append("compacted the incremental segments into a new generation")
        return summary
    return _incremental(current, manifest, embedder=embedder, progress=progress, device=device)


# --- the ONNX encoder of a generation -------------------------------------------------------------------------
def _calibration_texts() -> tuple[list[str], list[str]]:
    """Real texts spread over the database: titles (query-like) and title+abstract documents."""
    pks = list(Paper.objects.order_by("pk").values_list("pk", flat=True))
    if not pks:
        return [], []
    step = max(1, len(pks) // CALIBRATION_QUERIES)
    chosen = pks[::step][:CALIBRATION_QUERIES]
    rows = list(Paper.objects.filter(pk__in=chosen).order_by("pk").values_list("title", "abstract"))
    titles = [title for title, _ in rows if title]
    every = max(1, len(rows) // CALIBRATION_DOCUMENTS)
    documents = [paper_text(title=t, abstract=a) for t, a in rows[::every]][:CALIBRATION_DOCUMENTS]
    return titles, documents


def _export_encoder(generation: Path, embedder: Embedder, summary: SyncSummary) -> dict | None:
    """Export the model into the generation (sentence-transformers models only); None, with a note, on failure."""
    if not isinstance(embedder, SentenceTransformerEmbedder):
        return None
    from dailypapers.search.onnx_export import ExportError, export_encoder

    titles, documents = _calibration_texts()
    try:
        description = export_encoder(
            model_name=embedder.name, folder=generation / "encoder", query_texts=titles, document_texts=documents
        )
    except ExportError as exc:
        log.warning("no ONNX encoder for %s: %s; queries use sentence-transformers", embedder.name, exc)
        summary.notes.append(f"ONNX export failed ({exc}); queries are embedded by sentence-transformers (slower)")
        return None
    summary.notes.append(
        f"ONNX encoder: {description['weights']} weights ({description['quantized_matmuls']}/"
        f"{description['total_matmuls']} matrices int8), exported in {description['seconds']}s"
    )
    keys = ("weights", "quantized_matmuls", "cosine_queries_min", "cosine_documents_min", "floor")
    return {key: description[key] for key in keys if key in description}


def _reuse_encoder(current: Path | None, generation: Path, embedder: Embedder) -> dict | None:
    """The live generation's encoder, copied, when it was exported from the same model by this export format."""
    from dailypapers.search.onnx_export import EXPORT_FORMAT

    if current is None or not isinstance(embedder, SentenceTransformerEmbedder):
        return None
    try:
        encoder = store.read_manifest(current).get("encoder")
        described = json.loads((current / "encoder" / "encoder.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not encoder or described.get("model") != embedder.name or described.get("format") != EXPORT_FORMAT:
        return None
    shutil.copytree(current / "encoder", generation / "encoder")
    return encoder


def _batch_embedder(embedder: Embedder, generation: Path, encoder: dict | None, device: str) -> Embedder:
    """What embeds new papers: torch on a GPU or on a CPU with bfloat16 instructions, else the int8 ONNX encoder when
    exported, else the embedder (bench/embed_throughput.py: on an AVX-512 BF16 CPU torch bfloat16 embeds faster than
    int8 ONNX and closer to float32; without bfloat16 the int8 encoder is the faster)."""
    if not isinstance(embedder, SentenceTransformerEmbedder):
        return embedder
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    if device == "cuda":
        if not cuda_available():
            raise ValueError("--device cuda: torch sees no CUDA GPU on this machine")
        return SentenceTransformerEmbedder(name=embedder.name, device="cuda")
    if embedder.bf16:
        return embedder
    if encoder and str(encoder.get("weights", "")).startswith("int8"):
        import os

        from dailypapers.search.query_encoder import OnnxEmbedder

        return OnnxEmbedder(name=embedder.name, folder=generation / "encoder", threads=os.cpu_count() or 1)
    return embedder


def _incremental(generation: Path, manifest: dict, *, embedder: Embedder, progress: bool, device: str) -> SyncSummary:
    started = time.monotonic()
    summary = SyncSummary(generation=generation.name)
    if "encoder" not in manifest:  # a generation from before encoders were exported: export it now
        manifest["encoder"] = _export_encoder(generation, embedder, summary)
    batch = _batch_embedder(embedder, generation, manifest.get("encoder"), device)
    until = dt.datetime.fromisoformat(manifest["synced_until"]) if manifest.get("synced_until") else None
    since = until - OVERLAP if until else None
    recent: dict[str, str] = _read_state(generation).get("recent", {})
    todo = Paper.objects.filter(modified__gte=since).count() if since else Paper.objects.count()
    keywords = KeywordIndex(generation / "keywords")
    segments = list(manifest.get("segments", []))
    newest = until
    with progress_bar(desc="indexing", total=todo, unit="paper", disable=not progress) as bar:
        for chunk in _papers_modified_since(since):
            summary.papers_seen += len(chunk)
            changed = [p for p in chunk if recent.get(str(p.pk)) != _iso(p.modified)]
            bar.update(len(chunk) - len(changed))
            if changed:
                vectors = ensure_embeddings(changed, embedder=batch, summary=summary, bar=bar)
                segments.append(
                    write_segment(generation / "vectors", pks=np.array([p.pk for p in changed]), vectors=vectors)
                )
                summary.vectors_written += len(changed)
                summary.keywords_written += keywords.upsert(keyword_docs(changed))
            for paper in chunk:
                newest = paper.modified if newest is None or paper.modified > newest else newest
                recent[str(paper.pk)] = _iso(paper.modified)
    if newest is not None:
        floor = newest - OVERLAP
        recent = {pk: when for pk, when in recent.items() if dt.datetime.fromisoformat(when) >= floor}
    _write_state(generation, {"recent": recent})
    manifest.update(
        segments=segments,
        synced_until=_iso(newest) if newest else None,
        papers=keywords.count(),
        synced_at=_iso(dt.datetime.now(dt.UTC)),
    )
    manifest["version"] = manifest.get("version", 0) + 1
    store.write_json_atomic(generation / "manifest.json", manifest)
    summary.seconds = time.monotonic() - started
    return summary


def _rebuild(root: Path, current: Path | None, *, embedder: Embedder, progress: bool, device: str) -> SyncSummary:
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    name = f"gen-{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
    generation = root / name
    summary = SyncSummary(rebuilt=True, generation=name)
    keep = {name, current.name if current else ""}
    _remove_stale_generations(root, keep=keep)
    (generation / "vectors").mkdir(parents=True)
    encoder = _reuse_encoder(current, generation, embedder)
    if encoder:
        summary.notes.append(f"ONNX encoder ({encoder.get('weights')}) copied from generation {current.name}")
    else:
        encoder = _export_encoder(generation, embedder, summary)
    batch = _batch_embedder(embedder, generation, encoder, device)
    keywords = KeywordIndex(generation / "keywords", create=True)
    newest: dt.datetime | None = None
    recent: dict[str, str] = {}
    pending_pks: list[int] = []
    pending_vectors: list[np.ndarray] = []
    mean_written = False
    segment_size = 200_000

    def flush() -> None:
        nonlocal pending_pks, pending_vectors, mean_written
        if not pending_pks:
            return
        vectors = np.concatenate(pending_vectors)
        if not mean_written:
            write_mean(generation / "vectors", vectors[:MEAN_SAMPLE].mean(axis=0))
            mean_written = True
        write_segment(generation / "vectors", pks=np.array(pending_pks), vectors=vectors)
        summary.vectors_written += len(pending_pks)
        pending_pks, pending_vectors = [], []

    writer = keywords.bulk_writer()
    total = Paper.objects.count()
    with progress_bar(desc="building index", total=total, unit="paper", disable=not progress) as bar:
        for chunk in _papers_by_pk():
            summary.papers_seen += len(chunk)
            vectors = ensure_embeddings(chunk, embedder=batch, summary=summary, bar=bar)
            pending_pks.extend(p.pk for p in chunk)
            pending_vectors.append(vectors)
            if (
                not mean_written
                and sum(len(v) for v in pending_vectors) >= MEAN_SAMPLE
                or sum(len(v) for v in pending_vectors) >= segment_size
            ):
                flush()
            for doc in keyword_docs(chunk):
                writer.add_document(keywords.document(doc))
            summary.keywords_written += len(chunk)
            for paper in chunk:
                newest = paper.modified if newest is None or paper.modified > newest else newest
        flush()
    writer.commit()
    writer.wait_merging_threads()
    if not mean_written:
        write_mean(generation / "vectors", np.zeros(embedder.dim, dtype=np.float32))
    if newest is not None:
        floor = newest - OVERLAP
        recent = {
            str(pk): _iso(modified)
            for pk, modified in Paper.objects.filter(modified__gte=floor).values_list("pk", "modified")
        }
    segments = segment_names(generation / "vectors")
    manifest = store.expected_identity(embedder) | {
        "generation": name,
        "created": _iso(now),
        "segments": segments,
        "base_segments": len(segments),
        "synced_until": _iso(newest) if newest else None,
        "papers": keywords.count(),
        "version": 1,
        "previous": current.name if current else None,
        "encoder": encoder,
    }
    _write_state(generation, {"recent": recent})
    store.write_json_atomic(generation / "manifest.json", manifest)
    store.write_text_atomic(root / "CURRENT", name)  # the atomic swap
    _remove_stale_generations(root, keep={name, current.name if current else ""})
    summary.seconds = time.monotonic() - started
    return summary


def _read_state(generation: Path) -> dict:
    """The writer's own state (papers seen inside the overlap window), kept out of the manifest readers load."""
    try:
        return json.loads((generation / "sync_state.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _write_state(generation: Path, state: dict) -> None:
    store.write_json_atomic(generation / "sync_state.json", state)


def _remove_stale_generations(root: Path, *, keep: set[str]) -> None:
    """Delete generations other than the live one and the one before it (crashed builds, older ones)."""
    for folder in root.glob("gen-*"):
        if folder.name not in keep and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def index_status() -> dict:
    """What is on disk: generation, model, papers, segments, and whether it matches the configuration."""
    current = store.current_generation()
    if current is None:
        return {"exists": False}
    manifest = store.read_manifest(current)
    return {
        "exists": True,
        "generation": current.name,
        "model": manifest.get("model"),
        "papers": manifest.get("papers"),
        "segments": len(manifest.get("segments", [])),
        "synced_until": manifest.get("synced_until"),
        "query_encoder": (manifest.get("encoder") or {}).get("weights", "none (sentence-transformers)"),
        "mismatch": store.mismatch(manifest, store.expected_identity(get_embedder())),
    }
