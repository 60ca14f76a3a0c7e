"""The one place where API items are shaped: Hugging Face-compatible items, our /api/v1 items, and markdown.

Input is a "row" from dailypapers.api.selectors.paper_rows. Hugging Face's client parses dates only in the form
``2025-07-30T12:34:56.000Z`` (what huggingface_hub parses), so every date goes through :func:`hf_date`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def hf_date(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _hf_authors(row: dict) -> list[dict]:
    return [{"name": name, "hidden": False} for _, name in row["authors"]]


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


def _extras(row: dict) -> dict:
    return {
        "githubRepo": row["github_repo"] or None,
        "githubStars": None,
        "projectPage": row["project_page"] or None,
        "ai_summary": None,
        "ai_keywords": [],
    }


def hf_item(row: dict) -> dict:
    """A "wrapped" item of /api/daily_papers and /api/papers/search: {"paper": {...}, "title": ..., ...}.

    The client takes the submission time from the top-level ``publishedAt`` and the arXiv date from
    ``paper.publishedAt``; a paper not on any daily page gets its arXiv date in both.
    """
    entry = row["entry"]
    published = hf_date(row["published_at"])
    submitted = hf_date(entry["submitted_at"]) if entry else None
    submitter = _hf_submitter(entry)
    paper = {
        "id": row["arxiv_id"],
        "authors": _hf_authors(row),
        "publishedAt": published,
        "submittedOnDailyAt": submitted,
        "title": row["title"],
        "summary": row["abstract"],
        "upvotes": row["upvotes"],
        "discussionId": row["arxiv_id"],
        **_extras(row),
    }
    if submitter:
        paper["submittedOnDailyBy"] = submitter
    return {
        "paper": paper,
        "publishedAt": submitted or published,
        "title": row["title"],
        "summary": row["abstract"],
        "upvotes": row["upvotes"],  # a 0 inside "paper" reads as None in the client: repeat it here
        "numComments": row["num_comments"],
        "submittedBy": submitter,
        "isAuthorParticipating": False,
        **_extras(row),
    }


def hf_paper(row: dict) -> dict:
    """The flat object of /api/papers/{id}."""
    entry = row["entry"]
    return {
        "id": row["arxiv_id"],
        "authors": _hf_authors(row),
        "publishedAt": hf_date(row["published_at"]),
        "submittedOnDailyAt": hf_date(entry["submitted_at"]) if entry else None,
        "submittedOnDailyBy": _hf_submitter(entry),
        "title": row["title"],
        "summary": row["abstract"],
        "upvotes": row["upvotes"],
        "discussionId": row["arxiv_id"],
        "numComments": row["num_comments"],
        **_extras(row),
    }


def paper_markdown(row: dict) -> str:
    """The paper as markdown (what read_paper returns): title, authors, dates, links and abstract."""
    lines = [f"# {row['title']}", ""]
    if row["authors"]:
        lines += ["**Authors:** " + ", ".join(name for _, name in row["authors"]), ""]
    facts = [f"- arXiv: [{row['arxiv_id']}](https://arxiv.org/abs/{row['arxiv_id']}) (v{row['version']})"]
    facts.append(f"- Published: {row['published_at'].astimezone(dt.timezone.utc).date().isoformat()}")
    if row["categories"]:
        facts.append(f"- Categories: {', '.join(row['categories'].split())}")
    if row["entry"]:
        facts.append(f"- On the daily page of {row['entry']['day'].isoformat()}")
    facts.append(f"- Upvotes: {row['upvotes']}, comments: {row['num_comments']}")
    for label, key in (("Code", "github_repo"), ("Project page", "project_page"), ("DOI", "doi")):
        if row[key]:
            facts.append(f"- {label}: {row[key]}")
    if row["journal_ref"]:
        facts.append(f"- Journal reference: {row['journal_ref']}")
    if row["comments"]:
        facts.append(f"- Comments: {row['comments']}")
    lines += facts + [""]
    if row["abstract"]:
        lines += ["## Abstract", "", row["abstract"], ""]
    lines += [f"Source: {settings.SITE_URL}/papers/{row['arxiv_id']}", ""]
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


def v1_paper(row: dict) -> dict:
    arxiv_id = row["arxiv_id"]
    return {
        "id": arxiv_id,
        "version": row["version"],
        "title": row["title"],
        "abstract": row["abstract"],
        "authors": [{"id": author_id, "name": name} for author_id, name in row["authors"]],
        "categories": row["categories"].split(),
        "primary_category": row["primary_category"] or None,
        "published_at": row["published_at"],
        "updated_at": row["updated_at"],
        "comments": row["comments"] or None,
        "journal_ref": row["journal_ref"] or None,
        "doi": row["doi"] or None,
        "license": row["license"] or None,
        "github_repo": row["github_repo"] or None,
        "project_page": row["project_page"] or None,
        "upvotes": row["upvotes"],
        "num_comments": row["num_comments"],
        "daily_entry": v1_entry(row["entry"]),
        "url": f"{settings.SITE_URL}/papers/{arxiv_id}",
        "arxiv_url": f"https://arxiv.org/abs/{arxiv_id}",
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
    }
