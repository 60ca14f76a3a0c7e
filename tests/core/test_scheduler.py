"""The job scheduler: due jobs run once and are rescheduled, leases keep other workers out, failures are recorded,
and two real worker processes on one PostgreSQL database never run the same job at the same time."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from dailypapers.core.models import Job, JobRun
from dailypapers.core.scheduler import JobSpec, parse_extra_job, run_due_jobs
from tests.core import worker_jobs
from tests.support.paths import REPO

HOUR = dt.timedelta(hours=1)
RECORD = JobSpec("record", "tests.core.worker_jobs:record", every=HOUR)


@pytest.mark.django_db
def test_it_runs_a_due_job_once_and_schedules_the_next_run():
    worker_jobs.CALLS.clear()
    assert run_due_jobs(owner="a", specs=[RECORD]) == [("record", "ok")]
    assert run_due_jobs(owner="b", specs=[RECORD]) == []  # not due again for an hour
    job = Job.objects.get(name="record")
    assert job.lease_owner == "" and job.next_run_at > timezone.now() + HOUR - dt.timedelta(minutes=1)
    run = JobRun.objects.get()
    assert (run.job, run.owner, run.status, run.message) == ("record", "a", "ok", "call 1")
    assert worker_jobs.CALLS == ["record"]


@pytest.mark.django_db
def test_a_job_whose_lease_another_worker_holds_is_not_run_until_the_lease_expires():
    now = timezone.now()
    Job.objects.create(name="record", next_run_at=now - HOUR, lease_owner="other", lease_until=now + HOUR)
    assert run_due_jobs(owner="a", specs=[RECORD]) == []
    Job.objects.filter(name="record").update(lease_until=now - dt.timedelta(seconds=1))  # "other" died
    assert run_due_jobs(owner="a", specs=[RECORD]) == [("record", "ok")]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run():
    failing = JobSpec("fail", "tests.core.worker_jobs:fail", every=HOUR)
    assert run_due_jobs(owner="a", specs=[failing, RECORD]) == [("fail", "error"), ("record", "ok")]
    job = Job.objects.get(name="fail")
    assert job.last_status == "error" and "always fails" in job.last_message and job.lease_owner == ""


@pytest.mark.django_db
def test_the_worker_command_runs_a_job_on_request():
    out = StringIO()
    call_command("worker", "--job", "digests", stdout=out)
    assert "digests: ok" in out.getvalue()
    out = StringIO()
    call_command("worker", "--job", "digests", stdout=out)  # again: asked for, so due again
    assert "digests: ok" in out.getvalue()
    out = StringIO()
    call_command("worker", "--status", stdout=out)
    assert out.getvalue().startswith("digests: next ") and "last ok at" in out.getvalue()


def test_schedules_by_interval_and_by_daily_time():
    at = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)
    daily = JobSpec("fetch", "x:y", at=dt.time(1, 30))
    assert daily.next_run(at) == dt.datetime(2026, 11, 28, 1, 30, tzinfo=dt.UTC)
    assert daily.next_run(at.replace(hour=1)) == dt.datetime(2026, 11, 27, 1, 30, tzinfo=dt.UTC)
    assert RECORD.next_run(at) == at + HOUR
    assert parse_extra_job("slow=tests.core.worker_jobs:slow_job@0.5").every == dt.timedelta(seconds=0.5)
    assert parse_extra_job("nightly=a.b:c@03:00").at == dt.time(3, 0)
    with pytest.raises(ValueError, match="expected name=module:function@SECONDS"):
        parse_extra_job("no-target@5")


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_postgresql_database_never_run_the_same_job_at_once(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (several worker nodes share one PostgreSQL database)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAILYPAPERS_")}
    env.update(
        PYTHONPATH=str(REPO),
        DAILYPAPERS_DATA_DIR=str(tmp_path),
        DAILYPAPERS_DATABASE_URL=_database_url(),
        DAILYPAPERS_WORKER_JOBS="",
        DAILYPAPERS_WORKER_EXTRA_JOBS="slow=tests.core.worker_jobs:slow_job@0",
        DAILYPAPERS_SECRET_KEY="worker-test",
        DAILYPAPERS_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "dailypapers", "worker", "--loop", "--poll", "0.02", "--duration", "5"]
    workers = [subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [w.communicate(timeout=120)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors

    runs = list(JobRun.objects.filter(job="slow").order_by("started_at"))
    assert len(runs) >= 5, errors
    assert [r.status for r in runs] == ["ok"] * len(runs), [r.message for r in runs if r.status != "ok"]
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert earlier.finished_at <= later.started_at, (earlier.owner, later.owner)


@pytest.mark.django_db
def test_the_fetch_job_fetches_todays_announcements_through_the_ingest_module(request, settings):
    from dailypapers.core.scheduler import job_spec
    from dailypapers.papers.models import Paper

    recorded_arxiv = request.getfixturevalue("replay")
    settings.ARXIV_CATEGORIES = ["cs.AI"]
    assert run_due_jobs(owner="a", specs=[job_spec("fetch")]) == [("fetch", "ok")]
    assert Paper.objects.count() == 3 and recorded_arxiv.requests[0][1] == "/rss/cs.AI"
    assert "created 3" in Job.objects.get(name="fetch").last_message


@pytest.mark.django_db
def test_a_job_whose_worker_died_on_this_host_is_taken_over_without_waiting_for_the_lease():
    import socket

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = f"{socket.gethostname()}:{int(gone.stdout)}:abcd"
    now = timezone.now()
    Job.objects.create(name="record", next_run_at=now - HOUR, lease_owner=dead, lease_until=now + HOUR)
    assert run_due_jobs(owner="a", specs=[RECORD]) == [("record", "ok")]
