"""The papers app's scheduled job: fetch each day's arXiv announcements."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.clock import parse_time
from dailypapers.core.scheduler import JobSpec, register_job


def fetch_announcements() -> str:
    """Fetch today's arXiv announcements for the configured categories (and feature new ones if configured)."""
    from dailypapers.papers.ingest.fetching import fetch_announcements as fetch

    return fetch(categories=None, feature_new=None).summary()


register_job("fetch", lambda: JobSpec("fetch", f"{__name__}:fetch_announcements", at=parse_time(settings.FETCH_TIME)))
