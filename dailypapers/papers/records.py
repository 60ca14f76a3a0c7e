"""The one normalized record every ingest source produces, and its validation.

A parser turns its format into ``PaperRecord`` objects through :func:`build_record`, which cleans and validates the
fields and raises :class:`RecordError` (with a human-readable reason) for a record that must be skipped. Parsers
yield :class:`Rejected` for such records, so a bad record is reported and never half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.links import find_github_repo, find_project_page

MAX_TITLE = 1000
MAX_ABSTRACT = 20000
MAX_AUTHORS = 5000
MAX_AUTHOR_NAME = 300
MAX_SHORT = 1000
EARLIEST = dt.datetime(1986, 1, 1, tzinfo=dt.UTC)
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s{2,})")


class RecordError(ValueError):
    """A record that cannot be imported; the message says why."""


@dataclass(slots=True)
class DailyInfo:
    """A paper's place on a daily page, as imported from another hub (Hugging Face) or an announcement feed."""

    day: dt.date
    submitted_at: dt.datetime | None = None
    submitter_name: str = ""
    submitter_fullname: str = ""
    submitter_avatar: str = ""
    upvotes: int = 0
    num_comments: int = 0
    listed_at: dt.datetime | None = None  # the entry's own date (Hugging Face's top-level publishedAt)
    is_author_participating: bool = False


@dataclass(slots=True)
class HubAuthor:
    """What Hugging Face says of one author of the list (aligned with ``PaperRecord.authors``)."""

    hidden: bool = False
    status: str = ""
    claimed_user: str = ""
    claimed_fullname: str = ""
    claimed_avatar: str = ""


@dataclass(slots=True)
class HubInfo:
    """What a hub (Hugging Face) adds to a paper: stored apart from the arXiv metadata and its merge rules."""

    ai_summary: str = ""
    ai_summary_model: str = ""
    ai_keywords: list[str] = field(default_factory=list)
    ai_keywords_model: str = ""
    github_stars: int | None = None
    github_repo_added_by: str = ""
    organization: tuple[str, str, str] | None = None  # (name, fullname, avatar URL)
    thumbnail: str = ""
    media_urls: list[str] = field(default_factory=list)
    discussion_id: str = ""
    authors: list[HubAuthor] = field(default_factory=list)


@dataclass(slots=True)
class PaperRecord:
    arxiv_id: str
    version: int
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    published: dt.datetime
    updated: dt.datetime | None = None
    comments: str = ""
    journal_ref: str = ""
    doi: str = ""
    license: str = ""
    github_repo: str = ""
    project_page: str = ""
    source: str = ""
    announce_type: str = ""  # from the daily feeds: new / cross / replace / replace-cross
    daily: DailyInfo | None = None
    extra: dict = field(default_factory=dict)
    hub: HubInfo | None = None
    # content_hash() worked out ahead, by the background parser (the other core); copies (replace) start empty.
    precomputed_hash: str = field(default="", init=False, repr=False, compare=False)

    @property
    def primary_category(self) -> str:
        return self.categories[0] if self.categories else ""

    def content_hash(self) -> str:
        """A digest of every stored field, to tell an unchanged re-import from an update cheaply."""
        parts = [
            self.arxiv_id,
            str(self.version),
            self.title,
            self.abstract,
            "\x1f".join(self.authors),
            " ".join(self.categories),
            self.published.isoformat(),
            self.updated.isoformat() if self.updated else "",
            self.comments,
            self.journal_ref,
            self.doi,
            self.license,
            self.github_repo,
            self.project_page,
        ]
        return hashlib.blake2b("\x1e".join(parts).encode("utf-8"), digest_size=16).hexdigest()


@dataclass(slots=True)
class Rejected:
    """A record skipped by a parser or by validation: where it was and why."""

    location: str
    reason: str


def clean_text(value, *, limit: int, keep_paragraphs: bool = False) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise RecordError(f"expected text, got {type(value).__name__}")
    # Fast paths (bulk imports clean millions of fields): skip the regex and the normalization when not needed.
    text = _CONTROL.sub("", value) if _CONTROL.search(value) else value
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if keep_paragraphs:
        paragraphs = [" ".join(p.split()) for p in _PARAGRAPH.split(text.strip())]
        text = "\n\n".join(p for p in paragraphs if p)
    else:
        text = " ".join(text.split())
    if len(text) > limit:
        raise RecordError(f"text too long ({len(text)} characters, at most {limit})")
    return text


def clean_names(names) -> list[str]:
    """``clean_text`` over a list of author names, dropping the empty ones; one check for the whole list."""
    if not isinstance(names, list) or not all(type(name) is str for name in names):
        cleaned = [clean_text(name, limit=MAX_AUTHOR_NAME) for name in names]
        return [name for name in cleaned if name]
    joined = "\n".join(names)
    if not joined.isascii() or _CONTROL.search(joined):  # rare: the per-name path normalizes and strips
        cleaned = [clean_text(name, limit=MAX_AUTHOR_NAME) for name in names]
        return [name for name in cleaned if name]
    cleaned = []
    for name in names:
        name = " ".join(name.split())
        if name:
            if len(name) > MAX_AUTHOR_NAME:
                raise RecordError(f"text too long ({len(name)} characters, at most {MAX_AUTHOR_NAME})")
            cleaned.append(name)
    return cleaned


def clean_categories(values) -> list[str]:
    if isinstance(values, str):
        values = values.split()
    seen: list[str] = []
    for value in values or []:
        value = (value or "").strip()
        if not value:
            continue
        if not _CATEGORY.match(value) or len(value) > 40:
            raise RecordError(f"unknown category {value[:40]!r}")
        if value not in seen:
            seen.append(value)
    return seen


def to_utc(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def build_record(
    *,
    arxiv_id: str,
    title,
    abstract,
    authors,
    categories,
    published,
    version: int | None = None,
    updated=None,
    comments=None,
    journal_ref=None,
    doi=None,
    license=None,
    source: str = "",
    announce_type: str = "",
    daily: DailyInfo | None = None,
    now: dt.datetime | None = None,
) -> PaperRecord:
    """Clean and validate one paper; raise RecordError with the reason when it cannot be imported."""
    try:
        parsed = parse_arxiv_id(arxiv_id or "")
    except InvalidArxivId as exc:
        raise RecordError(str(exc)) from None
    final_version = version or parsed.version or 1
    if not 1 <= final_version <= 999:
        raise RecordError(f"absurd version {final_version}")
    title_text = clean_text(title, limit=MAX_TITLE)
    if not title_text:
        raise RecordError("missing title")
    abstract_text = clean_text(abstract, limit=MAX_ABSTRACT, keep_paragraphs=True)
    if isinstance(authors, str):
        raise RecordError("authors must be a list of names")
    author_names = clean_names(authors or [])
    if len(author_names) > MAX_AUTHORS:
        raise RecordError(f"too many authors ({len(author_names)})")
    category_list = clean_categories(categories)
    published_at = to_utc(published)
    if published_at is None:
        raise RecordError("missing publication date")
    now = now or dt.datetime.now(dt.UTC)
    latest = now + dt.timedelta(days=2)
    if not EARLIEST <= published_at <= latest:
        raise RecordError(f"absurd publication date {published_at.date().isoformat()}")
    updated_at = to_utc(updated)
    if updated_at is not None:
        if updated_at > latest:
            raise RecordError(f"absurd update date {updated_at.date().isoformat()}")
        updated_at = max(updated_at, published_at)
    comments_text = clean_text(comments, limit=MAX_SHORT * 5)
    return PaperRecord(
        arxiv_id=parsed.id,
        version=final_version,
        title=title_text,
        abstract=abstract_text,
        authors=author_names,
        categories=category_list,
        published=published_at,
        updated=updated_at,
        comments=comments_text,
        journal_ref=clean_text(journal_ref, limit=MAX_SHORT),
        doi=clean_text(doi, limit=MAX_SHORT).split(" ")[0] if doi else "",
        license=clean_text(license, limit=MAX_SHORT),
        github_repo=find_github_repo(abstract_text, comments_text),
        project_page=find_project_page(comments_text, abstract_text),
        source=source,
        announce_type=announce_type,
        daily=daily,
    )
