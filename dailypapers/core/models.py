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


class Counter(models.Model):
    """A shared counter of the rate limiter (core.ratelimit.count) on the database cache: one atomic
    ``INSERT ... ON CONFLICT DO UPDATE SET n = n + amount ... RETURNING n`` per hit, expiring at ``expires``."""

    key = models.CharField(max_length=250, primary_key=True)
    n = models.BigIntegerField(default=0)
    expires = models.FloatField(help_text="unix time after which the counter starts again from zero")

    class Meta:
        db_table = "dailypapers_counters"
        indexes = [models.Index(fields=["expires"], name="counter_expires")]

    def __str__(self) -> str:
        return f"{self.key}={self.n}"


class OutboundMail(models.Model):
    """An e-mail a request asked for (a confirmation, a notice), sent by the worker's ``mail`` job, never inside the
    request: ``kind`` names a builder registered with core.outbox.register_mail, which renders it at send time."""

    kind = models.CharField(max_length=50)
    target_id = models.BigIntegerField(default=0)
    email = models.CharField(max_length=254)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["sent_at", "id"], name="outbound_mail_due")]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.email}"
