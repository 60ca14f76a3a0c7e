"""The job scheduler: runs due jobs, at most one worker at a time per job, on SQLite and on PostgreSQL.

Each job has a row in the Job table. A worker runs a job only after winning one conditional UPDATE:

    UPDATE job SET lease_owner = me, lease_until = now + lease
     WHERE name = X AND next_run_at <= now AND (lease_until IS NULL OR lease_until < now)

The UPDATE is atomic on both databases (PostgreSQL re-checks the WHERE clause on the row a concurrent winner just
committed; SQLite has one writer at a time), so of several workers on several nodes exactly one gets the row, and
next_run_at moves forward before the lease is released, so the job does not run twice for one due time either. A
heartbeat thread renews the lease while a long job runs; a worker that dies loses its lease when it expires.

The scheduler knows no app: each app declares its jobs in its own ``jobs.py`` with ``register_job`` (imported by
the app's ``ready()``), and ``DAILYPAPERS_WORKER_JOBS`` picks which of them run.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone

from dailypapers.core import metrics
from dailypapers.core.clock import parse_time
from dailypapers.core.models import Job, JobRun
from dailypapers.core.nodes import node_name
from dailypapers.core.owners import dead_local_owners, new_owner  # noqa: F401  (new_owner: the command's)

log = logging.getLogger(__name__)
HISTORY_DAYS = 30


@dataclass(frozen=True)
class JobSpec:
    name: str
    target: str  # "module:function"; the function takes no arguments and returns a short summary
    every: dt.timedelta | None = None  # run every so often...
    at: dt.time | None = None  # ...or once a day at this UTC time
    # "cluster": one lease for the whole cluster (fetch, digests: global work done once);
    # "node": one lease per node (index: each node keeps its own local files up to date).
    scope: str = "cluster"

    @property
    def lease_name(self) -> str:
        """The Job row (and JobRun.job) of this job: "index@<node>" for node-scoped jobs, else the name."""
        return f"{self.name}@{node_name()}" if self.scope == "node" else self.name

    def next_run(self, after: dt.datetime) -> dt.datetime:
        if self.every is not None:
            return after + self.every
        assert self.at is not None, f"job {self.name} has neither an interval nor a time of day"
        day = after.astimezone(dt.UTC).date()
        candidate = dt.datetime.combine(day, self.at, tzinfo=dt.UTC)
        return candidate if candidate > after else candidate + dt.timedelta(days=1)

    def resolve(self) -> Callable[[], object]:
        module, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module), function)


# name -> a function building the job's spec from the settings (called when the worker starts)
_REGISTRY: dict[str, Callable[[], JobSpec]] = {}


def register_job(name: str, spec: Callable[[], JobSpec]) -> None:
    """Make a job known to the scheduler (called by each app's jobs module when the app is ready)."""
    _REGISTRY[name] = spec


# functions returning lines for `worker --status` (e.g. the search app: each node's index lag)
_STATUS: list[Callable[[], list[str]]] = []


def register_status(lines: Callable[[], list[str]]) -> None:
    """Add lines to `dailypapers worker --status` (called by an app's jobs module)."""
    if lines not in _STATUS:
        _STATUS.append(lines)


def status_lines() -> list[str]:
    return [line for provider in _STATUS for line in provider()]


def registered_jobs() -> list[str]:
    return sorted(_REGISTRY)


def job_spec(name: str) -> JobSpec:
    """The spec of a registered job, built from the current settings."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown job {name!r} in DAILYPAPERS_WORKER_JOBS (known: {', '.join(registered_jobs())})")
    return _REGISTRY[name]()


def every(seconds: float) -> dt.timedelta:
    return dt.timedelta(seconds=seconds)


def parse_extra_job(text: str) -> JobSpec:
    """'name=module:function@SECONDS' (or @HH:MM for a daily time)."""
    name, _, rest = text.partition("=")
    target, _, when = rest.partition("@")
    if not (name.strip() and ":" in target and when.strip()):
        raise ValueError(f"bad DAILYPAPERS_WORKER_EXTRA_JOBS entry {text!r}: expected name=module:function@SECONDS")
    when = when.strip()
    if ":" in when:
        return JobSpec(name.strip(), target.strip(), at=parse_time(when))
    return JobSpec(name.strip(), target.strip(), every=dt.timedelta(seconds=float(when)))


def configured_jobs() -> list[JobSpec]:
    specs = [job_spec(name) for name in settings.WORKER_JOBS]
    specs += [parse_extra_job(text) for text in settings.WORKER_EXTRA_JOBS]
    return specs


def ensure_jobs(specs: list[JobSpec], *, now: dt.datetime) -> None:
    """A new job is due at once (a fresh hub fetches and indexes right away); existing rows keep their schedule."""
    known = set(Job.objects.filter(name__in=[s.lease_name for s in specs]).values_list("name", flat=True))
    for spec in specs:
        if spec.lease_name not in known:
            Job.objects.get_or_create(name=spec.lease_name, defaults={"next_run_at": now})


def try_acquire(*, name: str, owner: str, now: dt.datetime) -> bool:
    lease_until = now + dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    holder = Job.objects.filter(name=name, lease_until__gte=now).values_list("lease_owner", flat=True).first()
    if holder and dead_local_owners({holder}):  # its worker died on this host: no need to wait out the lease
        free |= Q(lease_owner=holder)
    won = Job.objects.filter(free, name=name, next_run_at__lte=now).update(
        lease_owner=owner, lease_until=lease_until, last_started_at=now
    )
    return won == 1


class _Heartbeat(threading.Thread):
    """Renews a job's lease while it runs, so a long job is not taken over by another worker."""

    def __init__(self, *, name: str, owner: str):
        super().__init__(daemon=True, name=f"lease-{name}")
        self.job, self.owner = name, owner
        self.stop = threading.Event()

    def run(self) -> None:
        interval = max(settings.WORKER_LEASE_SECONDS / 3, 0.5)
        try:
            while not self.stop.wait(interval):
                until = timezone.now() + dt.timedelta(seconds=settings.WORKER_LEASE_SECONDS)
                Job.objects.filter(name=self.job, lease_owner=self.owner).update(lease_until=until)
        finally:
            connection.close()


def run_job(spec: JobSpec, *, owner: str) -> tuple[str, str]:
    """Run a job whose lease this worker holds; record the run; schedule the next one; release the lease."""
    started = timezone.now()
    record = JobRun.objects.create(job=spec.lease_name, owner=owner, started_at=started)
    heartbeat = _Heartbeat(name=spec.lease_name, owner=owner)
    heartbeat.start()
    try:
        summary = spec.resolve()()
        status, message = "ok", "" if summary is None else str(summary)
    except Exception as exc:  # a failing job is recorded and retried at its next time; the worker goes on
        log.exception("job %s failed", spec.name)
        status, message = "error", f"{type(exc).__name__}: {exc}"
    finally:
        heartbeat.stop.set()
        heartbeat.join()
    if message.startswith("skipped:"):
        status = "skipped"
    finished = timezone.now()
    JobRun.objects.filter(pk=record.pk).update(finished_at=finished, status=status, message=message[:10000])
    Job.objects.filter(name=spec.lease_name, lease_owner=owner).update(
        lease_owner="",
        lease_until=None,
        next_run_at=spec.next_run(finished),
        last_finished_at=finished,
        last_status=status,
        last_message=message[:10000],
    )
    metrics.job_runs.labels(spec.name, status).inc()
    log.info("job %s: %s %s", spec.name, status, message[:300])
    return status, message


def run_due_jobs(*, owner: str, specs: list[JobSpec] | None = None, only: str | None = None) -> list[tuple[str, str]]:
    """One pass: run every job that is due and free. Returns (job, status) for the jobs this worker ran."""
    specs = configured_jobs() if specs is None else specs
    if only is not None:
        specs = [s for s in specs if s.name == only]
        if not specs:
            raise ValueError(f"no job named {only!r} is configured")
    now = timezone.now()
    ensure_jobs(specs, now=now)
    ran = []
    for spec in specs:
        if only is not None:  # an operator asked for this job now: make it due (the lease still guards it)
            Job.objects.filter(name=spec.lease_name, next_run_at__gt=now).update(next_run_at=now)
        if try_acquire(name=spec.lease_name, owner=owner, now=timezone.now()):
            status, _ = run_job(spec, owner=owner)
            ran.append((spec.name, status))
    return ran


def prune_history(*, now: dt.datetime) -> None:
    JobRun.objects.filter(started_at__lt=now - dt.timedelta(days=HISTORY_DAYS)).delete()


def run_loop(
    *,
    owner: str,
    poll_seconds: float | None = None,
    duration: float | None = None,
    stop: threading.Event | None = None,
    parent_pid: int | None = None,
) -> None:
    """Run due jobs until stopped (or for `duration` seconds, or until the parent process is gone)."""
    poll = settings.WORKER_POLL_SECONDS if poll_seconds is None else poll_seconds
    stop = stop or threading.Event()
    deadline = time.monotonic() + duration if duration else None
    specs = configured_jobs()
    last_prune = 0.0
    log.info("worker %s: jobs %s", owner, ", ".join(s.name for s in specs) or "(none)")
    while not stop.is_set():
        close_old_connections()
        try:
            run_due_jobs(owner=owner, specs=specs)
            if time.monotonic() - last_prune > 3600:
                prune_history(now=timezone.now())
                last_prune = time.monotonic()
        except Exception:  # the database went away for a moment: try again at the next poll
            log.exception("worker pass failed")
            connection.close()
        if deadline is not None and time.monotonic() >= deadline:
            break
        if parent_pid is not None and os.getppid() != parent_pid:
            log.info("worker: the serving process is gone; stopping")
            break
        wait = poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))
        stop.wait(wait)
