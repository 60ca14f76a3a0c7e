"""dailypapers worker [--loop]: run the scheduled jobs (fetch arXiv, sync search indexes, send digests)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from dailypapers.digests import worker


class Command(BaseCommand):
    help = "Run the due scheduled jobs once (cron-friendly), or keep running them with --loop."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, checking for due jobs every poll")
        parser.add_argument("--job", help="run this job now (still never at the same time as another worker)")
        parser.add_argument("--poll", type=float, help="seconds between checks (DAILYPAPERS_WORKER_POLL_SECONDS)")
        parser.add_argument("--duration", type=float, help="with --loop: stop after this many seconds")
        parser.add_argument("--parent-pid", type=int, help="with --loop: stop when this parent process is gone")

    def handle(self, *args, **options):
        owner = worker.new_owner()
        try:
            if options["loop"]:
                stop = threading.Event()
                # SIGTERM (e.g. from `serve` shutting down): finish the job at hand, then stop.
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
                worker.run_loop(
                    owner=owner, poll_seconds=options["poll"], duration=options["duration"],
                    parent_pid=options["parent_pid"], stop=stop,
                )  # fmt: skip
                return
            ran = worker.run_due_jobs(owner=owner, only=options["job"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            return
        if not ran:
            self.stdout.write("no job was due (or another worker is running it)")
        for name, status in ran:
            self.stdout.write(f"{name}: {status}")
