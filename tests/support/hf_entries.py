"""Hugging Face /api/daily_papers entries for tests, in the shape the recordings have (2025-2026 schema)."""

from __future__ import annotations

import io
import json


def hf_entry(arxiv_id: str, *, day: str, upvotes: int = 3, comments: int = 1, authors=None, **paper_extra) -> dict:
    authors = authors if authors is not None else [{"_id": "a1", "name": "Ada Lovelace", "hidden": False}]
    paper = {
        "id": arxiv_id,
        "authors": authors,
        "publishedAt": f"{day}T08:01:03.000Z",
        "submittedOnDailyAt": f"{day}T10:15:36.833Z",
        "title": f"A study {arxiv_id}",
        "submittedOnDailyBy": {
            "_id": "u1",
            "avatarUrl": "https://cdn-avatars.huggingface.co/u1.png",
            "isPro": False,
            "fullname": "Wen Yu",
            "user": "wyu1",
            "type": "user",
        },
        "summary": "We reach 97.3\\% accuracy with \\emph{fast} models; math $x^2$ stays.",
        "upvotes": upvotes,
        "discussionId": f"disc{arxiv_id}",
        **paper_extra,
    }
    return {
        "paper": paper,
        "publishedAt": f"{day}T04:01:03.000Z",
        "title": paper["title"],
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
        "numComments": comments,
        "submittedBy": {
            "_id": "u1",
            "avatarUrl": "https://cdn-avatars.huggingface.co/u1.png",
            "fullname": "Wen Yu",
            "name": "wyu1",
            "type": "user",
        },
        "isAuthorParticipating": True,
    }


def import_entries(entries: list[dict], *, day: str):
    from dailypapers.papers.ingest.hf import parse_hf
    from dailypapers.papers.services import import_records

    data = json.dumps(entries).encode()
    return import_records(parse_hf(io.BytesIO(data), f"{day}.json"))


RICH = {
    "ai_summary": "Vision-SR1 improves visual reasoning.",
    "ai_summary_model": "qwen3-30b",
    "ai_keywords": ["vision-language models", "reward hacking"],
    "githubRepo": "https://github.com/example/vision-sr1",
    "githubStars": 42,
    "githubRepoAddedBy": "author",
    "projectPage": "https://example.org/vsr1",
    "organization": {
        "_id": "o1",
        "name": "ExampleLab",
        "fullname": "Example Lab",
        "avatar": "https://cdn.example/o.png",
    },
    "mediaUrls": ["https://cdn.example/fig.png"],
}
HIDDEN_FIRST = [
    {"_id": "a0", "name": "Hidden Person", "hidden": True},
    {
        "_id": "a1",
        "name": "Ada Lovelace",
        "hidden": False,
        "status": "claimed_verified",
        "user": {
            "_id": "u9",
            "avatarUrl": "https://cdn.example/ada.png",
            "fullname": "Ada L.",
            "user": "ada",
            "type": "user",
        },
    },
    {"_id": "a2", "name": "Alan Turing", "hidden": False},
]
