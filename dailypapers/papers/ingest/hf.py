"""Hugging Face daily papers (the JSON list ``GET /api/daily_papers?date=YYYY-MM-DD`` returns).

Each entry is a paper put on a day's page, with its submitter and its upvote and comment counts; the schema
drifted over time (2024 entries have no submitter, later ones add ``submittedOnDailyAt``, ``githubRepo``,
``projectPage``...), so every field is optional except the paper's id, title and date. The day is
``submittedOnDailyAt``, else the date in the file name (``2024-05-28.json``), else the entry's own date.
Hugging Face carries no arXiv version and no categories: the store keeps those from richer sources.

The list is decoded entry by entry, so a truncated or broken file still yields the entries before the break.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from dailypapers.papers.ingest.feeds import fix_mojibake, read_all
from dailypapers.papers.records import (
    MAX_ABSTRACT,
    DailyInfo,
    HubAuthor,
    HubInfo,
    PaperRecord,
    RecordError,
    Rejected,
    build_record,
    clean_text,
)

HF_SITE = "https://huggingface.co"
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"


def _datetime(value) -> dt.datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"malformed date {value[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _file_day(name: str) -> dt.date | None:
    match = _FILE_DATE.search(name.rsplit("/", 1)[-1])
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        return 0
    return max(0, min(value, 10_000_000))


def _url(value) -> str:
    if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()
    return ""


def _avatar(value) -> str:
    value = value if isinstance(value, str) else ""
    if value.startswith("/"):
        return HF_SITE + value
    return _url(value)


def _short(value, limit: int) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _strings(value, *, limit: int = 1000, urls: bool = False) -> list[str]:
    """The non-empty strings of a list, in order, as given (repeats kept: Hugging Face's keyword lists have some)."""
    if not isinstance(value, list):
        return []
    items = [(_url(item) if urls else _short(item, 200)) for item in value[:limit]]
    return [item for item in items if item]


def _organization(value) -> tuple[str, str, str] | None:
    if not isinstance(value, dict):
        return None
    name = _short(value.get("name"), 100)
    if not name:
        return None
    return name, _short(value.get("fullname"), 300), _avatar(value.get("avatar"))[:1000]


def _hub_author(author) -> HubAuthor:
    if not isinstance(author, dict):
        return HubAuthor()
    user = author.get("user") if isinstance(author.get("user"), dict) else {}
    return HubAuthor(
        hidden=author.get("hidden") is True,
        status=_short(author.get("status"), 40),
        claimed_user=_short(user.get("user") or user.get("name"), 150),
        claimed_fullname=_short(user.get("fullname"), 300),
        claimed_avatar=_avatar(user.get("avatarUrl"))[:1000],
    )


def _hub_info(entry: dict, paper: dict, hub_authors: list[HubAuthor]) -> HubInfo:
    stars = paper.get("githubStars")
    media = _strings(entry.get("mediaUrls"), urls=True) + _strings(paper.get("mediaUrls"), urls=True)
    if not media:
        media = _strings([entry.get("mediaUrl")], urls=True)
    return HubInfo(
        ai_summary=clean_text(
            fix_mojibake(paper.get("ai_summary")) if isinstance(paper.get("ai_summary"), str) else "",
            limit=MAX_ABSTRACT,
        ),
        ai_summary_model=_short(paper.get("ai_summary_model"), 100),
        ai_keywords=_strings(paper.get("ai_keywords"), limit=100),
        ai_keywords_model=_short(paper.get("ai_keywords_model"), 100),
        github_stars=_count(stars) if isinstance(stars, int) and not isinstance(stars, bool) else None,
        github_repo_added_by=_short(paper.get("githubRepoAddedBy"), 150),
        organization=_organization(paper.get("organization")) or _organization(entry.get("organization")),
        thumbnail=_url(entry.get("thumbnail") or paper.get("thumbnail"))[:1000],
        media_urls=list(dict.fromkeys(media)),
        discussion_id=_short(paper.get("discussionId"), 40),
        authors=hub_authors,
    )


def record_from_entry(entry, file_day: dt.date | None) -> PaperRecord:
    if not isinstance(entry, dict):
        raise RecordError("an entry must be a JSON object")
    paper = entry.get("paper") if isinstance(entry.get("paper"), dict) else entry
    arxiv_id = paper.get("id")
    if not isinstance(arxiv_id, str):
        raise RecordError("missing paper id")
    authors = paper.get("authors")
    if not isinstance(authors, list):
        raise RecordError("missing authors")
    # Hidden authors stay in the list, flagged (pages leave them out): their positions and a later unhide hold.
    names, hub_authors = [], []
    for author in authors:
        if isinstance(author, dict):
            name = author.get("name")
        elif isinstance(author, str):
            name = author
        else:
            continue
        if not isinstance(name, str) or not name.split():
            continue
        names.append(fix_mojibake(name))
        hub_authors.append(_hub_author(author))
    published = _datetime(paper.get("publishedAt")) or _datetime(entry.get("publishedAt"))
    on_daily = _datetime(paper.get("submittedOnDailyAt"))
    submitted_at = on_daily or _datetime(entry.get("publishedAt")) or published
    day = on_daily.date() if on_daily else file_day or (submitted_at.date() if submitted_at else None)
    if day is None:
        raise RecordError("no day for the entry")
    submitter = entry.get("submittedBy") or paper.get("submittedOnDailyBy") or {}
    if not isinstance(submitter, dict):
        submitter = {}
    record = build_record(
        arxiv_id=arxiv_id,
        title=fix_mojibake(paper.get("title") or entry.get("title")),
        abstract=fix_mojibake(paper.get("summary") or entry.get("summary")),
        authors=names,
        categories=[],
        published=published,
        source="hf",
        daily=DailyInfo(
            day=day,
            submitted_at=submitted_at,
            submitter_name=str(submitter.get("name") or submitter.get("user") or "")[:150],
            submitter_fullname=str(submitter.get("fullname") or "")[:300],
            submitter_avatar=_avatar(submitter.get("avatarUrl")),
            upvotes=_count(paper.get("upvotes")),
            num_comments=_count(entry.get("numComments")),
            listed_at=_datetime(entry.get("publishedAt")),
            is_author_participating=entry.get("isAuthorParticipating") is True,
        ),
    )
    record.hub = _hub_info(entry, paper, hub_authors if len(hub_authors) == len(record.authors) else [])
    # The repository and page the authors gave Hugging Face beat links guessed from the abstract.
    record.github_repo = _url(paper.get("githubRepo"))[:500] or record.github_repo
    record.project_page = _url(paper.get("projectPage"))[:1000] or record.project_page
    return record


def _entries(text: str) -> Iterator[tuple[int, object | None, str]]:
    """(entry number, decoded entry, '') for each element of a JSON list; (n, None, reason) where it breaks."""
    position = len(text) - len(text.lstrip(_WHITESPACE + "\ufeff"))
    if text[position : position + 1] == "{":  # a single object: one entry (or {"papers": [...]})
        try:
            obj = json.loads(text[position:])
        except json.JSONDecodeError as exc:
            yield 1, None, f"invalid JSON at line {exc.lineno} ({exc.msg})"
            return
        for number, entry in enumerate(obj.get("papers", [obj]) if isinstance(obj, dict) else [obj], start=1):
            yield number, entry, ""
        return
    if text[position : position + 1] != "[":
        yield 1, None, "not a JSON list"
        return
    position += 1
    number = 0
    while True:
        while position < len(text) and text[position] in _WHITESPACE:
            position += 1
        if text[position : position + 1] == "]":
            return
        number += 1
        try:
            entry, position = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            truncated = exc.pos >= len(text) - 1 or not text.rstrip().endswith("]")
            reason = "input ends early" if truncated else f"invalid JSON ({exc.msg})"
            yield (number, None, f"{reason} at line {exc.lineno}; the entries before it are kept")
            return
        yield number, entry, ""
        while position < len(text) and text[position] in _WHITESPACE:
            position += 1
        if text[position : position + 1] == ",":
            position += 1
        elif text[position : position + 1] != "]":
            yield number + 1, None, "input ends early; the entries before it are kept"
            return


def parse_hf(stream: BinaryIO, name: str = "<hf>") -> Iterator[PaperRecord | Rejected]:
    data, read_problem = read_all(stream)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Keep what decodes: a wrong byte spoils its own entry (reported below as invalid JSON), not the file.
        text = data.decode("utf-8", errors="replace")
        yield Rejected(f"{name}: byte {exc.start}", "not UTF-8; undecodable bytes replaced")
    file_day = _file_day(name)
    broke = False
    for number, entry, problem in _entries(text):
        location = f"{name}: entry {number}"
        if problem:  # the list breaks off here: when the input ended early, that is why
            broke = True
            yield Rejected(location, read_problem or problem)
            continue
        try:
            yield record_from_entry(entry, file_day)
        except RecordError as exc:
            paper_id = (
                entry.get("paper", {}).get("id")
                if isinstance(entry, dict) and isinstance(entry.get("paper"), dict)
                else None
            )
            yield Rejected(f"{location} ({paper_id})" if paper_id else location, str(exc))
    if read_problem and not broke:
        yield Rejected(f"{name}: end", read_problem)
