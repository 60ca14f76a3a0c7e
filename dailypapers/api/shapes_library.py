"""JSON shapes of the library: our /api/v1 collections, items, notes, follows; Hugging Face's collections."""

from __future__ import annotations

from django.conf import settings
from django.utils.html import escape

from dailypapers.api import selectors as api_selectors
from dailypapers.api.shapes import hf_date, v1_paper
from dailypapers.library.models import Collection, CollectionItem, Follow, Note


def _iso(value) -> str | None:
    return hf_date(value) if value is not None else None


def _cards(paper_ids: list[int]) -> dict[int, dict]:
    return {row["id"]: row for row in api_selectors.paper_rows(paper_ids=paper_ids)}


def collection_summary(collection: Collection, *, num_items: int | None = None) -> dict:
    count = num_items if num_items is not None else getattr(collection, "num_items", None)
    return {
        "owner": collection.owner.username,
        "slug": collection.slug,
        "name": collection.name,
        "description": collection.description,
        "public": collection.is_public,
        "kind": collection.kind,
        "num_items": collection.items.count() if count is None else count,
        "updated": _iso(collection.updated),
        "url": settings.SITE_URL + collection.get_absolute_url(),
    }


def v1_items(items: list[CollectionItem]) -> list[dict]:
    rows = _cards([item.paper_id for item in items])
    return [
        {
            "position": index,
            "note": item.note,
            "added": _iso(item.added),
            "read_at": _iso(item.read_at),
            "paper": v1_paper(rows[item.paper_id]),
        }
        for index, item in enumerate(items)
        if item.paper_id in rows
    ]


def v1_collection(collection: Collection) -> dict:
    items = list(collection.items.order_by("position", "pk"))
    return {**collection_summary(collection, num_items=len(items)), "items": v1_items(items)}


def v1_note(note: Note) -> dict:
    return {"paper": note.paper.arxiv_id, "body": note.body, "updated": _iso(note.updated)}


def v1_follow(follow: Follow) -> dict:
    return {
        "id": follow.pk,
        "kind": follow.kind,
        "author_id": follow.author_id,
        "author_name": follow.author.name if follow.author_id else None,
        "organization": follow.organization.name if follow.organization_id else None,
        "organization_fullname": (follow.organization.fullname or None) if follow.organization_id else None,
        "value": follow.value,
    }


# --- Hugging Face ---------------------------------------------------------------------------------------------------


def hf_slug(collection: Collection) -> str:
    return f"{collection.owner.username}/{collection.slug}"


def hf_owner(user) -> dict:
    return {
        "_id": str(user.pk),
        "name": user.username,
        "fullname": user.get_full_name() or user.username,
        "avatarUrl": getattr(user, "avatar_url", "") or "",
        "type": "user",
    }


def hf_collection(collection: Collection, *, max_items: int | None = None, position: int | None = 0) -> dict:
    """A collection as huggingface.co sends it; lists leave ``position`` out (the client numbers them itself)."""
    items = list(collection.items.order_by("position", "pk"))
    if max_items is not None:
        items = items[:max_items]
    rows = _cards([item.paper_id for item in items])
    hf_items = []
    for index, item in enumerate(items):
        row = rows.get(item.paper_id)
        if row is None:
            continue
        row = {
            "_id": str(item.pk),
            "id": row["arxiv_id"],
            "type": "paper",
            "position": index,
            "title": row["title"],
            "publishedAt": hf_date(row["published_at"]),
            "upvotes": row["upvotes"],
        }
        if item.note:
            row["note"] = {"text": item.note, "html": escape(item.note)}
        hf_items.append(row)
    return {
        "slug": hf_slug(collection),
        "title": collection.name,
        "description": collection.description or None,
        "owner": hf_owner(collection.owner),
        "items": hf_items,
        "lastUpdated": hf_date(collection.updated),
        **({"position": position} if position is not None else {}),
        "private": not collection.is_public,
        "theme": "blue",
        "upvotes": 0,
        "isUpvotedByUser": False,
        "shareUrl": settings.SITE_URL + collection.get_absolute_url(),
    }
