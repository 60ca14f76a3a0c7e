"""Benchmark: build and send N digests (default 10,000) to a local aiosmtpd server; print messages/second and memory.

    python bench/digests_send.py [--subscribers 10000] [--baseline 2000]

Runs on a fresh SQLite database in a temporary folder (or DAILYPAPERS_DATABASE_URL if set to a scratch PostgreSQL
database). The SMTP server runs in its own process and only counts what it accepts. Reported:
- the exactly-once sender (plan + claim + MAIL/RCPT + "handed over" + DATA + "sent", per subscriber), messages/s;
- a baseline in the same process: the same messages built by the same renderer and sent by Django's SMTP backend
  on one connection with no bookkeeping at all (what a naive cron script would do), messages/s, and the ratio;
- the sender's own CPU time per message (the rest of the wall time is the SMTP server's, here a Python server);
- peak memory: the process's peak RSS before and after the send run, and tracemalloc's peak during a send of a
  tenth of the subscribers (Python allocations; streaming keeps it flat as the subscriber count grows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import resource
import time
import tracemalloc

from benchlib import free_port, setup_django

PERIOD = "daily:2026-11-25"
QUERIES = [
    "weight quantization",
    "diffusion models",
    "retrieval augmented generation",
    "speculative decoding",
    "mixture of experts",
    "vision transformers",
    "reinforcement learning from human feedback",
    "graph neural",
]
WORDS = [
    "model",
    "language",
    "vision",
    "learning",
    "quantization",
    "diffusion",
    "retrieval",
    "decoding",
    "experts",
    "graph",
    "neural",
    "transformer",
    "efficient",
    "robust",
    "scalable",
    "sparse",
    "attention",
    "training",
    "inference",
    "benchmark",
    "dataset",
    "agent",
    "reasoning",
]


def smtp_server(port: int, counter, ready) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=2_000, help="messages for the naive baseline (0: skip)")
    parser.add_argument("--papers", type=int, default=400)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the send run")
    args = parser.parse_args()

    port = free_port()
    counter, ready = multiprocessing.Value("l", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, counter, ready), daemon=True)
    server.start()
    ready.wait(30)

    setup_django(DAILYPAPERS_LOG_LEVEL="WARNING", DAILYPAPERS_EMAIL_URL=f"smtp://127.0.0.1:{port}")
    from django.utils import timezone

    from dailypapers.digests.delivery import send_due
    from dailypapers.digests.digest_periods import parse_digest_period
    from dailypapers.digests.models import DigestDelivery, Subscription, Topic
    from dailypapers.papers.models import Author, DailyEntry, Paper, PaperAuthor

    period = parse_digest_period(PERIOD)
    rng = random.Random(7)
    now = timezone.now()
    papers = Paper.objects.bulk_create(
        [
            Paper(
                arxiv_id=f"2611.{i:05d}",
                title=" ".join(rng.choices(WORDS, k=9)).capitalize(),
                abstract=" ".join(rng.choices(WORDS, k=150)) + (" " + rng.choice(QUERIES)) * (i % 3 == 0),
                categories=rng.choice(["cs.CL", "cs.LG cs.CL", "cs.CV", "cs.AI"]),
                primary_category="cs.CL",
                published_at=period.window_start - dt.timedelta(minutes=i),
                modified=now,
                upvotes=rng.randint(0, 50),
            )
            for i in range(args.papers)
        ]
    )
    Paper.objects.update(created=period.window_start + dt.timedelta(hours=1))  # fetched in the period
    papers = list(Paper.objects.order_by("pk"))
    authors = Author.objects.bulk_create([Author(name=f"Author {i}") for i in range(args.papers * 2)])
    PaperAuthor.objects.bulk_create(
        [
            PaperAuthor(paper=p, author=authors[(p.pk * 7 + k) % len(authors)], position=k)
            for p in papers
            for k in range(6)
        ]
    )
    DailyEntry.objects.bulk_create(
        [DailyEntry(paper=p, day=period.page_end, submitted_at=now, source="cli") for p in papers[:40]]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(email=f"reader{i:06d}@example.org", status="active", confirmed_at=now)
            for i in range(args.subscribers)
        ],
        batch_size=2000,
    )
    topics = []
    for sub_id in Subscription.objects.values_list("pk", flat=True):
        if sub_id % 5 == 0:
            topics.append(Topic(subscription_id=sub_id, kind="search", value=rng.choice(QUERIES)))
        if sub_id % 10 == 0:
            topics.append(Topic(subscription_id=sub_id, kind="category", value=rng.choice(["cs.CL", "cs.CV"])))
    Topic.objects.bulk_create(topics, batch_size=2000)
    print(
        f"{args.subscribers} subscribers ({len(topics)} saved searches/categories), {args.papers} papers; "
        f"database: {os.environ.get('DAILYPAPERS_DATABASE_URL') or 'SQLite'}"
    )

    rss_before = rss_mib()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start, cpu_start = time.perf_counter(), time.process_time()
    report = send_due(periods=[period])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    rss_after = rss_mib()
    time.sleep(0.5)
    sent = DigestDelivery.objects.filter(status="sent").count()
    rate = report.sent / elapsed
    print(f"exactly-once sender: {report.summary()}")
    print(
        f"  {report.sent} digests in {elapsed:.1f} s = {rate:.0f} messages/s; server accepted {counter.value}; "
        f"rows marked sent {sent}"
    )
    print(
        f"  sender CPU {cpu:.1f} s = {1000 * cpu / max(report.sent, 1):.2f} ms per message "
        f"(the rest is waiting for the SMTP server; CPU-bound rate {report.sent / cpu:.0f} messages/s)"
    )
    print(
        f"  peak RSS {rss_before:.0f} MiB before the run, {rss_after:.0f} MiB after (+{rss_after - rss_before:.0f} MiB)"
    )

    # Python allocations while sending a tenth as many (a second period): flat in N when everything streams.
    tracemalloc.start()
    small = parse_digest_period("daily:2026-11-26")
    Paper.objects.filter(pk__in=[p.pk for p in papers[:20]]).update(created=small.window_start)
    Subscription.objects.filter(pk__gt=args.subscribers // 10).update(frequency="weekly")
    send_due(periods=[small])
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    Subscription.objects.update(frequency="daily")
    print(f"  tracemalloc peak while sending {args.subscribers // 10}: {peak:.1f} MiB")

    if args.baseline:
        from django.core.mail import get_connection

        from dailypapers.digests.content import DigestBuilder
        from dailypapers.digests.rendering import DigestRenderer

        builder, renderer = DigestBuilder(period=period), DigestRenderer(period=period)
        subs = list(Subscription.objects.prefetch_related("topics").order_by("pk")[: args.baseline])
        before = counter.value
        start, cpu_start = time.perf_counter(), time.process_time()
        with get_connection() as connection:  # Django builds the MIME itself here (as any plain script would)
            for sub in subs:
                message = renderer.message(
                    subscription_id=sub.pk, email=sub.email, sections=builder.sections(sub, sub.topics.all())
                )
                connection.send_messages([message.as_django()])
        base_elapsed, base_cpu = time.perf_counter() - start, time.process_time() - cpu_start
        base_rate = len(subs) / base_elapsed
        time.sleep(0.5)
        print(
            f"baseline (same messages, Django SMTP backend, no records): {len(subs)} in {base_elapsed:.1f} s = "
            f"{base_rate:.0f} messages/s, CPU {1000 * base_cpu / len(subs):.2f} ms per message; "
            f"server accepted {counter.value - before}"
        )
        print(f"exactly-once sender / baseline: {rate / base_rate:.2f}x")
    server.terminate()


if __name__ == "__main__":
    main()
