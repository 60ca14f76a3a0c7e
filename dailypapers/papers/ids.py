"""arXiv identifiers: parse any common spelling into the canonical id (without version) and a version.

Canonical forms: new style ``2306.00978`` / ``0704.0001`` and old style ``hep-th/9901001`` (an old id's subject
class, as in ``math.GT/0309136``, is dropped, as arXiv itself does in its canonical URLs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NEW_STYLE = re.compile(r"^(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:v(?P<version>\d+))?$")
OLD_STYLE = re.compile(
    r"^(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[A-Za-z]{2})?/(?P<num>\d{7})(?:v(?P<version>\d+))?$", re.IGNORECASE
)
# An arXiv id (new or old style, optional version) as one URL path segment, captured as ``arxiv_id``.
ARXIV_ID_ROUTE = r"(?P<arxiv_id>(?:\d{4}\.\d{4,5}|[a-zA-Z.-]+/\d{7})(?:v\d+)?)"
_PREFIXES = re.compile(
    r"^(?:arxiv:|oai:arxiv\.org:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/)", re.IGNORECASE
)


class InvalidArxivId(ValueError):
    """Raised for text that is not an arXiv identifier."""


@dataclass(frozen=True, slots=True)
class ArxivId:
    id: str
    version: int | None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def parse_arxiv_id(text: str) -> ArxivId:
    """Parse ``2306.00978v2``, ``arXiv:2306.00978``, an abs/pdf URL or an OAI identifier."""
    if not isinstance(text, str):
        raise InvalidArxivId(f"not an arXiv id: {text!r}")
    raw = text.strip()
    value = raw
    match = NEW_STYLE.match(value)  # the bare new-style id of bulk imports: no prefix or suffix to strip
    if not match:
        value = _PREFIXES.sub("", raw)
        value = value.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        if value.lower().endswith(".pdf"):
            value = value[:-4]
        match = NEW_STYLE.match(value)
    if match:
        yymm, num = match["yymm"], match["num"]
        year, month = int(yymm[:2]), int(yymm[2:])
        if not 1 <= month <= 12:
            raise InvalidArxivId(f"not an arXiv id (month {month:02d}): {raw!r}")
        # 4-digit numbers ran from 0704 to 1412, 5-digit numbers from 1501 on.
        if len(num) == 4 and not (7 <= year <= 14 and (year, month) >= (7, 4)):
            raise InvalidArxivId(f"not an arXiv id (4-digit number outside 0704-1412): {raw!r}")
        if len(num) == 5 and year < 15:
            raise InvalidArxivId(f"not an arXiv id (5-digit number before 1501): {raw!r}")
        return ArxivId(f"{yymm}.{num}", _version(match["version"], raw))
    match = OLD_STYLE.match(value)
    if match:
        yymm = match["num"][:4]
        if not 1 <= int(yymm[2:]) <= 12:
            raise InvalidArxivId(f"not an arXiv id (month {yymm[2:]}): {raw!r}")
        return ArxivId(f"{match['archive'].lower()}/{match['num']}", _version(match["version"], raw))
    raise InvalidArxivId(f"not an arXiv id: {raw[:80]!r}")


def _version(value: str | None, raw: str) -> int | None:
    if value is None:
        return None
    version = int(value)
    if version < 1 or version > 999:
        raise InvalidArxivId(f"absurd version in {raw!r}")
    return version


def canonical_id(text: str) -> str:
    return parse_arxiv_id(text).id


def is_arxiv_id(text: str) -> bool:
    try:
        parse_arxiv_id(text)
    except InvalidArxivId:
        return False
    return True
