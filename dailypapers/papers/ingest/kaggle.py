"""The Kaggle arXiv metadata snapshot (``arxiv-metadata-oai-snapshot.json``): JSON lines, streamed line by line."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from dailypapers.papers.ingest.latex import latex_to_unicode
from dailypapers.papers.records import PaperRecord, RecordError, Rejected, build_record

_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


def version_date(text) -> dt.datetime:
    """``Mon, 2 Apr 2007 19:18:42 GMT``: the one layout the snapshot uses, parsed fast; anything else the slow way."""
    try:
        _, day, month, year, clock, zone = text.split(" ")
        if zone == "GMT":
            hour, minute, second = clock.split(":")
            return dt.datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=dt.UTC)
    except (AttributeError, ValueError, KeyError):
        pass
    try:
        return email.utils.parsedate_to_datetime(text or "")
    except (TypeError, ValueError):
        raise RecordError(f"malformed version date {text!r}") from None


def _version_dates(versions) -> tuple[int, dt.datetime | None, dt.datetime | None]:
    """(latest version number, first version's date, latest version's date) from ``versions``."""
    if not isinstance(versions, list) or not versions:
        return 1, None, None
    parsed = []
    for item in versions:
        if not isinstance(item, dict):
            raise RecordError("malformed versions list")
        label = str(item.get("version", "")).lstrip("v")
        if not label.isdigit():
            raise RecordError(f"malformed version {item.get('version')!r}")
        parsed.append((int(label), item.get("created")))
    parsed.sort(key=lambda pair: pair[0])
    return parsed[-1][0], version_date(parsed[0][1]), version_date(parsed[-1][1])


def _authors(obj: dict) -> list[str]:
    parsed = obj.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if not isinstance(parts, list):
                raise RecordError("malformed authors_parsed")
            if len(parts) >= 3 and type(parts[0]) is str and type(parts[1]) is str and type(parts[2]) is str:
                # Fast path (nearly every name): empty parts leave extra spaces, which build_record collapses.
                name = f"{parts[1]} {parts[0]} {parts[2]}"
                if "\\" not in name:
                    names.append(name)
                    continue
            keyname, forenames, suffix = (list(parts) + ["", "", ""])[:3]
            name = " ".join(p for p in (forenames, keyname, suffix) if isinstance(p, str) and p.strip())
            names.append(latex_to_unicode(name))
        return names
    authors = obj.get("authors")
    if isinstance(authors, str):
        return [latex_to_unicode(a) for a in authors.replace(" and ", ", ").split(",")]
    raise RecordError("missing authors")


def record_from_kaggle(obj) -> PaperRecord:
    if not isinstance(obj, dict):
        raise RecordError("a line must hold a JSON object")
    version, first, latest = _version_dates(obj.get("versions"))
    published = first
    if published is None and obj.get("update_date"):
        try:
            published = dt.date.fromisoformat(obj["update_date"])
        except (TypeError, ValueError):
            raise RecordError(f"malformed update_date {obj.get('update_date')!r}") from None
    return build_record(
        arxiv_id=obj.get("id") if isinstance(obj.get("id"), str) else "",
        version=version,
        title=obj.get("title"),
        abstract=obj.get("abstract"),
        authors=_authors(obj),
        categories=obj.get("categories") if isinstance(obj.get("categories"), str) else "",
        published=published,
        updated=latest if version > 1 else None,
        comments=obj.get("comments"),
        journal_ref=obj.get("journal-ref"),
        doi=obj.get("doi"),
        license=obj.get("license"),
        source="kaggle",
    )


def parse_kaggle(stream: BinaryIO, name: str = "<kaggle>") -> Iterator[PaperRecord | Rejected]:
    line_no = 0
    try:
        for line_no, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Rejected(f"{name}:{line_no}", f"invalid JSON ({exc.args[0][:80]})")
                continue
            try:
                yield record_from_kaggle(obj)
            except RecordError as exc:
                yield Rejected(f"{name}:{line_no}", str(exc))
    except (EOFError, OSError) as exc:  # truncated or corrupt gzip: keep what was read
        yield Rejected(f"{name}:{line_no + 1}", f"input ends early ({exc})")
