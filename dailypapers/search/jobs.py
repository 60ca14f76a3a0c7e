"""The search app's scheduled job: bring the search indexes up to date with the database."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job


def sync_indexes() -> str:
    """Embed new or changed papers and update both indexes (incremental)."""
    from dailypapers.search.sync import sync_indexes as sync

    return sync(rebuild=False).summary()


register_job("index", lambda: JobSpec("index", f"{__name__}:sync_indexes", every=every(settings.INDEX_SYNC_SECONDS)))
