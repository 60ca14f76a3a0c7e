"""Send the due digests exactly once, in bounded memory, whatever the mail server or the process does.

Plan: for each due period, one DigestDelivery row per active subscription (created in chunks, conflicts ignored,
so planning twice is harmless). Send: a worker claims a batch of due rows (``SELECT ... FOR UPDATE SKIP LOCKED``
on PostgreSQL; SQLite serializes writers), marks them ``sending`` with its name and a lease, and for each one:

1. builds the message and speaks MAIL and RCPT (a refusal here: retry later or failed, nothing was sent);
2. moves the row ``sending -> handed_over`` in one conditional UPDATE (only the owner of the claim can; another
   worker that took over an expired lease makes this fail, and the message is dropped before DATA);
3. sends DATA; on the server's 250 the row becomes ``sent``; on an explicit 4xx/5xx ``retry``/``failed``.

A run killed in step 1 or 2 leaves ``sending`` rows: the next run takes them back (lease expired, or at once when
their owner was a process on this host that no longer exists) and sends them. A run killed in step 3, between
handing the message over and recording the 250, cannot know whether the server took it: we choose at-most-once
there and mark such rows ``unknown`` (reported, never resent). That window is one DATA exchange long; the
Message-ID is stable per subscription and period, so a receiving system that dedupes by Message-ID would also drop
a copy. Temporary failures are retried with exponential back-off up to DIGESTS_MAX_ATTEMPTS; a refused recipient
fails at once; an unreachable server defers the batch and, after three batches in a row, ends the run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from dailypapers.core import metrics
from dailypapers.core.clock import parse_time
from dailypapers.core.owners import dead_local_owners, new_owner
from dailypapers.core.progress import progress_bar
from dailypapers.digests import sources
from dailypapers.digests.content import DigestBuilder
from dailypapers.digests.digest_periods import DigestPeriod, due_periods, parse_digest_period, parse_weekday
from dailypapers.digests.models import DigestDelivery, DigestRun, Subscription
from dailypapers.digests.rendering import DigestRenderer, digest_message_id
from dailypapers.digests.transport import Outcome, Result, TransportDown, transport_from_settings

log = logging.getLogger(__name__)
PLAN_CHUNK = 1000
MAX_BACKOFF = dt.timedelta(hours=6)
MAX_REPORTED = 100
DOWN_BATCHES = 3
Status = DigestDelivery.Status


@dataclass
class SendReport:
    planned: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0
    lost: int = 0
    reclaimed: int = 0
    periods_without_news: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: str = ""

    def note(self, text: str) -> None:
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(text)

    def summary(self) -> str:
        parts = [
            f"planned {self.planned}",
            f"sent {self.sent}",
            f"retry later {self.retry}",
            f"failed {self.failed}",
            f"unknown {self.unknown}",
            f"skipped {self.skipped}",
        ]
        text = ", ".join(parts)
        if self.reclaimed:
            text += f"; took back {self.reclaimed} interrupted"
        if self.periods_without_news:
            text += f"; no arXiv announcement, nothing sent for: {', '.join(self.periods_without_news)}"
        if self.stopped:
            text += f"; stopped early: {self.stopped}"
        return text


def period_from_key(key: str) -> DigestPeriod:
    """'daily:YYYY-MM-DD' -> its DigestPeriod at the configured send time (InvalidPeriod for a bad key)."""
    return parse_digest_period(key, send_time=parse_time(settings.DIGESTS_SEND_TIME))


def configured_due_periods(*, now: dt.datetime) -> list[DigestPeriod]:
    return due_periods(
        now=now, send_time=parse_time(settings.DIGESTS_SEND_TIME), weekly_day=parse_weekday(settings.DIGESTS_WEEKLY_DAY)
    )


def _period_has_news(period: DigestPeriod) -> bool:
    return sources.has_news(
        window_start=period.window_start,
        window_end=period.window_end,
        page_start=period.page_start,
        page_end=period.page_end,
    )


def active_subscription_ids(*, frequency: str) -> Iterator[list[int]]:
    """Active subscriptions of a frequency in chunks of primary keys (keyset pagination: bounded memory)."""
    last = 0
    base = Subscription.objects.filter(status=Subscription.Status.ACTIVE, frequency=frequency).order_by("pk")
    while True:
        chunk = list(base.filter(pk__gt=last).values_list("pk", flat=True)[:PLAN_CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def _insert_deliveries(*, period: DigestPeriod, confirmed_since: dt.datetime | None, now: dt.datetime) -> int:
    """One INSERT ... SELECT ... ON CONFLICT DO NOTHING: the rows never pass through Python (100k in a second)."""
    quote, ops = connection.ops.quote_name, connection.ops
    params = [period.key, ops.adapt_datetimefield_value(now), Subscription.Status.ACTIVE.value, period.frequency]
    since = ""
    if confirmed_since is not None:
        since = f" AND s.{quote('confirmed_at')} >= %s"
        params.append(ops.adapt_datetimefield_value(confirmed_since))
    sql = (
        f"INSERT INTO {quote(DigestDelivery._meta.db_table)} (subscription_id, period, status, attempts, lease_owner,"
        f" message_id, last_error, created) SELECT s.id, %s, 'pending', 0, '', '', '', %s"
        f" FROM {quote(Subscription._meta.db_table)} s WHERE s.status = %s AND s.frequency = %s{since}"
        f" ON CONFLICT (subscription_id, period) DO NOTHING"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def plan_period(*, period: DigestPeriod, now: dt.datetime, report: SendReport) -> None:
    """Create the period's delivery rows: all active subscriptions the first time, then those confirmed since.

    Conflicts are ignored, so planning twice is harmless; someone who confirms after the period's first pass still
    gets that day's digest at the next check.
    """
    run, _ = DigestRun.objects.get_or_create(period=period.key)
    if run.skipped_reason:
        report.periods_without_news.append(period.key)
        return
    if run.planned_at is None and not _period_has_news(period):
        DigestRun.objects.filter(pk=run.pk).update(
            skipped_reason="no papers announced or featured in this period", planned_at=now
        )
        report.periods_without_news.append(period.key)
        return
    started = timezone.now()
    planned = _insert_deliveries(period=period, confirmed_since=run.planned_at, now=started)
    DigestRun.objects.filter(pk=run.pk).update(planned=F("planned") + planned, planned_at=started)
    report.planned += planned


def reclaim_interrupted(*, now: dt.datetime, report: SendReport) -> None:
    """Take back claims of workers that died (lease expired, or a vanished process on this host)."""
    claimed = DigestDelivery.objects.filter(status__in=[Status.SENDING, Status.HANDED_OVER])
    owners = set(claimed.values_list("lease_owner", flat=True).distinct())
    if not owners:
        return
    stale = Q(lease_until__lt=now) | Q(lease_owner__in=dead_local_owners(owners))
    report.reclaimed += DigestDelivery.objects.filter(stale, status=Status.SENDING).update(
        status=Status.PENDING, lease_owner="", lease_until=None
    )
    unknown = DigestDelivery.objects.filter(stale, status=Status.HANDED_OVER).update(
        status=Status.UNKNOWN,
        last_error="the sending process stopped while handing this digest to the mail server: it may have been "
        "delivered, so it is not sent again",
    )
    if unknown:
        log.warning("%d digests were interrupted during SMTP DATA: marked unknown (at-most-once)", unknown)
        report.unknown += unknown


def claim(*, owner: str, limit: int, now: dt.datetime) -> list[int]:
    """Take up to `limit` due deliveries for this owner (new ones first, then retries whose time has come)."""
    with transaction.atomic():
        locked = DigestDelivery.objects.select_for_update(skip_locked=True)
        # No ORDER BY: each query walks the (status, next_attempt_at) index and stops at the limit.
        ids = list(locked.filter(status=Status.PENDING).values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            retries = locked.filter(status=Status.RETRY, next_attempt_at__lte=now)
            ids += list(retries.values_list("pk", flat=True)[: limit - len(ids)])
        if ids:
            DigestDelivery.objects.filter(pk__in=ids).update(
                status=Status.SENDING,
                lease_owner=owner,
                attempts=F("attempts") + 1,
                lease_until=now + dt.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS),
            )
    return ids


def backoff(attempts: int) -> dt.timedelta:
    delay = dt.timedelta(seconds=settings.DIGESTS_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


class Sender:
    """One send run of one worker: claims batches until nothing is due."""

    def __init__(self, *, owner: str | None = None, transport=None, now: Callable[[], dt.datetime] = timezone.now):
        self.owner = owner or new_owner()
        self.transport = transport or transport_from_settings()
        self.now = now
        self.report = SendReport()
        self._periods: dict[str, tuple[DigestBuilder, DigestRenderer]] = {}

    def _for_period(self, key: str) -> tuple[DigestBuilder, DigestRenderer]:
        if key not in self._periods:
            if len(self._periods) > 16:
                self._periods.clear()
            period = period_from_key(key)
            self._periods[key] = (DigestBuilder(period=period, now=self.now()), DigestRenderer(period=period))
        return self._periods[key]

    def _mark(self, delivery: DigestDelivery, status: str, **fields) -> None:
        DigestDelivery.objects.filter(pk=delivery.pk, lease_owner=self.owner).update(status=status, **fields)

    def _record(self, delivery: DigestDelivery, result: Result, message_id: str) -> None:
        email = delivery.subscription.email
        now = self.now()
        if result.outcome == Outcome.SENT:
            self._mark(delivery, Status.SENT, sent_at=now, message_id=message_id, lease_until=None, last_error="")
            self.report.sent += 1
            metrics.digests.labels("sent").inc()
        elif result.outcome == Outcome.RETRY and delivery.attempts < settings.DIGESTS_MAX_ATTEMPTS:
            self._mark(
                delivery,
                Status.RETRY,
                next_attempt_at=now + backoff(delivery.attempts),
                lease_until=None,
                last_error=result.detail,
            )
            self.report.retry += 1
            self.report.note(f"{email}: will retry: {result.detail}")
        elif result.outcome in (Outcome.RETRY, Outcome.FAILED):
            detail = (
                result.detail
                if result.outcome == Outcome.FAILED
                else f"gave up after {delivery.attempts} attempts: {result.detail}"
            )
            self._mark(delivery, Status.FAILED, lease_until=None, last_error=detail)
            self.report.failed += 1
            metrics.digests.labels("failed").inc()
            self.report.note(f"{email}: failed: {detail}")
        elif result.outcome == Outcome.UNKNOWN:
            self._mark(delivery, Status.UNKNOWN, lease_until=None, message_id=message_id, last_error=result.detail)
            self.report.unknown += 1
            self.report.note(f"{email}: possibly sent, not resent: {result.detail}")
        else:  # LOST: another worker owns it now
            self.report.lost += 1

    def _hand_over(self, delivery: DigestDelivery) -> bool:
        lease_until = self.now() + dt.timedelta(seconds=settings.DIGESTS_LEASE_SECONDS)
        return (
            DigestDelivery.objects.filter(
                pk=delivery.pk,
                status=Status.SENDING,
                lease_owner=self.owner,
                subscription__status=Subscription.Status.ACTIVE,  # checked again at the last moment
            ).update(status=Status.HANDED_OVER, lease_until=lease_until)
            == 1
        )

    def _deliver(self, delivery: DigestDelivery) -> None:
        subscription = delivery.subscription
        if subscription.status != Subscription.Status.ACTIVE:
            self._mark(delivery, Status.SKIPPED, lease_until=None, last_error="unsubscribed before sending")
            self.report.skipped += 1
            return
        try:
            builder, renderer = self._for_period(delivery.period)
            sections = builder.sections(subscription, subscription.topics.all())
            if not sections:
                self._mark(delivery, Status.SKIPPED, lease_until=None, last_error="nothing new for this subscriber")
                self.report.skipped += 1
                return
            message = renderer.message(subscription_id=subscription.pk, email=subscription.email, sections=sections)
        except Exception as exc:  # a bug or bad data for one subscriber must not stop the batch
            log.exception("could not build the digest %s for subscription %s", delivery.period, subscription.pk)
            self._record(delivery, Result(Outcome.RETRY, f"could not build the digest: {exc}"), "")
            return
        message_id = digest_message_id(subscription_id=subscription.pk, period=builder.period)
        result = self.transport.send(message, before_data=lambda: self._hand_over(delivery))
        if result.outcome == Outcome.LOST and not Subscription.objects.filter(pk=subscription.pk, status="active"):
            self._mark(delivery, Status.SKIPPED, lease_until=None, last_error="unsubscribed before sending")
            self.report.skipped += 1
            return
        self._record(delivery, result, message_id)

    def _defer(self, deliveries: list[DigestDelivery], reason: str) -> None:
        for delivery in deliveries:
            self._record(delivery, Result(Outcome.RETRY, reason), "")

    def run(self, *, batch_size: int | None = None, progress: bool = False) -> SendReport:
        batch_size = batch_size or settings.DIGESTS_BATCH_SIZE
        reclaim_interrupted(now=self.now(), report=self.report)
        bar = progress_bar(desc="digests", unit="mail", disable=not progress)
        down = 0
        try:
            while ids := claim(owner=self.owner, limit=batch_size, now=self.now()):
                batch = list(
                    DigestDelivery.objects.filter(pk__in=ids)
                    .select_related("subscription")
                    .prefetch_related("subscription__topics")
                    .order_by("pk")
                )
                for index, delivery in enumerate(batch):
                    try:
                        self.transport.open()
                    except TransportDown as exc:
                        self._defer(batch[index:], str(exc))
                        break
                    self._deliver(delivery)
                    bar.update(1)
                else:
                    down = 0
                    continue
                down += 1
                if down >= DOWN_BATCHES:
                    self.report.stopped = "the mail server cannot be reached; the rest waits for the next run"
                    log.warning(self.report.stopped)
                    break
        finally:
            self.transport.close()
            bar.close()
        return self.report


FINAL = [Status.SENT, Status.FAILED, Status.UNKNOWN, Status.SKIPPED]


def prune_history(*, now: dt.datetime, chunk: int = 5000) -> int:
    """Forget delivery records older than DIGESTS_KEEP_DAYS (finished ones only), a chunk per transaction."""
    cutoff = now - dt.timedelta(days=settings.DIGESTS_KEEP_DAYS)
    old = DigestDelivery.objects.filter(created__lt=cutoff, status__in=FINAL)
    deleted = 0
    while ids := list(old.values_list("pk", flat=True)[:chunk]):
        deleted += DigestDelivery.objects.filter(pk__in=ids).delete()[0]
    DigestRun.objects.filter(planned_at__lt=cutoff).delete()
    return deleted


def send_due(
    *, now: dt.datetime | None = None, periods: list[DigestPeriod] | None = None, progress: bool = False, transport=None
) -> SendReport:
    """Plan the due periods (or the given ones), then send every due delivery (new ones and retries)."""
    now = now or timezone.now()
    periods = configured_due_periods(now=now) if periods is None else periods
    sender = Sender(transport=transport)
    for period in periods:
        plan_period(period=period, now=now, report=sender.report)
    report = sender.run(progress=progress)
    prune_history(now=now)
    log.info("digests: %s", report.summary())
    return report


@dataclass
class DryRunReport:
    would_send: int = 0
    empty: int = 0
    periods_without_news: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


def dry_run(*, periods: list[DigestPeriod], progress: bool = False) -> DryRunReport:
    """Build every digest the periods would send, send nothing and write nothing."""
    report = DryRunReport()
    bar = progress_bar(desc="digests (dry run)", unit="mail", disable=not progress)
    for period in periods:
        if not _period_has_news(period):
            report.periods_without_news.append(period.key)
            continue
        builder, renderer = DigestBuilder(period=period), DigestRenderer(period=period)
        for chunk in active_subscription_ids(frequency=period.frequency):
            for subscription in Subscription.objects.filter(pk__in=chunk).prefetch_related("topics").order_by("pk"):
                sections = builder.sections(subscription, subscription.topics.all())
                if not sections:
                    report.empty += 1
                    continue
                renderer.message(subscription_id=subscription.pk, email=subscription.email, sections=sections)
                report.would_send += 1
                if len(report.examples) < 10:
                    counts = ", ".join(f"{s.title}: {len(s.papers)}" for s in sections)
                    report.examples.append(f"{period.key} -> {subscription.email} ({counts})")
                bar.update(1)
    bar.close()
    return report
