"""Community figures: page renders, trending, and vote throughput (one thread vs 8 threads) on the configured DB.

    python bench/bench_community.py [--papers 2000] [--votes 20000]

Uses a fresh temporary data dir (SQLite) unless DAILYPAPERS_DATABASE_URL is set (then it writes to that database:
point it at a scratch PostgreSQL database). Prints figures, never asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import threading
import time

from benchlib import setup_django

setup_django(migrate=False, DAILYPAPERS_RATE_LIMITS="")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dailypapers.community import selectors, services  # noqa: E402
from dailypapers.community.models import Vote  # noqa: E402
from dailypapers.core.setup import prepare_database  # noqa: E402
from dailypapers.papers.models import Author, DailyEntry, Paper, PaperAuthor  # noqa: E402


def timed(label: str, fn, repeat: int = 5) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    ms = (time.perf_counter() - start) / repeat * 1000
    print(f"{label:<48} {ms:8.1f} ms")
    return ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=2000)
    parser.add_argument("--votes", type=int, default=20000)
    args = parser.parse_args()
    prepare_database()
    now = timezone.now()
    day = now.date()
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"bench{i}", password="!") for i in range(200)]
    )
    authors = Author.objects.bulk_create([Author(name=f"Bench Author {i}") for i in range(500)])
    papers = Paper.objects.bulk_create(
        [
            Paper(
                arxiv_id=f"2601.{i:05d}",
                title=f"Bench paper {i} on $x_{i}$",
                abstract="Abstract " * 60,
                categories="cs.LG",
                primary_category="cs.LG",
                published_at=now,
                modified=now,
            )
            for i in range(args.papers)
        ]
    )
    PaperAuthor.objects.bulk_create(
        [
            PaperAuthor(paper=p, author=authors[(i + j) % 500], position=j)
            for i, p in enumerate(papers)
            for j in range(8)
        ]
    )
    DailyEntry.objects.bulk_create(
        [
            DailyEntry(paper=p, day=day - dt.timedelta(days=i % 7), submitted_at=now, submitter_name="b")
            for i, p in enumerate(papers)
        ]
    )
    votes = [Vote(user=users[i % 200], paper=papers[(i // 200 * 37 + i) % len(papers)]) for i in range(args.votes)]
    Vote.objects.bulk_create(votes, ignore_conflicts=True)
    for paper in Paper.objects.all():
        services.votes_recount(paper=paper)
    print(f"database: {connection.vendor}; {args.papers} papers, {Vote.objects.count()} votes, 200 users")

    client = Client()
    timed("daily page (50 cards)", lambda: client.get(f"/date/{day.isoformat()}"))
    timed(
        "weekly page (50 cards of ~all)",
        lambda: client.get(f"/week/{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"),
    )
    timed("paper page", lambda: client.get(papers[0].get_absolute_url()))
    timed("trending ranking, computed (no cache)", lambda: selectors.trending_scores())
    cache.clear()
    timed("trending page (cached ranking)", lambda: client.get("/trending"))

    target = papers[-1]
    start = time.perf_counter()
    for user in users[:100]:
        services.vote_toggle(user=user, paper=target)
    single = 100 / (time.perf_counter() - start)
    print(f"{'vote toggles/s, 1 thread':<48} {single:8.1f}")

    target = papers[-2]
    done = []

    def work(chunk):
        for user in chunk:
            services.vote_toggle(user=user, paper=target)
        done.append(len(chunk))
        connection.close()

    threads = [threading.Thread(target=work, args=(users[i::8],)) for i in range(8)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    multi = sum(done) / (time.perf_counter() - start)
    target.refresh_from_db()
    print(f"{'vote toggles/s, 8 threads':<48} {multi:8.1f}   (ratio {multi / single:.2f}x)")
    print(f"counter exact after the race: {target.upvotes == Vote.objects.filter(paper=target).count()}")


if __name__ == "__main__":
    main()
