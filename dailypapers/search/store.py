"""Index generations on disk: the CURRENT pointer, each generation's manifest, the writer lock, cheap reloads.

    INDEX_DIR/CURRENT              name of the live generation (replaced atomically: tmp file + os.replace)
    INDEX_DIR/.lock                held (fcntl) by the one process that writes indexes
    INDEX_DIR/gen-.../manifest.json  model, settings, segments, sync cursor of that generation
    INDEX_DIR/gen-.../vectors/     see vectors.py
    INDEX_DIR/gen-.../keywords/    tantivy index
    INDEX_DIR/gen-.../encoder/     the model exported to ONNX for query encoding (see onnx_export.py)

A full rebuild writes a new generation and then flips CURRENT; an incremental sync adds to the live generation
and rewrites its manifest atomically. Readers stat CURRENT and the manifest on every search (two stat calls) and
reload when either changed, so web workers follow new data without a restart.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

FORMAT = 1
log = logging.getLogger(__name__)
REPAIR = "run `dailypapers index --rebuild` to repair it"


class IndexMismatch(RuntimeError):
    """The index on disk was built with another model or settings than the configured ones."""


class IndexBusy(RuntimeError):
    """Another process is writing the indexes."""


def index_dir() -> Path:
    from django.conf import settings

    return Path(settings.INDEX_DIR)


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    try:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def current_generation(root: Path | None = None) -> Path | None:
    root = root or index_dir()
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = root / name
    return folder if name and (folder / "manifest.json").is_file() else None


def read_manifest(generation: Path) -> dict:
    return json.loads((generation / "manifest.json").read_text(encoding="utf-8"))


def expected_identity(embedder) -> dict:
    from dailypapers.search.embeddings import TEXT_FORMAT
    from dailypapers.search.keywords import SCHEMA_VERSION

    return {
        "format": FORMAT,
        "model": embedder.name,
        "dim": int(embedder.dim),
        "text_format": TEXT_FORMAT,
        "keyword_schema": SCHEMA_VERSION,
    }


def mismatch(manifest: dict, identity: dict) -> str | None:
    """A sentence saying how the index differs from the configuration, or None when they agree."""
    differences = [
        f"{key} {manifest.get(key)!r} (configured: {value!r})"
        for key, value in identity.items()
        if manifest.get(key) != value
    ]
    if not differences:
        return None
    return "the search index was built with " + ", ".join(differences) + "; run `dailypapers index --rebuild`"


@contextmanager
def writer_lock(root: Path | None = None, *, wait: bool = True):
    root = root or index_dir()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IndexBusy("another process is writing the search indexes") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Snapshot:
    """The indexes of one generation, opened for reading."""

    generation: Path
    manifest: dict
    stamp: tuple
    vectors: object | None = None
    keywords: object | None = None
    encoder: object | None = None

    def query_encoder(self):
        """The generation's ONNX query encoder, or None when it has none (built before encoders were exported)."""
        if self.encoder is None and self.manifest.get("encoder"):
            from django.conf import settings

            from dailypapers.search.query_encoder import OnnxEncoder

            self.encoder = OnnxEncoder(self.generation / "encoder", threads=getattr(settings, "SEARCH_THREADS", 1))
        return self.encoder

    def vector_index(self):
        if self.vectors is None:
            from dailypapers.search.vectors import VectorIndex

            self.vectors = VectorIndex(self.generation / "vectors", self.manifest.get("segments", []))
        return self.vectors

    def keyword_index(self):
        if self.keywords is None:
            from dailypapers.search.keywords import KeywordIndex

            self.keywords = KeywordIndex(self.generation / "keywords")
        return self.keywords


_lock = threading.Lock()
_snapshot: Snapshot | None = None


def _stamp(root: Path) -> tuple | None:
    try:
        pointer = os.stat(root / "CURRENT")
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
        manifest = os.stat(root / name / "manifest.json")
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (str(root), name, pointer.st_mtime_ns, manifest.st_mtime_ns, manifest.st_size)


def live_stamp() -> str:
    """A short text that changes whenever this node's live index changes (a new generation or a sync)."""
    stamp = _stamp(index_dir())
    return "none" if stamp is None else f"{stamp[1]}.{stamp[3]}.{stamp[4]}"


def open_snapshot() -> Snapshot | None:
    """The live generation, reopened only when CURRENT or its manifest changed since the last call."""
    global _snapshot
    root = index_dir()
    stamp = _stamp(root)
    if stamp is None:
        return None
    with _lock:
        if _snapshot is not None and _snapshot.stamp == stamp:
            return _snapshot
        generation = root / stamp[1]
        try:
            manifest = read_manifest(generation)
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:  # garbage in the manifest: as if there were no index (and say so)
            log.error("the search index %s has an unreadable manifest (%s); %s", generation, exc, REPAIR)
            return None
        previous = _snapshot
        snapshot = Snapshot(generation=generation, manifest=manifest, stamp=stamp)
        if previous is not None and previous.generation == generation:
            # Same generation, new segments or keyword commits: keep what did not change.
            if previous.manifest.get("segments") == manifest.get("segments"):
                snapshot.vectors = previous.vectors
            snapshot.keywords = previous.keywords
            if previous.manifest.get("encoder") == manifest.get("encoder"):
                snapshot.encoder = previous.encoder
            if snapshot.keywords is not None:
                snapshot.keywords._searcher = None
        _snapshot = snapshot
        return snapshot


def forget_snapshot() -> None:
    global _snapshot
    with _lock:
        _snapshot = None
