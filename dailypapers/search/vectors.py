"""The vector index: FAISS binary codes in RAM for a fast candidate scan, exact re-scoring from float16 on disk.

Layout of a vector index folder (inside one index generation, see sync.py):

    mean.npy                 the centering vector (float32): codes are the signs of (vector - mean)
    seg-NNNNN/pks.npy        paper primary keys (int64)
    seg-NNNNN/codes.npy      packed sign bits (uint8, dim/8 per paper)     -> RAM (FAISS IndexBinaryFlat)
    seg-NNNNN/vectors.npy    the normalized embeddings as float16           -> memory-mapped, read for re-scoring

Incremental syncs append a segment; a paper in a later segment supersedes its rows in earlier ones. A full
rebuild (or compaction) writes few segments. RAM per paper: dim/8 bytes of codes + 8 bytes of key + 8 bytes of row
map (64 bytes at dim 384); the float16 vectors stay in the page cache and are touched only for the candidates.
Every file is written under a temporary name and renamed, so a reader never sees half a segment.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_CANDIDATES = 400
EXACT_LIMIT = 8192  # a filter allowing at most this many papers is searched exactly (every allowed vector scored)
logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # it logs each CPU-variant probe at INFO


def _atomic_save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        np.save(handle, array)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def binarize(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return np.packbits((np.asarray(vectors, dtype=np.float32) - mean) > 0, axis=1)


def write_mean(folder: Path, mean: np.ndarray) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _atomic_save(folder / "mean.npy", np.asarray(mean, dtype=np.float32))


def segment_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("seg-*") if (p / "done").exists())


def write_segment(folder: Path, *, pks: np.ndarray, vectors: np.ndarray) -> str:
    """Write a new segment (pks and their normalized vectors); returns its name. Visible once complete."""
    mean = np.load(folder / "mean.npy")
    existing = segment_names(folder)
    number = int(existing[-1].split("-")[1]) + 1 if existing else 1
    name = f"seg-{number:05d}"
    seg = folder / name
    seg.mkdir(parents=True, exist_ok=True)
    vectors = np.asarray(vectors, dtype=np.float32)
    _atomic_save(seg / "pks.npy", np.asarray(pks, dtype=np.int64))
    _atomic_save(seg / "codes.npy", binarize(vectors, mean))
    _atomic_save(seg / "vectors.npy", vectors.astype(np.float16))
    (seg / "done").write_text("ok")
    return name


@dataclass
class VectorHit:
    pk: int
    score: float


class VectorIndex:
    """A read-only view of a vector index folder (a fixed list of segments)."""

    def __init__(self, folder: Path, segments: list[str] | None = None, *, threads: int | None = None):
        import faiss

        if threads is None:
            from django.conf import settings

            threads = getattr(settings, "SEARCH_THREADS", 1)
        # One query scans all codes: with OpenMP threads that busy-wait, a shared or busy CPU makes more threads
        # slower, and web workers already run queries side by side. 1 by default.
        faiss.omp_set_num_threads(max(1, int(threads)))

        self.folder = Path(folder)
        self.segments = segments if segments is not None else segment_names(self.folder)
        self.mean = np.load(self.folder / "mean.npy")
        self.dim = int(self.mean.shape[0])
        pks, codes, self._vectors, offsets = [], [], [], [0]
        for name in self.segments:
            seg = self.folder / name
            pks.append(np.load(seg / "pks.npy"))
            codes.append(np.load(seg / "codes.npy"))
            self._vectors.append(np.load(seg / "vectors.npy", mmap_mode="r"))
            offsets.append(offsets[-1] + len(pks[-1]))
        all_pks = np.concatenate(pks) if pks else np.zeros(0, dtype=np.int64)
        # The last occurrence of a key wins (later segments supersede earlier ones).
        reversed_unique, first_in_reversed = np.unique(all_pks[::-1], return_index=True)
        alive = np.sort(len(all_pks) - 1 - first_in_reversed)
        self._offsets = np.asarray(offsets, dtype=np.int64)
        self._rows = alive.astype(np.int64)  # index position -> global row
        self.pks = all_pks[alive]
        self._position = None
        self.index = faiss.IndexBinaryFlat(self.dim)
        if len(alive):
            all_codes = np.concatenate(codes) if len(codes) > 1 else codes[0]
            self.index.add(np.ascontiguousarray(all_codes[alive]))

    def __len__(self) -> int:
        return len(self.pks)

    def _rows_vectors(self, rows: np.ndarray) -> np.ndarray:
        """float32 vectors of global rows (sorted reads from the memory-mapped segments)."""
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        segment_of = np.searchsorted(self._offsets, rows, side="right") - 1
        for seg in np.unique(segment_of):
            mask = segment_of == seg
            local = rows[mask] - self._offsets[seg]
            order = np.argsort(local)
            block = np.asarray(self._vectors[seg][local[order]], dtype=np.float32)
            target = np.flatnonzero(mask)[order]
            out[target] = block
        return out

    def search(
        self,
        query: np.ndarray,
        *,
        k: int = 10,
        candidates: int = DEFAULT_CANDIDATES,
        exclude: set[int] | None = None,
        allowed: np.ndarray | None = None,
    ) -> list[VectorHit]:
        """The k nearest papers by cosine: Hamming top-`candidates`, then exact float re-scoring.

        ``allowed`` (paper keys) restricts the search to those papers inside the index: up to EXACT_LIMIT of them
        are all scored exactly; more are searched through a FAISS id selector (a bitmap over the codes), so a
        filtered query finds its best papers wherever they rank globally.
        """
        if not len(self.pks) or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is not None:
            positions = self._positions_of(allowed)
            positions = np.unique(positions[positions >= 0])
            if not len(positions):
                return []
            if len(positions) > max(EXACT_LIMIT, candidates):
                positions = self._selected_candidates(query, positions, max(candidates, k + len(exclude or ())))
        else:
            code = binarize(query, self.mean)
            wanted = min(len(self.pks), max(candidates, k + len(exclude or ())))
            _, found = self.index.search(code, wanted)
            positions = found[0][found[0] >= 0]
        return self._rescored(query[0], positions, k=k, exclude=exclude)

    def _selected_candidates(self, query: np.ndarray, positions: np.ndarray, wanted: int) -> np.ndarray:
        """Hamming top-`wanted` among these index positions only (FAISS IDSelectorBitmap)."""
        import faiss

        mask = np.zeros(len(self.pks), dtype=bool)
        mask[positions] = True
        bitmap = np.packbits(mask, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
        params = faiss.SearchParameters(sel=selector)
        _, found = self.index.search(binarize(query, self.mean), min(wanted, len(positions)), params=params)
        return found[0][found[0] >= 0]

    def _rescored(self, query: np.ndarray, positions: np.ndarray, *, k: int, exclude: set[int] | None):
        vectors = self._rows_vectors(self._rows[positions])
        scores = vectors @ query
        if len(scores) > 4 * (k + len(exclude or ())):
            top = np.argpartition(-scores, k + len(exclude or ()))[: k + len(exclude or ())]
            order = top[np.argsort(-scores[top], kind="stable")]
        else:
            order = np.argsort(-scores, kind="stable")
        hits = []
        for i in order:
            pk = int(self.pks[positions[i]])
            if exclude and pk in exclude:
                continue
            hits.append(VectorHit(pk, float(scores[i])))
            if len(hits) >= k:
                break
        return hits

    def _positions_of(self, pks) -> np.ndarray:
        """Index positions of these keys (-1 for keys not in the index)."""
        if self._position is None:
            self._position = np.argsort(self.pks, kind="stable")
            self._sorted_pks = self.pks[self._position]
        pks = np.asarray(pks, dtype=np.int64)
        at = np.searchsorted(self._sorted_pks, pks)
        at = np.minimum(at, max(0, len(self._sorted_pks) - 1))
        found = (
            (len(self._sorted_pks) > 0) & (self._sorted_pks[at] == pks)
            if len(self._sorted_pks)
            else np.zeros(len(pks), bool)
        )
        return np.where(found, self._position[at] if len(self._sorted_pks) else -1, -1)

    def scores_for(self, query: np.ndarray, pks) -> dict[int, float]:
        """Exact cosine of the query to each of these papers (those in the index)."""
        positions = self._positions_of(pks)
        keep = positions >= 0
        if not keep.any():
            return {}
        vectors = self._rows_vectors(self._rows[positions[keep]])
        scores = vectors @ np.asarray(query, dtype=np.float32)
        return {int(pk): float(score) for pk, score in zip(np.asarray(pks)[keep], scores, strict=False)}

    def vectors_for(self, pks) -> tuple[np.ndarray, np.ndarray]:
        """(the keys found in the index, their float32 vectors), in the order given."""
        pks = np.asarray(pks, dtype=np.int64)
        positions = self._positions_of(pks)
        keep = positions >= 0
        if not keep.any():
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        return pks[keep], self._rows_vectors(self._rows[positions[keep]])

    def vector_of(self, pk: int) -> np.ndarray | None:
        if self._position is None:
            self._position = np.argsort(self.pks, kind="stable")
            self._sorted_pks = self.pks[self._position]
        sorted_pks = self._sorted_pks
        at = int(np.searchsorted(sorted_pks, pk))
        if at >= len(sorted_pks) or sorted_pks[at] != pk:
            return None
        position = int(self._position[at])
        return self._rows_vectors(self._rows[[position]])[0]

    def all_rows(self):
        """(pks, float32 vectors) of every live paper, in blocks (for compaction)."""
        block = 65536
        for start in range(0, len(self.pks), block):
            rows = self._rows[start : start + block]
            yield self.pks[start : start + block], self._rows_vectors(rows)
