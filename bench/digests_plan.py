"""Benchmark: the bookkeeping of a digest run at 100,000 subscribers, without SMTP (memory must stay flat).

    python bench/digests_plan.py [--subscribers 100000]

Plans one period (a delivery row per subscriber, created in chunks), then claims every row in batches the way a
sender does and marks it sent, and reports the time of each phase and tracemalloc's peak of Python allocations for
10% and for 100% of the subscribers (streaming: the two peaks should be about the same).
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

from benchlib import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    args = parser.parse_args()
    setup_django(DAILYPAPERS_LOG_LEVEL="WARNING")
    from django.utils import timezone

    from dailypapers.core.testing import digest_papers
    from dailypapers.digests.delivery import SendReport, claim, plan_period
    from dailypapers.digests.digest_periods import parse_digest_period
    from dailypapers.digests.models import DigestDelivery, DigestRun, Subscription

    now = timezone.now()
    Subscription.objects.bulk_create(
        (
            Subscription(email=f"r{i:07d}@example.org", status="active", confirmed_at=now)
            for i in range(args.subscribers)
        ),
        batch_size=5000,
    )
    print(f"{args.subscribers} subscribers; database: {os.environ.get('DAILYPAPERS_DATABASE_URL') or 'SQLite'}")

    def run(period_key: str, count: int) -> None:
        Subscription.objects.update(frequency="daily")
        Subscription.objects.filter(pk__gt=Subscription.objects.order_by("pk")[count - 1].pk).update(frequency="weekly")
        period = parse_digest_period(period_key)
        digest_papers(period_key, first=int(period.day.strftime("%d")) * 10)
        DigestRun.objects.filter(period=period_key).delete()
        tracemalloc.start()
        start = time.perf_counter()
        plan_period(period=period, now=timezone.now(), report=SendReport())
        planned = time.perf_counter() - start
        start, claimed = time.perf_counter(), 0
        while ids := claim(owner="bench", limit=100, now=timezone.now()):
            DigestDelivery.objects.filter(pk__in=ids).update(status="sent", sent_at=timezone.now())
            claimed += len(ids)
        claiming = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"  {count:>7} subscribers: plan {planned:.1f} s ({count / planned:.0f}/s), claim+mark {claiming:.1f} s "
            f"({claimed / claiming:.0f}/s), tracemalloc peak {peak:.1f} MiB"
        )

    run("daily:2026-11-24", args.subscribers // 10)
    run("daily:2026-11-25", args.subscribers)


if __name__ == "__main__":
    main()
