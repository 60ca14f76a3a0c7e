"""The search app's scheduled job: bring this node's search indexes up to date with the database (on every node)."""

from __future__ import annotations

from django.conf import settings

from dailypapers.core.scheduler import JobSpec, every, register_job, register_status


def sync_indexes() -> str:
    """Embed new or changed papers and update both indexes (incremental)."""
    from dailypapers.search.sync import sync_indexes as sync

    return sync(rebuild=False, progress=False).summary()  # a background job: its summary goes to the log


def index_status_lines() -> list[str]:
    """Each node's index lag, for `dailypapers worker --status`."""
    from dailypapers.search.nodes import status_lines

    return status_lines()


# Every node keeps its own local index files, so the lease is per node: each node syncs its own index every
# INDEX_SYNC_SECONDS whatever the other nodes do.
register_job(
    "index",
    lambda: JobSpec("index", f"{__name__}:sync_indexes", every=every(settings.INDEX_SYNC_SECONDS), scope="node"),
)
register_status(index_status_lines)
