"""Parse a file in a child process while the caller stores what came before: a bulk import uses both cores.

Parsing (JSON/XML, validation) and storing (SQL) each take about half of an import's time; running the parser in
its own process, handing over records in chunks through a bounded queue, nearly doubles throughput on two cores
and keeps memory flat (at most ``depth`` chunks wait in the queue).

Plain records (no daily entry, no extras: every Kaggle/OAI record) cross as one orjson document per chunk, which
costs a quarter of pickling them; the others are pickled as they are. The parser also works out each record's
content hash, so that both processes carry about the same share of the work.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import operator
import queue as queue_module
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import orjson

from dailypapers.papers.records import PaperRecord, Rejected

# The init fields of a record before ``daily``, ``extra`` and ``hub`` (its last three): what a plain record carries.
_PLAIN = [f.name for f in fields(PaperRecord) if f.init][:-3]
assert [f.name for f in fields(PaperRecord) if f.init][-3:] == ["daily", "extra", "hub"]
_PLAIN_VALUES = operator.attrgetter(*_PLAIN)
_DATES = (_PLAIN.index("published"), _PLAIN.index("updated"))

_DONE = "done"
_ERROR = "error"


def _produce(path: str, fmt: str, out, chunk_size: int) -> None:
    from dailypapers.papers.ingest import parse_path

    chunk: list = []
    try:
        for item in parse_path(path, fmt):
            if type(item) is PaperRecord:  # hash here, on the parser's core, not in the storing process
                item.precomputed_hash = item.content_hash()
            chunk.append(item)
            if len(chunk) >= chunk_size:
                out.put(_encode(chunk))
                chunk = []
        if chunk:
            out.put(_encode(chunk))
        out.put(_DONE)
    except BaseException as exc:
        out.put((_ERROR, f"{type(exc).__name__}: {exc}"))


def _encode(chunk: list) -> tuple[bytes | None, list]:
    """(orjson rows ``[position, hash, *plain fields]`` of the plain records, [(position, item)] of the others)."""
    plain, others = [], []
    for position, item in enumerate(chunk):
        if type(item) is PaperRecord and item.daily is None and not item.extra and item.hub is None:
            plain.append((position, item.precomputed_hash, *_PLAIN_VALUES(item)))
        else:
            others.append((position, item))
    try:
        return orjson.dumps(plain), others
    except (orjson.JSONEncodeError, TypeError):  # something orjson cannot write (a lone surrogate): pickle all
        return None, list(enumerate(chunk))


def _decode(message: tuple[bytes | None, list]) -> list:
    data, others = message
    rows = orjson.loads(data) if data is not None else []
    items: list = [None] * (len(rows) + len(others))
    from_iso = dt.datetime.fromisoformat
    for row in rows:
        values = row[2:]
        for index in _DATES:
            if values[index] is not None:
                values[index] = from_iso(values[index])
        record = PaperRecord(*values)
        record.precomputed_hash = row[1]
        items[row[0]] = record
    for position, item in others:
        items[position] = item
    return items


def can_parse_in_background() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def parse_in_background(
    path: str | Path, fmt: str, *, chunk_size: int = 1000, depth: int = 8
) -> Iterator[PaperRecord | Rejected]:
    """Like ``parse_path(path, fmt)`` (same items, same order), with the parsing done by a forked child process."""
    context = multiprocessing.get_context("fork")
    out = context.Queue(maxsize=depth)
    child = context.Process(target=_produce, args=(str(path), fmt, out, chunk_size), daemon=True)
    child.start()
    try:
        while True:
            try:
                message = out.get(timeout=5)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(f"the parser of {path} died (exit code {child.exitcode})") from None
                continue
            if message == _DONE:
                break
            if isinstance(message, tuple) and message[:1] == (_ERROR,):
                raise RuntimeError(f"parsing {path} failed: {message[1]}")
            yield from _decode(message)
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=5)
        out.close()
