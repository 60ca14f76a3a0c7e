"""Each node's index, as recorded in the database: written after a sync, read to show every node's lag."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from dailypapers.core.nodes import node_name
from dailypapers.papers.models import Paper
from dailypapers.search.models import NodeIndex


def node_index_record(*, manifest: dict) -> None:
    """Record what this node's live index holds (after a sync or rebuild)."""
    until = manifest.get("synced_until")
    NodeIndex.objects.update_or_create(
        node=node_name(),
        defaults={
            "generation": manifest.get("generation") or "",
            "model": manifest.get("model") or "",
            "papers": int(manifest.get("papers") or 0),
            "synced_until": dt.datetime.fromisoformat(until) if until else None,
            "synced_at": timezone.now(),
        },
    )


@dataclass(frozen=True)
class NodeLag:
    node: str
    papers: int
    synced_at: dt.datetime
    synced_until: dt.datetime | None
    lag_seconds: float  # how far the newest change in the database is ahead of what the index has seen (0: none)

    def sentence(self) -> str:
        state = "up to date" if self.lag_seconds <= 0 else f"{self.lag_seconds:.0f} s behind the database"
        text = f"index on {self.node}: {self.papers} papers, {state} (last sync {self.synced_at:%Y-%m-%d %H:%M:%S} UTC)"
        quiet = (timezone.now() - self.synced_at).total_seconds()
        if quiet > 2 * settings.INDEX_SYNC_SECONDS + 60:
            text += (
                f"; no sync for {quiet:.0f} s: is its worker running? (a node taken out for good: delete its "
                "row under Node indexes in the admin)"
            )
        return text


def node_index_lags() -> list[NodeLag]:
    """Every node's index lag: the database's newest Paper.modified against the newest one that node has seen."""
    span = Paper.objects.aggregate(newest=Max("modified"), oldest=Min("modified"))
    newest = span["newest"]
    lags = []
    for row in NodeIndex.objects.order_by("node"):
        if newest is None:
            lag = 0.0
        elif row.synced_until is None:  # the index has seen no paper at all
            lag = max(1.0, (newest - span["oldest"]).total_seconds())
        else:
            lag = max(0.0, (newest - row.synced_until).total_seconds())
        lags.append(NodeLag(row.node, row.papers, row.synced_at, row.synced_until, lag))
    return lags


def status_lines() -> list[str]:
    lags = node_index_lags()
    return [lag.sentence() for lag in lags] or ["no node has synced a search index yet"]
