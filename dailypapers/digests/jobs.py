"""The worker's built-in jobs. The ingest and search modules they call are imported lazily: a build without them
logs a clear message and the job is recorded as skipped, so the digests app works on its own."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def _summary(result) -> str:
    summary = getattr(result, "summary", None)
    return summary() if callable(summary) else str(result)


def _missing(what: str, module: str, exc: ImportError) -> str:
    message = f"skipped: {what} is not available in this installation ({module}: {exc})"
    log.warning(message)
    return message


def fetch_announcements() -> str:
    """Fetch today's arXiv announcements for the configured categories (and feature new ones if configured)."""
    try:
        from dailypapers.papers.ingest.fetching import fetch_announcements as fetch
    except ImportError as exc:
        return _missing("fetching arXiv announcements", "dailypapers.papers.ingest.fetching", exc)
    return _summary(fetch(categories=None, feature_new=None))


def sync_indexes() -> str:
    """Bring the search indexes up to date with the database (incremental)."""
    try:
        from dailypapers.search.sync import sync_indexes as sync
    except ImportError as exc:
        return _missing("search index sync", "dailypapers.search.sync", exc)
    return _summary(sync(rebuild=False))


def send_digests() -> str:
    """Plan the digests whose time has come, and send every due one (new and retries)."""
    from dailypapers.digests.delivery import send_due

    return send_due().summary()
