"""The scheduler's tables: one row per scheduled job (its schedule and lease) and a history of runs."""

from __future__ import annotations

from django.db import models


class Job(models.Model):
    """A scheduled job and its lease: a worker runs it only after taking the lease in one atomic UPDATE."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    lease_owner = models.CharField(max_length=200, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True, default="")
    last_message = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One run of a job (history for operators; pruned after a while)."""

    job = models.CharField(max_length=100, db_index=True)
    owner = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, default="running")
    message = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at}: {self.status}"
