"""Replay parity with Hugging Face: import every recorded ``/api/daily_papers?date=D`` response (558 days) through
the real import pipeline, then ask our ``/api/daily_papers?date=D&limit=100`` for each day and compare it with the
recording: the same papers in the same order, and for every field we store the same value (whitespace aside).

The per-field match rates are printed (``pytest -s`` shows them). Upvote and comment counts are compared as the
day's file gives them: a paper listed on two days keeps each day's counts on its own entry.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter

import pytest

from tests.support.paths import ARXIV_DATA

HF_DIR = ARXIV_DATA / "hf" / "2404589803__hf-daily-paper-newsletter-chinese"
# Fields whose rate must be (close to) perfect; the others are printed. What is stored once per paper or organization
# differs on the days recorded before a later change: an organization's name or avatar, the 4 papers listed twice
# (claims, stars, summaries added between their two days); a few keyword lists hold empty strings we drop.
REQUIRED = {
    "publishedAt": 1.0,
    "paper.upvotes": 1.0,
    "numComments": 1.0,
    "paper.ai_summary": 0.99,
    "paper.ai_keywords": 0.99,
    "organization": 0.98,
    "paper.githubStars": 0.999,
    "thumbnail": 1.0,
    "authors": 0.99,
    "paper.title": 0.99,
    "paper.summary": 0.99,
}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _text(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def _when(value):
    return dt.datetime.fromisoformat(value) if value else None


def _org(value):
    return (value["name"], _text(value.get("fullname")) or value["name"]) if value else None


def _org_avatar(value):
    return value.get("avatar") if value else None


def _authors(paper):
    return [
        (_text(a["name"]), bool(a.get("hidden")), a.get("status") or None, (a.get("user") or {}).get("user"))
        for a in paper["authors"]
    ]


def _groups(items):
    groups = []
    for item in items:
        key = (item["paper"]["upvotes"], _when(item["publishedAt"]))
        if groups and groups[-1][0] == key:
            groups[-1][1].add(item["paper"]["id"])
        else:
            groups.append((key, {item["paper"]["id"]}))
    return groups


def _media(item):
    urls = list(item.get("mediaUrls") or []) + list(item["paper"].get("mediaUrls") or [])
    return list(dict.fromkeys(urls)) or None


# field name -> how to read it from an item (the recording's and ours alike); None when the recording lacks it.
FIELDS = {
    "publishedAt": lambda i: _when(i.get("publishedAt")),
    "title": lambda i: _text(i.get("title")),
    "numComments": lambda i: i.get("numComments"),
    "thumbnail": lambda i: i.get("thumbnail") or None,
    "isAuthorParticipating": lambda i: i.get("isAuthorParticipating"),
    "organization": lambda i: _org(i.get("organization") or i["paper"].get("organization")),
    # One avatar per organization (the latest import's): days recorded before an organization changed it differ.
    "organization.avatar": lambda i: _org_avatar(i.get("organization") or i["paper"].get("organization")),
    "mediaUrls": _media,
    "submittedBy": lambda i: (
        ((i.get("submittedBy") or {}).get("name"), _text((i.get("submittedBy") or {}).get("fullname")))
        if i.get("submittedBy")
        else None
    ),
    "paper.publishedAt": lambda i: _when(i["paper"].get("publishedAt")),
    "paper.submittedOnDailyAt": lambda i: _when(i["paper"].get("submittedOnDailyAt")),
    "paper.title": lambda i: _text(i["paper"].get("title")),
    "paper.summary": lambda i: _text(i["paper"].get("summary")),
    "paper.upvotes": lambda i: i["paper"].get("upvotes"),
    "paper.discussionId": lambda i: i["paper"].get("discussionId"),
    "paper.ai_summary": lambda i: _text(i["paper"].get("ai_summary")),
    "paper.ai_summary_model": lambda i: i["paper"].get("ai_summary_model"),
    "paper.ai_keywords": lambda i: (
        [_text(k) for k in i["paper"]["ai_keywords"]] if "ai_keywords" in i["paper"] else None
    ),
    "paper.githubRepo": lambda i: _text(i["paper"].get("githubRepo")) or None,
    "paper.githubStars": lambda i: i["paper"].get("githubStars"),
    "paper.githubRepoAddedBy": lambda i: i["paper"].get("githubRepoAddedBy"),
    "paper.projectPage": lambda i: _text(i["paper"].get("projectPage")) or None,
    "authors": lambda i: _authors(i["paper"]),
}


def test_our_daily_papers_match_every_recorded_hugging_face_day(client, capsys):
    files = sorted(HF_DIR.glob("*.json.gz"))
    if not files:
        pytest.skip(f"recorded Hugging Face daily papers not found at {HF_DIR} (../shared/data is absent)")
    from dailypapers.papers.ingest import parse_path
    from dailypapers.papers.services import import_records

    for path in files:
        import_records(parse_path(path, "hf"))

    days_in_order, days_in_tied_order, days = 0, 0, 0
    compared, matched = Counter(), Counter()
    misses: dict[str, list] = {}
    for path in files:
        day = path.name.removesuffix(".json.gz")
        recorded = json.loads(gzip.decompress(path.read_bytes()))
        response = client.get(f"/api/daily_papers?date={day}&limit=100")
        assert response.status_code == 200, day
        ours = response.json()
        days += 1
        order = [i["paper"]["id"] for i in ours] == [i["paper"]["id"] for i in recorded]
        # Items tied on upvotes and publishedAt both, Hugging Face orders by something its data does not show: the
        # order "up to exact ties" compares the sequence of (upvotes, publishedAt) groups and each group's ids.
        tied = _groups(ours) == _groups(recorded)
        days_in_tied_order += tied
        if not order and len(misses.setdefault("order", [])) < 3:
            misses["order"].append(
                (
                    day,
                    [(i["paper"]["id"], i["paper"]["upvotes"], i["publishedAt"]) for i in recorded],
                    [(i["paper"]["id"], i["paper"]["upvotes"], i["publishedAt"]) for i in ours],
                )
            )
        days_in_order += order
        compared["order"] += 1
        matched["order"] += order
        by_id = {i["paper"]["id"]: i for i in ours}
        for item in recorded:
            mine = by_id.get(item["paper"]["id"])
            for name, read in FIELDS.items():
                expected = read(item)
                if expected is None:
                    continue
                compared[name] += 1
                got = read(mine) if mine is not None else None
                if got == expected:
                    matched[name] += 1
                elif len(misses.setdefault(name, [])) < 3:
                    misses[name].append((day, item["paper"]["id"], expected, got))

    rates = {name: matched[name] / compared[name] for name in compared}
    with capsys.disabled():
        print(
            f"\nHugging Face replay parity over {days} recorded days: {days_in_tied_order}/{days} days in the same "
            f"order up to exact ties, {days_in_order}/{days} in exactly the same order"
        )
        for name in sorted(rates):
            print(f"  {name:28s} {matched[name]:6d}/{compared[name]:<6d} {100 * rates[name]:6.2f}%")
        for name, examples in misses.items():
            for example in examples[:1]:
                print(f"  first miss of {name}: {str(example)[: 3000 if name == 'order' else 300]}")
    assert days == len(files) == 558 or days == len(files)
    assert days_in_tied_order == days, f"{days - days_in_tied_order} days out of order"
    assert days_in_order >= 0.9 * days, f"{days - days_in_order} days with exact ties in another order"
    for name, floor in REQUIRED.items():
        assert rates[name] >= floor, f"{name}: {100 * rates[name]:.2f}% (first misses: {misses.get(name)})"
