"""dailypapers import PATH...: import arXiv metadata files, the format detected from their content."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dailypapers.core.progress import progress_bar
from dailypapers.papers.ingest import FORMATS, UnreadableInput, detect_format, parse_path
from dailypapers.papers.ingest.pipeline import can_parse_in_background, parse_in_background
from dailypapers.papers.services import ImportStats, import_records


class Command(BaseCommand):
    help = "Import arXiv metadata files: Kaggle JSONL(.gz), arXiv API Atom, OAI-PMH XML, RSS, HF daily-papers JSON."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files to import (plain or .gz)")
        parser.add_argument("--format", choices=FORMATS, help="force the format instead of detecting it")
        parser.add_argument("--batch-size", type=int, default=settings.IMPORT_BATCH_SIZE)
        parser.add_argument(
            "--feature-new",
            action="store_true",
            default=settings.AUTO_FEATURE_NEW,
            help="put papers announced as new in an RSS/Atom daily feed on that day's page",
        )
        parser.add_argument("--show-rejected", type=int, default=20, help="how many rejected records to list")
        parser.add_argument(
            "--background-parse-mb",
            type=float,
            default=4.0,
            help="parse files larger than this (MB on disk) in a second process, overlapping parsing and storing",
        )

    def handle(self, *args, **options):
        total = ImportStats()
        unreadable = []
        with progress_bar(desc="importing", unit="rec", disable=options["verbosity"] < 1) as bar:
            for path in options["paths"]:
                try:
                    records = self._records(path, options["format"], options["background_parse_mb"])
                except UnreadableInput as exc:
                    unreadable.append(str(exc))
                    self.stderr.write(f"cannot read {exc}")
                    continue

                shown = [0]  # records the bar already counts

                def advance(stats, shown=shown):
                    bar.update(stats.read - shown[0])
                    shown[0] = stats.read

                stats = import_records(
                    records,
                    batch_size=options["batch_size"],
                    feature_announced=options["feature_new"],
                    on_batch=advance,
                )
                total.add(stats)
                if options["verbosity"] >= 2 or len(options["paths"]) > 1:
                    self.stdout.write(f"{path}: {stats.summary()}")
        for rejection in total.rejections[: options["show_rejected"]]:
            self.stdout.write(f"rejected {rejection.location}: {rejection.reason}")
        if total.rejected > options["show_rejected"]:
            self.stdout.write(f"... and {total.rejected - options['show_rejected']} more rejected records")
        self.stdout.write(f"Total: {total.summary()}")
        if unreadable and total.read == 0:
            raise CommandError("no input could be read: " + "; ".join(unreadable))
        if unreadable:
            raise CommandError(f"{len(unreadable)} of {len(options['paths'])} inputs could not be read")

    @staticmethod
    def _records(path, fmt, background_mb):
        fmt = fmt or detect_format(path)
        try:
            size_mb = os.path.getsize(path) / 1e6
        except OSError:
            size_mb = 0
        if size_mb > background_mb and can_parse_in_background():
            return parse_in_background(path, fmt)
        return parse_path(path, fmt)
