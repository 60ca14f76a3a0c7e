"""Node-scoped jobs: the index job runs on every node (its lease is per node), global jobs keep one lease for the
cluster, and `worker --status` shows each node's index lag."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from dailypapers.core.models import Job, JobRun
from dailypapers.core.scheduler import JobSpec, job_spec, run_due_jobs
from dailypapers.core.testing import import_papers as add_papers
from dailypapers.search import store
from dailypapers.search.embeddings import HashingEmbedder, set_embedder
from dailypapers.search.nodes import node_index_lags
from dailypapers.search.sync import sync_indexes
from tests.search.corpus import SMALL_CORPUS

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def hashing_index(settings, tmp_path):
    settings.INDEX_DIR = tmp_path / "indexes"
    set_embedder(HashingEmbedder())
    store.forget_snapshot()
    yield
    set_embedder(None)
    store.forget_snapshot()


def test_a_node_scoped_job_runs_once_on_each_node_and_a_cluster_job_once_in_all(
    settings,
):
    per_node = JobSpec("record", "tests.core.worker_jobs:record", every=HOUR, scope="node")
    cluster = JobSpec("shared", "tests.core.worker_jobs:record", every=HOUR)
    settings.NODE_NAME = "node-a"
    assert run_due_jobs(owner="a", specs=[per_node, cluster]) == [
        ("record", "ok"),
        ("shared", "ok"),
    ]
    settings.NODE_NAME = "node-b"
    assert run_due_jobs(owner="b", specs=[per_node, cluster]) == [("record", "ok")]  # "shared" is not due again
    assert run_due_jobs(owner="b", specs=[per_node, cluster]) == []
    assert sorted(Job.objects.values_list("name", flat=True)) == [
        "record@node-a",
        "record@node-b",
        "shared",
    ]
    assert sorted(JobRun.objects.values_list("job", "owner")) == [
        ("record@node-a", "a"),
        ("record@node-b", "b"),
        ("shared", "a"),
    ]


def test_the_index_job_is_per_node_and_fetch_and_digests_are_cluster_wide():
    assert job_spec("index").scope == "node"
    assert job_spec("fetch").scope == job_spec("digests").scope == "cluster"


def test_worker_status_shows_each_nodes_index_lag(settings, hashing_index):
    add_papers(SMALL_CORPUS[:2])
    settings.NODE_NAME = "node-a"
    sync_indexes(progress=False)
    add_papers(SMALL_CORPUS[2:])  # newer changes node-a has not seen
    settings.NODE_NAME = "node-b"
    settings.INDEX_DIR = settings.INDEX_DIR.with_name("indexes-b")
    sync_indexes(progress=False)
    lags = {lag.node: lag for lag in node_index_lags()}
    assert lags["node-b"].lag_seconds == 0 and lags["node-b"].papers == 4
    assert lags["node-a"].lag_seconds > 0 and lags["node-a"].papers == 2
    out = StringIO()
    call_command("worker", "--status", stdout=out)
    assert "index on node-b: 4 papers, up to date" in out.getvalue()
    assert "index on node-a: 2 papers, " in out.getvalue() and "s behind the database" in out.getvalue()


def test_a_node_that_stopped_syncing_is_pointed_out(settings, hashing_index):
    from django.utils import timezone

    from dailypapers.search.models import NodeIndex

    add_papers(SMALL_CORPUS)
    settings.NODE_NAME = "node-gone"
    sync_indexes(progress=False)
    NodeIndex.objects.filter(node="node-gone").update(synced_at=timezone.now() - dt.timedelta(days=2))
    out = StringIO()
    call_command("worker", "--status", stdout=out)
    assert "index on node-gone: 4 papers, up to date" in out.getvalue()
    assert "no sync for 1728" in out.getvalue() and "s: is its worker running?" in out.getvalue()
