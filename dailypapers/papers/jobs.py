"""The papers app's scheduled job: fetch each day's arXiv announcements."""

from __future__ import annotations

import logging

from django.conf import settings

from dailypapers.core.clock import parse_time
from dailypapers.core.scheduler import JobSpec, register_job

log = logging.getLogger(__name__)


def fetch_announcements() -> str:
    """Fetch today's arXiv announcements for the configured categories (and feature new ones if configured)."""
    from dailypapers.papers.ingest.arxiv_client import ArxivUnavailable
    from dailypapers.papers.ingest.fetching import fetch_announcements as fetch

    try:
        return fetch(categories=None, feature_new=None).summary()
    except ArxivUnavailable as exc:  # offline, or arXiv down: one line in the log, the next run tries again
        log.warning("fetching arXiv's announcements: %s; the next run (%s UTC) tries again", exc, settings.FETCH_TIME)
        return f"skipped: {exc}"


register_job("fetch", lambda: JobSpec("fetch", f"{__name__}:fetch_announcements", at=parse_time(settings.FETCH_TIME)))
