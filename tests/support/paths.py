"""Where the repository and the shared real data (beside the repository) lie."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
ARXIV_DATA = SHARED_DATA / "arxiv"
