"""Load real Hugging Face /api/daily_papers files into the database, for the API tests and the benchmark.

A stand-in until the ingest app's HF parser (``dailypapers import`` of HF JSON) lands: it maps each item to a
PaperRecord with its daily entry and stores it with the papers app's own import service.
Run as a script: ``python tests/api_seed.py FILE.json.gz ...`` (settings from DAILYPAPERS_* variables).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import sys
from pathlib import Path


def _when(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def records_from_hf_file(path: Path):
    from dailypapers.papers.records import DailyInfo, RecordError, build_record

    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        items = json.load(stream)
    day = dt.date.fromisoformat(path.name.split(".")[0])
    for item in items:
        paper = item.get("paper") or {}
        submitter = item.get("submittedBy") or paper.get("submittedOnDailyBy") or {}
        try:
            yield build_record(
                arxiv_id=paper.get("id", ""), title=paper.get("title") or item.get("title"),
                abstract=paper.get("summary") or item.get("summary"),
                authors=[a.get("name", "") for a in paper.get("authors") or []], categories=[],
                published=_when(paper.get("publishedAt")), source="hf",
                daily=DailyInfo(
                    day=day, submitted_at=_when(paper.get("submittedOnDailyAt")),
                    submitter_name=submitter.get("name") or submitter.get("user") or "",
                    submitter_fullname=submitter.get("fullname") or "", submitter_avatar="",
                    upvotes=int(paper.get("upvotes") or 0), num_comments=int(item.get("numComments") or 0),
                ),
            )  # fmt: skip
        except RecordError:
            continue


def load(paths: list[Path]) -> int:
    from dailypapers.papers.services import import_records

    total = 0
    for path in paths:
        total += import_records(records_from_hf_file(Path(path))).read
    return total


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dailypapers.settings")
    import django

    django.setup()
    args = sys.argv[1:]
    make_token = "--token" in args
    print(load([Path(p) for p in args if p != "--token"]))
    if make_token:
        from django.contrib.auth import get_user_model

        from dailypapers.api.services import token_create

        user, _ = get_user_model().objects.get_or_create(username="apitester")
        print(token_create(user=user, name="tests").secret)
