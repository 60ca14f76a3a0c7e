"""dailypapers fetch: fetch papers from arXiv over the network (by ids, by category, today's feed, OAI-PMH)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dailypapers.core.progress import progress_bar
from dailypapers.papers.ingest import fetching
from dailypapers.papers.ingest.arxiv_client import ArxivUnavailable


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Fetch papers from arXiv (rate-limited): --ids ID..., --category CAT [--since DATE], "
        "--feed [CATS], --harvest [SET] [--from DATE] [--until DATE] [--prefix arXiv|arXivRaw|oai_dc]."
    )

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--ids", nargs="+", metavar="ID", help="arXiv ids (2306.00978, hep-th/9901001, URLs)")
        what.add_argument("--category", metavar="CAT", help="newest papers of a category, e.g. cs.CV")
        what.add_argument(
            "--feed",
            nargs="?",
            const="",
            metavar="CATS",
            help="today's announcements for comma-separated categories (default: DAILYPAPERS_ARXIV_CATEGORIES)",
        )
        what.add_argument(
            "--harvest",
            nargs="?",
            const="",
            metavar="SET",
            help="OAI-PMH harvest of a set (e.g. cs, physics:hep-th; none: everything), incremental by default",
        )
        parser.add_argument("--since", help="with --category: stop at papers first published before YYYY-MM-DD")
        parser.add_argument("--max-results", type=int, default=1000, help="with --category: at most this many")
        parser.add_argument("--from", dest="from_date", help="with --harvest: from YYYY-MM-DD (default: last run)")
        parser.add_argument("--until", help="with --harvest: until YYYY-MM-DD")
        parser.add_argument("--prefix", default="arXiv", choices=["arXiv", "arXivRaw", "oai_dc"])
        parser.add_argument(
            "--feature-new",
            action="store_true",
            default=None,
            help="with --feed: put papers announced as new on today's page (default: DAILYPAPERS_AUTO_FEATURE_NEW)",
        )
        parser.add_argument("--show-rejected", type=int, default=20, help="how many rejected records to list")

    def handle(self, *args, **options):
        with progress_bar(desc="fetching", unit="rec", disable=options["verbosity"] < 1) as bar:
            try:
                stats = self._fetch(options, bar.update)
            except ArxivUnavailable as exc:
                raise CommandError(f"arXiv: {exc}") from None
        for rejection in stats.rejections[: options["show_rejected"]]:
            self.stdout.write(f"rejected {rejection.location}: {rejection.reason}")
        if stats.rejected > options["show_rejected"]:
            self.stdout.write(f"... and {stats.rejected - options['show_rejected']} more rejected records")
        self.stdout.write(f"Total: {stats.summary()}")

    def _fetch(self, options, progress):
        if options["ids"]:
            return fetching.fetch_ids(list(fetching.iter_ids(options["ids"])), progress=progress)
        if options["category"]:
            since = _date(options["since"]) if options["since"] else None
            return fetching.fetch_query(
                f"cat:{options['category']}", max_results=options["max_results"], since=since, progress=progress
            )
        if options["feed"] is not None:
            categories = [c.strip() for c in options["feed"].split(",") if c.strip()] or settings.ARXIV_CATEGORIES
            return fetching.fetch_announcements(categories, feature_new=options["feature_new"], progress=progress)
        return fetching.harvest(
            set_spec=options["harvest"] or None,
            from_date=_date(options["from_date"]) if options["from_date"] else None,
            until=_date(options["until"]) if options["until"] else None,
            metadata_prefix=options["prefix"],
            progress=progress,
        )
