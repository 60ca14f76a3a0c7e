"""Digest subscriptions, their topics, and one delivery record per subscription and period."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """An e-mail address that asked for digests (double opt-in: active only once the signed link was followed)."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting for confirmation"
        ACTIVE = "active", "active"
        UNSUBSCRIBED = "unsubscribed", "unsubscribed"

    class Frequency(models.TextChoices):
        DAILY = "daily", "daily (weekdays, on arXiv announcement days)"
        WEEKLY = "weekly", "weekly"

    email = models.EmailField(max_length=254, unique=True, help_text="normalized to lower case")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="digest_subscriptions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    include_trending = models.BooleanField(default=True)
    include_daily = models.BooleanField(default=True)
    include_recommendations = models.BooleanField(default=True, help_text="'you may like', for users with upvotes")
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True, help_text="last confirmation/notice e-mail")
    # What the last unconfirmed request asked for ({"prefs": {...}, "user_id": ...}): applied on confirmation only,
    # so a request from anyone never changes the preferences of the address's subscription.
    requested = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "frequency", "id"], name="subscription_due")]

    def __str__(self) -> str:
        return f"{self.email} ({self.status}, {self.frequency})"


class Topic(models.Model):
    """A saved search ("salient weight quantization") or an arXiv category to be alerted about."""

    class Kind(models.TextChoices):
        SEARCH = "search", "saved search"
        CATEGORY = "category", "arXiv category"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="topics")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "kind", "value"], name="topic_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class DigestDelivery(models.Model):
    """One digest for one subscription and one period: claimed before sending, marked after (exactly once).

    pending -> sending (claimed, lease) -> handed_over (about to send DATA) -> sent
    A failure before DATA goes to retry (back-off) or failed (permanent); a worker that dies while ``sending`` is
    safely retried; one that dies while ``handed_over`` may or may not have delivered: that row becomes ``unknown``
    and is never resent (at-most-once for that narrow window; see digests/delivery.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENDING = "sending", "claimed by a worker"
        HANDED_OVER = "handed_over", "handed over to the SMTP server"
        SENT = "sent", "sent"
        RETRY = "retry", "waiting for a retry"
        FAILED = "failed", "failed"
        UNKNOWN = "unknown", "interrupted while sending: possibly sent, not resent"
        SKIPPED = "skipped", "nothing to send"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    period = models.CharField(max_length=32, help_text="e.g. daily:2026-11-27 or weekly:2026-11-23")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=200, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "digest deliveries"
        constraints = [models.UniqueConstraint(fields=["subscription", "period"], name="delivery_once_per_period")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.period} -> {self.subscription_id}: {self.status}"


class DigestRun(models.Model):
    """A period whose deliveries were all planned (one row per active subscription created)."""

    period = models.CharField(max_length=32, unique=True)
    planned = models.PositiveIntegerField(default=0)
    planned_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.period
