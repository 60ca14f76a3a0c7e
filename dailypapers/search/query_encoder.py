"""Text -> embedding through ONNX Runtime, from an index generation's exported encoder (see onnx_export.py).

Imports neither torch nor sentence-transformers: a search answers from the `tokenizers` fast tokenizer and one
ONNX Runtime session. Queries run on one intra-op thread (web workers already run queries side by side, and extra
threads only spin against them); batch embedding at index time uses every core.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


class OnnxEncoder:
    """The exported sentence-transformers pipeline: pooling and normalization are inside the graph."""

    def __init__(self, folder: str | Path, *, model_file: str = "model.onnx", threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self.description = json.loads((self.folder / "encoder.json").read_text(encoding="utf-8"))
        self.inputs = list(self.description["inputs"])
        self.dim = int(self.description["dim"])
        self.weights = self.description.get("weights", "float32")
        self.tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(self.description["max_length"]))
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, int(threads))
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(self.folder / model_file), options, providers=["CPUExecutionProvider"])

    def _feeds(self, encodings) -> dict[str, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        pad = int(self.description.get("pad_id", 0))
        ids = np.full((len(encodings), width), pad, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            mask[row, :n] = 1
            types[row, :n] = encoding.type_ids
        every = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {name: every[name] for name in self.inputs}

    @staticmethod
    def _normalized(vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def encode_one(self, text: str) -> np.ndarray:
        encoding = self.tokenizer.encode(text)
        return self._normalized(self.session.run(None, self._feeds([encoding]))[0])[0]

    def encode(self, texts: list[str], *, batch_size: int = 32, progress=None) -> np.ndarray:
        """Embeddings in the given order; batches are formed longest first, so each pads to similar lengths."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._normalized(self.session.run(None, self._feeds([encodings[i] for i in chunk]))[0])
            if progress is not None:
                progress.update(len(chunk))
        return out


class OnnxEmbedder:
    """An index generation's ONNX encoder behind the Embedder interface (batch embedding on the CPU, all cores)."""

    def __init__(self, *, name: str, folder: Path, threads: int):
        self.name = name
        self.encoder = OnnxEncoder(folder, threads=threads)
        self.dim = self.encoder.dim

    def encode(self, texts: list[str], *, batch_size: int | None = None, progress=None) -> np.ndarray:
        return self.encoder.encode(texts, batch_size=batch_size or 32, progress=progress)
