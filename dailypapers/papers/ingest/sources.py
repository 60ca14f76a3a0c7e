"""Open an input file (plain or gzip, detected by its magic bytes) and sniff its format from its first bytes."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

FORMATS = ("kaggle", "atom", "oai", "rss", "hf")


class UnreadableInput(Exception):
    """The input cannot be read at all (missing file, unknown format): the import exits non-zero."""


def open_binary(path: str | Path) -> io.BufferedIOBase:
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise UnreadableInput(f"{path}: {exc.strerror or exc}") from None
    magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


def sniff_format(head: bytes) -> str | None:
    """Guess the format from the first few kilobytes of (decompressed) content."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "kaggle"
    if text.startswith(b"["):
        return "hf"
    if text.startswith(b"<"):
        lowered = text[:8192].lower()
        if b"<oai-pmh" in lowered or b"openarchives.org/oai" in lowered:
            return "oai"
        if b"<rss" in lowered or b"<rdf:rdf" in lowered:
            return "rss"
        if b"<feed" in lowered:
            return "atom"
    return None


def detect_format(path: str | Path) -> str:
    stream = open_binary(path)
    try:
        head = stream.read(8192)
    except (OSError, EOFError) as exc:
        raise UnreadableInput(f"{path}: cannot read ({exc})") from None
    finally:
        stream.close()
    fmt = sniff_format(head)
    if fmt is None:
        raise UnreadableInput(f"{path}: unknown format (use --format to choose one of {', '.join(FORMATS)})")
    return fmt
