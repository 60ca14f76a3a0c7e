"""The API's paper rows as built before (bench/api_rows.py's baseline): three ORM queries of ``.values()`` dicts.

A verbatim copy of dailypapers.api.selectors.paper_rows as it was, kept to measure the new one against.
"""

from __future__ import annotations

from collections.abc import Sequence

from dailypapers.api.selectors import AUTHOR_FIELDS, ENTRY_FIELDS, PAPER_FIELDS
from dailypapers.core.db import in_chunks
from dailypapers.papers.models import DailyEntry, Paper, PaperAuthor


def paper_rows(*, paper_ids: Sequence[int], entry_ids: Sequence[int | None] | None = None) -> list[dict]:
    ids = list(paper_ids)
    if not ids:
        return []
    wanted_entries = list(entry_ids) if entry_ids is not None else [None] * len(ids)
    by_id: dict[int, dict] = {}
    latest: dict[int, dict] = {}
    entries: dict[int, dict] = {}
    unique = list(dict.fromkeys(ids))
    for chunk in in_chunks(unique):
        for row in Paper.objects.filter(pk__in=chunk).values(*PAPER_FIELDS):
            org = {name: row.pop(f"organization__{name}") for name in ("name", "fullname", "avatar")}
            row["organization"] = org if org["name"] else None
            row["authors"], row["all_authors"] = [], []
            by_id[row["id"]] = row
        for entry in DailyEntry.objects.filter(paper_id__in=chunk).order_by("day", "pk").values(*ENTRY_FIELDS):
            latest[entry["paper_id"]] = entry  # the last one per paper is its latest
            entries[entry["id"]] = entry
        authorships = PaperAuthor.objects.filter(paper_id__in=chunk).order_by("paper_id", "position")
        for paper_id, author_id, name, hidden, status, user, fullname, avatar in authorships.values_list(
            *AUTHOR_FIELDS
        ):
            paper = by_id[paper_id]
            paper["all_authors"].append(
                {
                    "id": author_id,
                    "name": name,
                    "hidden": hidden,
                    "status": status,
                    "claimed_user": user,
                    "claimed_fullname": fullname,
                    "claimed_avatar": avatar,
                }
            )
            if not hidden:
                paper["authors"].append((author_id, name))
    missing = [pk for pk in wanted_entries if pk is not None and pk not in entries]
    for chunk in in_chunks(missing):
        entries.update((e["id"], e) for e in DailyEntry.objects.filter(pk__in=chunk).values(*ENTRY_FIELDS))
    rows = []
    for pk, entry_id in zip(ids, wanted_entries, strict=False):
        if pk not in by_id:
            continue
        row = dict(by_id[pk])
        row["entry"] = entries.get(entry_id) if entry_id is not None else latest.get(pk)
        rows.append(row)
    return rows


def hf_authors(row: dict) -> list[dict]:
    """dailypapers.api.shapes._hf_authors as it was (it read the author dicts of the rows above)."""
    authors = []
    for author in row["all_authors"]:
        item = {"name": author["name"], "hidden": author["hidden"]}
        if author["status"]:
            item["status"] = author["status"]
        if author["claimed_user"]:
            item["user"] = {
                "user": author["claimed_user"],
                "fullname": author["claimed_fullname"] or author["claimed_user"],
                "avatarUrl": author["claimed_avatar"],
                "type": "user",
            }
        authors.append(item)
    return authors


def hf_entries_response(pairs: list[tuple[int, int]]):
    """dailypapers.api.routes_hf.hf_entries_response as it was: it read the entries' paper ids again."""
    from django.http import HttpResponse

    from dailypapers.api import caching, selectors, shapes
    from dailypapers.api.responses import json_bytes

    def render(entry_ids: list[int]) -> dict[int, bytes]:
        found = list(DailyEntry.objects.filter(pk__in=entry_ids).values_list("paper_id", "pk"))
        rows = selectors.paper_rows(paper_ids=[p for p, _ in found], entry_ids=[e for _, e in found])
        return {row["entry"]["id"]: json_bytes(shapes.hf_item(row)) for row in rows}

    body = b"[" + b",".join(caching.fragments("hf-entry", [e for _, e in pairs], render)) + b"]"
    return HttpResponse(body, content_type="application/json")
