"""Ingest: one parser per source format, each yielding PaperRecord (or Rejected) from a binary stream.

Every parser has the signature ``parse_<format>(stream: BinaryIO, name: str) -> Iterator[PaperRecord | Rejected]``
and never raises for a bad record: it yields ``Rejected(location, reason)`` and goes on. Storing is the job of
``dailypapers.papers.services.import_records``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path

from dailypapers.papers.ingest.sources import FORMATS, UnreadableInput, detect_format, open_binary
from dailypapers.papers.records import PaperRecord, Rejected

_PARSERS = {
    "kaggle": "dailypapers.papers.ingest.kaggle:parse_kaggle",
    "atom": "dailypapers.papers.ingest.atom:parse_atom",
    "oai": "dailypapers.papers.ingest.oai:parse_oai",
    "rss": "dailypapers.papers.ingest.rss:parse_rss",
    "hf": "dailypapers.papers.ingest.hf:parse_hf",
}


def get_parser(fmt: str) -> Callable[..., Iterator[PaperRecord | Rejected]]:
    if fmt not in _PARSERS:
        raise UnreadableInput(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    module, func = _PARSERS[fmt].split(":")
    return getattr(importlib.import_module(module), func)


def parse_path(path: str | Path, fmt: str | None = None) -> Iterator[PaperRecord | Rejected]:
    """Parse one file (plain or gzip); raises UnreadableInput before yielding when it cannot be read at all."""
    fmt = fmt or detect_format(path)
    parser = get_parser(fmt)
    stream = open_binary(path)

    def generate():
        with stream:
            yield from parser(stream, str(path))

    return generate()


__all__ = ["FORMATS", "UnreadableInput", "detect_format", "get_parser", "open_binary", "parse_path"]
