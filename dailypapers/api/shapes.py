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
    value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _hf_authors(row: dict) -> list[dict]:
    """Every author, hidden ones flagged (as Hugging Face sends them), with the claim and the claiming account."""
    authors = []
    for _, name, hidden, status, user, fullname, avatar in row["all_authors"]:
        item = {"name": name, "hidden": hidden}
        if status:
            item["status"] = status
        if user:
            item["user"] = {"user": user, "fullname": fullname or user, "avatarUrl": avatar, "type": "user"}
        authors.append(item)
    return authors


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


def _hf_organization(row: dict) -> dict | None:
    org = row["organization"]
    if not org:
        return None
    # huggingface.co sends "avatar"; the client reads "avatarUrl": both.
    return {
        "name": org["name"],
        "fullname": org["fullname"] or org["name"],
        "avatar": org["avatar"] or None,
        "avatarUrl": org["avatar"],
    }


def _extras(row: dict) -> dict:
    extras = {
        "githubRepo": row["github_repo"] or None,
        "githubStars": row["github_stars"],
        "projectPage": row["project_page"] or None,
        "ai_summary": row["ai_summary"] or None,
        "ai_keywords": list(row["ai_keywords"] or []),
        "organization": _hf_organization(row),
    }
    if row["ai_summary_model"]:
        extras["ai_summary_model"] = row["ai_summary_model"]
    if row["github_repo_added_by"]:
        extras["githubRepoAddedBy"] = row["github_repo_added_by"]
    return extras


def own_upvotes(row: dict) -> int:
    """The upvotes cast here (a paper's count less what imports carried over)."""
    return max(0, row["upvotes"] - row["imported_upvotes"])


def entry_upvotes(row: dict) -> int:
    """Upvotes shown with a daily entry: what its source gave for that day plus our own votes."""
    entry = row["entry"]
    return entry["upvotes"] + own_upvotes(row) if entry else row["upvotes"]


def comments_count(row: dict) -> int:
    """Comments of the paper: those on the hub it came from (its entry's count) and ours."""
    entry = row["entry"]
    return (entry["hub_comments"] if entry else 0) + row["num_comments"]


def listed_at(row: dict) -> dt.datetime:
    """The entry's own date (Hugging Face's top-level publishedAt), else the paper's arXiv date."""
    entry = row["entry"]
    return (entry["listed_at"] if entry else None) or row["published_at"]


def hf_item(row: dict) -> dict:
    """A "wrapped" item of /api/daily_papers and /api/papers/search: {"paper": {...}, "title": ..., ...}.

    The top-level ``publishedAt`` is the entry's own date as Hugging Face gave it (for our own entries and papers
    on no page: the arXiv date); ``paper.submittedOnDailyAt`` is when the paper was put on the page.
    """
    entry = row["entry"]
    submitted = hf_date(entry["submitted_at"]) if entry else None
    submitter = _hf_submitter(entry)
    upvotes = entry_upvotes(row)
    extras = _extras(row)
    paper = {
        "id": row["arxiv_id"],
        "authors": _hf_authors(row),
        "publishedAt": hf_date(row["published_at"]),
        "submittedOnDailyAt": submitted,
        "title": row["title"],
        "summary": row["abstract"],
        "upvotes": upvotes,
        "discussionId": row["discussion_id"] or row["arxiv_id"],
        **extras,
    }
    if row["media_urls"]:
        paper["mediaUrls"] = list(row["media_urls"])
    if submitter:
        paper["submittedOnDailyBy"] = submitter
    item = {
        "paper": paper,
        "publishedAt": hf_date(listed_at(row)),
        "title": row["title"],
        "summary": row["abstract"],
        "upvotes": upvotes,  # a 0 inside "paper" reads as None in the client: repeat it here
        "numComments": comments_count(row),
        "submittedBy": submitter,
        "isAuthorParticipating": bool(entry and entry["is_author_participating"]),
        "thumbnail": row["thumbnail"] or None,
        **extras,
    }
    if row["media_urls"]:
        item["mediaUrls"] = list(row["media_urls"])
    return item


def hf_paper(row: dict) -> dict:
    """The flat object of /api/papers/{id} (linked models, datasets and Spaces: none held here, so empty)."""
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
        "discussionId": row["discussion_id"] or row["arxiv_id"],
        "numComments": comments_count(row),
        "thumbnail": row["thumbnail"] or None,
        "mediaUrls": list(row["media_urls"] or []),
        "linkedModels": [],
        "numTotalModels": 0,
        "linkedDatasets": [],
        "numTotalDatasets": 0,
        "linkedSpaces": [],
        "numTotalSpaces": 0,
        **_extras(row),
    }


def paper_markdown(row: dict) -> str:
    """The paper as markdown (what read_paper returns): title, authors, dates, links and abstract."""
    lines = [f"# {row['title']}", ""]
    if row["authors"]:
        lines += ["**Authors:** " + ", ".join(name for _, name in row["authors"]), ""]
    facts = [f"- arXiv: [{row['arxiv_id']}](https://arxiv.org/abs/{row['arxiv_id']}) (v{row['version']})"]
    facts.append(f"- Published: {row['published_at'].astimezone(dt.UTC).date().isoformat()}")
    if row["categories"]:
        facts.append(f"- Categories: {', '.join(row['categories'].split())}")
    if row["entry"]:
        facts.append(f"- On the daily page of {row['entry']['day'].isoformat()}")
    facts.append(f"- Upvotes: {row['upvotes']}, comments: {row['num_comments']}")
    if row["organization"]:
        facts.append(f"- Organization: {row['organization']['fullname'] or row['organization']['name']}")
    if row["github_stars"] is not None:
        facts.append(f"- GitHub stars: {row['github_stars']}")
    if row["ai_keywords"]:
        facts.append(f"- AI keywords: {', '.join(row['ai_keywords'])}")
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
    if row["ai_summary"]:
        model = row["ai_summary_model"] or "a model (not named by the source)"
        lines += [f"## AI summary (written by {model})", "", row["ai_summary"], ""]
    lines += [f"Source: {settings.SITE_URL}/papers/{row['arxiv_id']}", ""]
    return "\n".join(lines)


# --- /api/v1 ---------------------------------------------------------------------------------------------------


def v1_entry(entry: dict | None, *, own_upvotes: int = 0) -> dict | None:
    if not entry:
        return None
    return {
        "upvotes": entry["upvotes"] + own_upvotes,
        "day": entry["day"],
        "submitted_at": entry["submitted_at"],
        "submitter": entry["submitter_name"] or None,
        "submitter_fullname": entry["submitter_fullname"] or None,
        "source": entry["source"],
        "hub_upvotes": entry["upvotes"],
        "hub_comments": entry["hub_comments"],
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
        "hub_comments": row["entry"]["hub_comments"] if row["entry"] else 0,
        "ai_summary": row["ai_summary"] or None,
        "ai_summary_model": row["ai_summary_model"] or None,
        "ai_keywords": list(row["ai_keywords"] or []),
        "github_stars": row["github_stars"],
        "organization": row["organization"]["name"] if row["organization"] else None,
        "thumbnail": row["thumbnail"] or None,
        "daily_entry": v1_entry(row["entry"], own_upvotes=own_upvotes(row)),
        "url": f"{settings.SITE_URL}/papers/{arxiv_id}",
        "arxiv_url": f"https://arxiv.org/abs/{arxiv_id}",
        "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
    }
