"""The one place where API items are shaped: Hugging Face-compatible items, our /api/v1 items, and markdown.

Input is a "card" from dailypapers.api.selectors.paper_cards. Hugging Face's client parses dates only in the form
``2025-07-30T12:34:56.000Z`` (see ../shared/docs/hf-compat-api.md), so every date goes through :func:`hf_date`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def hf_date(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _hf_authors(card: dict) -> list[dict]:
    return [{"name": name, "hidden": False} for _, name in card["authors"]]


def _hf_submitter(entry: dict | None) -> dict | None:
    if not entry or not entry["submitter_name"]:
        return None
    return {
        "user": entry["submitter_name"],  # what the client reads as the user name
        "name": entry["submitter_name"],  # what huggingface.co itself sends
        "fullname": entry["submitter_fullname"] or entry["submitter_name"],
        "avatarUrl": entry["submitter_avatar"] or "",
        "type": "user",
    }


def _extras(card: dict) -> dict:
    return {
        "githubRepo": card["github_repo"] or None,
        "githubStars": None,
        "projectPage": card["project_page"] or None,
        "ai_summary": None,
        "ai_keywords": [],
    }


def hf_item(card: dict) -> dict:
    """A "wrapped" item of /api/daily_papers and /api/papers/search: {"paper": {...}, "title": ..., ...}.

    The client takes the submission time from the top-level ``publishedAt`` and the arXiv date from
    ``paper.publishedAt``; a paper not on any daily page gets its arXiv date in both.
    """
    entry = card["entry"]
    published = hf_date(card["published_at"])
    submitted = hf_date(entry["submitted_at"]) if entry else None
    submitter = _hf_submitter(entry)
    paper = {
        "id": card["arxiv_id"],
        "authors": _hf_authors(card),
        "publishedAt": published,
        "submittedOnDailyAt": submitted,
        "title": card["title"],
        "summary": card["abstract"],
        "upvotes": card["upvotes"],
        "discussionId": card["arxiv_id"],
        **_extras(card),
    }
    if submitter:
        paper["submittedOnDailyBy"] = submitter
    return {
        "paper": paper,
        "publishedAt": submitted or published,
        "title": card["title"],
        "summary": card["abstract"],
        "upvotes": card["upvotes"],  # a 0 inside "paper" reads as None in the client: repeat it here
        "numComments": card["num_comments"],
        "submittedBy": submitter,
        "isAuthorParticipating": False,
        **_extras(card),
    }


def hf_paper(card: dict) -> dict:
    """The flat object of /api/papers/{id}."""
    entry = card["entry"]
    return {
        "id": card["arxiv_id"],
        "authors": _hf_authors(card),
        "publishedAt": hf_date(card["published_at"]),
        "submittedOnDailyAt": hf_date(entry["submitted_at"]) if entry else None,
        "submittedOnDailyBy": _hf_submitter(entry),
        "title": card["title"],
        "summary": card["abstract"],
        "upvotes": card["upvotes"],
        "discussionId": card["arxiv_id"],
        "numComments": card["num_comments"],
        **_extras(card),
    }


def paper_markdown(card: dict) -> str:
    """The paper as markdown (what read_paper returns): title, authors, dates, links and abstract."""
    lines = [f"# {card['title']}", ""]
    if card["authors"]:
        lines += ["**Authors:** " + ", ".join(name for _, name in card["authors"]), ""]
    facts = [f"- arXiv: [{card['arxiv_id']}](https://arxiv.org/abs/{card['arxiv_id']}) (v{card['version']})"]
    facts.append(f"- Published: {card['published_at'].astimezone(dt.timezone.utc).date().isoformat()}")
    if card["categories"]:
        facts.append(f"- Categories: {', '.join(card['categories'].split())}")
    if card["entry"]:
        facts.append(f"- On the daily page of {card['entry']['day'].isoformat()}")
    facts.append(f"- Upvotes: {card['upvotes']}, comments: {card['num_comments']}")
    for label, key in (("Code", "github_repo"), ("Project page", "project_page"), ("DOI", "doi")):
        if card[key]:
            facts.append(f"- {label}: {card[key]}")
    if card["journal_ref"]:
        facts.append(f"- Journal reference: {card['journal_ref']}")
    if card["comments"]:
        facts.append(f"- Comments: {card['comments']}")
    lines += facts + [""]
    if card["abstract"]:
        lines += ["## Abstract", "", card["abstract"], ""]
    lines += [f"Source: {settings.SITE_URL}/papers/{card['arxiv_id']}", ""]
    return "\n".join(lines)


# --- /api/v1 ---------------------------------------------------------------------------------------------------


def v1_entry(entry: dict | None) -> dict | None:
    if not entry:
        return None
    return {
        "day": entry["day"],
        "submitted_at": entry["submitted_at"],
        "submitter": entry["submitter_name"] or None,
        "submitter_fullname": entry["submitter_fullname"] or None,
        "source": entry["source"],
    }


def v1_paper(card: dict) -> dict:
    arxiv_id = card["arxiv_id"]
    return {
        "id": arxiv_id,
        "version": card["version"],
        "title": card["title"],
        "abstract": card["abstract"],
        "authors": [{"id": author_id, "name": name} for author_id, name in card["authors"]],
        "categories": card["categories"].split(),
        "primary_category": card["primary_category"] or None,
        "published_at": card["published_at"],
        "updated_at": card["updated_at"],
        "comments": card["comments"] or None,
        "journal_ref": card["journal_ref"] or None,
        "doi": card["doi"] or None,
        "license": card["license"] or None,
        "github_repo": card["github_repo"] or None,
        "project_page": card["project_page"] or None,
        "upvotes": card["upvotes"],
        "num_comments": card["num_comments"],
        "daily_entry": v1_entry(card["entry"]),
        "url": f"{settings.SITE_URL}/papers/{arxiv_id}",
        "arxiv_url": f"https://arxiv.org/abs/{arxiv_id}",
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
    }
