"""Citations out: BibTeX (arXiv style: @misc with eprint, archivePrefix, primaryClass) and RIS, per paper or list.

BibTeX text is escaped outside math: the special characters # $ % & _ { } ~ ^ \\ become their LaTeX commands, so
any title or name compiles; math spans ($...$) of arXiv titles are kept as written when their braces balance
(otherwise they are escaped like the rest). RIS values are one line each (whitespace collapsed), lines end in CRLF.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from dailypapers.papers.models import Paper

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MATH = re.compile(r"(?<!\\)\$(?!\$)([^$]+?)(?<!\\)\$")
_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "del",
    "della",
    "di",
    "da",
    "du",
    "la",
    "le",
    "dos",
    "das",
    "ter",
    "ten",
}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _escape_text(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _balanced(text: str) -> bool:
    depth = 0
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not escaped


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: specials escaped, balanced $math$ spans kept."""
    text = " ".join((text or "").split())
    out, last = [], 0
    for match in _MATH.finditer(text):
        if not _balanced(match.group(1)):
            continue
        out.append(_escape_text(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_text(text[last:]))
    return "".join(out)


def last_first(name: str) -> str:
    """ "Ada King Lovelace" -> "Lovelace, Ada King"; particles and suffixes stay with the last name."""
    name = " ".join(name.split())
    if "," in name or " " not in name:
        return name
    words = name.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix, words = words[-1], words[:-1]
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    first, last = " ".join(words[:start]), " ".join(words[start:])
    return f"{last}, {suffix}, {first}" if suffix else f"{last}, {first}"


def _author_names(paper: Paper) -> list[str]:
    rows = getattr(paper, "all_authorships", None)
    if rows is None:
        rows = paper.authorships.select_related("author").order_by("position")
    return [row.author.name for row in rows]


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())


def citation_key(paper: Paper, authors: list[str]) -> str:
    last = _ascii_word(last_first(authors[0]).split(",")[0].split(" ")[-1]) if authors else ""
    words = [_ascii_word(w) for w in re.sub(r"\$[^$]*\$", " ", paper.title).split()]
    first = next((w for w in words if len(w) > 3), next((w for w in words if w), ""))
    return f"{last or 'arxiv'}{paper.published_at.year}{first}" or paper.arxiv_id


def bibtex_entry(paper: Paper, *, key: str | None = None) -> str:
    authors = _author_names(paper)
    primary = paper.primary_category or (paper.category_list[0] if paper.category_list else "")
    fields = [
        ("title", bibtex_escape(paper.title)),
        ("author", " and ".join(bibtex_escape(last_first(a)) for a in authors)),
        ("year", str(paper.published_at.year)),
        ("eprint", paper.arxiv_id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", bibtex_escape(primary)),
        ("url", paper.arxiv_url),
    ]
    if paper.doi:
        fields.append(("doi", bibtex_escape(paper.doi)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key or citation_key(paper, authors)},\n{body}\n}}\n"


def bibtex(papers: Iterable[Paper]) -> str:
    """Entries for these papers, with citation keys made unique (a, b, ... suffixes)."""
    seen: dict[str, int] = {}
    entries = []
    for paper in papers:
        key = citation_key(paper, _author_names(paper))
        count = seen.get(key, 0)
        seen[key] = count + 1
        suffix = "" if not count else chr(ord("a") + count - 1) if count <= 26 else str(count)
        entries.append(bibtex_entry(paper, key=key + suffix))
    return "\n".join(entries)


def _ris_value(text: str) -> str:
    return " ".join((text or "").split())


def ris_record(paper: Paper, *, note: str = "") -> str:
    lines = [("TY", "GEN")]
    lines += [("AU", last_first(name)) for name in _author_names(paper)]
    lines += [
        ("TI", paper.title),
        ("PY", str(paper.published_at.year)),
        ("DA", paper.published_at.strftime("%Y/%m/%d")),
        ("AB", paper.abstract),
        ("PB", "arXiv"),
        ("M1", f"arXiv:{paper.arxiv_id}"),
        ("UR", paper.arxiv_url),
        ("L1", paper.pdf_url),
    ]
    if paper.doi:
        lines.append(("DO", paper.doi))
    lines += [("KW", category) for category in paper.category_list]
    if note:
        lines.append(("N1", note))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines if value or tag == "ER")


def ris(papers: Iterable[Paper], *, notes: dict[int, str] | None = None) -> str:
    notes = notes or {}
    return "\r\n".join(ris_record(p, note=notes.get(p.pk, "")) for p in papers)


def with_all_authors(papers):
    """Prefetch every author in order (``all_authorships``) for a queryset of papers."""
    from django.db.models import Prefetch

    from dailypapers.papers.models import PaperAuthor

    ordered = PaperAuthor.objects.select_related("author").order_by("position")
    return papers.prefetch_related(Prefetch("authorships", queryset=ordered, to_attr="all_authorships"))
