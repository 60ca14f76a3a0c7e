"""Progress bars for long work (imports, embedding, index builds): tqdm on stderr, quiet when not a terminal."""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress_bar(*, desc: str, total: int | None = None, unit: str = "it", disable: bool = False) -> tqdm:
    # On a terminal: a live bar. Elsewhere (CI, logs): an update every 30 s, which a log reader can follow.
    interactive = sys.stderr.isatty()
    return tqdm(
        desc=desc, total=total, unit=unit, unit_scale=True, dynamic_ncols=True, disable=disable,
        mininterval=0.2 if interactive else 30, file=sys.stderr,
    )  # fmt: skip
