"""Prometheus metrics (prometheus_client), served at /metrics when DAILYPAPERS_METRICS_TOKEN is set.

The long-running processes of a node (gunicorn's web workers, `worker --loop`) write their counts to files in
``<data dir>/metrics`` (prometheus_client's multiprocess mode: PROMETHEUS_MULTIPROC_DIR, set by
core.datadir.use_metrics_dir() before this module is imported), and a scrape adds them up. Short CLI runs count
in their own memory only (a cron job would otherwise leave a file per run). Only counters and
histograms are kept that way; the index lag of each node is read from the database at scrape time.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

http_requests = Counter(
    "dailypapers_http_requests", "HTTP requests by route name, method and status", ["route", "method", "status"]
)
http_latency = Histogram(
    "dailypapers_http_request_seconds",
    "Time to answer an HTTP request, by route name",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
search_latency = Histogram(
    "dailypapers_search_seconds", "Time to rank a search, by mode", ["mode"], buckets=LATENCY_BUCKETS
)
job_runs = Counter(
    "dailypapers_job_runs", "Scheduled job runs by job and status (ok, error, skipped)", ["job", "status"]
)
digests = Counter("dailypapers_digests", "Digest e-mails by outcome (sent, failed)", ["outcome"])


class IndexLagCollector:
    """dailypapers_index_lag_seconds{node}: how far each node's search index is behind the database."""

    def collect(self):
        from dailypapers.search.nodes import node_index_lags

        family = GaugeMetricFamily(
            "dailypapers_index_lag_seconds", "Search index lag behind the database, by node", labels=["node"]
        )
        for lag in node_index_lags():
            family.add_metric([lag.node], lag.lag_seconds)
        yield family


def exposition() -> bytes:
    """The text a scrape gets: this node's processes added up, and the index lag of every node."""
    from prometheus_client import REGISTRY

    lag = CollectorRegistry()
    lag.register(IndexLagCollector())
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # one process (tests, a WSGI server without the data dir)
        return generate_latest(REGISTRY) + generate_latest(lag)
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry) + generate_latest(lag)


def clear_process_files() -> None:
    """Forget the counts of processes of an earlier run (called by `serve` before it starts its processes)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder and os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))
