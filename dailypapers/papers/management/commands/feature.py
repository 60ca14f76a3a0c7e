"""dailypapers feature ARXIV_ID --day YYYY-MM-DD: put a stored paper on a day's page."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dailypapers.papers import selectors
from dailypapers.papers.services import feature_paper


class Command(BaseCommand):
    help = "Put a paper (already imported) on the page of a day."

    def add_arguments(self, parser):
        parser.add_argument("arxiv_id")
        parser.add_argument("--day", help="YYYY-MM-DD (default: today, UTC)")

    def handle(self, *args, **options):
        try:
            day = dt.date.fromisoformat(options["day"]) if options["day"] else timezone.now().date()
        except ValueError:
            raise CommandError(f"not a date: {options['day']!r} (expected YYYY-MM-DD)") from None
        paper = selectors.paper_get(arxiv_id=options["arxiv_id"])
        if paper is None:
            raise CommandError(f"{options['arxiv_id']} is not stored: import or fetch it first")
        try:
            entry = feature_paper(paper=paper, day=day)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{paper.arxiv_id} is on the page of {entry.day.isoformat()}")
