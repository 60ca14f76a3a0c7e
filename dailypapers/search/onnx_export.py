"""Export the configured sentence-transformers model to ONNX once per index generation (index time only: torch).

The whole sentence-transformers pipeline (transformer, pooling and normalization as the model folder configures
them) is traced by ``torch.onnx.export`` into one graph: token ids in, sentence embedding out. Its weights are then
quantized to int8 (ONNX Runtime dynamic quantization, per channel; 7-bit weights on CPUs without VNNI, whose
int8 kernels saturate with full-range weights) when the int8 embeddings stay within the cosine
floor of the float32 ones on real texts (paper titles, which read like queries, and abstracts); otherwise plans
keeping the feed-forward down-projections of the first layers in float32 (their inputs carry the largest
activation outliers, and early errors pass through every later layer) are tried in turn, and float32 is kept when
none passes.

    <generation>/encoder/model.onnx      the graph the query encoder and (on CPU) batch embedding run
    <generation>/encoder/tokenizer.json  the model's fast tokenizer
    <generation>/encoder/encoder.json    inputs, max length, padding, which plan was kept and its measured cosines
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

COSINE_FLOOR = 0.99
EXPORT_FORMAT = 2  # a rebuild copies the live generation's encoder when model and format agree, else exports anew
FIDELITY = 0.999  # the float32 graph must give sentence-transformers' own embedding
OPSET = 17
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
# Typed-query-like texts, checked besides the database's titles (all there is on a fresh install).
FALLBACK_TEXTS = [
    "protecting salient weights when quantizing language models",
    "diffusion models for image synthesis",
    "graph neural networks predict molecule properties",
    "reinforcement learning from human feedback",
    "retrieval augmented generation for question answering",
    "efficient attention for long documents",
    "self-supervised speech representation learning",
    "vision transformers for object detection",
    "robot manipulation from demonstrations",
    "mixture of experts scaling laws",
    "zero-shot image classification with text supervision",
    "benchmark for code generation by large language models",
]


class ExportError(RuntimeError):
    """The model could not be exported or run by ONNX Runtime."""


def _traced_module(model, names: list[str]):
    import torch

    class Pipeline(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, *tensors):
            return self.model(dict(zip(names, tensors, strict=False)))["sentence_embedding"]

    return Pipeline()


def _weight_matmuls(path: Path) -> tuple[list[str], list[str]]:
    """Names of the MatMul nodes with a constant weight, and among them the down-projections (more rows than columns:
    the feed-forward outputs, whose inputs carry the largest activation outliers)."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    shapes = {init.name: list(init.dims) for init in graph.initializer}
    weights, down = [], []
    for node in graph.node:
        if node.op_type != "MatMul":
            continue
        dims = next((shapes[name] for name in node.input if name in shapes), None)
        if dims is None or len(dims) != 2:
            continue
        weights.append(node.name)
        if dims[0] > dims[1]:
            down.append(node.name)
    return weights, down


def cpu_has_vnni() -> bool:
    """Whether the CPU multiplies int8 without 16-bit saturation (AVX-512 VNNI, AVX-VNNI or AMX)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return any(flag in flags for flag in ("avx512_vnni", "avx_vnni", "amx_int8"))


def _quantize(source: Path, target: Path, *, exclude: list[str], reduce_range: bool) -> None:
    """Per-channel dynamic int8 weights. ``reduce_range``: 7-bit weights, for CPUs without VNNI, whose int8
    kernels (AVX2's VPMADDUBSW) add pairs of products into 16 bits and saturate with full-range weights."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs advice about pre-processing through the root logger
    try:
        quantize_dynamic(
            str(source),
            str(target),
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=exclude,
            reduce_range=reduce_range,
            extra_options={"MatMulConstBOnly": True},
        )
    finally:
        root.setLevel(level)


def export_encoder(
    *, model_name: str, folder: Path, query_texts: list[str], document_texts: list[str], floor: float = COSINE_FLOOR
) -> dict:
    """Write the encoder folder (see the module docstring) atomically; returns its description (encoder.json)."""
    from dailypapers.search.embeddings import resolve_model
    from dailypapers.search.query_encoder import OnnxEncoder

    started = time.monotonic()
    source = Path(resolve_model(model_name))
    tokenizer_file = source / "tokenizer.json"
    if not tokenizer_file.is_file():
        raise ExportError(f"the model folder {source} has no tokenizer.json (a fast tokenizer is needed)")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # no "Loading weights" bar beside the index's own progress
    model = SentenceTransformer(str(source), device="cpu").eval()
    sample = getattr(model, "preprocess", model.tokenize)(["an example sentence for tracing", "a second one"])
    names = [name for name in INPUT_NAMES if name in sample]
    tokenizer = model.tokenizer
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".encoder-", dir=folder.parent))
    try:
        float_path = work / "float32.onnx"
        dynamic = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
        with torch.no_grad(), warnings.catch_warnings():
            # the tracer's notes on Python-side branches (fixed here: dynamic axes) would fill the operator's terminal
            warnings.simplefilter("ignore", torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", message="Exporting aten::index operator", category=UserWarning)
            torch.onnx.export(
                _traced_module(model, names),
                tuple(sample[name] for name in names),
                str(float_path),
                input_names=names,
                output_names=["embedding"],
                dynamic_axes=dynamic,
                opset_version=OPSET,
                dynamo=False,
            )
        shutil.copyfile(tokenizer_file, work / "tokenizer.json")
        description = {
            "format": EXPORT_FORMAT,
            "model": model_name,
            "inputs": names,
            "max_length": int(model.max_seq_length or 512),
            "pad_id": int(tokenizer.pad_token_id or 0),
            "pad_token": str(tokenizer.pad_token or "[PAD]"),
            "dim": int(getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)()),
            "floor": floor,
        }
        (work / "encoder.json").write_text(json.dumps(description | {"weights": "float32"}))
        queries = [t for t in query_texts if t.strip()] + FALLBACK_TEXTS  # typed-query shapes besides the titles
        documents = [t for t in document_texts if t.strip()] or queries
        reference = OnnxEncoder(work, model_file=float_path.name, threads=os.cpu_count() or 1)
        ref_queries = reference.encode(queries)
        ref_documents = reference.encode(documents, batch_size=16)
        check = model.encode(queries[:16], normalize_embeddings=True, convert_to_numpy=True)
        fidelity = float(np.min(np.sum(check * ref_queries[:16], axis=1)))
        if fidelity < FIDELITY:
            raise ExportError(
                f"the exported float32 graph disagrees with sentence-transformers (cosine {fidelity:.4f})"
            )
        weights, down = _weight_matmuls(float_path)
        kept = {"weights": "float32", "file": "float32.onnx", "quantized_matmuls": 0, "total_matmuls": len(weights)}
        tried = []
        # Errors of early layers pass through every later one: keep the first down-projections in float32 first.
        plans = [("int8", [])] + [
            (f"int8 ({n} of {len(down)} down-projections float32)", down[:n])
            for n in sorted({1, 2, 3, len(down)})
            if 0 < n <= len(down)
        ]
        reduce_range = not cpu_has_vnni()
        if reduce_range:
            plans = [(plan.replace("int8", "int8 with 7-bit weights", 1), exclude) for plan, exclude in plans]
        for plan, exclude in plans:
            path = work / f"int8-{len(tried)}.onnx"
            _quantize(float_path, path, exclude=exclude, reduce_range=reduce_range)
            candidate = OnnxEncoder(work, model_file=path.name, threads=os.cpu_count() or 1)
            cos_q = np.sum(candidate.encode(queries) * ref_queries, axis=1)
            cos_d = np.sum(candidate.encode(documents, batch_size=16) * ref_documents, axis=1)
            result = {
                "weights": plan,
                "cosine_queries_min": round(float(cos_q.min()), 5),
                "cosine_queries_mean": round(float(cos_q.mean()), 5),
                "cosine_documents_min": round(float(cos_d.min()), 5),
                "cosine_documents_mean": round(float(cos_d.mean()), 5),
            }
            tried.append(result)
            if cos_q.min() >= floor and cos_d.min() >= floor:
                kept = result | {
                    "file": path.name,
                    "quantized_matmuls": len(weights) - len(exclude),
                    "total_matmuls": len(weights),
                }
                break
        os.replace(work / kept.pop("file"), work / "model.onnx")
        for leftover in work.glob("*.onnx"):
            if leftover.name != "model.onnx":
                leftover.unlink()
        description |= kept | {
            "tried": tried,
            "fidelity_to_sentence_transformers": round(fidelity, 6),
            "calibration": {"queries": len(queries), "documents": len(documents)},
            "seconds": round(time.monotonic() - started, 1),
        }
        (work / "encoder.json").write_text(json.dumps(description, indent=1))
        os.chmod(work, 0o755)  # mkdtemp makes it private; web workers may run as another user
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(work, folder)
    except Exception as exc:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, ExportError):
            raise
        raise ExportError(f"exporting {model_name} to ONNX failed: {exc}") from exc
    log.info("exported %s to ONNX (%s) in %.1fs", model_name, description["weights"], description["seconds"])
    return description
