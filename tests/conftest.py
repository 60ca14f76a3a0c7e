"""Shared test setup: paths to the shared real data, and skips when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
ARXIV_DATA = SHARED_DATA / "arxiv"


@pytest.fixture
def arxiv_data() -> Path:
    if not ARXIV_DATA.is_dir():
        pytest.skip(f"shared arXiv data not found at {ARXIV_DATA} (it lies beside the repository)")
    return ARXIV_DATA


@pytest.fixture
def seed_papers_path() -> Path:
    path = SHARED_DATA / "seed" / "papers.jsonl"
    if not path.is_file():
        pytest.skip(f"seed papers not found at {path}")
    return path
