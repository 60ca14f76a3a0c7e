"""OAI-PMH responses of arXiv (``ListRecords`` / ``GetRecord``), streamed with lxml's ``iterparse``.

Three metadata formats: ``arXiv`` (authors split into keyname/forenames/suffix; ``created`` is the first version's
date and ``updated`` the latest's), ``arXivRaw`` (the whole version history and the submitter) and ``oai_dc``
(Dublin Core: what it has is mapped, subject names to category codes). Records whose header says
``status="deleted"`` are skipped with a note. A page's ``resumptionToken`` (and ``completeListSize``) and an OAI
error (``noRecordsMatch``, ``badResumptionToken``...) are kept on the :class:`OaiReader` for the harvester.

A 1000-record page is parsed record by record and each parsed element is freed at once, so memory stays flat and
a truncated page still yields every record before the break.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from dailypapers.papers.ids import InvalidArxivId, parse_arxiv_id
from dailypapers.papers.ingest.feeds import arxiv_categories, clean_name, split_authors
from dailypapers.papers.ingest.kaggle import version_date
from dailypapers.papers.ingest.taxonomy import category_for_name
from dailypapers.papers.records import PaperRecord, RecordError, Rejected, build_record

OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV = "{http://arxiv.org/OAI/arXiv/}"
ARXIV_RAW = "{http://arxiv.org/OAI/arXivRaw/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)(10\.\S+)$", re.I)


def _text(element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None:
        return None
    return "".join(child.itertext())


def _dedent(text: str | None) -> str | None:
    """Remove indentation that every continuation line shares (a re-indented file), so that it does not read as
    arXiv's paragraph indentation."""
    if not text or "\n" not in text:
        return text
    first, _, rest = text.strip("\n").partition("\n")
    if not rest or not all(line[:1] in (" ", "\t") or not line.strip() for line in rest.split("\n")):
        return text
    return first + "\n" + textwrap.dedent(rest)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise RecordError(f"malformed date {text.strip()[:40]!r}") from None


def _fields(meta, ns: str) -> dict[str, str]:
    """The text of each simple child element, by local name (one pass: far cheaper than a find() per field)."""
    cut = len(ns)
    return {child.tag[cut:]: child.text or "" for child in meta if isinstance(child.tag, str) and len(child) == 0}


def _record_arxiv(meta, header_id: str, ARXIV: str) -> PaperRecord:
    fields = _fields(meta, ARXIV)
    authors = []
    for author in meta.iter(f"{ARXIV}author"):
        parts = {child.tag: child.text for child in author}
        keyname = (parts.get(f"{ARXIV}keyname") or "").strip().rstrip(",")  # "Heath," before a suffix
        name = " ".join(
            part.strip()
            for part in (parts.get(f"{ARXIV}forenames"), keyname, parts.get(f"{ARXIV}suffix"))
            if part and part.strip()
        )
        if name:
            authors.append(clean_name(name))
    created, updated = _date(fields.get("created")), _date(fields.get("updated"))
    newer = bool(updated and created and updated > created)
    return build_record(
        arxiv_id=(fields.get("id") or header_id).strip(),
        # The arXiv format does not number versions: an update date means at least a second one.
        version=2 if newer else 1,
        title=fields.get("title"),
        abstract=_dedent(fields.get("abstract")),
        authors=authors,
        categories=arxiv_categories("", (fields.get("categories") or "").split()),
        published=created,
        updated=updated if newer else None,
        comments=fields.get("comments"),
        journal_ref=fields.get("journal-ref"),
        doi=fields.get("doi"),
        license=fields.get("license"),
        source="oai",
    )


def _record_arxiv_raw(meta, header_id: str, ARXIV_RAW: str) -> PaperRecord:
    versions = []
    for element in meta.iter(f"{ARXIV_RAW}version"):
        label = (element.get("version") or "").strip().lstrip("v")
        if not label.isdigit():
            raise RecordError(f"malformed version {element.get('version')!r}")
        versions.append((int(label), (_text(element, f"{ARXIV_RAW}date") or "").strip()))
    if not versions:
        raise RecordError("no version history")
    versions.sort()
    latest = versions[-1][0]
    record = build_record(
        arxiv_id=(_text(meta, f"{ARXIV_RAW}id") or header_id).strip(),
        version=latest,
        title=_text(meta, f"{ARXIV_RAW}title"),
        abstract=_dedent(_text(meta, f"{ARXIV_RAW}abstract")),
        authors=split_authors(_text(meta, f"{ARXIV_RAW}authors") or ""),
        categories=arxiv_categories("", (_text(meta, f"{ARXIV_RAW}categories") or "").split()),
        published=version_date(versions[0][1]),
        updated=version_date(versions[-1][1]) if latest > 1 else None,
        comments=_text(meta, f"{ARXIV_RAW}comments"),
        journal_ref=_text(meta, f"{ARXIV_RAW}journal-ref"),
        doi=_text(meta, f"{ARXIV_RAW}doi"),
        license=_text(meta, f"{ARXIV_RAW}license"),
        source="oai",
    )
    record.extra["submitter"] = (_text(meta, f"{ARXIV_RAW}submitter") or "").strip()
    record.extra["versions"] = len(versions)
    return record


def _record_oai_dc(meta, header_id: str, _ns: str) -> PaperRecord:
    def values(tag: str) -> list[str]:
        return [" ".join("".join(e.itertext()).split()) for e in meta.iter(f"{DC}{tag}")]

    arxiv_id, journal_ref, doi = header_id, "", ""
    for identifier in values("identifier"):
        doi_match = _DOI.match(identifier)
        if doi_match:
            doi = doi or doi_match.group(1)
        elif "arxiv.org/abs/" in identifier:
            arxiv_id = identifier
        elif identifier and not identifier.startswith("http"):
            journal_ref = journal_ref or identifier
    descriptions = [_dedent("".join(e.itertext())) or "" for e in meta.iter(f"{DC}description")]
    abstract = next((d for d in descriptions if not d.strip().startswith("Comment:")), "")
    comments = next((d.strip()[len("Comment:") :] for d in descriptions if d.strip().startswith("Comment:")), "")
    dates = sorted(filter(None, (_date(value) for value in values("date"))))
    creators = []
    for creator in values("creator"):
        last, _, first = creator.partition(", ")  # Dublin Core writes "Keyname, Forenames"
        creators.append(clean_name(f"{first} {last}" if first else last))
    rights = values("rights")
    return build_record(
        arxiv_id=arxiv_id,
        version=2 if len(dates) > 1 and dates[-1] > dates[0] else 1,  # as for the arXiv format
        title=" ".join(values("title")),
        abstract=abstract,
        authors=creators,
        categories=[c for c in (category_for_name(s) for s in values("subject")) if c],
        published=dates[0] if dates else None,
        updated=dates[-1] if len(dates) > 1 and dates[-1] > dates[0] else None,
        comments=comments,
        journal_ref=journal_ref,
        doi=doi,
        license=rights[0] if rights else "",
        source="oai",
    )


# By local name: some recorded responses drop the metadata's own namespace; children are then looked up in the
# namespace the metadata element has.
_FORMATS = {"arXiv": _record_arxiv, "arXivRaw": _record_arxiv_raw, "dc": _record_oai_dc}


class OaiReader:
    """Reads one OAI-PMH response; iterate :meth:`records`, then look at the paging fields."""

    def __init__(self, stream: BinaryIO, name: str = "<oai>") -> None:
        self.stream = stream
        self.name = name
        self.resumption_token: str | None = None  # None: no token element; "": the last page
        self.complete_list_size: int | None = None
        self.cursor: int | None = None
        self.error_code = ""
        self.error_message = ""
        self.broken = False

    def records(self) -> Iterator[PaperRecord | Rejected]:
        tags = (f"{OAI}record", f"{OAI}resumptionToken", f"{OAI}error")
        events = etree.iterparse(self.stream, events=("end",), tag=tags, huge_tree=True, resolve_entities=False)
        number = 0
        try:
            for _, element in events:
                if element.tag == f"{OAI}record":
                    number += 1
                    yield self._record(element, number)
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    while element.getprevious() is not None and parent is not None:
                        del parent[0]
                elif element.tag == f"{OAI}resumptionToken":
                    self.resumption_token = (element.text or "").strip()
                    self.complete_list_size = _int(element.get("completeListSize"))
                    self.cursor = _int(element.get("cursor"))
                else:
                    self.error_code = element.get("code", "")
                    self.error_message = (element.text or "").strip()
                    if self.error_code != "noRecordsMatch":
                        yield Rejected(self.name, f"OAI-PMH error {self.error_code}: {self.error_message}")
        except etree.XMLSyntaxError as exc:
            self.broken = True
            line = exc.lineno or (exc.position[0] if exc.position else 0)
            yield Rejected(f"{self.name}:{line}", f"malformed XML ({exc.msg}); the {number} records before it are kept")
        except (EOFError, OSError, zlib.error) as exc:
            self.broken = True
            yield Rejected(f"{self.name}: after record {number}", f"input ends early ({exc})")

    def _record(self, element, number: int) -> PaperRecord | Rejected:
        header = element.find(f"{OAI}header")
        header_id = (_text(header, f"{OAI}identifier") or "").strip() if header is not None else ""
        location = f"{self.name}: record {number}" + (f" ({header_id})" if header_id else "")
        if header is not None and header.get("status") == "deleted":
            return Rejected(location, "deleted at the source (skipped)")
        metadata = element.find(f"{OAI}metadata")
        meta = next(iter(metadata), None) if metadata is not None else None
        if meta is None:
            return Rejected(location, "record without metadata")
        qname = etree.QName(meta)
        convert = _FORMATS.get(qname.localname)
        if convert is None:
            return Rejected(location, f"unknown metadata format {qname.localname!r}")
        try:
            return convert(meta, header_id, f"{{{qname.namespace}}}" if qname.namespace else "")
        except InvalidArxivId as exc:
            return Rejected(location, str(exc))
        except RecordError as exc:
            return Rejected(location, str(exc))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_oai(stream: BinaryIO, name: str = "<oai>") -> Iterator[PaperRecord | Rejected]:
    yield from OaiReader(stream, name).records()


def validate_id(text: str) -> str:
    """The canonical id of an OAI identifier (``oai:arXiv.org:0704.0001``)."""
    return parse_arxiv_id(text).id
