"""A small corpus for the search tests, imported with dailypapers.core.testing.import_papers."""

from __future__ import annotations

import datetime as dt

SMALL_CORPUS = [
    {
        "arxiv_id": "2401.00001",
        "title": "Quantizing large language models to four bits",
        "abstract": "We protect salient weights by scaling channels using activation statistics.",
        "authors": ["Ji Lin", "Song Han"],
        "categories": ["cs.CL", "cs.LG"],
        "published": dt.datetime(2024, 1, 10, tzinfo=dt.UTC),
    },
    {
        "arxiv_id": "2401.00002",
        "title": "Diffusion models for image synthesis",
        "abstract": "Denoising score matching generates pictures of high fidelity.",
        "authors": ["Jane Doe"],
        "categories": ["cs.CV"],
        "published": dt.datetime(2023, 3, 2, tzinfo=dt.UTC),
    },
    {
        "arxiv_id": "2401.00003",
        "title": "Graph neural networks for molecules",
        "abstract": "Message passing over atoms predicts chemical properties of molecules.",
        "authors": ["Max Planck", "Jane Doe"],
        "categories": ["cs.LG", "q-bio.BM"],
        "published": dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
    },
    {
        "arxiv_id": "2401.00004",
        "title": "Reinforcement learning from human feedback",
        "abstract": "Reward models trained on preferences steer language models toward helpful answers.",
        "authors": ["Ann Smith"],
        "categories": ["cs.CL"],
        "published": dt.datetime(2024, 2, 20, tzinfo=dt.UTC),
    },
]
