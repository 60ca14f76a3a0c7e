"""Progress bars for long work (imports, embedding, index builds): tqdm on stderr, quiet when not a terminal.

While a bar is open, log records go through ``tqdm.write`` (above the bar) instead of being printed into it.
"""

from __future__ import annotations

import sys

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm


class _Bar(tqdm):
    """A tqdm bar that routes logging above itself while it is open (with or without a `with` block)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redirect = None
        if not self.disable:
            self._redirect = logging_redirect_tqdm(tqdm_class=tqdm)
            self._redirect.__enter__()

    def close(self):
        try:
            super().close()
        finally:
            redirect, self._redirect = getattr(self, "_redirect", None), None
            if redirect is not None:
                redirect.__exit__(None, None, None)


def progress_bar(*, desc: str, total: int | None = None, unit: str = "it", disable: bool = False) -> tqdm:
    # On a terminal: a live bar. Elsewhere (CI, logs): an update every 30 s, which a log reader can follow.
    interactive = sys.stderr.isatty()
    return _Bar(
        desc=desc,
        total=total,
        unit=unit,
        unit_scale=True,
        dynamic_ncols=True,
        disable=disable,
        mininterval=0.2 if interactive else 30,
        file=sys.stderr,
    )
