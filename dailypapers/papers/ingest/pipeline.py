"""Parse a file in a child process while the caller stores what came before: a bulk import uses both cores.

Parsing (JSON/XML, validation) and storing (SQL) each take about half of an import's time; running the parser in
its own process, handing over records in chunks through a bounded queue, nearly doubles throughput on two cores
and keeps memory flat (at most ``depth`` chunks wait in the queue).
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections.abc import Iterator
from pathlib import Path

from dailypapers.papers.records import PaperRecord, Rejected

_DONE = "done"
_ERROR = "error"


def _produce(path: str, fmt: str, out, chunk_size: int) -> None:
    from dailypapers.papers.ingest import parse_path

    chunk: list = []
    try:
        for item in parse_path(path, fmt):
            chunk.append(item)
            if len(chunk) >= chunk_size:
                out.put(chunk)
                chunk = []
        if chunk:
            out.put(chunk)
        out.put(_DONE)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        out.put((_ERROR, f"{type(exc).__name__}: {exc}"))


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
            yield from message
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=5)
        out.close()
