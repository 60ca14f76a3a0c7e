"""Helpers for the search tests: papers through the real import path, and a fresh index folder per test."""

from __future__ import annotations

import datetime as dt

from dailypapers.papers.records import build_record
from dailypapers.papers.services import import_records


def add_papers(rows: list[dict]):
    """Import papers given as dicts (arxiv_id, title, abstract, optional authors/categories/published)."""
    records = [
        build_record(
            arxiv_id=row["arxiv_id"], title=row["title"], abstract=row.get("abstract", ""),
            authors=row.get("authors", ["A. Author"]), categories=row.get("categories", ["cs.LG"]),
            published=row.get("published", dt.datetime(2024, 1, 15, tzinfo=dt.timezone.utc)), source="test",
            version=row.get("version"), updated=row.get("updated"),
        )  # fmt: skip
        for row in rows
    ]
    return import_records(records)


SMALL_CORPUS = [
    {"arxiv_id": "2401.00001", "title": "Quantizing large language models to four bits",
     "abstract": "We protect salient weights by scaling channels using activation statistics.",
     "authors": ["Ji Lin", "Song Han"], "categories": ["cs.CL", "cs.LG"],
     "published": dt.datetime(2024, 1, 10, tzinfo=dt.timezone.utc)},
    {"arxiv_id": "2401.00002", "title": "Diffusion models for image synthesis",
     "abstract": "Denoising score matching generates pictures of high fidelity.",
     "authors": ["Jane Doe"], "categories": ["cs.CV"], "published": dt.datetime(2023, 3, 2, tzinfo=dt.timezone.utc)},
    {"arxiv_id": "2401.00003", "title": "Graph neural networks for molecules",
     "abstract": "Message passing over atoms predicts chemical properties of molecules.",
     "authors": ["Max Planck", "Jane Doe"], "categories": ["cs.LG", "q-bio.BM"],
     "published": dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)},
    {"arxiv_id": "2401.00004", "title": "Reinforcement learning from human feedback",
     "abstract": "Reward models trained on preferences steer language models toward helpful answers.",
     "authors": ["Ann Smith"], "categories": ["cs.CL"], "published": dt.datetime(2024, 2, 20, tzinfo=dt.timezone.utc)},
]  # fmt: skip
