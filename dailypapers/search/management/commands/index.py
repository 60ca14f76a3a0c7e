"""`dailypapers index [--rebuild] [--status]`: bring the search indexes up to date with the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dailypapers.search.store import IndexBusy, IndexMismatch


class Command(BaseCommand):
    help = "Embed new and changed papers and update the vector and keyword indexes (--rebuild: build anew, swap in)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="build new index files and swap them in")
        parser.add_argument("--status", action="store_true", help="only say what index is on disk")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--device",
            choices=["auto", "cpu", "cuda"],
            default=None,
            help="where new papers are embedded (default: DAILYPAPERS_EMBEDDING_DEVICE, auto = CUDA "
            "when torch sees a GPU)",
        )

    def handle(self, *args, rebuild=False, status=False, no_progress=False, device=None, **options):
        from django.conf import settings

        from dailypapers.search.sync import DEVICES, index_status, sync_indexes

        device = device or settings.EMBEDDING_DEVICE
        if device not in DEVICES:
            raise CommandError(f"DAILYPAPERS_EMBEDDING_DEVICE={device!r}: use one of {', '.join(DEVICES)}")

        if status:
            for key, value in index_status().items():
                self.stdout.write(f"{key}: {value}")
            return
        try:
            summary = sync_indexes(rebuild=rebuild, progress=not no_progress, device=device)
        except (IndexMismatch, IndexBusy, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(summary.text())
